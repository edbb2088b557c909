import Foundation
import Testing
@testable import SMFKit
#if canImport(Glibc)
import Glibc
#endif

/// The DOCTYPE svccfg accepts, with an internal subset.
private func doctype(_ subset: String) -> String {
    "<!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1' [\n\(subset)\n]>"
}

private let goodManifest = manifest("""
<service name='site/good' type='service' version='1'>
  <create_default_instance enabled='true'/>
</service>
""", name: "good")

@Suite("Hostile input: a diagnostic, bounded time and memory, nothing read that should not be")
struct HostileInputTests {
    static let directory = TestPaths.fixture("hostile")
    static let repo = Loader.load(InputSpec(paths: [directory]))

    @Test("Tests/Fixtures/hostile: each file has its one diagnostic and the good manifest is read",
          arguments: [("billion-laughs.xml", DiagnosticCode.xmlAmplification, 17),
                      ("parameter-entities.xml", .xmlEntityRefused, 3),
                      ("doctype-other-dtd.xml", .dtdUnknown, 2)])
    func fixtureDirectory(_ file: String, _ code: DiagnosticCode, _ line: Int) throws {
        let found = diagnostics(Self.repo, about: Self.directory + "/" + file)
        try #require(found.count == 1, "\(found)")
        #expect(found[0].code == code, "\(found[0])")
        #expect(found[0].location.line == line, "\(found[0])")
        #expect(found[0].location.column >= 1)
        #expect(Self.repo.services["site/good"]?.instances["default"]?.enabled == true)
    }

    @Test("a parameter entity's injected declaration and the other DTD are never used")
    func parameterEntitiesAndOtherDTD() {
        #expect(!everythingPrinted(Self.repo).contains("injected-by-parameter-entity"))
        // The documents themselves are still read: their services exist.
        #expect(Self.repo.services["site/param"] != nil)
        #expect(Self.repo.services["site/otherdtd"] != nil)
        #expect(Self.repo.services["site/laughs"] == nil)
    }

    @Test("FMRIs with odd characters: one SMF022 each, on its own line, the service kept (and one SMF032: svccfg refuses the file)")
    func oddFMRIs() throws {
        let path = Self.directory + "/odd-fmri.xml"
        let all = diagnostics(Self.repo, about: path)
        let refused = all.filter { $0.code == .bundleNotImportable }
        #expect(refused.count == 1)
        #expect(refused.first?.location.line == 6)
        let found = all.filter { $0.code != .bundleNotImportable }
        #expect(found.count == 13, "\(found.map(\.description))")
        #expect(found.allSatisfy { $0.code == .badFMRI })
        #expect(Set(found.map(\.location.line)) == Set(6...18))
        #expect(found.allSatisfy { !$0.description.contains("\n") })
        let odd = try #require(Self.repo.services["site/odd"])
        #expect(odd.instances["default"] != nil)
    }

    @Test("an external entity naming a local file: refused, located, and the file's content appears nowhere",
          .timeLimit(.minutes(10)))
    func externalEntityLocalFile() throws {
        let dir = TempDir()
        let marker = "SMF-SECRET-\(UUID().uuidString)"
        let secret = dir.write("secret.txt", marker + "\n")
        let inContent = dir.write("xxe-content.xml", """
        <?xml version='1.0'?>
        \(doctype("<!ENTITY xxe SYSTEM 'file://\(secret)'>"))
        <service_bundle type='manifest' name='xxe'>
          <service name='site/xxe' type='service' version='1'>
            <create_default_instance enabled='true'/>
            <template><common_name><loctext xml:lang='C'>&xxe;</loctext></common_name></template>
          </service>
        </service_bundle>
        """)
        let inAttribute = dir.write("xxe-attribute.xml", """
        <?xml version='1.0'?>
        \(doctype("<!ENTITY xxe SYSTEM '\(secret)'>"))
        <service_bundle type='manifest' name='xxe-attr'>
          <service name='site/xxeattr' type='service' version='1'>
            <create_default_instance enabled='true'/>
            <property_group name='pg' type='application'>
              <propval name='p' type='astring' value='&xxe;'/>
            </property_group>
          </service>
        </service_bundle>
        """)
        let asDTD = dir.write("xxe-dtd.xml", """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '\(secret)'>
        <service_bundle type='manifest' name='xxe-dtd'/>
        """)
        let asParameter = dir.write("xxe-parameter.xml", """
        <?xml version='1.0'?>
        \(doctype("<!ENTITY % p SYSTEM 'file://\(secret)'>\n%p;"))
        <service_bundle type='manifest' name='xxe-param'/>
        """)
        dir.write("good.xml", goodManifest)
        let repo = Loader.load(InputSpec(paths: [dir.path]))

        #expect(!everythingPrinted(repo).contains(marker), "the secret file's content leaked")
        #expect(repo.services["site/good"] != nil)

        let content = diagnostics(repo, about: inContent)
        #expect(content.map(\.code) == [.xmlEntityRefused], "\(content)")
        #expect(content.first?.location.line == 3)
        #expect(content.first?.message.contains(secret) == true)
        // The document is read all the same, without the entity's text.
        #expect(repo.services["site/xxe"] != nil)
        #expect(repo.services["site/xxe"]?.commonName == nil)

        let attribute = diagnostics(repo, about: inAttribute)
        #expect(attribute.map(\.code) == [.xmlEntityRefused], "\(attribute)")
        #expect(attribute.first?.location.line == 9)

        let dtd = diagnostics(repo, about: asDTD)
        #expect(dtd.map(\.code) == [.dtdUnknown], "\(dtd)")

        let parameter = diagnostics(repo, about: asParameter)
        #expect(parameter.map(\.code) == [.xmlEntityRefused], "\(parameter)")
        #expect(parameter.first?.location.line == 3)
    }

    @Test("an external entity over http: refused without any connection, and it returns at once",
          .timeLimit(.minutes(10)))
    func externalEntityHTTP() throws {
        // A listener on loopback that nobody should ever connect to.
        let listener = try LoopbackListener()
        let dir = TempDir()
        let url = "http://127.0.0.1:\(listener.port)/secret.xml"
        let doc = dir.write("xxe-http.xml", """
        <?xml version='1.0'?>
        \(doctype("<!ENTITY remote SYSTEM '\(url)'>"))
        <service_bundle type='manifest' name='http'>
          <service name='site/http' type='service' version='1'>
            <create_default_instance enabled='true'/>
            <template><common_name><loctext xml:lang='C'>&remote;</loctext></common_name></template>
          </service>
        </service_bundle>
        """)
        let started = ContinuousClock.now
        let repo = Loader.load(InputSpec(paths: [doc]))
        let elapsed = ContinuousClock.now - started
        let found = diagnostics(repo, about: doc)
        #expect(found.map(\.code) == [.xmlEntityRefused], "\(found)")
        #expect(found.first?.message.contains(url) == true)
        #expect(listener.connectionsWaiting() == 0, "the reader opened a network connection")
        // A generous guard, not a speed test: a network attempt would block far longer.
        #expect(elapsed < .seconds(30))
    }

    @Test("quadratic blowup: one big entity referenced many times stops at libxml2's amplification limit",
          .timeLimit(.minutes(10)))
    func quadraticBlowup() {
        let big = String(repeating: "A", count: 50_000)
        let refs = String(repeating: "&big;", count: 10_000)
        let doc = """
        <?xml version='1.0'?>
        \(doctype("<!ENTITY big '\(big)'>"))
        <service_bundle type='manifest' name='quadratic'>
        <service name='site/q' type='service' version='1'><template><common_name><loctext xml:lang='C'>\(refs)</loctext></common_name></template></service>
        </service_bundle>
        """
        let r = ManifestReader().read(bytes: Array(doc.utf8), path: "quadratic.xml")
        #expect(r.bundle == nil)
        #expect(r.diagnostics.map(\.code) == [.xmlAmplification], "\(r.diagnostics)")
        #expect(r.diagnostics.first?.location.line == 6)
    }

    @Test("elements nested a million deep: one diagnostic from libxml2's depth limit", .timeLimit(.minutes(10)))
    func millionDeep() {
        let depth = 1_000_000
        var bytes = Array("<?xml version='1.0'?>\n<service_bundle type='manifest' name='deep'>".utf8)
        bytes.reserveCapacity(bytes.count + depth * 7 + 32)
        for _ in 0..<depth { bytes += [0x3c, 0x61, 0x3e] }                 // <a>
        for _ in 0..<depth { bytes += [0x3c, 0x2f, 0x61, 0x3e] }           // </a>
        bytes += Array("</service_bundle>\n".utf8)
        let r = ManifestReader().read(bytes: bytes, path: "deep.xml")
        #expect(r.bundle == nil)
        #expect(r.diagnostics.count == 1, "\(r.diagnostics)")
        #expect(r.diagnostics.first?.code == .xmlAmplification)
        #expect(r.diagnostics.first?.location.line == 2)
    }

    @Test("many dependencies in one service are all read and merged in bounded time", .timeLimit(.minutes(10)))
    func manyDependencies() throws {
        // A million (about a minute in a debug build; see docs/RELIABILITY.md);
        // SMF_HOSTILE_QUICK=1 makes it 50,000 for quick local runs.
        let n = ProcessInfo.processInfo.environment["SMF_HOSTILE_QUICK"] == "1" ? 50_000 : 1_000_000
        var text = "<?xml version='1.0'?>\n<!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>\n"
        text += "<service_bundle type='manifest' name='many'><service name='site/many' type='service' version='1'>\n"
        text += "<create_default_instance enabled='true'/>\n"
        text.reserveCapacity(n * 120)
        for i in 0..<n {
            text += "<dependency name='d\(i)' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/site/many'/></dependency>\n"
        }
        text += "</service></service_bundle>\n"
        let bytes = Array(text.utf8)
        let reader = ManifestReader(options: ReaderOptions(maxFileSize: bytes.count))
        let r = reader.read(bytes: bytes, path: "many.xml")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics.prefix(3))")
        var builder = RepositoryBuilder()
        builder.addSource(r)
        let repo = builder.build()
        let inst = try #require(repo.instance("site/many", "default"))
        #expect(inst.groups.count == n)
        #expect(repo.counts.dependencies == n)
    }

    @Test("a profile layer that includes itself is read once, with one warning", .timeLimit(.minutes(10)))
    func profileIncludesItself() throws {
        let profile = Self.directory + "/profile-self-include.xml"
        let repo = Loader.load(InputSpec(paths: [Self.directory + "/good.xml"], profiles: [profile]))
        let found = diagnostics(repo, about: profile)
        #expect(found.map(\.code) == [.includeUnresolved], "\(found)")
        #expect(found.first?.location.line == 4)
        // The layer was applied: it disables the good service's instance.
        #expect(repo.services["site/good"]?.instances["default"]?.enabled == false)
    }
}

@Suite("Hostile paths: loops, FIFOs, directories named like files, size limits")
struct HostilePathTests {
    @Test("a directory with a symlink loop, a self-link, a FIFO, a directory x.xml and a dangling link",
          .timeLimit(.minutes(10)))
    func oddPaths() throws {
        let dir = TempDir()
        let good = dir.write("good.xml", goodManifest)
        try #require(symlink(".", dir.path + "/loop") == 0)
        try #require(symlink("a.xml", dir.path + "/a.xml") == 0)
        try #require(mkfifo(dir.path + "/fifo.xml", 0o644) == 0)
        try #require(mkdir(dir.path + "/x.xml", 0o755) == 0)
        try #require(symlink("nowhere.xml", dir.path + "/dangling.xml") == 0)
        let repo = Loader.load(InputSpec(paths: [dir.path]))

        #expect(repo.services["site/good"] != nil)
        #expect(diagnostics(repo, about: good).isEmpty)
        func only(_ name: String) -> [DiagnosticCode] { diagnostics(repo, about: dir.path + "/" + name).map(\.code) }
        #expect(only("loop") == [.symlinkLoop])
        #expect(only("a.xml") == [.symlinkLoop])
        #expect(only("fifo.xml") == [.pathUnreadable])
        #expect(only("x.xml") == [.pathUnreadable])
        #expect(only("dangling.xml") == [.pathUnreadable])
        // Nothing was read twice through the loop.
        #expect(repo.counts.files == 1)
    }

    @Test("the same odd paths named on the command line: one diagnostic each, the FIFO never opened",
          .timeLimit(.minutes(10)))
    func oddPathsNamed() throws {
        let dir = TempDir()
        let good = dir.write("good.xml", goodManifest)
        try #require(symlink("a.xml", dir.path + "/a.xml") == 0)
        try #require(mkfifo(dir.path + "/fifo.xml", 0o644) == 0)
        try #require(symlink("nowhere.xml", dir.path + "/dangling.xml") == 0)
        let named = ["a.xml", "fifo.xml", "dangling.xml", "missing.xml"].map { dir.path + "/" + $0 }
        let repo = Loader.load(InputSpec(paths: named + [good]))
        #expect(repo.services["site/good"] != nil)
        #expect(diagnostics(repo, about: named[0]).map(\.code) == [.symlinkLoop])
        #expect(diagnostics(repo, about: named[1]).map(\.code) == [.pathUnreadable])
        #expect(diagnostics(repo, about: named[2]).map(\.code) == [.pathUnreadable])
        #expect(diagnostics(repo, about: named[3]).map(\.code) == [.pathMissing])
    }

    @Test("a file one byte over the size limit is refused unread; one at the limit is read")
    func sizeLimit() throws {
        let limit = 4096
        let dir = TempDir()
        func padded(_ size: Int) -> String {
            let base = goodManifest.replacingOccurrences(of: "site/good", with: "site/s\(size)")
            let filler = size - base.utf8.count - "<!--  -->\n".utf8.count
            return base + "<!-- " + String(repeating: "x", count: filler) + " -->\n"
        }
        let at = dir.write("at-limit.xml", padded(limit))
        let over = dir.write("over-limit.xml", padded(limit + 1))
        #expect(try FileManager.default.attributesOfItem(atPath: at)[.size] as? Int == limit)
        #expect(try FileManager.default.attributesOfItem(atPath: over)[.size] as? Int == limit + 1)
        let repo = Loader.load(InputSpec(paths: [dir.path], maxFileSize: limit))
        #expect(diagnostics(repo, about: at).isEmpty)
        #expect(repo.services["site/s\(limit)"] != nil)
        let found = diagnostics(repo, about: over)
        #expect(found.map(\.code) == [.fileTooLarge], "\(found)")
        #expect(repo.services["site/s\(limit + 1)"] == nil)
        // The same limit applies to bytes handed to the reader directly.
        let r = ManifestReader(options: ReaderOptions(maxFileSize: limit)).read(bytes: Array(padded(limit + 1).utf8), path: "m.xml")
        #expect(r.diagnostics.map(\.code) == [.fileTooLarge])
    }

    @Test("with the default limit, a sparse file just over it is refused without being read")
    func defaultSizeLimitSparse() throws {
        let dir = TempDir()
        let path = dir.path + "/huge.xml"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        try #require(fd >= 0)
        #expect(ftruncate(fd, off_t(ReaderOptions.defaultMaxFileSize + 1)) == 0)
        close(fd)
        let repo = Loader.load(InputSpec(paths: [path]))
        #expect(repo.diagnostics.map(\.code) == [.fileTooLarge])
        #expect(repo.diagnostics.first?.message.contains("\(ReaderOptions.defaultMaxFileSize)") == true)
    }
}

/// A TCP listener on 127.0.0.1 with an ephemeral port, to prove that nothing
/// connects to it. Closed when the value dies.
final class LoopbackListener {
    let fd: Int32
    let port: UInt16

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw Failure(description: "bind/listen: \(errno)")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: addr.sin_port)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Accepts (and closes) every connection that reached the listener.
    func connectionsWaiting() -> Int {
        var n = 0
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return n }
            close(c)
            n += 1
        }
    }

    deinit { close(fd) }
}

@Suite("Fuzz regression fixtures (Tests/Fixtures/fuzz)")
struct HostileFuzzRegressionTests {
    static let directory = TestPaths.fixture("fuzz")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".xml") }.sorted()
    }

    @Test("every fuzz regression fixture goes through the reader, the merge and the rendering like the harness",
          .timeLimit(.minutes(10)), arguments: inputs)
    func replay(_ name: String) throws {
        let path = Self.directory + "/" + name
        let bytes = try #require(FileManager.default.contents(atPath: path))
        // What Fuzz/Sources/SMFFuzz/FuzzTarget.swift does with one input.
        let result = ManifestReader(options: ReaderOptions(maxFileSize: 1 << 20)).read(bytes: Array(bytes), path: path)
        var builder = RepositoryBuilder()
        builder.addSource(result)
        if let bundle = result.bundle { builder.addLayer(name: path, bundles: [bundle]) }
        let repo = builder.build()
        let report = InventoryReport(repo)
        // Both renderings say what the merge counted.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.render().utf8)) as? [String: Any])
        let counts = try #require(json["counts"] as? [String: Any])
        #expect(counts["files"] as? Int == repo.counts.files)
        #expect(counts["services"] as? Int == repo.counts.services)
        #expect(counts["instances"] as? Int == repo.counts.instances)
        let severities = try #require(json["diagnostics"] as? [String: Any])
        #expect(severities["errors"] as? Int == repo.diagnostics.filter { $0.severity == .error }.count)
        let lines = report.text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Read \(repo.counts.files) file") == true)
        #expect(lines.contains { $0.hasPrefix("instances ") && $0.hasSuffix(" \(repo.counts.instances)") })
        if result.bundle == nil {
            #expect(!result.diagnostics.isEmpty, "a file that gave no bundle must say why")
        }
        #expect(repo.diagnostics.allSatisfy { !$0.description.contains("\n") })
    }
}
