import Foundation
import Testing
@testable import SMFKit

/// Predicts the boot of one inline manifest holding `services` (no role table unless `ip`).
func predictBoot(_ services: [String], ip: IPType? = nil, root: RootFS? = nil, enabled: [String]? = nil) -> (DependencyGraph, BootPrediction) {
    let repo = repository([("m.xml", manifest(services.joined(separator: "\n")))])
    let g = DependencyGraph(repo)
    let e = enabled.map { names in g.instanceFMRIs.map { names.contains($0) } }
    let p = g.predictBoot(BootConfiguration(enabled: e, root: root, ipType: ip), instanceFiles: BootPredictor.instanceFiles(repo, g))
    return (g, p)
}

extension BootPrediction {
    func of(_ s: String) -> BootState? { state(of: "svc:/\(s):default") }
    func explanation(_ s: String) -> BootExplanation? { explanations.first { $0.fmri == "svc:/\(s):default" } }
}

@Suite("Boot prediction: the rules of graph.c per grouping")
struct BootRuleTests {
    static let on = defaultInstance(true)
    static let off = defaultInstance(false)

    @Test("require_all: a disabled, absent, maintenance or offline dependency keeps the dependent offline")
    func requireAll() {
        let (_, p) = predictBoot([
            svc("dis", Self.off),
            svc("a1", Self.on + dep("d", "require_all", ["svc:/dis:default"])),
            svc("a2", Self.on + dep("d", "require_all", ["svc:/nowhere:default"])),
            svc("c1", Self.on + dep("d", "require_all", ["svc:/c2:default"])),
            svc("c2", Self.on + dep("d", "require_all", ["svc:/c1:default"])),
            svc("a3", Self.on + dep("d", "require_all", ["svc:/c1:default"])),
            svc("a4", Self.on + dep("d", "require_all", ["svc:/a1:default"])),
            svc("ok", Self.on + dep("d", "require_all", ["svc:/base:default", "svc:/base"])),
            svc("base", Self.on),
        ])
        #expect(p.of("dis") == .disabled)
        #expect(p.of("a1") == .offline)
        #expect(p.explanation("a1")?.cause == "disabled: not enabled by the configuration")
        #expect(p.explanation("a1")?.chain.map(\.to) == ["svc:/dis:default"])
        #expect(p.explanation("a1")?.chain.first?.location.line ?? 0 > 0)
        #expect(p.of("a2") == .offline)
        #expect(p.explanation("a2")?.cause == "absent: no manifest defines svc:/nowhere:default")
        #expect(p.of("c1") == .maintenance && p.of("c2") == .maintenance)
        #expect(p.of("a3") == .offline)
        #expect(p.explanation("a3")?.cause.hasPrefix("maintenance: a member of the dependency cycle") == true)
        #expect(p.of("a4") == .offline)
        // The chain goes down through the offline a1 to the disabled instance.
        #expect(p.explanation("a4")?.chain.map(\.to) == ["svc:/a1:default", "svc:/dis:default"])
        #expect(p.explanation("a4")?.causeInstance == "svc:/dis:default")
        #expect(p.of("ok") == .online)
        #expect(p.unsatisfiable[p.fmris.firstIndex(of: "svc:/a4:default")!])
    }

    @Test("require_any: one online entity is enough; all unsatisfiable keeps it offline")
    func requireAny() {
        let (_, p) = predictBoot([
            svc("dis", Self.off),
            svc("up", Self.on),
            svc("any1", Self.on + dep("d", "require_any", ["svc:/dis:default", "svc:/nowhere", "svc:/up:default"])),
            svc("any2", Self.on + dep("d", "require_any", ["svc:/dis:default", "svc:/nowhere"])),
        ])
        #expect(p.of("any1") == .online)
        #expect(p.of("any2") == .offline)
        #expect(p.explanation("any2")?.chain.first?.grouping == "require_any")
    }

    @Test("optional_all: disabled, absent, maintenance and never-satisfiable offline entities count as satisfied; a waiting one does not")
    func optionalAll() {
        let (_, p) = predictBoot([
            svc("dis", Self.off),
            svc("c1", Self.on + dep("d", "require_all", ["svc:/c2:default"])),
            svc("c2", Self.on + dep("d", "require_all", ["svc:/c1:default"])),
            svc("stuck", Self.on + dep("d", "require_all", ["svc:/dis:default"])),
            svc("inetd", Self.off),
            svc("waits", Self.on + restarter("svc:/inetd:default")),
            svc("o1", Self.on + dep("d", "optional_all", ["svc:/dis:default", "svc:/nowhere:default", "svc:/c1:default", "svc:/stuck:default"])),
            svc("o2", Self.on + dep("d", "optional_all", ["svc:/waits:default"])),
            svc("o3", Self.on + dep("d", "optional_all", ["file://localhost/etc/none"], type: "path")),
        ], root: RootFS(TempDir().path))
        #expect(p.of("stuck") == .offline)
        #expect(p.of("o1") == .online)
        #expect(p.of("waits") == .uninitialized)
        #expect(p.of("o2") == .offline)
        #expect(!p.unsatisfiable[p.fmris.firstIndex(of: "svc:/o2:default")!])
        // A file is not optional (graph.c optional_all_satisfied, GVT_FILE).
        #expect(p.of("o3") == .offline)
    }

    @Test("exclude_all: an enabled online entity blocks; a disabled one does not")
    func excludeAll() {
        let (_, p) = predictBoot([
            svc("rival", Self.on),
            svc("quiet", Self.off),
            svc("x1", Self.on + dep("d", "exclude_all", ["svc:/rival:default"])),
            svc("x2", Self.on + dep("d", "exclude_all", ["svc:/quiet:default", "svc:/nowhere"])),
        ])
        #expect(p.of("x1") == .offline)
        #expect(p.explanation("x1")?.cause.contains("excludes it") == true)
        #expect(p.of("x2") == .online)
    }

    @Test("exclude_all both ways: the loop is broken in FMRI order and said")
    func exclusionLoop() {
        let (_, p) = predictBoot([
            svc("ea", Self.on + dep("d", "exclude_all", ["svc:/eb:default"])),
            svc("eb", Self.on + dep("d", "exclude_all", ["svc:/ea:default"])),
        ])
        #expect(p.exclusionLoop == ["svc:/ea:default"])
        #expect(p.of("ea") == .online)
        #expect(p.of("eb") == .offline)
        #expect(BootReport(p).text.contains("Decided with an exclude_all loop broken in FMRI order: svc:/ea:default"))
    }

    @Test("restarter: an instance whose delegated restarter is not online is uninitialized; its dependents wait")
    func restarterEdge() {
        let (_, p) = predictBoot([
            svc("inetd", Self.off),
            svc("inetd2", Self.on),
            svc("t1", Self.on + restarter("svc:/inetd:default")),
            svc("t2", Self.on + restarter("svc:/inetd2:default")),
            svc("t3", Self.off + restarter("svc:/inetd:default")),
            svc("user", Self.on + dep("d", "require_all", ["svc:/t1:default"])),
        ])
        #expect(p.of("t1") == .uninitialized)
        #expect(p.explanation("t1")?.chain.first?.grouping == "restarter")
        #expect(p.of("t2") == .online)
        #expect(p.of("t3") == .uninitialized)
        #expect(p.of("user") == .offline)
        #expect(p.explanation("user")?.chain.map(\.to) == ["svc:/t1:default", "svc:/inetd:default"])
    }

    @Test("path dependencies: missing under the root keeps it offline; without a root assumed present")
    func paths() {
        let z = ZoneRoot()
        z.write("etc/present", "x")
        let services = [
            svc("p1", Self.on + dep("d", "require_all", ["file://localhost/etc/present"], type: "path")),
            svc("p2", Self.on + dep("d", "require_all", ["file://localhost/etc/absent"], type: "path")),
        ]
        let (_, withRoot) = predictBoot(services, root: RootFS(z.path))
        #expect(withRoot.of("p1") == .online)
        #expect(withRoot.of("p2") == .offline)
        #expect(withRoot.explanation("p2")?.cause.hasPrefix("the file /etc/absent does not exist") == true)
        #expect(!withRoot.filesAssumed)
        let (_, noRoot) = predictBoot(services)
        #expect(noRoot.of("p2") == .online)
        #expect(noRoot.filesAssumed)
        #expect(BootReport(noRoot).text.contains("no --root given; the 2 files they name are assumed present"))
    }

    @Test("roles: an instance that disables itself in a zone ends disabled, one that fails goes to maintenance, and their dependents stay offline")
    func roles() {
        let services = [
            svc("system/hal", Self.on),
            svc("system/pools", Self.on),
            svc("user", Self.on + dep("d", "require_all", ["svc:/system/hal:default"])),
            svc("user2", Self.on + dep("d", "require_all", ["svc:/system/pools:default"])),
        ]
        let (_, zone) = predictBoot(services, ip: .shared)
        #expect(zone.of("system/hal") == .disabled)
        #expect(zone.of("system/pools") == .maintenance)
        #expect(zone.of("user") == .offline && zone.of("user2") == .offline)
        #expect(zone.explanation("user")?.cause.contains("disables it in a non-global zone") == true)
        let (_, global) = predictBoot(services, ip: nil)
        #expect(global.of("user") == .online && global.of("user2") == .online)
    }

    @Test("an invalid service_fmri value: svccfg refuses the manifest, its services are absent, and the prediction says why")
    func invalidEntity() {
        let repo = repository([
            ("bad.xml", manifest(svc("zk", Self.on + dep("d", "require_all", ["svc:/@SMF_PREFIX@/x"])))),
            ("good.xml", manifest(svc("user", Self.on + dep("d", "require_all", ["svc:/zk:default"])))),
        ])
        let g = DependencyGraph(repo)
        let p = g.predictBoot(BootConfiguration(), instanceFiles: BootPredictor.instanceFiles(repo, g))
        #expect(p.of("zk") == .absent)
        #expect(p.of("user") == .offline)
        let text = BootReport(p).text
        #expect(text.contains("svccfg import refuses"))
        #expect(text.contains("@SMF_PREFIX@"))
    }

    @Test("text and JSON: svcs -a rows, the summary line, the explanation with file:line")
    func rendering() {
        let (_, p) = predictBoot([svc("dis", Self.off), svc("a", Self.on + dep("d", "require_all", ["svc:/dis:default"]))])
        let text = BootReport(p).text
        #expect(text.hasPrefix("STATE          FMRI\noffline        svc:/a:default\ndisabled       svc:/dis:default\n"))
        #expect(text.contains("\n0 online, 0 degraded, 1 offline, 1 disabled, 0 maintenance, 0 uninitialized\n"))
        #expect(text.contains("svc:/a:default group 'd' (require_all) -> svc:/dis:default (disabled)  "))
        let json = BootReport(p).json.render()
        #expect(json.contains("\"offline\": 1"))
        #expect(json.contains("\"causeInstance\": \"svc:/dis:default\""))
    }
}
