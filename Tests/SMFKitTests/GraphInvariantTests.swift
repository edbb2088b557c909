import Testing
@testable import SMFKit

/// `DependencyGraph.checkInvariants()` over every graph the tests can build,
/// and proof that it finds a corrupted one.
@Suite("Graph: invariants of the flat arrays")
struct GraphInvariantTests {
    @Test("the bundled sample's graph has no violation, and its reverse edges count its forward ones")
    func sample() {
        let g = DependencyGraph(Loader.load(InputSpec(paths: [TestPaths.packageRoot + "/manifests"])))
        #expect(g.instanceCount > 50)
        #expect(g.checkInvariants() == [])
        let forward = g.entityKind.filter { $0 == .instance || $0 == .service }.count
        #expect(g.instanceNamedBy.count + g.serviceNamedBy.count == forward)
    }

    @Test("the illumos and OpenIndiana graphs have no violation", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func corpora() {
        for paths in [[TestPaths.illumosUsr], [TestPaths.illumosUsr, TestPaths.oi]] {
            let g = DependencyGraph(Loader.load(InputSpec(paths: paths)))
            #expect(g.instanceCount > 100)
            #expect(g.checkInvariants() == [], "\(paths)")
        }
    }

    @Test("random repositories (the property tests' generator) and a deep ring have no violation", arguments: 0..<40)
    func random(seed: UInt64) {
        let g = DependencyGraph(RandomRepository.make(seed: seed))
        #expect(g.checkInvariants() == [], "seed \(seed)")
        // Every entity's group holds it (the O(1) lookup inverts the starts).
        for e in 0..<g.edgeCount { #expect(g.entityRange(ofGroup: g.group(ofEntity: e)).contains(e)) }
    }

    @Test("a group's name, origin and location and an entity's location are the repository's: the sample, random repositories, the corpora",
          arguments: [-1, -2] + (0..<12).map { $0 })
    func readFromTheRepository(seed: Int) throws {
        let repo: Repository
        switch seed {
        case -1: repo = Loader.load(InputSpec(paths: [TestPaths.packageRoot + "/manifests"]))
        case -2:
            guard TestPaths.corporaPresent else { return }
            repo = Loader.load(InputSpec(paths: [TestPaths.illumosUsr, TestPaths.oi]))
        default: repo = RandomRepository.make(seed: UInt64(seed))
        }
        let g = DependencyGraph(repo)
        var restarters = 0
        for (i, inst) in repo.instances.enumerated() {
            let range = g.groupRange(ofInstance: i)
            #expect(range.count == inst.groups.count + (inst.restarter == nil ? 0 : 1))
            for (k, grp) in zip(range, inst.groups) {
                #expect(g.groupName(k) == grp.name)
                #expect(g.groupOrigin(k) == grp.origin.edgeOrigin)
                #expect(g.groupLocation(k) == grp.location)
                #expect(!g.groupIsRestarter(k))
                let places = grp.entities.map(\.location) + grp.invalidEntities.map(\.location)
                #expect(g.entityRange(ofGroup: k).map { g.entityLocation($0) } == places)
                // The text as the graph kept it before it was read from the
                // target: the instance's FMRI when it resolves to one, the
                // entity's canonical text otherwise, an invalid value as written.
                let texts = grp.entities.map(\.fmri.description) + grp.invalidEntities.map(\.value)
                for (e, text) in zip(g.entityRange(ofGroup: k), texts) {
                    let expected = g.entityKind[e] == .instance ? g.instanceFMRIs[Int(g.entityTarget[e])] : text
                    #expect(Array(g.entityText(e).utf8) == Array(expected.utf8))
                }
            }
            if let r = inst.restarter, let last = range.last {
                restarters += 1
                #expect(g.groupName(last) == "restarter")
                #expect(g.groupOrigin(last) == .restarter)
                #expect(g.groupIsRestarter(last))
                #expect(g.groupLocation(last) == r.location)
                #expect(g.entityRange(ofGroup: last).map { g.entityLocation($0) } == [r.location])
            }
        }
        if seed == -1 { #expect(restarters > 0) }
    }

    @Test("an entity written in another Unicode normal form than the name it resolves to keeps its own text")
    func textsInAnotherNormalForm() throws {
        let composed = "site/caf\u{E9}", decomposed = "site/cafe\u{301}"
        let repo = repository([("m.xml", manifest([
            svc(composed, defaultInstance(true)),
            svc("site/user", defaultInstance(true)
                + dep("svc", "require_all", ["svc:/\(decomposed)"])
                + dep("inst", "require_all", ["svc:/\(decomposed):default"])
                + dep("file1", "require_all", ["file://localhost/etc/caf\u{E9}"], type: "path")
                + dep("file2", "require_all", ["file://localhost/etc/cafe\u{301}"], type: "path")
                + dep("gone1", "optional_all", ["svc:/site/gon\u{E9}:default"])
                + dep("gone2", "optional_all", ["svc:/site/gone\u{301}:default"])),
        ].joined(separator: "\n")))])
        let g = DependencyGraph(repo)
        #expect(g.checkInvariants() == [])
        let user = try #require(g.instanceID("svc:/site/user:default"))
        var texts: [String: [UInt8]] = [:]
        for grp in g.groupRange(ofInstance: user) {
            for e in g.entityRange(ofGroup: grp) { texts[g.groupName(grp)] = Array(g.entityText(e).utf8) }
        }
        #expect(texts["svc"] == Array("svc:/\(decomposed)".utf8))
        // Resolved to the instance or not, the entity reads its target's text only where the target is an instance.
        let inst = try #require(g.groupRange(ofInstance: user).first { g.groupName($0) == "inst" })
        let e = g.entityRange(ofGroup: inst).lowerBound
        #expect(texts["inst"] == Array((g.entityKind[e] == .instance ? g.instanceFMRIs[Int(g.entityTarget[e])] : "svc:/\(decomposed):default").utf8), "\(g.entityKind[e])")
        #expect(texts["file1"] == Array("file://localhost/etc/caf\u{E9}".utf8))
        #expect(texts["file2"] == Array("file://localhost/etc/cafe\u{301}".utf8))
        #expect(texts["gone1"] == Array("svc:/site/gon\u{E9}:default".utf8))
        #expect(texts["gone2"] == Array("svc:/site/gone\u{301}:default".utf8))
        #expect(!g.entityTextExceptions.isEmpty)
    }

    @Test("a ring of 2,000 instances has no violation")
    func ring() {
        #expect(DependencyGraph(GraphDeepTests.ring(2_000)).checkInvariants() == [])
    }

    /// A random graph with edges of both kinds, to corrupt.
    static func victim() -> DependencyGraph {
        var seed: UInt64 = 0
        while true {
            let g = DependencyGraph(RandomRepository.make(seed: seed))
            if g.instanceNamedBy.count > 2 && g.serviceNamedBy.count > 0 && g.serviceCount > 1 { return g }
            seed += 1
        }
    }

    @Test("a corrupted graph is found out: each corruption gives its violation, not a crash")
    func corrupted() throws {
        let good = Self.victim()
        #expect(good.checkInvariants() == [])

        var g = good
        let e = g.entityKind.firstIndex(of: .instance) ?? 0
        g.entityTarget[e] = Int32(g.instanceCount + 5)
        #expect(g.checkInvariants().contains { $0.hasPrefix("entity \(e) (instance): target \(g.instanceCount + 5) out of range") })

        g = good
        g.instanceNamedBy.swapAt(0, g.instanceNamedBy.count - 1)
        #expect(g.checkInvariants().contains { $0.hasPrefix("instanceNamedBy:") })

        g = good
        g.serviceNamedBy.removeLast()
        #expect(!g.checkInvariants().filter { $0.hasPrefix("serviceNamedBy:") }.isEmpty)

        g = good
        g.instanceFMRIs.swapAt(0, 1)
        #expect(g.checkInvariants().contains { $0.hasPrefix("instanceFMRIs:") })

        g = good
        g.groupOwner[0] = Int32(g.groupOwner[0] == 0 ? 1 : 0)
        #expect(g.checkInvariants().contains { $0.contains("owned by") })

        g = good
        // One entity moved from a group to the next: neither has its repository group's count.
        let moved = try #require((1..<g.groupCount).first { g.entityRange(ofGroup: $0 - 1).count > 1 })
        g.groupEntityStart[moved] -= 1
        #expect(g.checkInvariants().contains { $0.hasPrefix("group \(moved - 1): ") && $0.hasSuffix("where its repository group has \(g.entityRange(ofGroup: moved - 1).count + 1)") })

        g = good
        g.entityGroup[g.edgeCount - 1] = 0
        #expect(g.checkInvariants().contains { $0.hasPrefix("entityGroup[") })

        g = good
        let s = (0..<g.serviceCount).first { !g.instanceRange(ofService: $0).isEmpty } ?? 0
        g.servicePreferred[s] = -1
        #expect(g.checkInvariants() == ["servicePreferred[\(s)] = -1 is not one of its instances"])
    }
}

/// Plan.blocked is the graph's dependents walk over the enabled members.
@Suite("Plan: one 'what goes down' walk")
struct BlockedWalkTests {
    /// system/hal disables itself in a zone. site/any has a require_any
    /// group whose only entity is hal; site/either also names site/up;
    /// site/above require_all on site/any; site/pathtype a `type='path'`
    /// group naming hal; site/opt an optional_all on hal.
    static let repo = repository([("m.xml", manifest([
        svc("system/hal", defaultInstance(true)),
        svc("site/up", defaultInstance(true)),
        svc("site/any", defaultInstance(true) + dep("hal", "require_any", ["svc:/system/hal"])),
        svc("site/either", defaultInstance(true) + dep("hal", "require_any", ["svc:/system/hal", "svc:/site/up:default"])),
        svc("site/above", defaultInstance(true) + dep("any", "require_all", ["svc:/site/any:default"])),
        svc("site/pathtype", defaultInstance(true) + dep("hal", "require_all", ["svc:/system/hal:default"], type: "path")),
        svc("site/opt", defaultInstance(true) + dep("hal", "optional_all", ["svc:/system/hal:default"])),
    ].joined(separator: "\n")))])

    @Test("require_any with nothing left, what requires that, and a type='path' group go offline; optional_all and a require_any with another live entity do not")
    func rules() throws {
        let g = DependencyGraph(Self.repo)
        let members = (0..<g.instanceCount).map { $0 }
        let roles = ZoneRoles.roles(members, ipType: .shared, graph: g, repo: Self.repo)
        let blocked = Plan.blocked(members, roles: roles, graph: g)
        #expect(blocked.map(\.fmri) == ["svc:/system/hal:default"])
        #expect(blocked.first?.role == .disablesInZone)
        #expect(blocked.first?.keepsOffline == ["svc:/site/above:default", "svc:/site/any:default", "svc:/site/pathtype:default"])
        // The same walk as `dependents` over the baseline (everything is enabled here).
        let hal = try #require(g.instanceID("svc:/system/hal:default"))
        #expect(g.dependents(of: hal).map(\.instance) == blocked.first?.keepsOffline)
    }

    @Test("only the enabled members run: without site/up, site/either goes offline too; a non-member is never reported")
    func membersOnly() throws {
        let g = DependencyGraph(Self.repo)
        let members = ["svc:/system/hal:default", "svc:/site/any:default", "svc:/site/either:default"].compactMap(g.instanceID).sorted()
        let roles = ZoneRoles.roles(members, ipType: .shared, graph: g, repo: Self.repo)
        let blocked = Plan.blocked(members, roles: roles, graph: g)
        #expect(blocked.first?.keepsOffline == ["svc:/site/any:default", "svc:/site/either:default"])
    }
}
