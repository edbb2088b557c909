import Foundation
import Testing
@testable import SMFKit

/// SplitMix64: a small seeded generator, so that every run draws the same graphs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ a: [T]) -> T { a[int(0..<a.count)] }
}

/// Random repositories built straight from `ServiceBundle` values (no XML),
/// with every feature the closure rules touch: service and instance groups
/// (same names sometimes, so instances override), dependents, restarters,
/// path entities, entities naming nothing, services with no instance,
/// delete='true', and baseline-enabled instances.
enum RandomRepository {
    static let instanceNames = ["default", "a", "b", "nwam"]

    static func make(seed: UInt64) -> Repository {
        var rng = SplitMix64(seed: seed)
        let count = rng.int(2..<14)
        let names = (0..<count).map { "r/s\($0)" }
        var line = 1
        func loc() -> SMFKit.SourceLocation { line += 1; return SMFKit.SourceLocation(file: "gen-\(seed).xml", line: line) }
        func entity(_ rng: inout SplitMix64, path: Bool) -> String {
            if path { return "file://localhost/etc/f\(rng.int(0..<4))" }
            switch rng.int(0..<10) {
            case 0: return "svc:/r/absent\(rng.int(0..<2))"
            case 1...5: return "svc:/\(rng.pick(names))"
            default: return "svc:/\(rng.pick(names)):\(rng.pick(instanceNames))"
            }
        }
        func dependencies(_ rng: inout SplitMix64) -> [DependencyDecl] {
            (0..<rng.int(0..<4)).map { _ in
                let grouping = rng.pick([Grouping.requireAll, .requireAll, .requireAny, .requireAny, .optionalAll, .excludeAll])
                let isPath = rng.chance(0.12)
                let entities = (0..<rng.int(1..<4)).map { _ in
                    EntityRef(value: entity(&rng, path: isPath || (grouping == .requireAny && rng.chance(0.1))), location: loc())
                }
                return DependencyDecl(name: "g\(rng.int(0..<5))", grouping: grouping, restartOn: rng.pick(RestartOn.allCases),
                                      type: isPath ? "path" : "service", delete: rng.chance(0.05),
                                      entities: entities, location: loc())
            }
        }
        func dependents(_ rng: inout SplitMix64) -> [DependentDecl] {
            guard rng.chance(0.25) else { return [] }
            let target = rng.chance(0.5) ? "svc:/\(rng.pick(names))" : "svc:/\(rng.pick(names)):\(rng.pick(instanceNames))"
            return [DependentDecl(name: "d\(rng.int(0..<3))", grouping: rng.pick([.requireAll, .optionalAll, .requireAny]),
                                  restartOn: .none, delete: rng.chance(0.05), target: EntityRef(value: target, location: loc()),
                                  location: loc())]
        }
        func restarter(_ rng: inout SplitMix64) -> RestarterDecl? {
            guard rng.chance(0.15) else { return nil }
            let value = rng.chance(0.2) ? startdFMRI : "svc:/\(rng.pick(names)):\(rng.pick(instanceNames))"
            return RestarterDecl(fmri: value, location: loc())
        }
        var bundles: [ReadResult] = []
        for name in names {
            var decl = ServiceDecl(name: name, type: "service", version: "1", location: loc())
            if rng.chance(0.1) {
                // a service with no instance
            } else {
                if rng.chance(0.6) { decl.createDefaultInstance = CreateDefaultInstance(enabled: rng.chance(0.4), location: loc()) }
                for i in instanceNames.dropFirst() where rng.chance(0.3) {
                    decl.instances.append(InstanceDecl(name: i, enabled: rng.chance(0.4), location: loc(),
                        entity: EntityDecl(restarter: restarter(&rng), dependencies: dependencies(&rng), dependents: dependents(&rng))))
                }
            }
            decl.entity = EntityDecl(restarter: restarter(&rng), dependencies: dependencies(&rng), dependents: dependents(&rng))
            let bundle = ServiceBundle(type: .manifest, name: name, location: loc(), services: [decl])
            bundles.append(ReadResult(path: "gen-\(seed)-\(name).xml", bundle: bundle, diagnostics: []))
        }
        var builder = RepositoryBuilder()
        for b in bundles { builder.addSource(b) }
        return builder.build()
    }
}

/// Section 5 written naively and independently, over the `Repository`:
/// sets, full rescans in FMRI order, no graph, no heap.
enum NaiveClosure {
    struct Result: Equatable {
        var members: [String]
        var choices: [[String]]     // instance, group, chosen, alternatives...
        var unresolved: Set<[String]>
        var files: Set<[String]>
        var conflicts: Set<[String]>
    }

    static func instancesNamed(_ f: FMRI, _ repo: Repository) -> [Instance] {
        switch f {
        case .instance(let s, let i): repo.instance(s, i).map { [$0] } ?? []
        case .service(let s): (repo.services[s]?.instances.values).map { Array($0) } ?? []
        case .path: []
        }
    }

    /// Baseline-enabled, then entity position, then `default`, then FMRI.
    static func preferred(_ candidates: [(Instance, Int)]) -> [Instance] {
        var best: [String: (Instance, Int)] = [:]
        for (i, p) in candidates { if let b = best[i.fmri], b.1 <= p { continue }; best[i.fmri] = (i, p) }
        return best.values.sorted { a, b in
            let ka = (a.0.enabled ? 0 : 1, a.1, a.0.name == "default" ? 0 : 1)
            let kb = (b.0.enabled ? 0 : 1, b.1, b.0.name == "default" ? 0 : 1)
            if ka != kb { return ka < kb }
            return a.0.fmri < b.0.fmri
        }.map(\.0)
    }

    static func compute(_ repo: Repository, want: [String]) -> Result {
        var c = Set(want)
        var files = Set<[String]>()
        var unresolved = Set<[String]>()
        var choices: [[String]] = []
        var givenUp = Set<[String]>()
        func members() -> [Instance] { c.sorted().compactMap { repo.instance(fmri: $0) } }
        func inC(_ f: FMRI) -> Bool { instancesNamed(f, repo).contains { c.contains($0.fmri) } }
        outer: while true {
            // 2
            required: while true {
                var changed = true
                while changed {
                    changed = false
                    for m in members() {
                        for g in m.groups where g.grouping == .requireAll {
                            for e in g.entities {
                                switch e.fmri {
                                case .path(let p): files.insert([m.fmri, p])
                                case .instance:
                                    if let t = instancesNamed(e.fmri, repo).first {
                                        if c.insert(t.fmri).inserted { changed = true }
                                    } else {
                                        unresolved.insert([m.fmri, g.name, e.fmri.description])
                                    }
                                case .service:
                                    if instancesNamed(e.fmri, repo).isEmpty { unresolved.insert([m.fmri, g.name, e.fmri.description]) }
                                }
                            }
                        }
                        if let r = m.restarter {
                            if let t = repo.instance(fmri: r.fmri) {
                                if c.insert(t.fmri).inserted { changed = true }
                            } else {
                                unresolved.insert([m.fmri, "restarter", r.fmri])
                            }
                        }
                    }
                }
                for m in members() {
                    for g in m.groups where g.grouping == .requireAll {
                        for e in g.entities {
                            guard case .service = e.fmri else { continue }
                            let named = instancesNamed(e.fmri, repo)
                            if !named.isEmpty && !named.contains(where: { c.contains($0.fmri) }) {
                                if let best = preferred(named.map { ($0, 0) }).first { c.insert(best.fmri) }
                                continue required
                            }
                        }
                    }
                }
                break
            }
            // 3
            for m in members() {
                for g in m.groups where g.grouping == .requireAny {
                    if givenUp.contains([m.fmri, g.name]) { continue }
                    let hasPath = g.entities.contains { if case .path = $0.fmri { true } else { false } }
                    if hasPath || g.entities.contains(where: { inC($0.fmri) }) { continue }
                    var candidates: [(Instance, Int)] = []
                    for (pos, e) in g.entities.enumerated() { candidates += instancesNamed(e.fmri, repo).map { ($0, pos) } }
                    let ranked = preferred(candidates)
                    guard let best = ranked.first else {
                        givenUp.insert([m.fmri, g.name])
                        for e in g.entities { unresolved.insert([m.fmri, g.name, e.fmri.description]) }
                        continue
                    }
                    choices.append([m.fmri, g.name, best.fmri] + ranked.dropFirst().map(\.fmri))
                    c.insert(best.fmri)
                    continue outer
                }
            }
            break
        }
        var conflicts = Set<[String]>()
        for m in members() {
            for g in m.groups {
                for e in g.entities {
                    if g.grouping == .requireAny, case .path(let p) = e.fmri { files.insert([m.fmri, p]) }
                    if g.grouping == .excludeAll {
                        for t in instancesNamed(e.fmri, repo) where c.contains(t.fmri) {
                            conflicts.insert([m.fmri, g.name, t.fmri])
                        }
                    }
                }
            }
        }
        return Result(members: c.sorted(), choices: choices, unresolved: unresolved, files: files, conflicts: conflicts)
    }
}

@Suite("Graph: properties on random repositories")
struct GraphPropertyTests {
    static let seeds: [UInt64] = Array(1...240)

    static func request(_ repo: Repository, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed &* 7919)
        let all = repo.instances.map(\.fmri)
        guard !all.isEmpty else { return [] }
        return (0..<rng.int(1..<4)).map { _ in rng.pick(all) }
    }

    @Test("the closure equals a naive fixpoint of section 5 written over the repository", arguments: seeds)
    func closureMatchesNaive(seed: UInt64) {
        let repo = RandomRepository.make(seed: seed)
        let want = Self.request(repo, seed: seed)
        let g = DependencyGraph(repo)
        let fast = g.closure(ofFMRIs: want)
        let naive = NaiveClosure.compute(repo, want: want)
        #expect(fast.members == naive.members)
        #expect(fast.choices.map { [$0.instance, $0.group, $0.chosen] + $0.alternatives } == naive.choices)
        #expect(Set(fast.unresolved.map { [$0.instance, $0.group, $0.entity] }) == naive.unresolved)
        #expect(Set(fast.files.map { [$0.instance, $0.path] }) == naive.files)
        #expect(Set(fast.conflicts.map { [$0.instance, $0.group, $0.excluded] }) == naive.conflicts)
    }

    @Test("every member has a why-chain from a requested instance through members", arguments: seeds)
    func everyMemberHasWhyChain(seed: UInt64) {
        let repo = RandomRepository.make(seed: seed)
        let g = DependencyGraph(repo)
        let c = g.closure(ofFMRIs: Self.request(repo, seed: seed))
        for m in c.memberIDs {
            let why = g.why(m, in: c)
            if c.requestedIDs.contains(m) {
                #expect(why.status == .requested)
                continue
            }
            #expect(why.status == .inClosure, "\(g.instanceFMRIs[m])")
            #expect(why.chain.last?.to == g.instanceFMRIs[m])
            #expect(why.chain.first.map { c.requested.contains($0.from) } == true)
            for (a, b) in zip(why.chain, why.chain.dropFirst()) { #expect(a.to == b.from) }
            #expect(why.chain.allSatisfy { c.members.contains($0.to) && $0.grouping.isHard })
        }
    }

    @Test("the closure satisfies every required group of every member", arguments: seeds)
    func closureSatisfiesRequiredGroups(seed: UInt64) {
        let repo = RandomRepository.make(seed: seed)
        let c = DependencyGraph(repo).closure(ofFMRIs: Self.request(repo, seed: seed))
        let members = Set(c.members)
        for fmri in c.members {
            guard let m = repo.instance(fmri: fmri) else { Issue.record("member \(fmri) not in repository"); continue }
            for g in m.groups {
                let named = g.entities.map { NaiveClosure.instancesNamed($0.fmri, repo) }
                switch g.grouping {
                case .requireAll:
                    for (e, insts) in zip(g.entities, named) where !insts.isEmpty {
                        #expect(insts.contains { members.contains($0.fmri) }, "\(fmri) \(g.name) \(e.fmri)")
                    }
                case .requireAny:
                    let namesSomething = g.entities.contains { if case .path = $0.fmri { true } else { false } }
                        || named.contains { !$0.isEmpty }
                    let satisfied = g.entities.contains { if case .path = $0.fmri { true } else { false } }
                        || named.contains { $0.contains { members.contains($0.fmri) } }
                    if namesSomething { #expect(satisfied, "\(fmri) \(g.name)") }
                case .optionalAll, .excludeAll:
                    continue
                }
            }
            if let r = m.restarter, repo.instance(fmri: r.fmri) != nil { #expect(members.contains(r.fmri)) }
        }
    }

    @Test("the tree shows every member exactly once unrepeated; cycles are strongly connected", arguments: seeds.prefix(60))
    func treeAndCycles(seed: UInt64) {
        let repo = RandomRepository.make(seed: seed)
        let g = DependencyGraph(repo)
        let c = g.closure(ofFMRIs: Self.request(repo, seed: seed))
        let expanded = g.tree(of: c).filter { $0.kind == .instance && !$0.repeated }.map(\.name)
        #expect(expanded.sorted() == c.members)
        for cycle in g.cycles() {
            // every member reaches every other through the cycle's own edges
            var adj: [String: [String]] = [:]
            for e in cycle.edges { adj[e.from, default: []].append(e.to) }
            for start in cycle.members {
                var seen: Set<String> = [], stack = adj[start] ?? []
                while let x = stack.popLast() { if seen.insert(x).inserted { stack += adj[x] ?? [] } }
                #expect(seen == Set(cycle.members))
            }
        }
    }
}

@Suite("Graph: the random repositories are not vacuous")
struct GraphPropertyCoverageTests {
    @Test("across the seeds, closures have choices, service resolutions, files, unresolved entities, conflicts and cycles")
    func coverage() {
        var choices = 0, resolutions = 0, files = 0, unresolved = 0, conflicts = 0, cycles = 0, big = 0
        for seed in GraphPropertyTests.seeds {
            let repo = RandomRepository.make(seed: seed)
            let g = DependencyGraph(repo)
            let c = g.closure(ofFMRIs: GraphPropertyTests.request(repo, seed: seed))
            if !c.choices.isEmpty { choices += 1 }
            if !c.resolutions.isEmpty { resolutions += 1 }
            if !c.files.isEmpty { files += 1 }
            if !c.unresolved.isEmpty { unresolved += 1 }
            if !c.conflicts.isEmpty { conflicts += 1 }
            if !g.cycles().isEmpty { cycles += 1 }
            if c.members.count >= 5 { big += 1 }
        }
        #expect(choices >= 20, "choices in \(choices) seeds")
        #expect(resolutions >= 20, "resolutions in \(resolutions) seeds")
        #expect(files >= 20, "files in \(files) seeds")
        #expect(unresolved >= 20, "unresolved in \(unresolved) seeds")
        #expect(conflicts >= 5, "conflicts in \(conflicts) seeds")
        #expect(cycles >= 20, "cycles in \(cycles) seeds")
        #expect(big >= 20, "closures of 5+ members in \(big) seeds")
    }
}

@Suite("Graph: deep graphs")
struct GraphDeepTests {
    /// s0 -> s1 -> ... -> s(n-1) -> s0, each a require_all on the next service.
    static func ring(_ n: Int) -> Repository {
        var builder = RepositoryBuilder()
        for k in 0..<n {
            let here = SMFKit.SourceLocation(file: "ring.xml", line: k + 1)
            let dep = DependencyDecl(name: "next", grouping: .requireAll, restartOn: .none, type: "service",
                                     entities: [EntityRef(value: "svc:/ring/s\((k + 1) % n)", location: here)], location: here)
            let decl = ServiceDecl(name: "ring/s\(k)", type: "service", version: "1", location: here,
                                   createDefaultInstance: CreateDefaultInstance(enabled: true, location: here),
                                   entity: EntityDecl(dependencies: [dep]))
            builder.addSource(ReadResult(path: "ring.xml", bundle: ServiceBundle(type: .manifest, name: "ring", location: here,
                                                                                  services: [decl]), diagnostics: []))
        }
        return builder.build()
    }

    @Test("a 12,000-instance dependency ring: closure, why, tree, dependents and cycles run without recursion")
    func deepRing() throws {
        let n = 12_000
        let g = DependencyGraph(Self.ring(n))
        let c = g.closure(ofFMRIs: ["svc:/ring/s0:default"])
        #expect(c.members.count == n)
        let last = try #require(g.instanceID("svc:/ring/s\(n - 1):default"))
        #expect(g.why(last, in: c).chain.count == n - 1)
        let tree = g.tree(of: c)
        #expect(tree.count == n + 1)
        #expect(tree.last?.repeated == true)
        #expect(tree.map(\.depth).max() == n)
        // The JSON holds every node, the deepest last, marked repeated.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(TreeReport(tree).json.render().utf8)) as? [String: Any])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        #expect(nodes.count == n + 1)
        #expect(nodes.last?["depth"] as? Int == n)
        #expect(nodes.last?["repeated"] as? Bool == true)
        #expect(nodes.first?["name"] as? String == "svc:/ring/s0:default")
        #expect(g.dependents(of: last).count == n - 1)
        let cycles = g.cycles()
        #expect(cycles.count == 1)
        #expect(cycles.first?.members.count == n)
        #expect(cycles.first?.edges.count == n)
    }
}
