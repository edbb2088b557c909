import Foundation
import Testing
@testable import SMFKit

/// The race (issue 11 item 6) and the full disk (item 8) staged
/// deterministically through the test seams: `RootFS.hooks` (called just
/// before each step of the walk) and `ArtefactWriter.FileSystem` (the
/// writer's `write` and `renameat2`).
@Suite("Seams: a file swapped mid-walk, a full disk on the Nth write, two writers at once", .timeLimit(.minutes(10)))
struct RootSeamTests {
    static let secret = "SECRET-HOST-FILE-91c2"

    /// Replaces `path` by a link to `target` (once).
    final class SwapOnce: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        let path: String, target: String
        init(_ path: String, to target: String) { self.path = path; self.target = target }
        func fire() {
            lock.lock()
            defer { lock.unlock() }
            guard !done else { return }
            done = true
            try? FileManager.default.removeItem(atPath: path)
            symlink(target, path)
        }
    }

    /// A root whose `inside` path is swapped for a link to `target` just
    /// before the walk reaches it.
    static func swapping(_ z: ZoneRoot, at inside: String, to target: String) -> RootFS {
        let swap = SwapOnce(z.path + inside, to: target)
        var fs = RootFS(z.path)
        fs.hooks = RootFS.Hooks { at in if at == inside { swap.fire() } }
        return fs
    }

    @Test("6: the method script becomes a link to a host file between resolution and open: not read",
          arguments: ["absolute", "climbing"])
    func swapFinalFile(kind: String) throws {
        let z = ZoneRoot()
        let host = z.writeOutside("passwd", "svcprop \(Self.secret)\n")
        z.write("lib/svc/method/svc-x", "#!/sbin/sh\n")
        let target = kind == "absolute" ? host : String(repeating: "../", count: 6) + String(host.dropFirst())
        let fs = Self.swapping(z, at: "/lib/svc/method/svc-x", to: target)
        let r = ScriptLookup.root(fs).read("/lib/svc/method/svc-x")
        if case .success(let b) = r { #expect(!String(decoding: b, as: UTF8.self).contains(Self.secret)) }
        // Absolute: re-rooted inside the root (no such file there); climbing: an escape.
        switch fs.read(path: "/lib/svc/method/svc-x") {
        case .success(let b): Issue.record("read \(b.count) bytes")
        case .failure(let p):
            if kind == "absolute" { #expect({ if case .missing = p { return true }; return false }(), "\(p)") }
            else { #expect({ if case .escapes = p { return true }; return false }(), "\(p)") }
        }
    }

    @Test("6: a directory on the way becomes a link out of the root as the walk reaches it: nothing outside is read")
    func swapDirectory() throws {
        let z = ZoneRoot()
        z.writeOutside("svc/method/svc-x", "svcprop \(Self.secret)\n")
        z.write("lib/svc/method/svc-x", "#!/sbin/sh\n")
        for target in [z.outside + "/svc", "../../outside/svc"] {
            try? FileManager.default.removeItem(atPath: z.path + "/lib/svc")
            z.write("lib/svc/method/svc-x", "#!/sbin/sh\n")
            let fs = Self.swapping(z, at: "/lib/svc", to: target)
            // Re-rooted (no such directory in the root) or an escape: a refusal either way.
            switch fs.read(path: "/lib/svc/method/svc-x") {
            case .success(let b): Issue.record("\(target): read \(String(decoding: b, as: UTF8.self))")
            case .failure(let p): #expect({ if case .escapes = p { return true }; if case .missing = p { return true }; return false }(), "\(p)")
            }
        }
    }

    @Test("6: a manifest directory becomes a link out of the root while it is listed: nothing outside is read")
    func swapWhileListing() throws {
        let z = ZoneRoot()
        z.writeOutside("m/leak.xml", manifest("<service name='secret/leak' version='1' type='service'><create_default_instance enabled='true'/></service>"))
        z.write("lib/svc/manifest/site/x/ok.xml", manifest("<service name='site/ok' version='1' type='service'><create_default_instance enabled='true'/></service>"))
        for target in [z.outside + "/m", "../../../../outside/m"] {
            try? FileManager.default.removeItem(atPath: z.path + "/lib/svc/manifest/site/x")
            z.write("lib/svc/manifest/site/x/ok.xml", "<x/>")
            let fs = Self.swapping(z, at: "/lib/svc/manifest/site/x", to: target)
            let (files, _) = fs.xmlFiles(under: "/lib/svc/manifest")
            #expect(files.isEmpty, "\(target): \(files.map(\.path))")
            for f in files {
                if case .success(let b) = fs.read(path: f.path) {
                    #expect(!String(decoding: b, as: UTF8.self).contains("secret/leak"), "\(target): \(f.path)")
                }
            }
        }
    }

    @Test("a FIFO or a device inside the root is refused at once, without blocking")
    func fifoRefused() throws {
        let z = ZoneRoot()
        try FileManager.default.createDirectory(atPath: z.path + "/lib/svc/method", withIntermediateDirectories: true)
        #expect(mkfifo(z.path + "/lib/svc/method/fifo", 0o644) == 0)
        symlink("/dev/zero", z.path + "/lib/svc/method/zero")
        let fs = RootFS(z.path)
        switch fs.read(path: "/lib/svc/method/fifo") {
        case .failure(.notRegular(_, let kind)): #expect(kind == "a FIFO")
        case let other: Issue.record("\(other)")
        }
        // /dev/zero re-rooted: the root has no dev/zero.
        #expect(throws: RootFS.Problem.self) { try fs.read(path: "/lib/svc/method/zero").get() }
        #expect(throws: ScriptLookup.ReadProblem.self) { try ScriptLookup.root(fs).read("/lib/svc/method/fifo").get() }
    }

    @Test("10a: a manifest named a\\xff.xml inside a root is listed and read")
    func nonUTF8InRoot() throws {
        let z = ZoneRoot()
        try FileManager.default.createDirectory(atPath: z.path + "/lib/svc/manifest/site", withIntermediateDirectories: true)
        HostileRootTests.createRaw(z.path + "/lib/svc/manifest/site", HostileRootTests.rawName,
                                   manifest("<service name='site/raw' version='1' type='service'><create_default_instance enabled='true'/></service>"))
        let input = z.load()
        #expect(input.repository.services["site/raw"] != nil, "\(input.repository.diagnostics)")
        let file = try #require(input.repository.files.first { PathName.hasRawBytes($0.path) })
        #expect(PathName.bytes(file.path).suffix(6) == HostileRootTests.rawName[...])
        #expect(PathName.display(file.path).hasSuffix("/site/a\\xff.xml"))
    }

    @Test("PathName: every byte string survives the round trip; raw bytes are shown as \\xNN")
    func pathNameRoundTrip() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<12, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 1...255, using: &rng) }
            #expect(PathName.bytes(PathName.decode(bytes)) == bytes, "\(bytes)")
        }
        // A name that really holds one of the escape scalars keeps its four bytes.
        let literal = Array("x\u{10FFFF}y".utf8)
        #expect(PathName.bytes(PathName.decode(literal)) == literal)
        #expect(PathName.display(PathName.decode([0x61, 0xFF, 0x2E, 0x78, 0x6D, 0x6C])) == "a\\xff.xml")
        #expect(PathName.display(PathName.decode(Array("héllo.xml".utf8))) == "héllo.xml")
    }

    // MARK: - The writer

    static let setA = [Artefact(name: "report.md", content: "A\n"), Artefact(name: "plan.json", content: "A\n"),
                       Artefact(name: "blank-zone/inittab", content: "A\n"), Artefact(name: "svcadm.sh", content: "A\n", executable: true)]
    static let setB = setA.map { Artefact(name: $0.name, content: "B\n", executable: $0.executable) }

    static func contents(_ dir: String) -> [String: String] {
        var out: [String: String] = [:]
        for a in setA { out[a.name] = (try? String(contentsOfFile: dir + "/" + a.name, encoding: .utf8)) ?? "missing" }
        return out
    }

    static func temporaries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(ArtefactWriter.tempPrefix) }
    }

    /// A file system whose `write` fails with ENOSPC from the `n`th call on.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }

    static func fullDisk(at n: Int) -> ArtefactWriter.FileSystem {
        let c = Counter()
        return ArtefactWriter.FileSystem(write: { fd, p, count in
            if c.next() >= n { errno = ENOSPC; return -1 }
            return Glibc.write(fd, p, count)
        }, exchange: ArtefactWriter.FileSystem.system.exchange)
    }

    @Test("8: a full disk on the Nth write: no -o, or the old set intact with --force; nothing left behind", arguments: 1...4)
    func fullDiskSeam(n: Int) throws {
        let dir = TempDir()
        let out = dir.path + "/out"
        #expect(throws: ArtefactWriter.WriteError.self) {
            try ArtefactWriter.writeSet(Self.setA, to: out, force: false, fs: Self.fullDisk(at: n))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(Self.temporaries(dir.path).isEmpty)
        try ArtefactWriter.writeSet(Self.setA, to: out, force: false)
        do {
            try ArtefactWriter.writeSet(Self.setB, to: out, force: true, fs: Self.fullDisk(at: n))
            Issue.record("the write should have failed")
        } catch {
            #expect(error.description.contains("No space left"), "\(error.description)")
        }
        #expect(Self.contents(out).values.allSatisfy { $0 == "A\n" }, "\(Self.contents(out))")
        #expect(Self.temporaries(dir.path).isEmpty)
    }

    @Test("8: without renameat2 the old set is renamed aside, then replaced, and the note says so")
    func exchangeFallback() throws {
        let dir = TempDir()
        let out = dir.path + "/out"
        try ArtefactWriter.writeSet(Self.setA, to: out, force: false)
        let noExchange = ArtefactWriter.FileSystem(write: ArtefactWriter.FileSystem.system.write,
                                                   exchange: { _, _, _ in errno = ENOSYS; return -1 })
        let o = try ArtefactWriter.writeSet(Self.setB, to: out, force: true, fs: noExchange)
        #expect(o.notes.count == 1 && o.notes[0].contains("cannot exchange two directories atomically"), "\(o.notes)")
        #expect(Self.contents(out).values.allSatisfy { $0 == "B\n" })
        #expect(Self.temporaries(dir.path).isEmpty)
        // With renameat2: no note.
        #expect(try ArtefactWriter.writeSet(Self.setA, to: out, force: true).notes.isEmpty)
        #expect(Self.contents(out).values.allSatisfy { $0 == "A\n" })
    }

    @Test("8: two writers at once with --force, 40 rounds: the directory always holds one whole set")
    func twoWritersAtOnce() throws {
        let dir = TempDir()
        let out = dir.path + "/out"
        var mixed = 0
        for _ in 0..<40 {
            let group = DispatchGroup()
            for set in [Self.setA, Self.setB] {
                DispatchQueue.global().async(group: group) {
                    _ = try? ArtefactWriter.writeSet(set, to: out, force: true)
                }
            }
            group.wait()
            let c = Self.contents(out)
            if Set(c.values).count != 1 || c.values.contains("missing") { mixed += 1 }
        }
        #expect(mixed == 0)
        #expect(Self.temporaries(dir.path).isEmpty)
    }

    @Test("8: -o holding files the tool does not write is never replaced; -o a link is not followed")
    func refusals() throws {
        let dir = TempDir()
        let out = dir.path + "/out"
        let precious = dir.write("out/precious.txt", "mine\n")
        #expect(throws: ArtefactWriter.WriteError.self) { try ArtefactWriter.writeSet(Self.setA, to: out, force: true) }
        #expect((try? String(contentsOfFile: precious, encoding: .utf8)) == "mine\n")
        #expect(!FileManager.default.fileExists(atPath: out + "/report.md"))
        symlink(dir.path + "/out", dir.path + "/link")
        do {
            try ArtefactWriter.writeSet(Self.setA, to: dir.path + "/link", force: true)
            Issue.record("a link as -o should be refused")
        } catch {
            #expect(error.description.contains("symbolic link"))
        }
        // An empty directory is as good as none.
        try FileManager.default.createDirectory(atPath: dir.path + "/empty", withIntermediateDirectories: true)
        try ArtefactWriter.writeSet(Self.setA, to: dir.path + "/empty", force: false)
        #expect(Self.contents(dir.path + "/empty").values.allSatisfy { $0 == "A\n" })
        #expect(Self.temporaries(dir.path).isEmpty)
    }
}
