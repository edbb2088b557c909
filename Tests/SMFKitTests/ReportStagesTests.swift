import Foundation
import Testing
@testable import SMFKit

/// The report's stages made cheaper in issue 18's fifth round: each must
/// give exactly what the plain computation gives.
@Suite("Report stages: the cheaper computations give what the plain ones give")
struct ReportStagesTests {
    /// The optional extension as it was computed before: a whole closure
    /// (records and all) per round, written here independently.
    static func plainExtension(_ g: DependencyGraph, _ c: Closure) -> (optional: [String], members: [String]) {
        let wanted = Set(c.requestedIDs)
        var optional = Set<Int>()
        var extended = c
        while true {
            var found = Set<Int>()
            for m in extended.memberIDs {
                for grp in g.groupRange(ofInstance: m) where g.groupGrouping[grp] == .optionalAll {
                    for e in g.entityRange(ofGroup: grp) {
                        for t in g.instancesNamed(byEntity: e)
                        where g.instanceEnabled[t] && !extended.contains(t) && !optional.contains(t) {
                            found.insert(t)
                        }
                    }
                }
            }
            if found.isEmpty { break }
            optional.formUnion(found)
            extended = g.closure(of: wanted.union(optional).sorted())
        }
        return (optional.map { g.instanceFMRIs[$0] }.sorted(), extended.members)
    }

    @Test("the members-only closure adds exactly the whole closure's members", arguments: GraphPropertyTests.seeds)
    func membersOnly(seed: UInt64) {
        let repo = RandomRepository.make(seed: seed)
        let g = DependencyGraph(repo)
        let want = GraphPropertyTests.request(repo, seed: seed).compactMap { g.instanceID($0) }
        let whole = g.closure(of: want)
        let members = g.closureMembers(of: want)
        #expect(members.memberIDs == whole.memberIDs)
        #expect(members.isMember == whole.isMember)
    }

    @Test("the optional extension's rounds of members give the plain rounds' extension")
    func extensionRounds() {
        var nonEmpty = 0
        for seed in GraphPropertyTests.seeds {
            let repo = RandomRepository.make(seed: seed)
            let g = DependencyGraph(repo)
            let c = g.closure(ofFMRIs: GraphPropertyTests.request(repo, seed: seed))
            let plain = Self.plainExtension(g, c)
            let public_ = Analysis.optionalExtension(graph: g, closure: c)
            #expect(public_.optional == plain.optional, "seed \(seed)")
            #expect(public_.extended.members == plain.members, "seed \(seed)")
            let beyond = plain.members.filter { !c.members.contains($0) }
            #expect(Analysis.extensionMembers(graph: g, closure: c) == beyond, "seed \(seed)")
            if !beyond.isEmpty { nonEmpty += 1 }
        }
        // The seeds exercise the extension: not every comparison is of empty lists.
        #expect(nonEmpty >= 10)
    }

    @Test("cycles are computed once per graph, and the same from many threads at once")
    func cyclesKept() {
        for seed in GraphPropertyTests.seeds.prefix(60) {
            let repo = RandomRepository.make(seed: seed)
            let g = DependencyGraph(repo)
            let fresh = DependencyGraph(repo).cycles()
            // Each thread writes its own slot (no lock the sanitizer cannot see).
            var seen = [[Cycle]](repeating: [], count: 8)
            seen.withUnsafeMutableBufferPointer { buf in
                let slots = SharedBuffer(buf)
                DispatchQueue.concurrentPerform(iterations: 8) { k in slots.buf[k] = g.cycles() }
            }
            #expect(seen.allSatisfy { $0 == fresh }, "seed \(seed)")
            #expect(g.cycles() == fresh)
        }
    }

    /// A repository of `count` services, one `default` instance each, named
    /// after the role table's services every so often, most enabled.
    static func manyServices(_ count: Int) -> Repository {
        let known = ["system/cron", "network/ssh", "system/system-log", "network/smtp", "system/console-login",
                     "network/inetd", "system/filesystem/local", "network/physical"]
        var builder = RepositoryBuilder()
        var rng = SplitMix64(seed: 18)
        for k in 0..<count {
            let name = k < known.count ? known[k] : "site/s\(k)"
            var decl = ServiceDecl(name: name, type: "service", version: "1", location: SourceLocation(file: "many.xml", line: k + 1))
            decl.createDefaultInstance = CreateDefaultInstance(enabled: rng.chance(0.8), location: SourceLocation(file: "many.xml", line: k + 1))
            // A start method, so that those not in the role table are long-running give-ups.
            decl.entity = EntityDecl(methods: [ExecMethod(type: "method", name: "start", exec: "/opt/site/bin/s\(k)",
                                                          timeoutSeconds: "60", location: SourceLocation(file: "many.xml", line: k + 1))])
            let bundle = ServiceBundle(type: .manifest, name: name, location: SourceLocation(file: "many.xml", line: k + 1), services: [decl])
            builder.addSource(ReadResult(path: "many-\(k).xml", bundle: bundle, diagnostics: []))
        }
        return builder.build()
    }

    @Test("roles and give-ups cut across the cores come out as on one core, in order")
    func chunkedRolesAndGiveUps() {
        // Large enough that both are cut into chunks (4,096 and 8,192 instances at least).
        let repo = Self.manyServices(10_000)
        let g = DependencyGraph(repo)
        let ids = Array((0..<g.instanceCount).reversed())
        let roles = ZoneRoles.roles(ids, ipType: .shared, graph: g, repo: repo)
        let serial = ids.sorted().map { ZoneRoles.classify($0, ipType: .shared, graph: g, repo: repo) }
        #expect(roles.map(\.fmri) == serial.map(\.fmri))
        #expect(roles.map(\.role) == serial.map(\.role))
        #expect(roles.map(\.note) == serial.map(\.note))

        let closure = g.closure(ofFMRIs: ["svc:/network/ssh:default"])
        let input = PlanInput(repo: repo, wanted: ["svc:/network/ssh:default"], closure: closure.members,
                              reasons: [:], graph: g)
        let v = Plan.verdict(input, ipType: .shared)
        // One chunk, each instance's start method read by MethodAnalyzer itself.
        let serialLongRunning = (0..<g.instanceCount).map { MethodAnalyzer.isLongRunning($0, graph: g, repo: repo) }
        let plain = GiveUps.giveUps(among: 0..<g.instanceCount, on: GiveUps.running(input, verdict: v), input: input,
                                       verdict: v, graph: g, repo: repo, longRunning: serialLongRunning)
        #expect(v.giveUps.count == plain.count)
        #expect(Set(v.giveUps.map(\.fmri)) == Set(plain.map(\.fmri)))
        // In Kind order, then FMRI.
        let kinds = GiveUp.Kind.allCases
        #expect(v.giveUps.map { (kinds.firstIndex(of: $0.kind)!, $0.fmri) }
            .elementsEqual(v.giveUps.map { (kinds.firstIndex(of: $0.kind)!, $0.fmri) }.sorted { $0 < $1 }) { $0 == $1 })
        // Every enabled site instance off the closure is a long-running give-up (the chunks lost none).
        let siteOff = g.instanceFMRIs.indices.filter { g.instanceEnabled[$0] && !closure.isMember[$0] }
            .map { g.instanceFMRIs[$0] }.filter { $0.hasPrefix("svc:/site/") }
        #expect(Set(v.giveUps.filter { $0.kind == .unknown }.map(\.fmri)) == Set(siteOff))
        #expect(siteOff.count > 7_000)
    }

    @Test("isLongRunning is a start method that is not :true and a duration that is not transient, on the fixtures and the corpora")
    func longRunning() {
        var repos = [PlanFixtures.repo]
        if TestPaths.corporaPresent { repos.append(Loader.load(InputSpec(paths: [TestPaths.illumos, TestPaths.oi]))) }
        var yes = 0, no = 0
        for repo in repos {
            let g = DependencyGraph(repo)
            for id in 0..<g.instanceCount {
                let inst = g.instance(id)
                let expected = MethodAnalyzer.startMethod(of: inst, in: repo).map {
                    $0.exec.trimmingWhitespace() != ":true" && MethodAnalyzer.duration(of: inst, in: repo).0 != .transient
                } ?? false
                #expect(MethodAnalyzer.isLongRunning(id, graph: g, repo: repo) == expected, "\(g.instanceFMRIs[id])")
                if expected { yes += 1 } else { no += 1 }
            }
        }
        #expect(yes > 0 && no > 0)
    }

    @Test("Escape.terminal's printable-ASCII check agrees with its definition on every byte")
    func printableASCII() {
        for b in 0..<0x80 {
            let c = String(UnicodeScalar(UInt8(b)))
            let printable = b >= 0x20 && b < 0x7f
            #expect(Escape.isPrintableASCII(c) == printable, "byte \(b)")
            #expect(Escape.isPrintableASCII("svc:/a/b:" + c + String(repeating: "x", count: b)) == printable, "byte \(b)")
        }
        #expect(Escape.isPrintableASCII(""))
        #expect(!Escape.isPrintableASCII("caf\u{e9}"))
        #expect(!Escape.isPrintableASCII("a\u{9b}b"))
        #expect(Escape.terminal("plain text, no escapes ~") == "plain text, no escapes ~")
    }

    @Test("Background gives its body's result, computed once, to every reader; ComputedOnce computes once for many threads")
    func background() {
        let calls = Counter()
        let made = Background { () -> [Int] in
            calls.add()
            return (0..<1000).map { $0 * $0 }
        }
        #expect(made.value.count == 1000)
        #expect(made.value[999] == 998_001)
        #expect(calls.count == 1)

        let computed = Counter()
        let once = ComputedOnce<Int>()
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            _ = once.get { computed.add(); return k }
        }
        #expect(computed.count == 1)
        #expect((0..<8).contains(once.get { -1 }))
    }
}

/// A count shared by a test's threads, behind a pthread mutex (`Monitor`),
/// which ThreadSanitizer sees.
private final class Counter: @unchecked Sendable {
    private let monitor = Monitor()
    private var n = 0
    func add() { monitor.lock(); n += 1; monitor.unlock() }
    var count: Int { monitor.lock(); defer { monitor.unlock() }; return n }
}

@Suite("replacingAll: the byte search gives the Character search's answer")
struct ReplacingAllTests {
    @Test("String.Index.samePosition(in:) refuses an index inside a Character")
    func boundaries() {
        let s = "ae\u{301}b\r\nc"
        let u = s.utf8
        let aligned = (0...u.count).map { u.index(u.startIndex, offsetBy: $0).samePosition(in: s) != nil }
        // a | e U+0301 (2 bytes) | b | CR LF | c
        #expect(aligned == [true, true, false, false, true, true, false, true, true])
    }

    @Test("on random texts of paths, marks, bars, CR LF and lookalikes, every path of replacingAll agrees with the Character search")
    func randomTexts() {
        var rng = SplitMix64(seed: 1801)
        let pieces = ["/work/main/", "/work/main", "x", " ", "\n", "\r\n", "\r", "█", "·", "• ", "\u{301}", "\u{200d}",
                      "\u{600}", "é", "e\u{301}", "\u{212a}", "K", ";", "\u{37e}", "/work/mai", "n/", "🇫🇷", "\u{1f1eb}"]
        let targets = ["/work/main/", "/work/main", "n/x", "ai", "K/", ";x", "/"]
        var nonASCII = 0
        for _ in 0..<3000 {
            let text = (0..<rng.int(0..<12)).map { _ in rng.pick(pieces) }.joined()
            if !text.utf8.allSatisfy({ $0 < 0x80 }) { nonASCII += 1 }
            for t in targets {
                let expected = text.characterReplacingAll(t, with: "<R>")
                #expect(text.replacingAll(t, with: "<R>") == expected, "\(Array(text.unicodeScalars)) \(t)")
                #expect(Array(text.replacingAll(t, with: "<R>").utf8) == Array(expected.utf8))
            }
        }
        #expect(nonASCII > 2000)
    }
}
