import Testing
@testable import SMFKit

/// The merge composes services and looks for unresolved entities in chunks
/// on every core (RepositoryBuilder.compose, reportUnresolved), and the
/// graph indexes instances in chunks: enough services here for several
/// chunks, with dependents and unresolved places that cross chunk borders.
@Suite("Merge and graph in chunks (issue 18)")
struct ParallelMergeTests {
    static let n = 3000

    /// Service `site/sI` (file fI.xml) needs `site/sI+1` (the last one an
    /// absent service); every fifth has an optional entity naming an absent
    /// service, written at one shared place for services 10 and 2500; every
    /// seventh declares a dependent on instance `site/s(13I mod n):default`.
    static func bundles() -> [ReadResult] {
        (0..<n).map { i in
            let file = "f\(i).xml"
            let next = i + 1 < n ? "svc:/site/s\(i + 1)" : "svc:/site/absent"
            var deps = [DependencyDecl(name: "next", grouping: .requireAll, restartOn: .none, type: "service",
                                       entities: [EntityRef(value: next, location: SourceLocation(file: file, line: 3))],
                                       location: SourceLocation(file: file, line: 3))]
            if i % 5 == 0 {
                let place = i == 10 || i == 2500 ? SourceLocation(file: "shared.xml", line: 1) : SourceLocation(file: file, line: 4)
                deps.append(DependencyDecl(name: "maybe", grouping: .optionalAll, restartOn: .none, type: "service",
                                           entities: [EntityRef(value: "svc:/site/missing\(i)", location: place)],
                                           location: SourceLocation(file: file, line: 4)))
            }
            var dependents: [DependentDecl] = []
            if i % 7 == 0 {
                dependents.append(DependentDecl(name: "dep\(i)", grouping: .requireAll, restartOn: .none,
                    target: EntityRef(value: "svc:/site/s\((i * 13) % n):default", location: SourceLocation(file: file, line: 5)),
                    location: SourceLocation(file: file, line: 5)))
            }
            let svc = ServiceDecl(name: "site/s\(i)", type: "service", version: "1", location: SourceLocation(file: file, line: 2),
                                  createDefaultInstance: CreateDefaultInstance(enabled: true, location: SourceLocation(file: file, line: 2)),
                                  entity: EntityDecl(dependencies: deps, dependents: dependents))
            let bundle = ServiceBundle(type: .manifest, name: "b\(i)", location: SourceLocation(file: file, line: 1), services: [svc])
            return ReadResult(path: file, bundle: bundle, diagnostics: [])
        }
    }

    static func build() -> Repository {
        var builder = RepositoryBuilder()
        for r in bundles() { builder.addSource(r) }
        return builder.build()
    }

    @Test("every instance is composed: its own groups, and the dependents that target it, sorted by name")
    func composed() throws {
        let repo = Self.build()
        #expect(repo.services.count == Self.n)
        #expect(repo.counts.instances == Self.n)
        var received = [Int: [Int]]()
        for i in stride(from: 0, to: Self.n, by: 7) { received[(i * 13) % Self.n, default: []].append(i) }
        for t in [0, 1, 10, 511, 512, 1023, 1024, 1500, 2047, 2048, 2999] {
            let inst = try #require(repo.instance("site/s\(t)", "default"))
            var names = ["next"] + (t % 5 == 0 ? ["maybe"] : []) + (received[t] ?? []).map { "dep\($0)" }
            names.sort()
            #expect(inst.groups.map(\.name) == names, "s\(t)")
            for i in received[t] ?? [] {
                let g = try #require(inst.groups.first { $0.name == "dep\(i)" })
                #expect(g.entities.map(\.fmri) == [.service("site/s\(i)")])
                #expect(g.origin == .dependent(declarer: "svc:/site/s\(i)"))
            }
            let next = try #require(inst.groups.first { $0.name == "next" })
            #expect(next.entities.map(\.fmri.description) == [t + 1 < Self.n ? "svc:/site/s\(t + 1)" : "svc:/site/absent"])
        }
    }

    @Test("unresolved entities: one diagnostic per place, the first service in reading order keeps a shared place")
    func unresolvedOncePerPlace() throws {
        let repo = Self.build()
        let unresolved = repo.diagnostics.filter { $0.code == .unresolvedDependency }
        // The absent last `next`, and each fifth service's optional entity,
        // services 10 and 2500 sharing one place (reported once).
        #expect(unresolved.count == 1 + Self.n / 5 - 1)
        let shared = unresolved.filter { $0.location == SourceLocation(file: "shared.xml", line: 1) }
        #expect(shared.count == 1)
        #expect(shared.first?.message.contains("svc:/site/s10:default") == true)
        #expect(shared.first?.message.contains("svc:/site/missing10") == true)
        #expect(shared.first?.severity == .note)
        let absent = unresolved.filter { $0.severity == .warning }
        #expect(absent.map(\.location) == [SourceLocation(file: "f2999.xml", line: 3)])
        // The same input gives the same diagnostics, in the same order.
        #expect(Self.build().diagnostics == repo.diagnostics)
    }

    @Test("the graph built in chunks: each edge resolved, reverse edges ascending, invariants hold")
    func graph() throws {
        let graph = DependencyGraph(Self.build())
        #expect(graph.checkInvariants().isEmpty)
        #expect(graph.instanceCount == Self.n)
        #expect(graph.unresolvedNames.contains("svc:/site/absent"))
        #expect(graph.unresolvedNames.filter { $0.hasPrefix("svc:/site/missing") }.count == Self.n / 5)
        let s7 = try #require(graph.instanceID("svc:/site/s7:default"))
        let s8 = graph.serviceID("site/s8")
        // s7's `next` names service s8; s(91):default gets dep7 from s7.
        let nextGroup = try #require(graph.groupRange(ofInstance: s7).first { graph.groupName($0) == "next" })
        let e = graph.entityRange(ofGroup: nextGroup).lowerBound
        #expect(graph.entityKind[e] == .service)
        #expect(Int(graph.entityTarget[e]) == s8)
        let s91 = try #require(graph.instanceID("svc:/site/s91:default"))
        let dep = try #require(graph.groupRange(ofInstance: s91).first { graph.groupName($0) == "dep7" })
        #expect(graph.groupOrigin(dep) == .dependent(declarer: "svc:/site/s7"))
        #expect(graph.entities(namingService: try #require(s8)).contains { Int(graph.group(ofEntity: Int($0))) == nextGroup })
    }
}
