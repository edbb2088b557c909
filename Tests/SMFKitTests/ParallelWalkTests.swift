import Foundation
import Testing
@testable import SMFKit

/// The walk of a PATH's directories on several cores (issue 18,
/// docs/PERFORMANCE.md "The fourth round") gives exactly what the walk on
/// one core gives: the same files in the same order, the same diagnostics in
/// the same order.
@Suite struct ParallelWalkTests {
    /// A tree with many subdirectories at several depths, and each kind of
    /// entry the walk reports or skips.
    private static func tree() -> TempDir {
        let dir = TempDir()
        for a in ["app", "app-x", "net", "sys", "z"] {
            for b in 0..<6 {
                for c in 0..<3 { dir.write("lib/svc/manifest/\(a)/p\(b)/s\(c).xml", "<x/>") }
                dir.write("lib/svc/manifest/\(a)/p\(b)/README", "not read")
                dir.write("lib/svc/manifest/\(a)/p\(b)/deep/er/t.xml", "<x/>")
            }
        }
        dir.write("lib/svc/manifest/top.xml", "<x/>")
        dir.write("lib/svc/manifest/dir.xml/inner.xml", "<x/>")     // a directory named like a manifest
        let m = dir.path + "/lib/svc/manifest"
        symlink(m, m + "/net/p0/loop")                               // back to an ancestor
        symlink(m + "/nowhere.xml", m + "/sys/p1/dangling.xml")      // a dangling link
        symlink(m + "/app/p0", m + "/z/p2/linked")                   // a directory reached twice
        mkfifo(m + "/app-x/p3/fifo.xml", 0o600)                      // not a regular file
        return dir
    }

    @Test("the walk on every core gives the files and diagnostics of the walk on one, in the same order")
    func sameAsSerial() throws {
        let dir = Self.tree()
        var parallel = PathWalker()
        var serial = PathWalker(parallel: false)
        parallel.add(dir.path)
        serial.add(dir.path)
        #expect(parallel.files == serial.files)
        #expect(parallel.diagnostics == serial.diagnostics)
        // What the walk finds, checked against the tree itself: 5 x 6 x 4
        // files, the top one, the one in the directory named like a
        // manifest, and the 4 reached again through the linked directory.
        #expect(serial.files.count == 5 * 6 * 4 + 1 + 1 + 4)
        #expect(serial.files == serial.files.sorted())
        #expect(serial.files.allSatisfy { $0.hasSuffix(".xml") })
        #expect(!serial.files.contains { $0.hasSuffix("README") || $0.hasSuffix("fifo.xml") })
        let codes = serial.diagnostics.map(\.code)
        #expect(codes.filter { $0 == .symlinkLoop }.count == 1)
        #expect(codes.filter { $0 == .pathUnreadable }.count >= 1)
        #expect(serial.diagnostics.contains { $0.location.file.hasSuffix("dangling.xml") })
        #expect(serial.diagnostics.contains { $0.location.file.hasSuffix("fifo.xml") })
        withExtendedLifetime(dir) {}
    }

    @Test("two PATHs, one inside the other: each file once, in the order of the first PATH that holds it")
    func overlappingPaths() {
        let dir = Self.tree()
        var parallel = PathWalker()
        var serial = PathWalker(parallel: false)
        for p in [dir.path + "/lib/svc/manifest/net", dir.path] {
            parallel.add(p)
            serial.add(p)
        }
        #expect(parallel.files == serial.files)
        #expect(parallel.diagnostics == serial.diagnostics)
        #expect(Set(serial.files).count == serial.files.count)
        #expect(serial.files.first?.contains("/manifest/net/") == true)
        withExtendedLifetime(dir) {}
    }
}
