import Foundation
import Testing
@testable import SMFKit

/// `smf-minimize collect`: the printed script is parsed by ksh93 and dash,
/// then run against a fake zone root with a stub ldd, and the archive it
/// writes is read back.
@Suite("Collecting a zone's files", .timeLimit(.minutes(10)))
struct PlanCollectTests {
    static func shell(_ name: String) -> String? {
        ["/usr/bin/" + name, "/bin/" + name].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Run { var status: Int32; var out: String; var err: String }

    static func run(_ exe: String, _ args: [String], cwd: String? = nil, path: String? = nil) throws -> Run {
        let r = try CLI.run(args, executable: exe, in: cwd, environment: path.map { ["PATH": $0, "LC_ALL": "C"] })
        return Run(status: r.status, out: r.stdout, err: r.stderr)
    }

    /// The sample's cron request, read as a root: the closure's start methods.
    static func cronCollection(zoneRoot: String?, archive: String) throws -> Collection {
        let root = TestPaths.packageRoot + "/manifests"
        let (input, loaded) = try PlanLegacyTests.planInput(root: root, want: ["cron"])
        return Collection.forRequest(input, zoneRoot: zoneRoot, zone: nil, archive: archive,
                                     lookup: .root(try #require(loaded.root)))
    }

    @Test("the programs are those the closure's start methods name, and those the readable method scripts run")
    func programs() throws {
        let c = try Self.cronCollection(zoneRoot: "/", archive: "zone.tar")
        #expect(c.programs.contains("/lib/svc/method/svc-cron"))
        #expect(c.programUsers["/lib/svc/method/svc-cron"] == ["svc:/system/cron:default"])
        #expect(c.scriptPrograms.contains("/usr/sbin/cron"), "\(c.scriptPrograms)")
        #expect(!c.programs.contains { $0.contains("%") || !$0.hasPrefix("/") })
        #expect(c.paths.contains("etc/rc2.d") && c.paths.contains("etc/rcS.d") && c.paths.contains("etc/rc3.d"))
        let json = c.json.render()
        #expect(json.contains("\"path\": \"/lib/svc/method/svc-cron\""))
        #expect(json.contains("\"etc/inittab\""))
    }

    @Test("the script parses in ksh93 and dash, also with no program and with hostile names")
    func parses() throws {
        let t = TempDir()
        var cases = [try Self.cronCollection(zoneRoot: "/zones/web's root", archive: "/var/tmp/a $(rm -rf x).tar")]
        cases.append(Collection(zoneRoot: nil, zone: "web", archive: "web.tar", paths: Collection.fixedPaths, programs: [], programUsers: [:]))
        var shells = 0
        for (i, c) in cases.enumerated() {
            let file = t.write("c\(i).sh", c.script)
            for sh in ["ksh93", "dash"] {
                guard let exe = Self.shell(sh) else { continue }
                shells += 1
                let r = try Self.run(exe, ["-n", file])
                #expect(r.status == 0, "\(sh) -n: \(r.err)\n\(c.script)")
            }
        }
        #expect(shells > 0, "neither ksh93 nor dash is installed")
        #expect(cases[0].script.contains("root='/zones/web'\\''s root'"))
        #expect(cases[0].script.contains("archive='/var/tmp/a $(rm -rf x).tar'"))
    }

    @Test("run under ksh93 and dash on a fake zone root with a stub ldd, the archive holds what the analysis reads")
    func runs() throws {
        let t = TempDir()
        let root = t.path + "/zone root's"
        let fm = FileManager.default
        func put(_ rel: String, _ text: String) { t.write("zone root's/" + rel, text) }
        put("lib/svc/manifest/system/cron.xml", "<service_bundle/>\n")
        put("etc/svc/profile/generic_limited_net.xml", "<service_bundle/>\n")
        try fm.createSymbolicLink(atPath: root + "/etc/svc/profile/generic.xml", withDestinationPath: "generic_limited_net.xml")
        put("etc/inittab", "smf::sysinit:/lib/svc/bin/svc.startd\n")
        put("etc/rc2.d/README", "readme\n")
        put("etc/rc2.d/S99site", "#!/sbin/sh\necho site\n")
        put("lib/svc/method/svc-cron", "#!/sbin/sh\n/usr/sbin/cron &\n")
        put("lib/svc/share/smf_include.sh", "# include\n")
        put("usr/sbin/cron", "\u{7f}ELF fake\n")
        put("lib/libc.so.1", "\u{7f}ELF libc\n")
        put("usr/lib/libfoo.so.1.2", "\u{7f}ELF libfoo\n")
        try fm.createSymbolicLink(atPath: root + "/usr/lib/libfoo.so.1", withDestinationPath: "libfoo.so.1.2")
        put("etc/unrelated.conf", "not collected\n")
        // illumos ldd: a tab, name, =>, a tab, the path; "(file not found)" when missing.
        let ldd = t.write("bin/ldd", """
            #!/bin/sh
            case $1 in
            ./usr/sbin/cron) printf '\\tlibc.so.1 =>\\t /lib/libc.so.1\\n\\tlibfoo.so.1 =>\\t /usr/lib/libfoo.so.1\\n\\tlibgone.so.1 =>\\t (file not found)\\n\\tlibc.so.1 =>\\t /lib/libc.so.1\\n' ;;
            *) echo "ldd: $1: unsupported or unknown file type" >&2; exit 1 ;;
            esac

            """)
        chmod(ldd, 0o755)
        guard let tar = ["/usr/bin/tar", "/bin/tar"].first(where: { fm.isExecutableFile(atPath: $0) }) else {
            Issue.record("tar is not installed"); return
        }
        var ran = 0
        for sh in ["ksh93", "dash"] {
            guard let exe = Self.shell(sh) else { continue }
            ran += 1
            let out = t.path + "/out-\(sh)"
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
            // a relative archive is written where the script was started
            let c = try Self.cronCollection(zoneRoot: root, archive: "zone.tar")
            let script = t.write("collect-\(sh).sh", c.script)
            let r = try Self.run(exe, [script], cwd: out, path: t.path + "/bin:/usr/bin:/bin")
            #expect(r.status == 0, "\(sh): \(r.err)")
            #expect(r.err.contains("smf-minimize collect: wrote \(out)/zone.tar"), "\(r.err)")
            let list = try Self.run(tar, ["tvf", out + "/zone.tar"])
            #expect(list.status == 0, "\(list.err)")
            var entries: [String: Character] = [:]   // path -> type letter of tar tv ('-', 'l', 'd')
            for line in list.out.split(separator: "\n") {
                guard let type = line.first, let name = line.split(separator: " ").last else { continue }
                let path = String(name).hasSuffix("/") ? String(name.dropLast()) : String(name)
                // a link line ends "name -> target"
                if line.contains(" -> "), let arrow = line.range(of: " -> ") {
                    let before = line[..<arrow.lowerBound].split(separator: " ").last.map(String.init) ?? path
                    entries[before] = type
                } else {
                    entries[path] = type
                }
            }
            for want in ["lib/svc/manifest/system/cron.xml", "etc/svc/profile/generic_limited_net.xml", "etc/inittab",
                         "etc/rc2.d/README", "etc/rc2.d/S99site", "lib/svc/method/svc-cron", "lib/svc/share/smf_include.sh",
                         "usr/sbin/cron", "lib/libc.so.1", "usr/lib/libfoo.so.1"] {
                #expect(entries[want] != nil, "\(sh): \(want) missing from the archive:\n\(list.out)")
            }
            // the profile link is kept as a link; programs and libraries are stored as files
            #expect(entries["etc/svc/profile/generic.xml"] == "l", "\(list.out)")
            #expect(entries["usr/lib/libfoo.so.1"] == "-", "\(list.out)")
            #expect(entries["etc/unrelated.conf"] == nil)
            #expect(!entries.keys.contains { $0.contains("libgone") || $0.hasPrefix("var/") })
            // each library once
            #expect(list.out.split(separator: "\n").filter { $0.hasSuffix(" lib/libc.so.1") }.count == 1, "\(list.out)")
        }
        #expect(ran > 0, "neither ksh93 nor dash is installed")
    }

    @Test("the command prints the script, or with --format json the paths and programs", .enabled(if: CLI.binary != nil, CLI.missingMessage))
    func command() throws {
        let sh = try CLI.run(["collect", "--want", "cron", "--zone", "web"])
        #expect(sh.status == 0, "\(sh.stderr)")
        #expect(sh.stdout.hasPrefix("#!/bin/sh\n"))
        #expect(sh.stdout.contains("/usr/sbin/zonecfg -z \"$zone\" export"))
        let json = try CLI.run(["collect", "--want", "cron", "--format", "json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"paths\": ["))
        #expect(json.stdout.contains("\"/usr/sbin/cron\""))
        let none = try CLI.run(["collect"])
        #expect(none.status == 64, "\(none.stderr)")
    }
}
