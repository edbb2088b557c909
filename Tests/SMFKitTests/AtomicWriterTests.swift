import Foundation
import Testing
@testable import SMFKit

@Suite("AtomicWriter: whole or nothing, never clobbering without force")
struct AtomicWriterTests {
    private func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    private func leftovers(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".tmp-") || $0.hasPrefix(ArtefactWriter.tempPrefix) }
    }

    @Test("a new file is written whole, with no temporary file left")
    func writesNewFile() throws {
        let dir = TempDir()
        let path = dir.path + "/report.txt"
        try AtomicWriter.write("hello\n", to: path)
        #expect(contents(path) == "hello\n")
        #expect(leftovers(dir.path).isEmpty)
        #expect(TemporaryFiles.registered.isEmpty || !TemporaryFiles.registered.contains { $0.hasPrefix(dir.path) })
    }

    @Test("an existing file is not replaced without force")
    func noClobber() throws {
        let dir = TempDir()
        let path = dir.write("report.txt", "precious\n")
        #expect(throws: AtomicWriteError.exists(path)) { try AtomicWriter.write("new\n", to: path) }
        #expect(contents(path) == "precious\n")
        #expect(leftovers(dir.path).isEmpty)
    }

    @Test("an existing file is replaced with force")
    func clobberWithForce() throws {
        let dir = TempDir()
        let path = dir.write("report.txt", "old\n")
        try AtomicWriter.write("new\n", to: path, force: true)
        #expect(contents(path) == "new\n")
        #expect(leftovers(dir.path).isEmpty)
    }

    @Test("a failure after the temporary file was written leaves nothing behind")
    func failureLeavesNothing() throws {
        let dir = TempDir()
        // A directory in the way: the final rename fails (EISDIR).
        let path = dir.path + "/report.txt"
        try FileManager.default.createDirectory(atPath: path + "/inner", withIntermediateDirectories: true)
        #expect(throws: AtomicWriteError.self) { try AtomicWriter.write("data\n", to: path, force: true) }
        #expect(leftovers(dir.path).isEmpty)
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue)
    }

    @Test("a missing target directory is a clear error, and nothing is created")
    func missingDirectory() throws {
        let dir = TempDir()
        let path = dir.path + "/no/such/dir/report.txt"
        do {
            try AtomicWriter.write("x", to: path)
            Issue.record("the write should have failed")
        } catch {
            #expect(error == .directoryMissing(dir.path + "/no/such/dir"))
            #expect(error.description.contains("no such directory"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/no"))
    }

    @Test("the interrupt handler's cleanup removes every registered temporary file")
    func interruptCleanup() throws {
        let dir = TempDir()
        let temp = dir.write(".report.txt.tmp-ABCDEF", "half written")
        let slot = TemporaryFiles.register(temp)
        #expect(slot >= 0)
        // What the SIGINT/SIGTERM handler runs (limited to this test's files,
        // as other tests may be writing in parallel).
        TemporaryFiles.removeAll(under: dir.path + "/")
        TemporaryFiles.unregister(slot)
        #expect(!FileManager.default.fileExists(atPath: temp))
    }
}
