import Foundation
import Testing
@testable import SMFKit

@Suite("Blank-zone artefacts")
struct PlanBlankZoneTests {
    let input = PlanFixtures.app()
    var verdict: Verdict { Plan.verdict(input, ipType: .shared, lookup: PlanFixtures.lookup) }

    @Test("the inittab keeps the stock lines, replaces the smf line and matches its golden file")
    func inittabGolden() throws {
        let text = try BlankZone.inittab(input, verdict: verdict, options: BlankZoneOptions(mode: .inittab))
        expectGolden("app-inittab", text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == BlankZone.stockInittab[0])
        #expect(lines.contains(BlankZone.stockInittab[1]) && lines.contains(BlankZone.stockInittab[3]))
        #expect(!lines.contains(BlankZone.stockInittab[2]))
        #expect(lines.filter { $0.hasPrefix("smf:") } == ["smf::sysinit:/sbin/sh -c 'exec /usr/bin/sleep Inf'"])
        #expect(BlankZoneOptions().mode == .rc, "the rc script is the default (docs/PLAN.md)")
    }

    @Test("the steps are values: mounts first, each setup command once with every member it replaces, then the services")
    func steps() throws {
        let v = verdict
        let steps = BlankZone.steps(input, verdict: v)
        let app = try #require(v.methods.first)
        #expect(steps.count == 2)
        guard case .setup("/sbin/mountall -l", let fmris, _) = steps.first else { Issue.record("\(steps)"); return }
        #expect(fmris == ["svc:/system/filesystem/local:default", "svc:/system/filesystem/minimal:default"])
        #expect(steps.last == .service(fmri: "svc:/site/app:default", duration: app.duration, canRun: true, launchLine: try #require(app.launchLine)))
        // a service that cannot run stays a step, written commented out
        let web = PlanFixtures.fsOnly("svc:/site/web:default")
        let wv = Plan.verdict(web, ipType: .shared, lookup: PlanFixtures.lookup)
        let ws = BlankZone.steps(web, verdict: wv)
        #expect(ws.contains { if case .service("svc:/site/web:default", _, false, _) = $0 { !$0.active } else { false } })
        // exclusive IP: the by-hand work is one step per set of lines, with every member needing it
        let ex = BlankZone.steps(input, verdict: Plan.verdict(input, ipType: .exclusive, lookup: PlanFixtures.lookup))
        let byHand = ex.compactMap { s -> [String]? in if case .byHand(_, let f) = s { f } else { nil } }
        #expect(byHand.flatMap { $0 }.sorted() == ["svc:/network/ip-interface-management:default", "svc:/network/loopback:default", "svc:/network/physical:default"])
        #expect(byHand.contains { $0 == ["svc:/network/ip-interface-management:default", "svc:/network/physical:default"] })
    }

    @Test("every inittab entry obeys init's parser: ids, rstate, action, lengths, a non-empty smf command")
    func inittabRules() throws {
        for mode in LaunchMode.allCases {
            let text = try BlankZone.inittab(input, verdict: verdict, options: BlankZoneOptions(mode: mode))
            let (entries, problems) = InittabChecker.parse(text)
            #expect(problems.isEmpty, "\(mode): \(problems)")
            for e in entries where e.id.hasPrefix("zm") {
                #expect(e.action == "sysinit")
                #expect(e.process.contains(">>/dev/msglog 2>&1"), "output not redirected: \(e.process)")
            }
            let app = entries.first { $0.process.contains("SMF_FMRI=svc:/site/app:default") }
            if mode == .inittab {
                #expect(app?.process.hasSuffix(" &") == true, "a child service must be backgrounded")
                #expect(entries.filter { $0.process.contains("mountall") }.count == 1)
            }
        }
    }

    @Test("the checker itself refuses what init refuses")
    func checkerRefuses() {
        let long = String(repeating: "x", count: 508)
        let bad = """
            toolong::sysinit:/bin/true
            ab:7:sysinit:/bin/true
            ab::sysinit:/bin/true
            cd:s:sysinit:/bin/true
            ef::bogus:/bin/true
            gh::sysinit:\(long)
            smf::sysinit:\(String(repeating: "y", count: 250))
            """
        let problems = InittabChecker.parse(bad).problems
        #expect(problems.count == 7, "\(problems)")
        #expect(InittabChecker.parse("ap::sysinit:/x\n").problems == ["no smf entry: init would not boot"])
    }

    @Test("existing ids are not reused and a missing smf line is added")
    func idsAndMissingSMF() throws {
        let options = BlankZoneOptions(inittab: ["zm00::sysinit:/bin/true", "ap::sysinit:/sbin/autopush -f /etc/iu.ap"])
        let text = try BlankZone.inittab(input, verdict: verdict, options: options)
        let (entries, problems) = InittabChecker.parse(text)
        #expect(problems.isEmpty, "\(problems)")
        #expect(entries.last?.id == "smf")
        #expect(entries.filter { $0.id == "zm00" }.count == 1)
    }

    @Test("a launch line over init's limit is refused with a pointer to --launch rc")
    func tooLong() {
        var v = verdict
        v.methods[0].launch = LaunchCommand(exec: "/bin/echo " + String(repeating: "a", count: 520))
        #expect(throws: BlankZone.BlankZoneError.self) { try BlankZone.inittab(input, verdict: v, options: BlankZoneOptions(mode: .inittab)) }
        do { _ = try BlankZone.inittab(input, verdict: v, options: BlankZoneOptions(mode: .inittab)) } catch {
            #expect(error.description.contains("--launch rc"))
        }
        #expect(throws: Never.self) { try BlankZone.rcScript(input, verdict: v, options: BlankZoneOptions(mode: .rc)) }
        #expect(throws: Never.self) { try BlankZone.inittab(input, verdict: v, options: BlankZoneOptions(mode: .rc)) }
    }

    @Test("the rc variant: the smf line runs the script, which ends in exec sleep; rc and notes match golden files")
    func rcAndNotes() throws {
        let options = BlankZoneOptions(mode: .rc)
        let inittab = try BlankZone.inittab(input, verdict: verdict, options: options)
        #expect(inittab.contains("smf::sysinit:/sbin/sh /etc/smf-minimize.rc\n"))
        // the setup stays in sysinit lines (run once per boot), the service goes to the script
        #expect(inittab.contains("zm00::sysinit:/sbin/sh -c '/sbin/mountall -l' </dev/null >>/dev/msglog 2>&1\n"))
        #expect(!inittab.contains("SMF_FMRI"))
        expectGolden("app-inittab-rc", inittab)
        let rc = try BlankZone.rcScript(input, verdict: verdict, options: options)
        #expect(rc.hasSuffix("exec /usr/bin/sleep Inf\n"))
        expectGolden("app-smf-minimize.rc", rc)
        let notes = BlankZone.notes(input, verdict: verdict, options: options)
        for needed in ["Nothing restarts a daemon", "/var/svc/log", "`svcs` and `svcadm` answer nothing",
                       "never imported", "stock smf line", "Booting with `-s` or `-r` changes nothing", "zoneadm -z ZONE halt"] {
            #expect(notes.contains(needed), "NOTES.md lacks: \(needed)")
        }
        expectGolden("app-NOTES.md", notes)
    }

    @Test("legacy rc scripts: a sysinit line each with --launch inittab, the rc script's 'legacy' part from one sysinit line with --launch rc; golden files")
    func legacyGolden() throws {
        let t = try PlanLegacyTests.sampleRoot(["etc/rc2.d/S99site": PlanLegacyTests.site, "etc/rc3.d/S50other.sh": PlanLegacyTests.site])
        defer { withExtendedLifetime(t) {} }
        let (input, loaded) = try PlanLegacyTests.planInput(root: t.path + "/root", want: ["cron"])
        let v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(v.legacyScripts.map(\.path) == ["/etc/rc2.d/S99site", "/etc/rc3.d/S50other.sh"])
        let inittab = try BlankZone.inittab(input, verdict: v, options: BlankZoneOptions(mode: .inittab))
        let lines = inittab.split(separator: "\n").map(String.init)
        let legacyLines = lines.filter { $0.hasPrefix("zm") && $0.contains("/etc/rc") }
        #expect(legacyLines.map { $0.components(separatedBy: "::sysinit:").last ?? "" } == [
            "/usr/bin/env PATH=/usr/sbin:/usr/bin /bin/sh /etc/rc2.d/S99site start </dev/null >>/dev/msglog 2>&1",
            "/usr/bin/env PATH=/usr/sbin:/usr/bin /bin/sh -c /etc/rc3.d/S50other.sh </dev/null >>/dev/msglog 2>&1",
        ])
        // after the setup lines, before the service
        let mount = try #require(lines.firstIndex { $0.contains("mountall") })
        let cron = try #require(lines.firstIndex { $0.contains("SMF_FMRI=svc:/system/cron:default") })
        let first = try #require(lines.firstIndex { $0 == legacyLines.first })
        #expect(mount < first && first < cron)
        expectGolden("legacy-inittab", inittab)
        let rcInittab = try BlankZone.inittab(input, verdict: v, options: BlankZoneOptions())
        #expect(rcInittab.contains("::sysinit:/sbin/sh /etc/smf-minimize.rc legacy </dev/null >>/dev/msglog 2>&1\nsmf::sysinit:/sbin/sh /etc/smf-minimize.rc\n"))
        expectGolden("legacy-inittab-rc", rcInittab)
        let rc = try BlankZone.rcScript(input, verdict: v, options: BlankZoneOptions())
        #expect(rc.contains("case \"$1\" in\nlegacy)\n"))
        expectGolden("legacy-smf-minimize.rc", rc)
        let notes = BlankZone.notes(input, verdict: v, options: BlankZoneOptions())
        #expect(!notes.contains(t.path))
        expectGolden("legacy-NOTES.md", notes)
    }

    @Test("a legacy script that needs SMF is written commented out in both modes and named in the notes")
    func legacyNeedsSMF() throws {
        let t = try PlanLegacyTests.sampleRoot(["etc/rc2.d/S99site": "#!/sbin/sh\n/usr/sbin/svcadm enable -t site/thing\n"])
        defer { withExtendedLifetime(t) {} }
        let (input, loaded) = try PlanLegacyTests.planInput(root: t.path + "/root", want: ["cron"])
        let v = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(v.choice == .trimmedProfile)
        let inittab = try BlankZone.inittab(input, verdict: v, options: BlankZoneOptions(mode: .inittab))
        #expect(inittab.contains("\n#zm03::sysinit:/usr/bin/env PATH=/usr/sbin:/usr/bin /bin/sh /etc/rc2.d/S99site start"), "\(inittab)")
        let rc = try BlankZone.rcScript(input, verdict: v, options: BlankZoneOptions())
        #expect(rc.contains("\t# /usr/bin/env PATH=/usr/sbin:/usr/bin /bin/sh /etc/rc2.d/S99site start\n"), "\(rc)")
        let notes = BlankZone.notes(input, verdict: v, options: BlankZoneOptions())
        #expect(notes.contains("the legacy rc script /etc/rc2.d/S99site (run by svc:/milestone/multi-user:default) cannot run without SMF"))
        // the notes list what the blank zone (not the verdict's profile) turns off
        #expect(notes.contains("`svc:/system/console-login:default` (console-login)"), "\(notes)")
    }

    @Test("a service that cannot run is written commented out and listed in the notes")
    func cannotRunCommented() throws {
        let web = PlanFixtures.fsOnly("svc:/site/web:default")
        let v = Plan.verdict(web, ipType: .shared, lookup: PlanFixtures.lookup)
        let text = try BlankZone.inittab(web, verdict: v, options: BlankZoneOptions(mode: .inittab))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("#zm") && $0.contains("SMF_FMRI=svc:/site/web:default") })
        let rc = try BlankZone.rcScript(web, verdict: v, options: BlankZoneOptions())
        #expect(rc.split(separator: "\n").contains { $0.hasPrefix("# /usr/bin/env SMF_FMRI=svc:/site/web:default") })
        let notes = BlankZone.notes(web, verdict: v, options: BlankZoneOptions())
        #expect(notes.contains("Verdict: **trimmed profile**"))
        #expect(notes.contains("svc:/site/web:default cannot run without SMF"))
    }

    @Test("files are written whole, never clobbered without force, and replaced with force")
    func writer() throws {
        let dir = TempDir()
        let arts = try BlankZone.artefacts(input, verdict: verdict, options: BlankZoneOptions(mode: .rc))
        #expect(arts.map(\.name) == ["inittab", "smf-minimize.rc", "NOTES.md"])
        let paths = try ArtefactWriter.write(arts, to: dir.path + "/out", force: false)
        #expect(paths.count == 3)
        let attrs = try FileManager.default.attributesOfItem(atPath: dir.path + "/out/smf-minimize.rc")
        #expect((attrs[.posixPermissions] as? Int) == 0o755)
        #expect(throws: ArtefactWriter.WriteError.self) { try ArtefactWriter.write(arts, to: dir.path + "/out", force: false) }
        dir.write("out/inittab", "mine\n")
        #expect(throws: ArtefactWriter.WriteError.self) { try ArtefactWriter.write(arts, to: dir.path + "/out", force: false) }
        #expect(String(decoding: FileManager.default.contents(atPath: dir.path + "/out/inittab") ?? Data(), as: UTF8.self) == "mine\n")
        try ArtefactWriter.write(arts, to: dir.path + "/out", force: true)
        #expect(String(decoding: FileManager.default.contents(atPath: dir.path + "/out/inittab") ?? Data(), as: UTF8.self) == arts[0].content)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/out").filter { $0.contains(".tmp.") }
        #expect(leftovers.isEmpty)
    }
}
