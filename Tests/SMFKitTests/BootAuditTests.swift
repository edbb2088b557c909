import Foundation
import Testing
@testable import SMFKit

@Suite("audit: the configurations people keep, on the bundled sample")
struct BootAuditTests {
    static let sample = TestPaths.packageRoot + "/manifests"

    static func loadSample(profiles: [String] = []) -> LoadedInput {
        Loader.loadInput(InputSpec(profiles: profiles, root: sample))
    }

    static func audit(_ fixture: String, want: [String] = ["svc:/system/cron:default"]) -> AuditResult {
        let path = TestPaths.fixture("boot/" + fixture)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let loaded = loadSample()
        let kind = AuditParser.detect(text) ?? .profile
        return Audit.run(AuditParser.parse(text, file: path, kind: kind), repo: loaded.repository, wanted: want,
                         root: loaded.root, ipType: .shared)
    }

    @Test("formats are detected from their text")
    func detection() {
        #expect(AuditParser.detect("online svc:/a:default\ndisabled svc:/b:default\n") == .capture)
        #expect(AuditParser.detect("# c\nsystem/cron.xml\tenabled\n") == .manifestList)
        #expect(AuditParser.detect("/lib/svc/manifest/system/cron.xml\n") == .removedList)
        #expect(AuditParser.detect("svc:/system/cron:default\n") == .enableList)
        #expect(AuditParser.detect("<?xml version='1.0'?><service_bundle type='profile'/>") == .profile)
        #expect(AuditParser.detect("# only a comment\n") == nil)
    }

    @Test("manifest list: only the listed manifests exist; a path listed twice, the later line wins; bad lines have file:line")
    func manifestList() {
        let r = Self.audit("sample-brand-manifests.txt")
        #expect(r.kind == .manifestList)
        #expect(r.breakage.isEmpty)
        #expect(r.prediction.state(of: "svc:/system/cron:default") == .online)     // line 26 (enabled) beats line 14
        #expect(r.prediction.state(of: "svc:/network/ssh:default") == nil || r.prediction.state(of: "svc:/network/ssh:default") == .absent)
        #expect(r.prediction.allEnabledOnline)
        #expect(r.bloat.contains("svc:/system/system-log:default") && !r.bloat.contains("svc:/system/cron:default"))
        #expect(r.bloat.count == 6)
        let messages = r.diagnostics.map { "\($0.location.line) \($0.severity.rawValue) \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("26 warning system/cron.xml is listed twice (also at line 14); the later line") })
        #expect(messages.contains { $0.hasPrefix("27 warning system/not-there.xml is listed but") })
        #expect(messages.contains { $0.hasPrefix("28 error expected 'PATH enabled'") })
    }

    @Test("removed list: a removed manifest the request needs is breakage, with the chain; its dependents are gone too")
    func removedList() {
        let r = Self.audit("sample-removed.txt")
        #expect(r.breakage.map(\.fmri) == ["svc:/system/filesystem/local"])
        #expect(r.breakage.first?.how == "removed")
        #expect(r.breakage.first?.chain.last?.location.file.hasSuffix("system/cron.xml") == true)
        // sysevent's dependent into single-user went with it: single-user does not wait on it.
        #expect(r.prediction.state(of: "svc:/milestone/single-user:default") == .online)
        #expect(r.prediction.state(of: "svc:/system/cron:default") == .offline)
        let x = r.prediction.explanations.first { $0.fmri == "svc:/system/cron:default" }
        #expect(x?.cause.contains("is in the removed list") == true)
    }

    @Test("enable list: everything else disabled; the breakage lists each needed instance with its chain; unknown names are SMF090")
    func enableList() {
        let r = Self.audit("sample-enable.txt")
        #expect(r.breakage.count == 14)
        #expect(r.breakage.allSatisfy { $0.how == "disabled" && !$0.chain.isEmpty })
        #expect(r.bloat.isEmpty)
        #expect(r.diagnostics.map(\.location.line) == [4])
        #expect(r.diagnostics.first?.code == .auditLine)
    }

    @Test("capture: each difference says whether the model lacks a fact or the zone has a problem")
    func capture() {
        let r = Self.audit("sample-capture.txt", want: [])
        let by = Dictionary(uniqueKeysWithValues: r.differences.map { ($0.fmri, $0) })
        #expect(by["svc:/system/cron:default"]?.verdict == .zoneProblem)
        #expect(by["svc:/system/fmd:default"]?.verdict == .modelLacksFact)
        #expect(by["svc:/site/extra:default"]?.verdict == .modelLacksFact)
        #expect(by["svc:/network/ssh:default"]?.verdict == .cannotTell)
        #expect(by["svc:/network/telnet:default"]?.observed == "not listed")
        #expect(r.differences.count == 5)
        #expect(r.diagnostics.map(\.location.line) == [86])
        // The capture's disabled states are the configuration: ssh observed offline is enabled.
        #expect(r.prediction.state(of: "svc:/network/ssh:default") == .online)
    }
}

@Suite("boot and audit on the illumos base (the done-when of issue 15)",
       .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
struct BootCorpusTests {
    @Test("a profile disabling system/filesystem/local: ssh, cron and multi-user offline because of it, with the chain")
    func fsLocalDisabled() throws {
        let z = ZoneRoot.fromCorpora()
        z.write("etc/ssh/sshd_config", "# the zone's sshd configuration (a path dependency of ssh)\n")
        let prof = z.writeOutside("no-fs-local.xml", profile([("system/filesystem/local", "default", false)]))
        let loaded = z.load(profiles: [prof])
        let g = DependencyGraph(loaded.repository)
        let p = g.predictBoot(BootConfiguration(root: loaded.root, ipType: .shared, legacy: LegacyRC.read(loaded.root)),
                              instanceFiles: BootPredictor.instanceFiles(loaded.repository, g))
        #expect(p.state(of: "svc:/system/filesystem/local:default") == .disabled)
        for f in ["svc:/network/ssh:default", "svc:/system/cron:default", "svc:/milestone/multi-user:default"] {
            #expect(p.state(of: f) == .offline, "\(f)")
            let x = p.explanations.first { $0.fmri == f }
            #expect(x?.causeInstance == "svc:/system/filesystem/local:default", "\(f): \(x.map(BootReport.text) ?? "no explanation")")
            #expect(x?.cause == "disabled: not enabled by the configuration")
            #expect(x?.chain.last?.to == "svc:/system/filesystem/local:default")
            #expect(x?.chain.allSatisfy { $0.location.line > 0 && !$0.group.isEmpty } == true)
        }
        guard CLI.binary != nil else { return }
        let boot = try CLI.run(["boot", "--root", z.path, "--profile", prof])
        #expect(boot.status == 1)
        #expect(boot.stdout.contains("svc:/network/ssh:default (offline)"))
        let audit = try CLI.run(["audit", "--root", z.path, "--config", prof, "--want", "ssh"])
        #expect(audit.status == 1, "\(audit.stderr)")
        #expect(audit.stdout.contains("  svc:/system/filesystem/local:default (disabled)\n"))
        #expect(audit.stdout.contains("svc:/network/ssh:default group "))
        let json = try CLI.run(["audit", "--root", z.path, "--config", prof, "--want", "ssh", "--format", "json"])
        #expect(json.stdout.contains("\"how\": \"disabled\""))
    }

    @Test("the stock zone boots with every enabled instance settled, and the closure of ssh boots online")
    func stock() throws {
        let z = ZoneRoot.fromCorpora()
        let loaded = z.load()
        let g = DependencyGraph(loaded.repository)
        let files = BootPredictor.instanceFiles(loaded.repository, g)
        let ssh = try #require(g.instanceID("svc:/network/ssh:default"))
        let c = g.closure(of: [ssh])
        let enabled = g.instanceFMRIs.indices.map { c.contains($0) }
        let p = g.predictBoot(BootConfiguration(enabled: enabled, root: nil, ipType: .shared), instanceFiles: files)
        #expect(p.allEnabledOnline, "\(p.explanations.map(BootReport.text))")
    }

    @Test("the closures of the reports' requests boot online on the base; members the boot does not need are counted (not asserted)")
    func redundancy() throws {
        let z = ZoneRoot.fromCorpora()
        let loaded = z.load()
        let g = DependencyGraph(loaded.repository)
        let files = BootPredictor.instanceFiles(loaded.repository, g)
        var lines: [String] = []
        for want in ["svc:/network/ssh:default", "svc:/system/cron:default", "svc:/milestone/multi-user-server:default"] {
            let w = try #require(g.instanceID(want))
            let c = g.closure(of: [w])
            let enabled = g.instanceFMRIs.indices.map { c.contains($0) }
            let p = g.predictBoot(BootConfiguration(enabled: enabled, ipType: .shared), instanceFiles: files)
            let redundant = c.memberIDs.filter { m in
                guard m != w else { return false }
                var e = enabled; e[m] = false
                return g.predictBoot(BootConfiguration(enabled: e, ipType: .shared), instanceFiles: files).states[w] == .online
            }
            lines.append("\(want): \(c.memberIDs.count) members, boot \(p.summary), members the boot does not need: \(redundant.map { g.instanceFMRIs[$0] })")
            #expect(p.allEnabledOnline, "\(want): \(p.explanations.map(BootReport.text))")
        }
        print("boot corpus redundancy:\n" + lines.joined(separator: "\n"))
    }
}
