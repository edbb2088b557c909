import Foundation
import Testing
@testable import SMFKit

/// Links and includes that try to leave the root: each is a diagnostic, and
/// no byte of the outside files shows up anywhere.
@Suite("--root: nothing outside the root is read")
struct RootEscapeTests {
    static let secret = "SECRET-OUTSIDE-7f3a"

    /// Files outside the root whose every line carries the secret marker.
    static func plantSecrets(_ z: ZoneRoot) {
        z.writeOutside("secret-profile.xml", """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
        <service_bundle type='profile' name='\(secret)'>
          <service name='system/sac' version='1' type='service'>
            <instance name='default' enabled='false'/>
          </service>
          <service name='secret/\(secret.lowercased())' version='1' type='service'>
            <instance name='default' enabled='true'/>
          </service>
        </service_bundle>

        """)
        z.writeOutside("secret-manifest.xml", manifest("""
          <service name='secret/leak' version='1' type='service'>
            <create_default_instance enabled='true'/>
            <exec_method type='method' name='start' exec='/bin/\(secret)' timeout_seconds='1'/>
          </service>
        """, name: secret))
        z.writeOutside("passwd", "root:x:0:0:\(secret):/root:/bin/sh\n")
    }

    static func expectNothingLeaked(_ input: LoadedInput, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let all = everythingSaid(input)
        #expect(!all.contains(secret), sourceLocation: sourceLocation)
        #expect(!all.contains(secret.lowercased()), sourceLocation: sourceLocation)
        #expect(input.repository.services["secret/leak"] == nil, sourceLocation: sourceLocation)
        #expect(!input.repository.layers.contains { $0.contains("/outside/") }, sourceLocation: sourceLocation)
        #expect(!input.repository.files.contains { $0.path.contains("/outside/") }, sourceLocation: sourceLocation)
    }

    @Test("a profile link climbing out with ../../.. is SMF005 and is not read", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func relativeLinkEscape() throws {
        let z = ZoneRoot.fromCorpora()
        Self.plantSecrets(z)
        z.link("etc/svc/profile/site/evil.xml", to: "../../../../../outside/secret-profile.xml")
        let input = z.load()
        let d = try #require(input.repository.diagnostics.first { $0.code == .pathEscapesRoot })
        #expect(d.severity == .error)
        #expect(d.location.file == z.path + "/etc/svc/profile/site/evil.xml")
        #expect(input.repository.instance("system/sac", "default")?.enabled == true)
        Self.expectNothingLeaked(input)
    }

    @Test("an absolute link to a host file outside the root is re-rooted (as a chroot would): dangling, nothing read", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func absoluteLinkIsReRooted() throws {
        let z = ZoneRoot.fromCorpora()
        Self.plantSecrets(z)
        z.link("etc/svc/profile/site/evil.xml", to: z.outside + "/secret-profile.xml")
        z.link("lib/svc/manifest/site/leak.xml", to: z.outside + "/secret-manifest.xml")
        z.link("etc/inittab", to: z.outside + "/passwd")
        let input = z.load()
        let diags = input.repository.diagnostics
        #expect(diags.contains { $0.code == .pathUnreadable && $0.location.file.hasSuffix("/site/evil.xml") && $0.message.contains("inside the root") })
        #expect(diags.contains { $0.code == .pathUnreadable && $0.location.file.hasSuffix("/site/leak.xml") })
        #expect(input.inittab == nil)
        #expect(input.repository.instance("system/sac", "default")?.enabled == true)
        Self.expectNothingLeaked(input)
    }

    @Test("an /etc/passwd-style absolute link reads the root's own file, never the host's")
    func etcPasswdStyleLink() throws {
        let z = ZoneRoot()
        z.write("etc/passwd", "root:x:0:0:zone's own:/root:/bin/sh\n")
        z.link("lib/svc/method/svc-x", to: "/etc/passwd")
        let fs = RootFS(z.path)
        let bytes = try fs.read(path: "/lib/svc/method/svc-x").get()
        #expect(String(decoding: bytes, as: UTF8.self).contains("zone's own"))
        let r = try fs.resolve("/lib/svc/method/svc-x").get()
        #expect(r.path == "/etc/passwd")
        #expect(r.hostPath == z.path + "/etc/passwd")
    }

    @Test("a manifest link and a directory link climbing out of lib/svc/manifest are SMF005")
    func manifestLinkEscape() throws {
        let z = ZoneRoot()
        Self.plantSecrets(z)
        z.write("lib/svc/manifest/site/ok.xml", manifest("<service name='site/ok' version='1' type='service'><create_default_instance enabled='true'/></service>"))
        z.link("lib/svc/manifest/site/leak.xml", to: "../../../../../outside/secret-manifest.xml")
        z.link("lib/svc/manifest/outdir", to: "../../../../outside")
        let input = z.load()
        let escapes = input.repository.diagnostics.filter { $0.code == .pathEscapesRoot }
        #expect(escapes.count == 2)
        #expect(input.repository.services["site/ok"] != nil)
        Self.expectNothingLeaked(input)
    }

    @Test("an include climbing out of the root is SMF005 at the include; an absolute href outside is not found inside the root", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func includeEscape() throws {
        let z = ZoneRoot.fromCorpora()
        Self.plantSecrets(z)
        z.write("etc/svc/profile/site/inc.xml", profile([("system/cron", "default", false)], extra: """
          <xi:include href='../../../../../outside/secret-profile.xml'/>
          <xi:include href='file:\(z.outside)/secret-profile.xml'/>
          <xi:include href='file:///etc/svc/profile/../../../../outside/secret-profile.xml'/>
        """))
        let input = z.load()
        let diags = input.repository.diagnostics.filter { $0.location.file.hasSuffix("/site/inc.xml") }
        #expect(diags.filter { $0.code == .pathEscapesRoot }.count == 2)
        #expect(diags.contains { $0.code == .includeUnresolved && $0.message.contains("does not exist inside the root") })
        #expect(input.repository.instance("system/cron", "default")?.enabled == false)
        #expect(input.repository.instance("system/sac", "default")?.enabled == true)
        Self.expectNothingLeaked(input)
    }

    @Test("a --profile on the host may include file:/etc/... which resolves inside the root, never on the host")
    func hostProfileIncludesInsideRoot() throws {
        let z = ZoneRoot()
        z.write("lib/svc/manifest/site/a.xml", manifest("<service name='site/a' version='1' type='service'><create_default_instance enabled='false'/></service>"))
        z.write("etc/svc/profile/enable-a.xml", profile([("site/a", "default", true)]))
        let p = z.writeOutside("p.xml", profile([], extra: "<xi:include href='file:/etc/svc/profile/enable-a.xml'/>"))
        let repo = z.load(profiles: [p]).repository
        #expect(repo.instance("site/a", "default")?.enabled == true)
        // Without the root the same profile warns that it cannot follow the include.
        let plain = Loader.load(InputSpec(paths: [z.path + "/lib/svc/manifest"], profiles: [p]))
        #expect(plain.diagnostics.contains { $0.code == .includeUnresolved })
        #expect(plain.instance("site/a", "default")?.enabled == false)
    }

    @Test("a symlink loop inside the root is SMF003, and a directory cycle does not hang the walk")
    func symlinkLoop() throws {
        let z = ZoneRoot()
        z.write("lib/svc/manifest/site/a.xml", manifest("<service name='site/a' version='1' type='service'><create_default_instance enabled='true'/></service>"))
        z.link("etc/svc/profile/generic.xml", to: "loop1.xml")
        z.link("etc/svc/profile/loop1.xml", to: "/etc/svc/profile/loop2.xml")
        z.link("etc/svc/profile/loop2.xml", to: "generic.xml")
        z.link("lib/svc/manifest/site/again", to: "..")
        z.link("lib/svc/manifest/site/self.xml", to: "self.xml")
        let repo = z.load().repository
        let loops = repo.diagnostics.filter { $0.code == .symlinkLoop }
        #expect(loops.contains { $0.location.file.hasSuffix("/etc/svc/profile/generic.xml") && $0.severity == .error })
        #expect(loops.contains { $0.location.file.hasSuffix("/site/self.xml") })
        #expect(loops.contains { $0.location.file.hasSuffix("/site/again") })
        #expect(repo.services["site/a"] != nil)
        #expect(repo.files.count == 1)
    }
}

@Suite("RootFS: resolution inside a root")
struct RootFSTests {
    @Test("absolute links start again at the root; relative ones from the link's directory")
    func resolution() throws {
        let z = ZoneRoot()
        z.write("etc/svc/profile/generic_limited_net.xml", "x")
        z.link("etc/svc/profile/generic.xml", to: "/etc/svc/profile/generic_limited_net.xml")
        z.link("etc/prof", to: "svc/profile")
        let fs = RootFS(z.path + "/")
        let r = try fs.resolve("/etc/prof/generic.xml").get()
        #expect(r.path == "/etc/svc/profile/generic_limited_net.xml")
        #expect(r.hostPath == z.path + "/etc/svc/profile/generic_limited_net.xml")
        #expect(r.links.count == 2)
        #expect(fs.exists("etc/svc/profile/generic.xml"))
        #expect(fs.exists("/etc/svc/profile"))
        #expect(!fs.exists("/etc/svc/profile/nothing.xml"))
        #expect(fs.hostPath("/a/../b") == z.path + "/b")
    }

    @Test("'..' above the root is an escape, not clamped; '..' inside is fine")
    func dotDot() throws {
        let z = ZoneRoot()
        z.write("etc/a", "a")
        let fs = RootFS(z.path)
        #expect(try fs.resolve("/etc/../etc/a").get().path == "/etc/a")
        guard case .failure(.escapes) = fs.resolve("/../outside/x") else {
            Issue.record("expected an escape")
            return
        }
        z.link("etc/up", to: "../../x")
        guard case .failure(.escapes(let link, let target)) = fs.resolve("/etc/up") else {
            Issue.record("expected an escape")
            return
        }
        #expect(link == "/etc/up")
        #expect(target == "../../x")
    }

    @Test("a missing root, a file where a directory is expected, and a FIFO are problems, not crashes")
    func problems() throws {
        let missing = RootFS("/nonexistent-root-\(UUID().uuidString)")
        guard case .failure(.badRoot) = missing.resolve("/etc") else {
            Issue.record("expected badRoot")
            return
        }
        let z = ZoneRoot()
        z.write("etc/file", "x")
        let fs = RootFS(z.path)
        guard case .failure(.notDirectory) = fs.resolve("/etc/file/below") else {
            Issue.record("expected notDirectory")
            return
        }
        mkfifo(z.path + "/etc/fifo", 0o644)
        guard case .failure(.notRegular) = fs.read(path: "/etc/fifo") else {
            Issue.record("expected notRegular")
            return
        }
        let repo = Loader.load(InputSpec(root: missing.root))
        #expect(repo.diagnostics.contains { $0.code == .pathMissing && $0.severity == .error })
    }

    @Test("required files that the root lacks are found inside the root, in the order asked (what the report marks missing)")
    func requiredFiles() {
        let z = ZoneRoot()
        z.write("etc/ssh/sshd_config", "Port 22\n")
        let outside = TempDir()
        _ = FileManager.default.createFile(atPath: outside.path + "/key", contents: Data("k".utf8))
        z.link("etc/ssh/ssh_host_rsa_key", to: outside.path + "/key")
        let fs = RootFS(z.path)
        // The absolute link is followed inside the root, where it names nothing.
        #expect(fs.missing(["/etc/ssh/sshd_config", "/etc/ssh/ssh_host_rsa_key", "/etc/ssh/moduli"])
                == ["/etc/ssh/ssh_host_rsa_key", "/etc/ssh/moduli"])
        #expect(fs.missing(["/etc/ssh/sshd_config"]).isEmpty)
    }

    @Test("a zonepath given as --root gets a hint naming its root/ folder")
    func zonepathHint() {
        let z = ZoneRoot()
        z.write("root/lib/svc/manifest/site/a.xml", "x")
        let repo = Loader.load(InputSpec(root: z.path))
        #expect(repo.diagnostics.contains { $0.message.contains("zonepath") && $0.message.contains(z.path + "/root") })
    }

    @Test("var/svc/manifest is read after lib/svc/manifest: lib's definition wins")
    func libBeforeVar() throws {
        let z = ZoneRoot()
        z.write("var/svc/manifest/site/a.xml", manifest("<service name='site/a' version='1' type='service'><create_default_instance enabled='true'/></service>"))
        z.write("lib/svc/manifest/site/a.xml", manifest("<service name='site/a' version='1' type='service'><create_default_instance enabled='false'/></service>"))
        let repo = z.load().repository
        #expect(repo.files.map(\.path) == [z.path + "/lib/svc/manifest/site/a.xml", z.path + "/var/svc/manifest/site/a.xml"])
        #expect(repo.instance("site/a", "default")?.enabled == false)
    }

    @Test("without --dtd, the root's own usr/share/lib/xml/dtd/service_bundle.dtd.1 validates its manifests; --dtd wins over it", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func rootDTD() throws {
        let z = ZoneRoot()
        let dtd = try String(contentsOfFile: TestPaths.dtd, encoding: .utf8)
        z.write("usr/share/lib/xml/dtd/service_bundle.dtd.1", dtd)
        // <instance> before <exec_method>: the DTD's order forbids it, the reader does not care.
        z.write("lib/svc/manifest/site/bad.xml", manifest("""
          <service name='site/bad' version='1' type='service'>
            <instance name='default' enabled='true'/>
            <exec_method type='method' name='start' exec=':true' timeout_seconds='1'/>
          </service>
        """))
        let withRootDTD = z.load().repository
        #expect(withRootDTD.diagnostics.contains { $0.code == .dtdInvalid && $0.location.file.hasSuffix("/site/bad.xml") && $0.message.contains("does not follow the DTD") })
        let permissive = z.writeOutside("any.dtd", "<!ELEMENT service_bundle ANY>\n")
        let withGiven = z.load(dtd: permissive).repository
        #expect(withGiven.diagnostics.contains { $0.code == .dtdInvalid && $0.message.contains("No declaration for element service") })
        #expect(!withGiven.diagnostics.contains { $0.message.contains("does not follow the DTD") })
        z.link("usr/share/lib/xml/dtd/service_bundle.dtd.1", to: "../../../../../../outside/any.dtd")
        let escaped = z.load().repository
        #expect(!escaped.diagnostics.contains { $0.code == .dtdInvalid })
    }

    @Test("the bundled sample reads as a root with its relative profile links and no error",
          .enabled(if: FileManager.default.fileExists(atPath: TestPaths.packageRoot + "/manifests/lib/svc/manifest"),
                   "manifests/ (the bundled sample) is not in this checkout"))
    func bundledSampleAsRoot() throws {
        let sample = TestPaths.packageRoot + "/manifests"
        let input = Loader.loadInput(InputSpec(root: sample))
        #expect(!input.repository.diagnostics.hasErrors, "\(input.repository.diagnostics.filter { $0.severity == .error })")
        #expect(input.repository.layers.first?.hasSuffix("/etc/svc/profile/generic.xml") == true)
    }
}
