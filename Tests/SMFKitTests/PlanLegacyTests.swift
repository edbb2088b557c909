import Foundation
import Testing
@testable import SMFKit

/// The legacy rc scripts of a zone (docs/PLAN.md, "Legacy rc scripts") and
/// what a configuration gives up (docs/PLAN.md, "What you give up").
@Suite("Legacy rc scripts and what a configuration gives up")
struct PlanLegacyTests {
    /// The bundled sample zone copied into a scratch root, with `files`
    /// (paths inside the root → contents) added.
    static func sampleRoot(_ files: [String: String]) throws -> TempDir {
        let t = TempDir()
        try FileManager.default.copyItem(atPath: TestPaths.packageRoot + "/manifests", toPath: t.path + "/root")
        for (rel, text) in files { t.write("root/" + rel, text) }
        return t
    }

    /// What Session.planInput does (Sources/SMFKit/Session/Session.swift): read the rc directories, enlarge
    /// the request, compute the closure and attach what was found.
    static func planInput(root: String?, paths: [String] = [], want: [String]) throws -> (PlanInput, LoadedInput) {
        let loaded = Loader.loadInput(InputSpec(paths: paths, root: root))
        let graph = DependencyGraph(loaded.repository)
        let requests = try RequestResolver.resolve(want, in: graph)
        let legacy = LegacyRC.read(loaded.root)
        let enlarged = legacy.joined(requests, graph: graph)
        let a = Analysis(repo: loaded.repository, graph: graph, requests: enlarged.requests)
        var input = a.planInput()
        input.attach(legacy, joined: enlarged.joined)
        return (input, loaded)
    }

    static let site = "#!/sbin/sh\n# a site script\ncase \"$1\" in\nstart) /usr/bin/echo site started ;;\nesac\n"

    @Test("an rc directory is read in glob order: empty files skipped, illumos's own not counted, *.sh run with sh -c")
    func readsDirectories() throws {
        let t = try Self.sampleRoot([
            "etc/rc2.d/S99site": Self.site,
            "etc/rc2.d/S20sysetup": "#!/sbin/sh\nexit 0\n",
            "etc/rc2.d/S89PRESERVE": "#!/sbin/sh\nexit 0\n",
            "etc/rc2.d/S50empty": "",
            "etc/rc2.d/K10stop": "#!/sbin/sh\n",
            "etc/rc3.d/S10web.sh": "#!/sbin/sh\n/usr/bin/true\n",
        ])
        let legacy = LegacyRC.read(RootFS(t.path + "/root"))
        #expect(legacy.known)
        let rc2 = try #require(legacy.directory(of: "svc:/milestone/multi-user:default"))
        #expect(rc2.scripts.map(\.path) == ["/etc/rc2.d/S20sysetup", "/etc/rc2.d/S89PRESERVE", "/etc/rc2.d/S99site"])
        #expect(rc2.scripts.map(\.deliveredByIllumos) == [true, true, false])
        #expect(rc2.counted.map(\.argv) == [["/bin/sh", "/etc/rc2.d/S99site", "start"]])
        #expect(legacy.counted.map(\.commandLine) == ["/bin/sh /etc/rc2.d/S99site start", "/bin/sh -c /etc/rc3.d/S10web.sh"])
        #expect(legacy.milestonesWithWork == ["svc:/milestone/multi-user:default", "svc:/milestone/multi-user-server:default"])
        let rcS = try #require(legacy.directory(of: "svc:/milestone/single-user:default"))
        #expect(rcS.known && rcS.scripts.isEmpty && rcS.note == "/etc/rcS.d holds no legacy script of the site")
        #expect(legacy.role(of: "svc:/milestone/multi-user:default")?.role == .legacyScripts)
        #expect(legacy.role(of: "svc:/milestone/single-user:default")?.role == .noopInZone)
        #expect(legacy.role(of: "svc:/milestone/network:default") == nil)
    }

    @Test("the report's members read their reasons from the plan input, but a joined milestone keeps the closure's own")
    func reportReasonsFromTheInput() throws {
        let t = try Self.sampleRoot(["etc/rc2.d/S99site": Self.site])
        let loaded = Loader.loadInput(InputSpec(paths: [], root: t.path + "/root"))
        let graph = DependencyGraph(loaded.repository)
        let legacy = LegacyRC.read(loaded.root)
        let enlarged = legacy.joined(try RequestResolver.resolve(["cron"], in: graph), graph: graph)
        let a = Analysis(repo: loaded.repository, graph: graph, requests: enlarged.requests)
        var input = a.planInput()
        input.attach(legacy, joined: enlarged.joined)
        let m = "svc:/milestone/multi-user:default"
        #expect(input.joinedForLegacy == [m])
        #expect(input.reason(m) != a.reason(m))
        let v = Plan.verdict(input, ipType: .shared)
        func build(_ legacy: PlanInput?) -> ReportData {
            ReportBuilder.build(analysis: a, verdict: v, ladder: [], title: "t", source: "s", command: "c",
                                requests: ["cron"], artefacts: [], legacy: legacy)
        }
        let read = build(input).members, made = build(nil).members
        #expect(read.count == a.closure.members.count && read.count > 10)
        #expect(read == made)
        #expect(read.first { $0.fmri == m }?.reason == a.reason(m))
    }

    @Test("only illumos's own scripts: the milestone does nothing a zone needs, and joins nothing")
    func illumosOwnOnly() throws {
        let t = try Self.sampleRoot(["etc/rc2.d/S20sysetup": "#!/sbin/sh\nexit 0\n", "etc/rc2.d/S89PRESERVE": "#!/sbin/sh\nexit 0\n"])
        let (input, _) = try Self.planInput(root: t.path + "/root", want: ["cron"])
        #expect(input.joinedForLegacy.isEmpty)
        let r = ZoneRoles.classify("svc:/milestone/multi-user:default", ipType: .shared, legacy: input.legacy)
        #expect(r.role == .noopInZone)
        #expect(r.note.contains("only illumos's own S20sysetup and S89PRESERVE"), "\(r.note)")
    }

    @Test("a site script in etc/rc2.d: multi-user joins the request, the profile enables it, a blank zone runs the script")
    func siteScriptJoins() throws {
        let t = try Self.sampleRoot(["etc/rc2.d/S99site": Self.site])
        let root = t.path + "/root"
        let (input, loaded) = try Self.planInput(root: root, want: ["cron"])
        let m = "svc:/milestone/multi-user:default"
        #expect(input.joinedForLegacy == [m])
        #expect(input.wanted == ["svc:/system/cron:default"])
        #expect(input.closure.contains(m))
        #expect(input.reason(m) == "wanted for its legacy scripts: /etc/rc2.d/S99site (run by '/sbin/rc2 start', usr/src/cmd/initpkg/rc2.sh)")
        // the profile is the closure of the enlarged request
        let xml = try ProfileWriter.xml(input, name: "t")
        let enabledLine = xml.split(separator: "\n").drop { !$0.contains("name='milestone/multi-user'") }.dropFirst().first { $0.contains("<instance") }
        #expect(enabledLine?.contains("enabled='true'") == true, "\(xml)")
        // the verdict: real work, inspected, run in order by a blank zone
        let v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(v.roles.first { $0.fmri == m }?.role == .legacyScripts)
        #expect(v.realWork.contains(m))
        #expect(v.legacyScripts.map(\.path) == ["/etc/rc2.d/S99site"])
        #expect(v.legacyScripts.first?.argv == ["/bin/sh", "/etc/rc2.d/S99site", "start"])
        if case .script(let p, let f)? = v.legacyInspections.first { #expect(p == "/etc/rc2.d/S99site" && f.isEmpty) } else { Issue.record("not inspected: \(v.legacyInspections)") }
        #expect(v.choice == .blankZone, "\(v.reasons)")
        #expect(v.reasons.contains(.legacyRuns(v.legacyScripts)))
        // nothing about legacy scripts is given up: the blank zone runs them
        #expect(!v.giveUps.contains { $0.kind == .legacyScripts && $0.fmri == m })
        let text = PlanReport(input: input, verdict: v, ladder: Ladder.rungs(input, verdict: v)).text
        #expect(text.contains("  svc:/milestone/multi-user:default joined the request: wanted for its legacy scripts: /etc/rc2.d/S99site"))
        #expect(text.contains("      /etc/rc2.d/S99site: /bin/sh /etc/rc2.d/S99site start"))
        let json = PlanReport(input: input, verdict: v, ladder: Ladder.rungs(input, verdict: v)).json.render()
        #expect(json.contains("\"command\": \"/bin/sh /etc/rc2.d/S99site start\""), "\(json)")
        #expect(json.contains("\"deliveredByIllumos\": false"))
    }

    @Test("the command line: plan and profile on a root with a site script enlarge the request", .enabled(if: CLI.binary != nil, CLI.missingMessage))
    func commandLine() throws {
        let t = try Self.sampleRoot(["etc/rc2.d/S99site": Self.site])
        let root = t.path + "/root"
        let plan = try CLI.run(["plan", "--root", root, "--want", "cron"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("svc:/milestone/multi-user:default joined the request: wanted for its legacy scripts: /etc/rc2.d/S99site"))
        #expect(plan.stdout.contains("svc:/milestone/multi-user:default  runs the site's rc scripts: runs '/sbin/rc2 start'"))
        let profile = try CLI.run(["profile", "--root", root, "--want", "cron", "--format", "svcadm"])
        #expect(profile.stdout.contains("/usr/sbin/svcadm enable svc:/milestone/multi-user:default    # wanted for its legacy scripts: /etc/rc2.d/S99site"), "\(profile.stdout)")
        let without = try CLI.run(["plan", "--root", TestPaths.packageRoot + "/manifests", "--want", "cron"])
        #expect(!without.stdout.contains("joined the request"))
    }

    @Test("a site script that calls svcadm: the verdict says the blank zone cannot run it")
    func siteScriptNeedsSMF() throws {
        let t = try Self.sampleRoot(["etc/rc2.d/S99site": "#!/sbin/sh\n/usr/sbin/svcadm enable -t site/thing\n"])
        let (input, loaded) = try Self.planInput(root: t.path + "/root", want: ["cron"])
        let v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(v.choice == .trimmedProfile)
        let script = try #require(v.legacyScripts.first)
        #expect(script.path == "/etc/rc2.d/S99site" && script.milestone == "svc:/milestone/multi-user:default")
        guard case .legacyNotRunnable(script, .needsSMF(let findings))? = v.reasons.first else { Issue.record("\(v.reasons)"); return }
        #expect(findings.map { "\($0.script):\($0.line) \($0.what) \($0.text)" } == ["/etc/rc2.d/S99site:2 svcadm /usr/sbin/svcadm enable -t site/thing"])
    }

    @Test("without a root the legacy scripts are not known, and the report says so")
    func withoutRoot() throws {
        let (found, _) = try Self.planInput(root: nil, paths: [TestPaths.packageRoot + "/manifests/lib/svc/manifest"], want: ["cron"])
        #expect(!found.legacy.known)
        #expect(found.joinedForLegacy.isEmpty)
        // a closure that holds multi-user (as one that requires it would)
        let input = PlanInput(repo: found.repo, wanted: found.wanted, closure: found.closure + ["svc:/milestone/multi-user:default"])
        let v = Plan.verdict(input, ipType: .shared)
        let r = try #require(v.roles.first { $0.fmri == "svc:/milestone/multi-user:default" })
        #expect(r.role == .unknownWork)
        #expect(r.note == "runs '/sbin/rc2 start' (usr/src/cmd/initpkg/rc2.sh): the legacy scripts of /etc/rc2.d; whether /etc/rc2.d holds legacy scripts is not known: no zone root was read (--root); the scripts are files of the zone, not manifests")
        let d = try #require(input.legacy.directory(of: "svc:/milestone/multi-user:default"))
        #expect(!d.known && d.milestone.exec == "/sbin/rc2 start")
        #expect(v.reasons.contains(.legacyNotKnown(fmri: "svc:/milestone/multi-user:default", directory: d)))
        let json = PlanReport(input: input, verdict: v, ladder: Ladder.rungs(input, verdict: v)).json.render()
        #expect(json.contains("\"known\": false"))
    }

    @Test("what the sample's cron blank zone gives up: the console login, logging, mail, ssh, each with its --want")
    func giveUpsCron() throws {
        let (input, loaded) = try Self.planInput(root: TestPaths.packageRoot + "/manifests", want: ["cron"])
        let v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(v.choice == .blankZone)
        let byFMRI = Dictionary(uniqueKeysWithValues: v.giveUps.map { ($0.fmri, $0) })
        let console = try #require(byFMRI["svc:/system/console-login:default"])
        #expect(console.kind == .consoleLogin)
        #expect(console.what.hasPrefix("the console login: 'zlogin -C ZONE' gets no login prompt"))
        #expect(console.keep == "--want svc:/system/console-login:default")
        #expect(byFMRI["svc:/system/system-log:default"]?.kind == .logging)
        #expect(byFMRI["svc:/network/ssh:default"]?.kind == .remoteLogin)
        #expect(byFMRI["svc:/network/smtp:sendmail"]?.kind == .mail)
        #expect(byFMRI["svc:/system/cron:default"] == nil)
        // known, empty rc directories are not given up
        #expect(!v.giveUps.contains { $0.kind == .legacyScripts })
        // the first entry is the console
        #expect(v.giveUps.first?.fmri == "svc:/system/console-login:default")
        let json = PlanReport(input: input, verdict: v, ladder: Ladder.rungs(input, verdict: v)).json.render()
        #expect(json.contains("\"kind\": \"console-login\""))
        #expect(json.contains("\"keep\": \"--want svc:/system/console-login:default\""))
    }

    @Test("nginx's trimmed profile gives up cron; wanting console-login keeps it")
    func giveUpsNginx() throws {
        let root = TestPaths.packageRoot + "/manifests"
        let (input, loaded) = try Self.planInput(root: root, want: ["http:nginx"])
        let v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        let cron = try #require(v.giveUps.first { $0.fmri == "svc:/system/cron:default" })
        #expect(cron.kind == .cron && cron.what == "cron: crontab(1) and at(1) jobs do not run" && cron.keep == "--want svc:/system/cron:default")
        #expect(v.giveUps.contains { $0.fmri == "svc:/system/console-login:default" })
        let (kept, _) = try Self.planInput(root: root, want: ["http:nginx", "svc:/system/console-login:default"])
        let v2 = Plan.verdict(kept, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(!v2.giveUps.contains { $0.fmri == "svc:/system/console-login:default" })
        #expect(v2.giveUps.contains { $0.fmri == "svc:/system/cron:default" })
    }
}
