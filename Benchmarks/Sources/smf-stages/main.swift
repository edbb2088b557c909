// smf-stages: times each stage of smf-minimize's pipeline in one process.
//
//   smf-stages [--repeat N] [--request FMRI] PATH...
//
// Prints one `stage seconds` line per stage (the best of N rounds; `_cpu`
// stages are the CPU time of the one thread that runs them, `_pcpu` that of
// the whole process, every thread), then the
// counts and the process's peak resident memory, for scripts/compare.sh and
// docs/PERFORMANCE.md. Stages: walk (PathWalker), read (ParallelReader, every
// core), merge (RepositoryBuilder over the read results), read+merge_streamed
// (both overlapped, as Loader does), load (the whole
// Loader.load, for comparison), graph (DependencyGraph) and closure (one
// closure of --request over the graph built beforehand). With --report, the
// stages of the `report` command through a Session, each timed as it is
// first computed (the later ones reuse the earlier ones, as the command
// does): session_input ... session_report (the report's own assembly),
// and the resident memory after each; the other stages are then not run.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import SMFKit

func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// CPU seconds of the calling thread (load on the machine does not count).
func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The process's resource usage (every thread).
func selfUsage() -> rusage {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    return u
}

/// CPU seconds of the whole process (every thread), user + system.
func processCPU() -> Double {
    let u = selfUsage()
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func peakRSSKiB() -> Int {
    let u = selfUsage()
    #if canImport(Darwin)
    return Int(u.ru_maxrss) / 1024
    #else
    return Int(u.ru_maxrss)
    #endif
}

/// The resident memory now, from /proc/self/statm (0 where there is none).
func currentRSSKiB() -> Int {
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return 0 }
    let fields = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

var args = Array(CommandLine.arguments.dropFirst())
var rounds = 3
var request: String? = nil
var sessionStages = false
var paths: [String] = []
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--repeat":
        rounds = max(1, Int(args.first ?? "") ?? 3)
        if !args.isEmpty { args.removeFirst() }
    case "--request":
        request = args.first
        if !args.isEmpty { args.removeFirst() }
    case "--report":
        sessionStages = true
    case "-h", "--help":
        print("usage: smf-stages [--repeat N] [--request FMRI] [--report] PATH...")
        exit(0)
    default:
        paths.append(a)
    }
}
if paths.isEmpty {
    print("usage: smf-stages [--repeat N] [--request FMRI] [--report] PATH...")
    exit(64)
}

/// The best time of each stage, in first-recorded order.
struct Stopwatch {
    var best: [String: Double] = [:]
    var order: [String] = []
    mutating func record(_ stage: String, _ seconds: Double) {
        if best[stage] == nil { order.append(stage) }
        best[stage] = min(best[stage] ?? .infinity, seconds)
    }
}
var watch = Stopwatch()

var summary = ""
var closureSize = 0
var blackHoleCount = 0
// With --report only the session's stages are timed (so that the resident
// memory after each is the session's own).
for _ in 0..<(sessionStages ? 0 : rounds) {
    let t0 = now()
    var walker = PathWalker()
    for p in paths { walker.add(p) }
    let files = walker.files
    let t1 = now()
    // Read everything, then merge (the results are dropped before the next step).
    var t2 = 0.0, t3 = 0.0
    do {
        let results = ParallelReader.read(files)
        t2 = now()
        let m0 = threadCPU()
        let mp0 = processCPU()
        var builder = RepositoryBuilder()
        for r in results { builder.addSource(r) }
        blackHoleCount += builder.build().counts.services
        t3 = now()
        watch.record("merge_cpu", threadCPU() - m0)
        watch.record("merge_pcpu", processCPU() - mp0)
    }
    watch.record("walk", t1 - t0)
    watch.record("read", t2 - t1)
    watch.record("merge", t3 - t2)
    watch.record("walk+read+merge", t3 - t0)
    // As the Loader does it: merged in order while the workers read ahead.
    let s0 = now()
    var streamed = RepositoryBuilder()
    ParallelReader.read(files) { streamed.addSource($0) }
    let repo = streamed.build()
    let s1 = now()
    watch.record("read+merge_streamed", s1 - s0)

    // The Int-indexed graph, then one closure of the request over it.
    let g0 = now()
    let gc0 = threadCPU()
    let gp0 = processCPU()
    let graph = DependencyGraph(repo)
    watch.record("graph_cpu", threadCPU() - gc0)
    watch.record("graph_pcpu", processCPU() - gp0)
    let g1 = now()
    if let request {
        guard let ids = try? RequestResolver.resolve([request], in: graph).flatMap(\.instanceIDs) else {
            print("smf-stages: \(request) names no instance")
            exit(64)
        }
        let c0 = now()
        let cc0 = threadCPU()
        let closure = graph.closure(of: ids)
        watch.record("closure_cpu", threadCPU() - cc0)
        let c1 = now()
        watch.record("closure", c1 - c0)
        watch.record("read+merge+graph+closure", (s1 - s0) + (g1 - g0) + (c1 - c0))
        closureSize = closure.members.count
    }
    watch.record("graph", g1 - g0)

    let t4 = now()
    let loaded = Loader.load(InputSpec(paths: paths))
    let t5 = now()
    watch.record("load", t5 - t4)

    summary = "files \(files.count)\nservices \(repo.counts.services)\ninstances \(repo.counts.instances)\n"
        + "dependencies \(repo.counts.dependencies)\ndiagnostics \(loaded.diagnostics.count)\n"
        + "closure_instances \(closureSize)\n"
}
// The resident memory after each session stage (the last round's), in KiB:
// what the repository, the graph and each analysis add.
var rssAfter: [String: Int] = [:]
var rssOrder: [String] = []
if sessionStages, let request {
    for _ in 0..<rounds {
        var o = SessionOptions()
        o.paths = paths
        o.wanted = [request]
        let session = Session(o)
        var last = now()
        var lastCPU = processCPU()
        func lap(_ name: String, _ step: () throws -> Void) {
            do { try step() } catch {
                print("smf-stages: \(name): \(error)")
                exit(2)
            }
            let t = now(), c = processCPU()
            watch.record("session_" + name, t - last)
            watch.record("session_" + name + "_pcpu", c - lastCPU)
            rssAfter["rss_kib_after_" + name] = currentRSSKiB()
            if !rssOrder.contains("rss_kib_after_" + name) { rssOrder.append("rss_kib_after_" + name) }
            last = t
            lastCPU = c
        }
        let start = now()
        lap("input") { _ = try session.input() }
        lap("graph") { _ = try session.graph() }
        lap("requests") { _ = try session.requests() }
        lap("closure") { _ = try session.closure() }
        lap("analysis") { _ = try session.analysis() }
        lap("planInput") { _ = try session.planInput() }
        lap("roles") { _ = try session.roles() }
        lap("verdict") { _ = try session.verdict() }
        lap("ladder") { _ = try session.ladder() }
        lap("profileDecision") { _ = try session.profileDecision() }
        lap("profileProof") { _ = try session.profileProof() }
        lap("blankZoneProof") { _ = try session.blankZoneProof() }
        var run: ReportRun?
        lap("report") { run = try session.report(files: false, usedDefault: false, arguments: []) }
        lap("render") {
            if let run { blackHoleCount += ReportText(run.data, style: TextStyle(color: false, width: 80)).render(outputDirectory: nil).utf8.count }
        }
        watch.record("session_total", now() - start)
    }
}
for s in watch.order {
    print("\(s) \(format3(watch.best[s] ?? 0))")
}
for k in rssOrder { print("\(k) \(rssAfter[k] ?? 0)") }
print(summary, terminator: "")
print("rounds \(rounds)")
print("peak_rss_kib \(peakRSSKiB())")

func format3(_ x: Double) -> String {
    let ms = (x * 1e6).rounded() / 1e6
    return "\(ms)"
}
