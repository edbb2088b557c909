import Foundation
import Testing
@testable import SMFKit

/// The package manifest reader on small fixtures (Tests/Fixtures/packages).
@Suite("Package manifests: parsing, transforms, zone view")
struct PackageManifestTests {
    static let dir = TestPaths.fixture("packages")

    @Test("an action's attributes: quoting, escaped quotes, several values, a published payload")
    func attributes() throws {
        let (a, problem) = parseAction(#"set name=pkg.description value="two words" value='it\'s' x=y=z"#,
                                       at: SourceLocation(file: "t", line: 1))
        #expect(problem == nil)
        #expect(a?.attributes["value"] == ["two words", "it's"])
        #expect(a?.attributes["x"] == ["y=z"])
        let (f, _) = parseAction("file 0acf12 chash=99 path=lib/svc/manifest/a.xml pkg.csize=10", at: SourceLocation(file: "t", line: 2))
        #expect(f?.payload == "0acf12")
        #expect(f?.first("path") == "lib/svc/manifest/a.xml")
        let (_, bad) = parseAction(#"file path="open"#, at: SourceLocation(file: "t", line: 3))
        #expect(bad?.contains("not closed") == true)
    }

    @Test("continuation lines join, and the action cites its first line")
    func continuation() {
        var diags: [Diagnostic] = []
        let lines = joinContinuations("a \\\n  b \\\n c\nd\n", file: "f", diagnostics: &diags)
        #expect(lines.map(\.text) == ["a   b  c", "d", ""])
        #expect(lines.map(\.line) == [1, 4, 5])
        #expect(diags.isEmpty)
        _ = joinContinuations("x \\", file: "f", diagnostics: &diags)
        #expect(diags.map(\.code) == [.packageLineMalformed])
    }

    @Test("the fixture package: default from the include, __NODEFAULT removed, man pages everywhere, i386_ONLY/sparc_ONLY")
    func fixturePackage() throws {
        let set = PackageSet.read(directory: Self.dir + "/pkg")
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
        #expect(Set(set.packages.keys) == ["system/demo", "service/open"])
        func d(_ p: String) -> Delivery? { set.deliveries[p] }
        let global = try #require(d("lib/svc/manifest/system/demo-global.xml"))
        #expect(global.package == "system/demo")
        #expect(global.zones == ["global"])
        #expect(global.action.location.line == 7)
        #expect(global.action.zoneSetBy?.location.line == 3)
        #expect(global.action.zoneSetBy?.includedVia.map(\.line) == [2])
        #expect(global.citation.contains("demo.p5m:7"))
        #expect(global.citation.contains("transforms/gzonly:3"))
        #expect(global.citation.contains("included at manifests/demo.p5m:2"))
        let zone = try #require(d("lib/svc/manifest/system/demo-zone.xml"))
        #expect(zone.zones == nil, "the __NODEFAULT marker is deleted")
        #expect(zone.inNonGlobalZone(arch: .i386))
        #expect(d("lib/svc/manifest/system/demo-x86.xml")?.zones == nil)
        #expect(d("lib/svc/manifest/system/demo-sparc.xml") == nil, "$(sparc_ONLY) is '#' on i386")
        #expect(d("usr/share/man/man8/demo.8")?.zones == nil)
        #expect(d("lib/svc/method/svc-demo")?.globalZoneOnly == true)
        // The action of the included file: both the include line and the action line.
        let inc = try #require(d("lib/svc/manifest/system/demo-included.xml"))
        #expect(inc.action.includedVia.map(\.line) == [16])
        #expect(inc.action.location.file.hasSuffix("demo.inc"))
        #expect(inc.action.location.line == 1)
        #expect(inc.globalZoneOnly)
        // Without the include: explicit variants only.
        #expect(d("lib/svc/manifest/network/open.xml")?.zones == nil)
        #expect(d("lib/svc/manifest/network/only-global.xml")?.globalZoneOnly == true)
        #expect(d("lib/svc/manifest/network/sparc-only.xml")?.inNonGlobalZone(arch: .i386) == false)

        let sparc = PackageSet.read(directory: Self.dir + "/pkg", arch: .sparc)
        #expect(sparc.deliveries["lib/svc/manifest/system/demo-x86.xml"] == nil)
        #expect(sparc.deliveries["lib/svc/manifest/system/demo-sparc.xml"]?.zones == nil)
        #expect(sparc.deliveries["lib/svc/manifest/network/sparc-only.xml"]?.inNonGlobalZone(arch: .sparc) == true)
    }

    @Test("a published manifest (pkg contents -m): the name from a pkg:// FMRI, payload hashes skipped, the zone variant as written")
    func published() throws {
        let set = PackageSet.read(directory: Self.dir + "/published")
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
        #expect(Array(set.packages.keys) == ["SUNWcsd"])
        let sysevent = try #require(set.deliveries["lib/svc/manifest/system/sysevent.xml"])
        #expect(sysevent.globalZoneOnly)
        #expect(sysevent.action.payload == "5ac1b1b4c2f0e7bbd3c5c2a9b2cf0ee5e1b5d0aa")
        #expect(sysevent.action.location.line == 5)
        #expect(set.deliveries["lib/svc/manifest/system/hostid.xml"]?.inNonGlobalZone(arch: .i386) == true)
        #expect(PackageSet.packageName(fmri: "pkg:/system/zones@0.5.11") == "system/zones")
    }

    @Test("transform operations: set, add, edit with a back reference, drop, and matching on a present attribute")
    func transformOperations() throws {
        let origin = TransformOrigin(location: SourceLocation(file: "t", line: 1), includedVia: [])
        let (a0, _) = parseAction("file path=usr/lib/a.so mode=0444", at: SourceLocation(file: "m", line: 1))
        let a = try #require(a0)
        func t(_ s: String) throws -> Transform {
            let (tr, problem) = Transform.parse(Substring(s), origin: origin)
            #expect(problem == nil, "\(s): \(problem ?? "")")
            return try #require(tr)
        }
        #expect(try t(" file path=.*\\.so -> set mode 0555").apply(a)?.first("mode") == "0555")
        #expect(try t(" file path=.*\\.so -> default mode 0555").apply(a)?.first("mode") == "0444")
        #expect(try t(" file -> add facet.x true").apply(a)?.attributes["facet.x"] == ["true"])
        #expect(try t(" file path=usr/(.*) -> edit path usr/(.*) opt/\\1").apply(a)?.first("path") == "opt/lib/a.so")
        #expect(try t(" file path=.*\\.so -> drop").apply(a) == nil)
        #expect(try t(" dir -> drop").apply(a) != nil, "another type does not match")
        #expect(try t(" file path=lib -> drop").apply(a) != nil, "the expression is anchored at both ends")
        #expect(try t(" file preserve -> drop").apply(a) != nil, "a bare attribute must be present")
        #expect(try t(" file mode -> drop").apply(a) == nil)
        #expect(Transform.parse(" file path=( -> drop", origin: origin).0 == nil)
        #expect(Transform.parse(" file path=.*", origin: origin).0 == nil)
    }

    @Test("malformed manifests: each problem a diagnostic with file:line, nothing crashes")
    func malformed() {
        let set = PackageSet.read(directory: Self.dir + "/bad")
        let found = set.diagnostics.map { "\($0.code.rawValue):\($0.location.line)" }
        #expect(found.count == Set(found).count, "each problem once: \(found)")
        #expect(found.contains("SMF081:2"), "\(found)")   // an unterminated quote
        #expect(found.contains("SMF081:3"))   // not an action type
        #expect(found.contains("SMF081:4"))   // a word without '='
        #expect(found.contains("SMF083:5"))   // include of a missing file
        #expect(found.contains("SMF082:6"))   // unknown operation
        #expect(found.contains("SMF082:7"))   // no '->'
        #expect(found.contains("SMF082:8"))   // default with one argument
        #expect(found.contains("SMF083:9"))   // includes itself
        #expect(found.contains("SMF082:10"))  // unknown directive
        #expect(found.contains("SMF082:11"))  // no closing '>'
        #expect(found.contains("SMF081:12"))  // continuation at the end
        #expect(set.diagnostics.allSatisfy { $0.location.file.hasSuffix("bad.p5m") })
        #expect(set.deliveries["lib/svc/manifest/ok.xml"] != nil, "the last action is still read")
        let missing = PackageSet.read(directory: Self.dir + "/nonexistent")
        #expect(missing.diagnostics.map(\.code) == [.packageDirectoryUnreadable])
    }

    @Test("truncations of the fixture manifests never crash and keep every diagnostic located")
    func truncations() throws {
        let tmp = TempDir()
        for name in ["pkg/manifests/demo.p5m", "bad/bad.p5m"] {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: Self.dir + "/" + name)))
            for cut in stride(from: 0, to: bytes.count, by: 7) {
                let sub = tmp.path + "/t\(cut)"
                try? FileManager.default.removeItem(atPath: sub)
                try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: sub + "/x.p5m", contents: Data(bytes[0..<cut] + [0xff, 0x00]))
                let set = PackageSet.read(directory: sub)
                #expect(set.diagnostics.allSatisfy { !$0.location.file.isEmpty })
            }
        }
    }

    @Test("truncations of a transform file never crash")
    func transformTruncations() throws {
        let tmp = TempDir()
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: Self.dir + "/pkg/transforms/gzonly")))
        let manifest = try Data(contentsOf: URL(fileURLWithPath: Self.dir + "/pkg/manifests/demo.p5m"))
        for cut in stride(from: 0, through: bytes.count, by: 5) {
            let sub = tmp.path + "/t\(cut)"
            try FileManager.default.createDirectory(atPath: sub + "/manifests", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: sub + "/transforms", withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: sub + "/manifests/demo.p5m", contents: manifest)
            FileManager.default.createFile(atPath: sub + "/transforms/gzonly", contents: Data(bytes[0..<cut]))
            let set = PackageSet.read(directory: sub)
            #expect(set.packages["system/demo"] != nil)
            if cut == bytes.count {
                #expect(set.deliveries["lib/svc/manifest/system/demo-global.xml"]?.globalZoneOnly == true)
            }
        }
    }

    @Test("on a root, the delivered path is the file itself")
    func rootByPath() throws {
        let root = TempDir()
        for (src, dst) in [("a/demo-global.xml", "system/demo-global.xml"), ("a/demo-zone.xml", "system/demo-zone.xml"),
                           ("b/open.xml", "network/open.xml")] {
            let text = try String(contentsOfFile: Self.dir + "/src/" + src, encoding: .utf8)
            root.write("lib/svc/manifest/" + dst, text)
        }
        let loaded = Loader.loadInput(InputSpec(root: root.path,
                                                packages: PackageOptions(directory: Self.dir + "/pkg", zoneView: true)))
        let view = try #require(loaded.packages)
        #expect(view.matchOfFile.values.allSatisfy { $0 == .path })
        #expect(view.matchOfFile.count == 3)
        #expect(view.excluded.map(\.services) == [["system/demo-global"]])
        #expect(loaded.repository.services["system/demo-zone"] != nil)
        #expect(loaded.repository.services["network/open-service"] != nil)
    }

    @Test("the zone view leaves out the global-zone-only manifests before the merge, matched by path, service or name")
    func zoneView() throws {
        let spec = InputSpec(paths: [Self.dir + "/src"],
                             packages: PackageOptions(directory: Self.dir + "/pkg", arch: .i386, zoneView: true))
        let loaded = Loader.loadInput(spec)
        let view = try #require(loaded.packages)
        let repo = loaded.repository
        #expect(repo.services["system/demo-global"] == nil)
        #expect(repo.services["network/only-global"] == nil)
        #expect(repo.services["system/demo-zone"] != nil)
        #expect(repo.services["system/demo-x86"] != nil)
        #expect(repo.services["network/open-service"] != nil)
        #expect(view.excluded.map(\.services).sorted { $0[0] < $1[0] } == [["network/only-global"], ["system/demo-global"]])
        #expect(view.matchOfFile[Self.dir + "/src/b/open.xml"] == .folderAndName)
        #expect(view.matchOfFile[Self.dir + "/src/a/demo-zone.xml"] == .service)
        let e = try #require(view.exclusion(ofService: "system/demo-global"))
        #expect(PackageView.absentNote(e).hasPrefix("absent (global zone only: package system/demo, file manifests/demo.p5m:7"))
        // The packages of services and the method scripts they run.
        let uses = view.packages(for: ["network/open-service", "system/demo-zone"], in: repo)
        #expect(uses.map(\.package) == ["service/open", "system/demo"])
        #expect(uses.first?.paths == ["lib/svc/manifest/network/open.xml", "lib/svc/method/svc-open"])
        #expect(uses.last?.paths == ["lib/svc/manifest/system/demo-zone.xml"])
        #expect(view.unmatchedDeliveries.map(\.path).contains("lib/svc/manifest/system/demo-included.xml"))

        // Without --zone-view nothing is left out, the packages are still known.
        var all = spec
        all.packages?.zoneView = false
        let loadedAll = Loader.loadInput(all)
        #expect(loadedAll.repository.services["system/demo-global"] != nil)
        #expect(loadedAll.packages?.excluded.isEmpty == true)
        #expect(loadedAll.packages?.manifestsPerPackage(loadedAll.repository).map(\.manifests) == [2, 3])
    }
}
