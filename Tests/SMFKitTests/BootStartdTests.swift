import Foundation
import Testing
@testable import SMFKit

@Suite("Boot prediction: optional_all skips instances that are not enabled, and values svc.startd cannot use")
struct BootStartdTests {
    static let on = defaultInstance(true)
    static let off = defaultInstance(false)

    @Test("optional_all: a disabled instance under a restarter that is not online is skipped; an enabled one holds the dependent")
    func optionalAllSkipsDisabledUnderDeadRestarter() {
        let (_, p) = predictBoot([
            svc("inetd", Self.off),
            svc("smserver", Self.off + restarter("svc:/inetd:default")),
            svc("telnet", Self.on + restarter("svc:/inetd:default")),
            svc("mus", Self.on + dep("d", "optional_all", ["svc:/smserver:default"])),
            svc("mus2", Self.on + dep("d", "optional_all", ["svc:/telnet:default"])),
        ])
        // Both stay uninitialized: inetd never takes them.
        #expect(p.of("smserver") == .uninitialized)
        #expect(p.of("telnet") == .uninitialized)
        // graph.c optional_all_satisfied: "Skip missing or disabled instances".
        #expect(p.of("mus") == .online)
        #expect(p.explanation("mus") == nil)
        // An enabled uninitialized instance is 0 (not yet), forever.
        #expect(p.of("mus2") == .offline)
        #expect(p.explanation("mus2")?.chain.map(\.to) == ["svc:/telnet:default", "svc:/inetd:default"])
    }

    @Test("optional_all on a service: one qualified instance online is enough; only disabled instances is satisfied")
    func optionalAllService() {
        let repo = repository([("m.xml", manifest([
            svc("inetd", Self.off),
            svc("multi", inst("up", true) + inst("stuck", true, restarter("svc:/inetd:default")) + inst("quiet", false)),
            svc("none", inst("x", false) + inst("y", false, restarter("svc:/inetd:default"))),
            svc("o1", Self.on + dep("d", "optional_all", ["svc:/multi"])),
            svc("o2", Self.on + dep("d", "optional_all", ["svc:/none"])),
        ].joined(separator: "\n")))])
        let g = DependencyGraph(repo)
        let p = g.predictBoot(BootConfiguration(), instanceFiles: BootPredictor.instanceFiles(repo, g))
        #expect(p.state(of: "svc:/multi:stuck") == .uninitialized)
        #expect(p.of("o1") == .online)
        #expect(p.of("o2") == .online)
    }

    @Test("milestone/multi-user-server on the illumos base with generic_limited_net: the profile's boot brings every member online",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func multiUserServerCorpus() throws {
        let profile = TestPaths.illumosUsr + "/src/cmd/svc/profile/generic_limited_net.xml"
        let loaded = Loader.loadInput(InputSpec(paths: [TestPaths.illumosUsr, TestPaths.illumos + "/generated"], profiles: [profile]))
        let g = DependencyGraph(loaded.repository)
        let w = try #require(g.instanceID("svc:/milestone/multi-user-server:default"))
        let c = g.closure(of: [w])
        let check = PlanProof(graph: g, repo: loaded.repository, enable: c.members, root: nil, ipType: .shared, legacy: .notKnown)
        #expect(check.ok, "\(check.failures.map(PlanProofReport.text))")
        let smserver = try #require(g.instanceID("svc:/network/rpc/smserver:default"))
        #expect(!c.contains(smserver))
        #expect(check.prediction?.states[smserver] == .uninitialized)
        #expect(check.prediction?.states[w] == .online)
        guard CLI.binary != nil else { return }
        let r = try CLI.run(["profile", TestPaths.illumosUsr, TestPaths.illumos + "/generated", "--profile", profile,
                             "--want", "milestone/multi-user-server"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("predicted boot: 21 online, 0 degraded, 0 offline, "))
    }

    @Test("a dependency naming a property group: svccfg imports it, svc.startd puts the instance in maintenance; its dependents wait")
    func propertyGroupValue() {
        let repo = repository([
            ("pg.xml", manifest(svc("a", Self.on + dep("d", "require_all", ["svc:/b:default/:properties/general"])))),
            ("b.xml", manifest(svc("b", Self.on) + "\n" + svc("user", Self.on + dep("d", "require_all", ["svc:/a:default"])))),
            ("off.xml", manifest(svc("q", Self.off + dep("d", "optional_all", ["svc:/b/:properties/general/enabled"])))),
        ])
        let g = DependencyGraph(repo)
        let p = g.predictBoot(BootConfiguration(), instanceFiles: BootPredictor.instanceFiles(repo, g))
        // The manifest imports: a is present, in maintenance.
        #expect(p.of("a") == .maintenance)
        let x = p.explanation("a")
        #expect(x?.cause.hasPrefix("maintenance: svc.startd cannot use the value 'svc:/b:default/:properties/general' at ") == true)
        #expect(x?.cause.contains("pg.xml:") == true)
        #expect(x?.cause.contains("names a property group") == true)
        #expect(p.of("user") == .offline)
        #expect(p.explanation("user")?.causeInstance == "svc:/a:default")
        #expect(p.of("q") == .disabled)
        #expect(p.of("b") == .online)
        #expect(!BootReport(p).text.contains("svccfg import refuses"))
    }

    @Test("a file: value in a service dependency, a service value in a path dependency, an unknown type, a service as restarter: maintenance")
    func typeMismatch() {
        let (_, p) = predictBoot([
            svc("f1", Self.on + dep("d", "require_all", ["file://localhost/etc/passwd"])),
            svc("f2", Self.on + dep("d", "require_all", ["svc:/base:default"], type: "path")),
            svc("f3", Self.on + dep("d", "optional_all", ["svc:/base:default"], type: "socket")),
            svc("f4", Self.on + restarter("svc:/base")),
            // The instance's own restarter, an instance, wins over its service's.
            svc("f5", restarter("svc:/base") + inst("default", true, restarter("svc:/base:default"))),
            svc("ok", Self.on + dep("d", "require_all", ["file://localhost/etc/passwd"], type: "path")),
            svc("base", Self.on),
        ])
        for f in ["f1", "f2", "f3", "f4"] { #expect(p.of(f) == .maintenance, "\(f)") }
        #expect(p.explanation("f1")?.cause.contains("is of type 'service' and this value is a file FMRI") == true)
        #expect(p.explanation("f2")?.cause.contains("is of type 'path' and this value is a service FMRI") == true)
        #expect(p.explanation("f3")?.cause.contains("the type 'socket', which svc.startd does not support") == true)
        #expect(p.explanation("f4")?.cause.contains("the restarter names a service, not an instance") == true)
        #expect(p.of("ok") == .online)
        #expect(p.of("f5") != .maintenance)
        #expect(p.explanation("f5")?.cause.contains("the restarter names a service") != true)
    }

    @Test("a value svccfg refuses still makes the whole manifest absent")
    func refusedStillAbsent() {
        let repo = repository([
            ("bad.xml", manifest(svc("zk", Self.on + dep("d", "require_all", ["svc:/@SMF_PREFIX@/x"]))
                                 + "\n" + svc("zk2", Self.on + dep("d", "require_all", ["svc:/b:default/:properties/general"])))),
        ])
        let g = DependencyGraph(repo)
        let p = g.predictBoot(BootConfiguration(), instanceFiles: BootPredictor.instanceFiles(repo, g))
        #expect(p.of("zk") == .absent)
        #expect(p.of("zk2") == .absent)
    }

    @Test("the illumos and OpenIndiana corpora hold no value svc.startd cannot use", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func corporaClean() {
        let loaded = Loader.loadInput(InputSpec(paths: [TestPaths.illumosUsr, TestPaths.illumos + "/generated", TestPaths.oi]))
        let g = DependencyGraph(loaded.repository)
        let facts = BootPredictor.instanceFiles(loaded.repository, g)
        let pg = g.instanceFMRIs.indices.filter { UnusableValue.propertyGroupEntity(g, instance: $0) != nil }
        #expect(facts.unusable.isEmpty, "\(facts.unusable.values.map(\.text))")
        #expect(pg.isEmpty)
    }
}
