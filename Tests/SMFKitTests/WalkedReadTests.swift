import Foundation
import Testing
@testable import SMFKit

/// Files a directory's walk found regular are opened without a stat first
/// (`FileBytes.readWalked`); what changed between the walk and the read is
/// still refused, with the words `FileBytes.read` gives.
@Suite("Walked files: opened without a second stat")
struct WalkedReadTests {
    static let manifest = """
    <?xml version="1.0"?>
    <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
    <service_bundle type='manifest' name='t'>
    <service name='site/a' type='service' version='1'><create_default_instance enabled='true'/></service>
    </service_bundle>
    """

    @Test("a file reached through several PATHs is listed once, as first reached; one PATH's walk lists each file once; the walk marks the files it found, not those named as PATHs")
    func listedOnce() throws {
        let dir = TempDir()
        let a = dir.write("d/a.xml", Self.manifest)
        let b = dir.write("d/sub/b.xml", Self.manifest)
        var one = PathWalker()
        one.add(dir.path + "/d")
        #expect(one.files == [a, b])
        #expect(one.walked == [true, true])
        var several = PathWalker()
        several.add(b)
        several.add(dir.path + "/d")
        several.add(dir.path + "/d/sub")
        several.add(dir.path + "/d")
        #expect(several.files == [b, a])
        #expect(several.walked == [false, true])
        let repo = Loader.load(InputSpec(paths: [b, dir.path + "/d", dir.path + "/d"]))
        #expect(repo.counts.files == 2)
    }

    @Test("a walked file reads as read gives it; replaced, removed or grown too large since, the same diagnostics")
    func changedSinceTheWalk() throws {
        let dir = TempDir()
        let path = dir.write("a.xml", Self.manifest)
        let limit = 1 << 20
        #expect(try FileBytes.readWalked(path, limit: limit).get() == Array(Self.manifest.utf8))

        // Larger than the limit: the descriptor's fstat refuses it.
        guard case .failure(let big) = FileBytes.readWalked(path, limit: 10),
              case .failure(let bigRead) = FileBytes.read(path, limit: 10) else {
            Issue.record("a file over the limit was read")
            return
        }
        #expect(big.diagnostic(path: path) == bigRead.diagnostic(path: path))

        // Replaced by a FIFO: opened without waiting (O_NONBLOCK), refused.
        try FileManager.default.removeItem(atPath: path)
        try #require(mkfifo(path, 0o644) == 0)
        guard case .failure(let fifo) = FileBytes.readWalked(path, limit: limit) else {
            Issue.record("a FIFO was read as a file")
            return
        }
        #expect(fifo.diagnostic(path: path).code == .pathUnreadable)

        // Removed: what read's stat says.
        try FileManager.default.removeItem(atPath: path)
        guard case .failure(let gone) = FileBytes.readWalked(path, limit: limit),
              case .failure(let goneRead) = FileBytes.read(path, limit: limit) else {
            Issue.record("a removed file was read")
            return
        }
        #expect(gone.diagnostic(path: path) == goneRead.diagnostic(path: path))

        // A dangling link: the same.
        try #require(symlink("nowhere.xml", path) == 0)
        guard case .failure(let dangling) = FileBytes.readWalked(path, limit: limit),
              case .failure(let danglingRead) = FileBytes.read(path, limit: limit) else {
            Issue.record("a dangling link was read")
            return
        }
        #expect(dangling.diagnostic(path: path) == danglingRead.diagnostic(path: path))
    }

    @Test("a tree loaded through the walk gives what reading each file by its path gives")
    func sameRepository() throws {
        let sample = TestPaths.packageRoot + "/manifests/lib/svc/manifest"
        let walkedRepo = Loader.load(InputSpec(paths: [sample]))
        var walker = PathWalker()
        walker.add(sample)
        #expect(walker.walked.allSatisfy { $0 })
        #expect(walker.files.count > 20)
        // Each file named as a PATH of its own: read with the stat first.
        let namedRepo = Loader.load(InputSpec(paths: walker.files))
        #expect(walkedRepo.diagnostics == namedRepo.diagnostics)
        #expect(walkedRepo.instanceFMRIs == namedRepo.instanceFMRIs)
        #expect(walkedRepo.counts == namedRepo.counts)
    }

    @Test("a name ends in .xml by its bytes exactly when hasSuffix says so, on random names with non-ASCII pieces")
    func endsInXMLAsHasSuffix() {
        var rng = SplitMix64(seed: 18)
        let pieces = ["a", ".xml", "xml", ".", "x", "m", "l", "X", "\u{600}", "\u{301}", "é", "e\u{301}", "\u{200D}", "\u{FF0E}", "-", "\u{1F1EB}"]
        var matched = 0, checked = 0
        for _ in 0..<20_000 {
            var name = ""
            for _ in 0..<rng.int(0..<6) { name += rng.pick(pieces) }
            if rng.chance(0.4) { name += ".xml" }
            checked += 1
            if PathWalker.endsInXML(name) { matched += 1 }
            #expect(PathWalker.endsInXML(name) == name.hasSuffix(".xml"), "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // A Prepend character before the dot: bytes say .xml, Characters do not.
        #expect(!PathWalker.endsInXML("a\u{600}.xml"))
        #expect(PathWalker.endsInXML("a.xml") && !PathWalker.endsInXML("a.xm") && !PathWalker.endsInXML(".xm"))
        #expect(matched > 4_000 && checked == 20_000)
    }
}
