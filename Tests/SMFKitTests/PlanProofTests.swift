import Foundation
import Testing
@testable import SMFKit

@Suite("A plan's proof as a value: the trimmed profile booted, the blank zone checked against what the wanted services need")
struct PlanProofTests {
    static func sample(want: [String], root: String? = TestPaths.packageRoot + "/manifests") throws -> (PlanInput, LoadedInput, DependencyGraph) {
        let (input, loaded) = try PlanLegacyTests.planInput(root: root, want: want)
        return (input, loaded, DependencyGraph(loaded.repository))
    }

    @Test("trimmed profile on the sample: the one line, the JSON object and the Markdown section")
    func trimmedProfile() throws {
        let (input, loaded, g) = try Self.sample(want: ["cron"])
        let p = PlanProof.trimmedProfile(graph: g, input: input, root: loaded.root, ipType: .shared)
        #expect(p.ok)
        #expect(p.kind == .trimmedProfile)
        #expect(p.configuration == input.closure.sorted())
        #expect(PlanProofReport.line(p) == "predicted boot: 16 online, 0 degraded, 0 offline, 57 disabled, 0 maintenance, 10 uninitialized")
        #expect(p.text == PlanProofReport.line(p) + "\n")
        let md = PlanProofReport.markdown(p)
        #expect(md.hasPrefix("## Predicted boot\n\npredicted boot: 16 online, "))
        #expect(md.contains("The profile enables 16 instances and disables every other one"))
        #expect(md.hasSuffix("Every instance the profile enables comes online.\n"))
        let json = PlanProofReport.json(p).render()
        #expect(json.contains("\"kind\": \"trimmed-profile\""))
        #expect(json.contains("\"online\": 16"))
        #expect(json.contains("\"failures\": []"))
    }

    @Test("trimmed profile that fails: each instance with its explanation, in text, Markdown and JSON")
    func trimmedProfileFails() throws {
        let dir = TempDir()
        let m = dir.write("m.xml", manifest(svc("system/hal", defaultInstance(true)) + "\n"
            + svc("site/app", defaultInstance(true) + dep("hal", "require_all", ["svc:/system/hal:default"]))))
        let loaded = Loader.loadInput(InputSpec(paths: [m]))
        let g = DependencyGraph(loaded.repository)
        let p = PlanProof(graph: g, repo: loaded.repository, enable: ["svc:/site/app:default", "svc:/system/hal:default"],
                          root: nil, ipType: .shared, legacy: .notKnown, wanted: ["svc:/site/app:default"])
        #expect(!p.ok)
        #expect(p.failures.map(\.fmri) == ["svc:/site/app:default", "svc:/system/hal:default"])
        #expect(p.text.contains("\nDEFECT: 2 instances this profile enables would not come online (docs/BOOT.md):\n\nsvc:/site/app:default (offline)\n"))
        let md = PlanProofReport.markdown(p)
        #expect(md.contains("- disabled: its start method disables it in a non-global zone"))
        #expect(md.contains("  ```\n  svc:/site/app:default group 'hal' (require_all) -> svc:/system/hal:default (disabled)"))
        let json = PlanProofReport.json(p).render()
        #expect(json.contains("\"cause\": \"does-not-boot\""))
        #expect(json.contains("\"causeInstance\": \"svc:/system/hal:default\""))
    }

    @Test("blank zone on the sample: init starts the setup steps and cron; every known need met; sysevent not known")
    func blankZoneSample() throws {
        let (input, loaded, g) = try Self.sample(want: ["cron"])
        let v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(v.choice == .blankZone)
        let p = PlanProof.blankZone(graph: g, input: input, verdict: v, root: loaded.root)
        #expect(p.ok, "\(p.text)")
        #expect(p.configuration == ["svc:/system/cron:default", "svc:/system/filesystem/local:default", "svc:/system/filesystem/minimal:default",
                                    "svc:/system/filesystem/usr:default", "svc:/system/identity:node"])
        #expect(p.unknown.map { if case .notStarted(let m, _, _, _) = $0.cause { m } else { "" } } == ["svc:/system/sysevent:default"])
        #expect(PlanProofReport.line(p) == "blank zone check: init starts 5 instances; 6 needs of the wanted services checked, 0 unmet, 1 not known")
        #expect(p.unknown.first?.chain.first?.from == "svc:/system/cron:default")
        #expect(p.unknown.first?.chain.last?.to == "svc:/system/sysevent:default")
        let md = PlanProofReport.markdown(p)
        #expect(md.hasPrefix("## Blank-zone check\n\n"))
        #expect(md.contains("Every known need of the wanted services is met."))
        let json = PlanProofReport.json(p).render()
        #expect(json.contains("\"kind\": \"blank-zone\""))
        #expect(json.contains("\"unmet\": 0"))
        #expect(json.contains("\"role\": \"unknown-work\"") || json.contains("\"role\": \"unknownWork\""))
    }

    @Test("blank zone: a setup member init does not start, and a path dependency the root lacks, are failures with their chains")
    func blankZoneUnmet() throws {
        let t = try PlanLegacyTests.sampleRoot([:])
        let (input, loaded, g) = try Self.sample(want: ["cron"], root: t.path + "/root")
        var v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        v.setupSteps.removeAll { $0.fmri == "svc:/system/identity:node" }
        let p0 = PlanProof.blankZone(graph: g, input: input, verdict: v, root: loaded.root)
        #expect(!p0.ok)
        let f = try #require(p0.failures.first)
        #expect(p0.failures.count == 1)
        guard case .notStarted(let member, let role, _, let step) = f.cause else { Issue.record("\(f.cause)"); return }
        #expect(member == "svc:/system/identity:node" && role == .setup && step == .none)
        #expect(f.chain.first?.from == "svc:/system/cron:default" && f.chain.last?.to == "svc:/system/identity:node")
        #expect(f.chain.allSatisfy { $0.location.line > 0 })
        #expect(p0.text.contains("DEFECT: 1 need of the wanted services would not be met by what init starts (docs/BOOT.md):\n\nsvc:/system/cron:default\n Reason: svc:/system/cron:default needs svc:/system/identity:node (setup: "))
        #expect(PlanProofReport.json(p0).render().contains("\"step\": \"none\""))
        // Without a root, files are assumed present, and the line says so (cron's closure has none).
        #expect(!PlanProofReport.line(PlanProof.blankZone(graph: g, input: input, verdict: v, root: nil)).contains("assumed"))
        // ssh's closure has a path dependency: the proof looks it up under the root.
        let (si, sl, sg) = try Self.sample(want: ["ssh"], root: t.path + "/root")
        let sv = Plan.verdict(si, ipType: .shared, lookup: .root(try #require(sl.root)))
        #expect(PlanProof.blankZone(graph: sg, input: si, verdict: sv, root: sl.root).ok)
        try FileManager.default.removeItem(atPath: t.path + "/root/etc/ssh/sshd_config")
        let p1 = PlanProof.blankZone(graph: sg, input: si, verdict: sv, root: sl.root)
        let missing = try #require(p1.failures.first { $0.cause == .fileMissing(path: "/etc/ssh/sshd_config") })
        #expect(missing.fmri == "svc:/network/ssh:default")
        #expect(missing.chain.map(\.toState) == ["missing"])
        #expect(missing.chain.last?.grouping == "require_all" && missing.chain.last?.group == "config_data")
        #expect(p1.text.contains(" Reason: svc:/network/ssh:default needs the file /etc/ssh/sshd_config, which the root does not hold\n"))
        let p2 = PlanProof.blankZone(graph: sg, input: si, verdict: sv, root: nil)
        #expect(p2.ok && p2.filesAssumed)
        #expect(PlanProofReport.line(p2).hasSuffix("(no --root: path dependencies assumed present)"))
    }

    /// The requests of reports/ (scripts/regenerate-reports.sh), as the CLI analyses them.
    static func planInput(paths: [String], profiles: [String] = [], root: String? = nil, want: [String]) throws -> (PlanInput, LoadedInput, DependencyGraph) {
        let loaded = Loader.loadInput(InputSpec(paths: paths, profiles: profiles, root: root))
        let graph = DependencyGraph(loaded.repository)
        let requests = try RequestResolver.resolve(want, in: graph)
        let legacy = LegacyRC.read(loaded.root)
        let enlarged = legacy.joined(requests, graph: graph)
        var input = Analysis(repo: loaded.repository, graph: graph, requests: enlarged.requests).planInput()
        input.attach(legacy, joined: enlarged.joined)
        return (input, loaded, graph)
    }

    static func proofs(_ input: PlanInput, _ loaded: LoadedInput, _ g: DependencyGraph) -> (PlanProof, PlanProof) {
        let v = Plan.verdict(input, ipType: .shared, lookup: loaded.root.map { ScriptLookup.root($0) } ?? .unavailable)
        return (PlanProof.trimmedProfile(graph: g, input: input, root: loaded.root, ipType: .shared),
                PlanProof.blankZone(graph: g, input: input, verdict: v, root: loaded.root))
    }

    @Test("every request of reports/ on the sample proves itself: its profile boots every member online, its blank zone meets every known need")
    func reportsSample() throws {
        let root = TestPaths.packageRoot + "/manifests"
        for want in [["svc:/network/http:nginx"], ["cron"]] {
            let (input, loaded, g) = try Self.planInput(paths: [], root: root, want: want)
            let (profile, blank) = Self.proofs(input, loaded, g)
            #expect(profile.ok, "\(want): \(profile.text)")
            #expect(blank.ok, "\(want): \(blank.text)")
            print("proof \(want): \(PlanProofReport.line(profile)); \(PlanProofReport.line(blank))")
        }
    }

    @Test("every request of reports/ on the corpora proves itself", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func reportsCorpora() throws {
        let gate = [TestPaths.illumosUsr, TestPaths.illumos + "/generated"]
        let profile = [TestPaths.illumosUsr + "/src/cmd/svc/profile/generic_limited_net.xml"]
        for (paths, want) in [(gate, ["ssh"]), (gate, ["cron"]), (gate, ["milestone/multi-user-server"]),
                              (gate + [TestPaths.oi], ["apache24"]), (gate + [TestPaths.oi], ["network/http/nginx", "postgresql_16"])] {
            let (input, loaded, g) = try Self.planInput(paths: paths, profiles: profile, want: want)
            let (p, b) = Self.proofs(input, loaded, g)
            #expect(p.ok, "\(want): \(p.text)")
            #expect(b.ok, "\(want): \(b.text)")
            print("proof \(want): \(PlanProofReport.line(p)); \(PlanProofReport.line(b))")
        }
    }

    /// A request whose trimmed profile cannot boot: site/app requires
    /// system/hal, which disables itself in a non-global zone.
    static func halManifest(_ dir: TempDir) -> String {
        dir.write("m.xml", manifest(svc("system/hal", defaultInstance(true)) + "\n"
            + svc("site/app", defaultInstance(true) + dep("hal", "require_all", ["svc:/system/hal:default"]))))
    }

    @Test("plan, report and profile run the proof through the command: the configuration the verdict does not choose says why; the profile refuses to write what does not boot")
    func commandsProveThemselves() throws {
        let dir = TempDir()
        let m = Self.halManifest(dir)
        // The verdict is a blank zone (under SMF hal would keep app offline);
        // plan proves the blank zone, which holds.
        let plan = try CLI.run(["plan", m, "--want", "site/app", "--format", "json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let planJSON = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        #expect(planJSON["verdict"] as? String == "blank-zone")
        let proof = try #require(planJSON["proof"] as? [String: Any])
        #expect(proof["kind"] as? String == "blank-zone")
        #expect(proof["ok"] as? Bool == true)

        // report proves both: the trimmed profile fails, which is the
        // verdict's reason, not a defect: exit 0, no DEFECT.
        let report = try CLI.run(["report", m, "--want", "site/app", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let reportJSON = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let proofs = try #require(reportJSON["proofs"] as? [[String: Any]])
        #expect(proofs.map { $0["kind"] as? String } == ["trimmed-profile", "blank-zone"])
        #expect(proofs[0]["ok"] as? Bool == false)
        let failed = (proofs[0]["failures"] as? [[String: Any]] ?? []).compactMap { $0["fmri"] as? String }
        #expect(failed == ["svc:/site/app:default", "svc:/system/hal:default"])
        #expect(report.stderr.contains("smf-minimize: Would not come online under a trimmed profile (2 instances); the verdict is a blank zone"), "\(report.stderr)")
        #expect(!report.stderr.contains("DEFECT"), "\(report.stderr)")

        let text = try CLI.run(["report", m, "--want", "site/app", "--color", "never"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("  - predicted boot: 0 online, "), "\(text.stdout)")

        // profile writes that configuration only when it boots: it refuses here.
        let profile = try CLI.run(["profile", m, "--want", "site/app"])
        #expect(profile.status == 1)
        #expect(profile.stdout.isEmpty)

        // The sample proves itself both ways: exit 0, and the report says so.
        let sample = try CLI.run(["report", "--want", "cron", "--format", "json"])
        #expect(sample.status == 0, "\(sample.stderr)")
        let sampleJSON = try #require(try JSONSerialization.jsonObject(with: Data(sample.stdout.utf8)) as? [String: Any])
        #expect((sampleJSON["proofs"] as? [[String: Any]])?.map { $0["ok"] as? Bool } == [true, true])
    }

    @Test("rule 6: a daemon the closure holds and the request does not want makes the verdict a trimmed profile; wanting it makes a blank zone that proves itself")
    func daemonRule() throws {
        let dir = TempDir()
        // Both start /lib/svc/method/site-solo, a script that runs without SMF.
        let start = "<exec_method type='method' name='start' exec='/lib/svc/method/site-solo' timeout_seconds='60'/>"
        let m = dir.write("m.xml", manifest(svc("network/inetd", defaultInstance(true) + start) + "\n"
            + svc("site/app", defaultInstance(true) + dep("inetd", "require_all", ["svc:/network/inetd:default"]) + start)))
        let methods = TestPaths.fixtures + "/plan/methods"
        let alone = try CLI.run(["plan", m, "--want", "site/app", "--methods", methods, "--format", "json"])
        #expect(alone.status == 0, "\(alone.stderr)")
        let a = try #require(try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? [String: Any])
        #expect(a["verdict"] as? String == "trimmed-profile")
        #expect((a["reasons"] as? [String] ?? []).contains("a blank zone starts only the wanted services, not the daemons of the closure: svc:/network/inetd:default"))
        #expect((a["proof"] as? [String: Any])?["kind"] as? String == "trimmed-profile")
        #expect((a["proof"] as? [String: Any])?["ok"] as? Bool == true)

        let both = try CLI.run(["plan", m, "--want", "site/app", "--want", "network/inetd", "--methods", methods, "--format", "json"])
        #expect(both.status == 0, "\(both.stderr)")
        let b = try #require(try JSONSerialization.jsonObject(with: Data(both.stdout.utf8)) as? [String: Any])
        #expect(b["verdict"] as? String == "blank-zone")
        let proof = try #require(b["proof"] as? [String: Any])
        #expect(proof["kind"] as? String == "blank-zone")
        #expect(proof["ok"] as? Bool == true)
        #expect(proof["configuration"] as? [String] == ["svc:/network/inetd:default", "svc:/site/app:default"])
    }
}
