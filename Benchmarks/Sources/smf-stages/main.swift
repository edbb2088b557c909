// smf-stages: times each stage of smf-minimize's pipeline in one process.
//
//   smf-stages [--repeat N] [--request FMRI] PATH...
//
// Prints one `stage seconds` line per stage (the best of N rounds), then the
// counts and the process's peak resident memory, for scripts/compare.sh and
// docs/PERFORMANCE.md. Stages: walk (PathWalker), read (ParallelReader, every
// core), merge (RepositoryBuilder over the read results), load (the whole
// Loader.load, for comparison), and, once the graph exists, graph and closure.

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

func peakRSSKiB() -> Int {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    #if canImport(Darwin)
    return Int(u.ru_maxrss) / 1024
    #else
    return Int(u.ru_maxrss)
    #endif
}

var args = Array(CommandLine.arguments.dropFirst())
var rounds = 3
var request: String? = nil
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
    case "-h", "--help":
        print("usage: smf-stages [--repeat N] [--request FMRI] PATH...")
        exit(0)
    default:
        paths.append(a)
    }
}
if paths.isEmpty {
    print("usage: smf-stages [--repeat N] [--request FMRI] PATH...")
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
for _ in 0..<rounds {
    let t0 = now()
    var walker = PathWalker()
    for p in paths { walker.add(p) }
    let files = walker.files
    let t1 = now()
    let results = ParallelReader.read(files)
    let t2 = now()
    var builder = RepositoryBuilder()
    for r in results { builder.addSource(r) }
    let repo = builder.build()
    let t3 = now()
    watch.record("walk", t1 - t0)
    watch.record("read", t2 - t1)
    watch.record("merge", t3 - t2)
    watch.record("walk+read+merge", t3 - t0)

    // GRAPH: once Sources/SMFKit/Graph is merged, time here
    //   record("graph", ...)    building the Int-indexed graph from `repo`
    //   record("closure", ...)  one closure of `request` over that graph
    //   record("read+merge+graph+closure", ...)
    _ = request

    let t4 = now()
    let loaded = Loader.load(InputSpec(paths: paths))
    let t5 = now()
    watch.record("load", t5 - t4)

    summary = "files \(files.count)\nservices \(repo.counts.services)\ninstances \(repo.counts.instances)\n"
        + "dependencies \(repo.counts.dependencies)\ndiagnostics \(loaded.diagnostics.count)\n"
}
for s in watch.order {
    print("\(s) \(format3(watch.best[s] ?? 0))")
}
print(summary, terminator: "")
print("rounds \(rounds)")
print("peak_rss_kib \(peakRSSKiB())")

func format3(_ x: Double) -> String {
    let ms = (x * 1e6).rounded() / 1e6
    return "\(ms)"
}
