import Testing
@testable import SMFKit

/// One small hand-written fixture per rule of docs/SEMANTICS.md, "Composition"; docs/CLOSURE.md; docs/SEMANTICS.md, "Cycles".
@Suite("Graph: one fixture per closure rule")
struct GraphRuleTests {
    @Test("an instance group overrides the service group of the same name")
    func instanceGroupOverridesServiceGroup() {
        let g = graph(
            svc("app", defaultInstance(false) + dep("net", "require_all", ["svc:/b"])
                + inst("special", false, dep("net", "require_all", ["svc:/c"]))),
            svc("b", defaultInstance(false)),
            svc("c", defaultInstance(false)))
        let special = g.closure(ofFMRIs: ["svc:/app:special"])
        #expect(special.members == ["svc:/app:special", "svc:/c:default"])
        let plain = g.closure(ofFMRIs: ["svc:/app:default"])
        #expect(plain.members == ["svc:/app:default", "svc:/b:default"])
    }

    @Test("a require_all dependent makes its declarer a requirement of the target")
    func requireAllDependent() throws {
        let g = graph(
            svc("fs/local", defaultInstance(true)),
            svc("npiv", defaultInstance(false) + dependent("npiv-fs", "require_all", "svc:/fs/local")),
            svc("opt", defaultInstance(false) + dependent("opt-fs", "optional_all", "svc:/fs/local")))
        let c = g.closure(ofFMRIs: ["svc:/fs/local:default"])
        #expect(c.members == ["svc:/fs/local:default", "svc:/npiv:default"])
        #expect(c.resolutions == [ServiceResolution(instance: "svc:/fs/local:default", group: "npiv-fs",
                                                    service: "svc:/npiv", chosen: "svc:/npiv:default", alternatives: [])])
        let why = g.why(try #require(g.instanceID("svc:/npiv:default")), in: c)
        #expect(why.status == .inClosure)
        #expect(why.chain.map(\.origin) == [.dependent(declarer: "svc:/npiv")])
        #expect(why.chain.first?.location.line == 8)  // the <dependent> element
    }

    @Test("a service-level entity with several instances resolves by preference: enabled, then default, then FMRI order")
    func serviceEntityByPreference() {
        func closureWith(_ instances: String) -> Closure {
            graph(svc("app", defaultInstance(false) + dep("m", "require_all", ["svc:/m"])),
                  svc("m", instances)).closure(ofFMRIs: ["svc:/app:default"])
        }
        // an enabled instance wins over `default`
        let enabled = closureWith(inst("alpha", false) + inst("default", false) + inst("beta", true))
        #expect(enabled.members == ["svc:/app:default", "svc:/m:beta"])
        #expect(enabled.resolutions.first?.alternatives == ["svc:/m:default", "svc:/m:alpha"])
        // none enabled: `default`
        let byDefault = closureWith(inst("alpha", false) + inst("default", false) + inst("beta", false))
        #expect(byDefault.members == ["svc:/app:default", "svc:/m:default"])
        #expect(byDefault.resolutions.first?.alternatives == ["svc:/m:alpha", "svc:/m:beta"])
        // none enabled, no default: FMRI order
        let byOrder = closureWith(inst("zeta", false) + inst("beta", false))
        #expect(byOrder.members == ["svc:/app:default", "svc:/m:beta"])
        // two enabled: `default` among them, then FMRI order
        let twoEnabled = closureWith(inst("beta", true) + inst("alpha", true))
        #expect(twoEnabled.members == ["svc:/app:default", "svc:/m:alpha"])
        // the choice is not a require_any choice
        #expect(twoEnabled.choices.isEmpty)
    }

    @Test("a require_any choice prefers a baseline-enabled candidate, then the entity listed first")
    func requireAnyChoice() {
        // an enabled instance of the second entity beats a disabled one of the first
        let g1 = graph(
            svc("app", defaultInstance(false) + dep("net", "require_any", ["svc:/p:x", "svc:/q"])),
            svc("p", inst("x", false)),
            svc("q", defaultInstance(true)))
        let c1 = g1.closure(ofFMRIs: ["svc:/app:default"])
        #expect(c1.members == ["svc:/app:default", "svc:/q:default"])
        #expect(c1.choices == [Choice(instance: "svc:/app:default", group: "net", chosen: "svc:/q:default",
                                      alternatives: ["svc:/p:x"])])
        // all disabled: manifest order, then default, then FMRI order
        let g2 = graph(
            svc("app", defaultInstance(false) + dep("net", "require_any", ["svc:/q", "svc:/p"])),
            svc("p", defaultInstance(false)),
            svc("q", inst("b", false) + inst("a", false) + defaultInstance(false)))
        let c2 = g2.closure(ofFMRIs: ["svc:/app:default"])
        #expect(c2.choices == [Choice(instance: "svc:/app:default", group: "net", chosen: "svc:/q:default",
                                      alternatives: ["svc:/q:a", "svc:/q:b", "svc:/p:default"])])
        // a group already satisfied by a member makes no choice
        let c3 = g2.closure(ofFMRIs: ["svc:/app:default", "svc:/p:default"])
        #expect(c3.choices.isEmpty)
        #expect(c3.members == ["svc:/app:default", "svc:/p:default"])
    }

    @Test("the restarter of an inetd service is a required edge; svc.startd's own is none")
    func restarterEdge() throws {
        let g = graph(
            svc("network/inetd", defaultInstance(true) + dep("fs", "require_all", ["svc:/fs"]), type: "restarter"),
            svc("fs", defaultInstance(true)),
            svc("network/telnet", defaultInstance(false) + restarter("svc:/network/inetd:default")),
            svc("system/svc/restarter", defaultInstance(true), type: "restarter"),
            svc("plain", defaultInstance(false) + restarter("svc:/system/svc/restarter:default")))
        let c = g.closure(ofFMRIs: ["svc:/network/telnet:default"])
        #expect(c.members == ["svc:/fs:default", "svc:/network/inetd:default", "svc:/network/telnet:default"])
        let why = g.why(try #require(g.instanceID("svc:/network/inetd:default")), in: c)
        #expect(why.chain.count == 1)
        #expect(why.chain.first?.group == "restarter")
        #expect(why.chain.first?.origin == .restarter)
        #expect(g.closure(ofFMRIs: ["svc:/plain:default"]).members == ["svc:/plain:default"])
        // disabling inetd stops the enabled delegated services
        let inetd = try #require(g.instanceID("svc:/network/inetd:default"))
        #expect(g.dependents(of: inetd).isEmpty)  // telnet is not enabled in the baseline
    }

    @Test("exclude_all entities inside the closure are conflicts, and are never followed")
    func excludeAllConflict() {
        let g = graph(
            svc("app", defaultInstance(false) + dep("both", "require_all", ["svc:/b", "svc:/c:default"])),
            svc("b", defaultInstance(false) + dep("no-c", "exclude_all", ["svc:/c"])),
            svc("c", defaultInstance(false)),
            svc("d", defaultInstance(false) + dep("no-x", "exclude_all", ["svc:/x:default"])),
            svc("x", defaultInstance(false)))
        let c = g.closure(ofFMRIs: ["svc:/app:default"])
        #expect(c.members == ["svc:/app:default", "svc:/b:default", "svc:/c:default"])
        #expect(c.conflicts.map { [$0.instance, $0.group, $0.excluded] } == [["svc:/b:default", "no-c", "svc:/c:default"]])
        let d = g.closure(ofFMRIs: ["svc:/d:default"])
        #expect(d.members == ["svc:/d:default"])
        #expect(d.conflicts.isEmpty)
    }

    @Test("path entities are required files, never members; a path satisfies a require_any group")
    func pathEntities() {
        let g = graph(
            svc("app", defaultInstance(false)
                + dep("conf", "require_all", ["file://localhost/etc/app.conf", "file:///etc/other.conf"], type: "path")
                + dep("any", "require_any", ["svc:/b", "file://localhost/etc/flag"])),
            svc("b", defaultInstance(true)))
        let c = g.closure(ofFMRIs: ["svc:/app:default"])
        #expect(c.members == ["svc:/app:default"])
        #expect(c.choices.isEmpty)
        #expect(c.files.map { [$0.instance, $0.path] } == [
            ["svc:/app:default", "/etc/app.conf"], ["svc:/app:default", "/etc/flag"], ["svc:/app:default", "/etc/other.conf"],
        ])
    }

    @Test("delete='true' drops a dependency")
    func deleteTrue() {
        let g = graph(
            svc("app", defaultInstance(false) + dep("gone", "require_all", ["svc:/b"], delete: true)
                + dep("kept", "require_all", ["svc:/c"])),
            svc("b", defaultInstance(false)),
            svc("c", defaultInstance(false)))
        #expect(g.closure(ofFMRIs: ["svc:/app:default"]).members == ["svc:/app:default", "svc:/c:default"])
    }

    @Test("entities that name nothing are unresolved, never a crash")
    func unresolvedEntities() {
        let g = graph(
            svc("app", defaultInstance(false)
                + dep("a", "require_all", ["svc:/absent", "svc:/empty", "svc:/b:missing", "svc:/b"])
                + dep("nothing", "require_any", ["svc:/absent2", "svc:/empty"])
                + dep("some", "require_any", ["svc:/absent3", "svc:/b"])
                + restarter("svc:/no/restarter:default")),
            svc("empty", ""),
            svc("b", defaultInstance(false)))
        let c = g.closure(ofFMRIs: ["svc:/app:default"])
        #expect(c.members == ["svc:/app:default", "svc:/b:default"])
        #expect(c.unresolved.map { [$0.group, $0.entity] } == [
            ["a", "svc:/absent"], ["a", "svc:/b:missing"], ["a", "svc:/empty"],
            ["nothing", "svc:/absent2"], ["nothing", "svc:/empty"],
            ["restarter", "svc:/no/restarter:default"],
        ])
        #expect(!c.isClean)
    }

    @Test("2b takes the first service entity by (instance FMRI, group name, entity order), then forced additions run again")
    func requiredPassOrder() {
        // app needs svc:/m (two instances, none enabled) and svc:/n; n:default needs m:z.
        // 2a adds nothing; 2b resolves app's group 'a-m' first -> m:default; then 'b-n' -> n:default,
        // whose forced edge adds m:z. Had 'b-n' come first, m would be satisfied by m:z and m:default left out.
        let g = graph(
            svc("app", defaultInstance(false) + dep("a-m", "require_all", ["svc:/m"]) + dep("b-n", "require_all", ["svc:/n"])),
            svc("m", defaultInstance(false) + inst("z", false)),
            svc("n", defaultInstance(false) + dep("mz", "require_all", ["svc:/m:z"])))
        let c = g.closure(ofFMRIs: ["svc:/app:default"])
        #expect(c.members == ["svc:/app:default", "svc:/m:default", "svc:/m:z", "svc:/n:default"])
        #expect(c.resolutions.map(\.group) == ["a-m", "b-n"])
    }

    @Test("a cycle is a strongly connected component or a self-loop; exclude_all edges are not followed")
    func cycles() {
        let g = graph(
            svc("a", defaultInstance(true) + dep("to-b", "require_all", ["svc:/b"])),
            svc("b", defaultInstance(true) + dependent("b-dep", "optional_all", "svc:/c")
                + dep("to-a", "require_any", ["svc:/a:default"])),
            svc("c", defaultInstance(true) + dep("self", "optional_all", ["svc:/c"])),
            svc("d", defaultInstance(true) + dep("x", "exclude_all", ["svc:/e"])),
            svc("e", defaultInstance(true) + dep("y", "require_all", ["svc:/d"])))
        let cycles = g.cycles()
        #expect(cycles.map(\.members) == [["svc:/a:default", "svc:/b:default"], ["svc:/c:default"]])
        #expect(cycles[0].edges.map(\.group) == ["to-b", "to-a"])
        #expect(cycles[1].edges.map(\.group) == ["self"])
        #expect(cycles[0].diagnostic.code == .cycle)
        #expect(CyclesReport(cycles).json.render().contains("\"cycles\": [\n    [\n      \"svc:/a:default\""))
    }

    @Test("a dependency cycle closes: every member once, and the tree marks the repeat")
    func treeOfCycle() {
        let g = graph(
            svc("a", defaultInstance(false) + dep("to-b", "require_all", ["svc:/b"])),
            svc("b", defaultInstance(false) + dep("to-a", "require_all", ["svc:/a"]) + dep("f", "require_all", ["file:///etc/f"], type: "path")))
        let c = g.closure(ofFMRIs: ["svc:/a:default"])
        #expect(c.members == ["svc:/a:default", "svc:/b:default"])
        let nodes = g.tree(of: c)
        // children in group-name order: 'f' before 'to-a'
        #expect(nodes.map(\.name) == ["svc:/a:default", "svc:/b:default", "/etc/f", "svc:/a:default"])
        #expect(nodes.map(\.repeated) == [false, false, false, true])
        #expect(nodes.map(\.depth) == [0, 1, 2, 2])
        #expect(TreeReport(nodes).text == """
            svc:/a:default
            └── [require_all 'to-b'] svc:/b:default
                ├── [require_all 'f'] file /etc/f
                └── [require_all 'to-a'] svc:/a:default  (see above)

            """)
    }

    @Test("dependents: require_all and restarter edges break; a require_any group breaks only without another enabled candidate")
    func dependentsRule() throws {
        let g = graph(
            svc("t", defaultInstance(true)),
            svc("alt", defaultInstance(true)),
            svc("hard", defaultInstance(true) + dep("t", "require_all", ["svc:/t"])),
            svc("soft", defaultInstance(true) + dep("t-or-alt", "require_any", ["svc:/t", "svc:/alt"])),
            svc("only", defaultInstance(true) + dep("t-only", "require_any", ["svc:/t", "svc:/absent"])),
            svc("opt", defaultInstance(true) + dep("t", "optional_all", ["svc:/t"])),
            svc("off", defaultInstance(false) + dep("t", "require_all", ["svc:/t"])),
            svc("deep", defaultInstance(true) + restarter("svc:/hard:default")))
        let t = try #require(g.instanceID("svc:/t:default"))
        let deps = g.dependents(of: t)
        #expect(deps.map(\.instance) == ["svc:/deep:default", "svc:/hard:default", "svc:/only:default"])
        #expect(deps.map(\.depth) == [2, 1, 1])
        #expect(deps[0].edge.origin == .restarter)
    }

    @Test("why names the optional edge that would have reached a non-member")
    func whyOutside() throws {
        let g = graph(
            svc("app", defaultInstance(false) + dep("opt", "optional_all", ["svc:/extra"])),
            svc("extra", defaultInstance(true)),
            svc("far", defaultInstance(true)))
        let c = g.closure(ofFMRIs: ["svc:/app:default"])
        let extra = g.why(try #require(g.instanceID("svc:/extra:default")), in: c)
        #expect(extra.status == .reachable)
        #expect(extra.leavesClosureAt == 0)
        #expect(extra.chain.map(\.grouping) == [.optionalAll])
        #expect(extra.directEdges.count == 1)
        #expect(g.why(try #require(g.instanceID("svc:/far:default")), in: c).status == .unreachable)
        #expect(g.why(try #require(g.instanceID("svc:/app:default")), in: c).status == .requested)
    }
}
