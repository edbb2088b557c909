import Foundation
import Testing
@testable import SMFKit

/// Issue 11, items 6, 7 and 10 (first half): a root (or a `--methods`
/// directory) that fights back, and file names that are not UTF-8. These
/// tests use only what the tool offered before the fd walk, so that they
/// can be run against the old code too (docs/RELIABILITY.md, "Roots and
/// artefact sets").
@Suite("Hostile roots: races, '..' in --methods, names that are not UTF-8", .timeLimit(.minutes(10)))
struct HostileRootTests {
    static let secret = "SECRET-HOST-FILE-91c2"

    /// A flag shared with the swapping thread.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
        func set() { lock.lock(); value = true; lock.unlock() }
    }

    /// `renameat2(RENAME_EXCHANGE)` of two paths: one system call swaps them.
    static func exchange(_ a: String, _ b: String) -> Int32 {
        typealias Fn = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let sym = dlsym(nil, "renameat2") else { return -1 }
        let fn = unsafeBitCast(sym, to: Fn.self)
        return fn(AT_FDCWD, a, AT_FDCWD, b, 1 << 1)
    }

    /// Swaps `path` (already there) with a link to `target` as fast as it
    /// can, one `renameat2(RENAME_EXCHANGE)` a swap, as a root user inside
    /// the zone would, until `stop` is set; then puts `path` back.
    static func swapper(_ path: String, linkTo target: String, stop: Flag, done: DispatchSemaphore) {
        let spare = path + ".spare"
        unlink(spare)
        symlink(target, spare)
        let t = Thread {
            var n = 0
            while !stop.isSet {
                _ = exchange(path, spare)
                n += 1
            }
            if n % 2 == 1 { _ = exchange(path, spare) }
            unlink(spare)
            done.signal()
        }
        t.start()
    }

    @Test("6: a method script swapped for a link to a host file while it is read: the host file is never read",
          arguments: [0, 1])
    func raceMethodScript(i0: Int) throws {
        let reads = 20000
        let z = ZoneRoot()
        let host = z.writeOutside("passwd", "svcprop -p \(Self.secret)\n")
        let script = z.write("lib/svc/method/svc-x", "#!/sbin/sh\nexit 0\n")
        let lookup = ScriptLookup.root(z.path)
        let stop = Flag(), done = DispatchSemaphore(value: 0)
        // The link names the host file absolutely (re-rooted: dangling) and
        // by climbing with '..' (an escape): neither may be read.
        let climb = String(repeating: "../", count: 8) + String(host.dropFirst())
        Self.swapper(script, linkTo: i0 == 0 ? climb : host, stop: stop, done: done)
        var leaked = 0, readOK = 0
        for _ in 0..<reads {
            if case .success(let b) = lookup.read("/lib/svc/method/svc-x") {
                readOK += 1
                if String(decoding: b, as: UTF8.self).contains(Self.secret) { leaked += 1 }
            }
        }
        stop.set()
        done.wait()
        #expect(leaked == 0, "the host file was read \(leaked) times in \(reads) reads")
        #expect(readOK > 0, "the in-root file was never read: the race test did not race")
    }

    @Test("6: a manifest directory swapped for a link out of the root while the root is loaded: nothing outside is read")
    func raceManifestDirectory() throws {
        let z = ZoneRoot()
        z.writeOutside("m/leak.xml", manifest("""
          <service name='secret/\(Self.secret.lowercased())' version='1' type='service'>
            <create_default_instance enabled='true'/>
          </service>
        """))
        z.write("lib/svc/manifest/site/x/ok.xml", manifest("""
          <service name='site/ok' version='1' type='service'>
            <create_default_instance enabled='true'/>
          </service>
        """))
        let stop = Flag(), done = DispatchSemaphore(value: 0)
        Self.swapper(z.path + "/lib/svc/manifest/site/x", linkTo: z.outside + "/m", stop: stop, done: done)
        var leaked = 0
        for _ in 0..<400 {
            let input = Loader.loadInput(InputSpec(root: z.path))
            if input.repository.services.keys.contains(where: { $0.contains(Self.secret.lowercased()) }) { leaked += 1 }
        }
        stop.set()
        done.wait()
        #expect(leaked == 0, "a manifest outside the root was read in \(leaked) of 400 loads")
    }

    @Test("7: --methods DIR with an exec climbing out of DIR with '..': the host file is not read", .enabled(if: CLI.binary != nil, CLI.missingMessage))
    func methodsDotDot() throws {
        let dir = TempDir()
        let methods = dir.path + "/a/b/methods"
        try FileManager.default.createDirectory(atPath: methods, withIntermediateDirectories: true)
        let host = dir.write("host/x", "#!/sbin/sh\nsvcprop -p \(Self.secret)/enabled svc:/x\n")
        let depth = methods.split(separator: "/").count
        let exec = "/lib/svc/method/" + String(repeating: "../", count: depth) + String(host.dropFirst())
        let m = dir.write("m.xml", manifest("""
          <service name='site/x' version='1' type='service'>
            <create_default_instance enabled='true'/>
            <exec_method type='method' name='start' exec='\(exec)' timeout_seconds='60'/>
            <exec_method type='method' name='stop' exec=':kill' timeout_seconds='60'/>
          </service>
        """))
        // Through the library: refused, in words.
        let lookup = ScriptLookup.methodsDir(methods)
        switch lookup.read(exec) {
        case .success(let b):
            Issue.record("read \(b.count) bytes of a host file through --methods")
        case .failure(.unreadable(let why)):
            #expect(why.contains("leaves /lib/svc/method/"), "\(why)")
        case .failure(.notMapped):
            Issue.record("a path under /lib/svc/method/ climbing out should be refused in words, not 'not mapped'")
        }
        // Through the command.
        let r = try CLI.run(["plan", m, "--want", "site/x", "--methods", methods])
        #expect(!r.stdout.contains(Self.secret) && !r.stderr.contains(Self.secret), "\(r.stdout)")
        #expect(r.status != 2 || !r.stderr.isEmpty)
    }

    @Test("7: --methods DIR: a link inside DIR is resolved inside DIR; one leading out of it is not followed")
    func methodsLinks() throws {
        let dir = TempDir()
        let methods = dir.path + "/methods"
        dir.write("methods/real", "#!/sbin/sh\necho in\n")
        dir.write("outside", "#!/sbin/sh\nsvcprop \(Self.secret)\n")
        symlink("real", methods + "/rel")
        symlink("/lib/svc/method/real", methods + "/abs")
        symlink("../outside", methods + "/out")
        symlink(dir.path + "/outside", methods + "/hostabs")
        let lookup = ScriptLookup.methodsDir(methods)
        for name in ["rel", "abs"] {
            let b = try lookup.read("/lib/svc/method/" + name).get()
            #expect(String(decoding: b, as: UTF8.self).contains("echo in"), "\(name)")
        }
        for name in ["out", "hostabs"] {
            if case .success(let b) = lookup.read("/lib/svc/method/" + name) {
                #expect(!String(decoding: b, as: UTF8.self).contains(Self.secret), "\(name) read a file outside --methods")
            }
        }
    }

    /// Creates a file whose name holds the raw bytes `name` (not UTF-8) in `dir`.
    static func createRaw(_ dir: String, _ name: [UInt8], _ text: String) {
        var path = Array(dir.utf8) + [UInt8(ascii: "/")] + name
        path.append(0)
        let fd = path.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: path.count) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    static let rawName: [UInt8] = [0x61, 0xFF, 0x2E, 0x78, 0x6D, 0x6C]      // a\xff.xml

    @Test("10a: a manifest named a\\xff.xml in a directory is read", .enabled(if: CLI.binary != nil, CLI.missingMessage))
    func nonUTF8InDirectory() throws {
        let dir = TempDir()
        Self.createRaw(dir.path, Self.rawName, manifest("""
          <service name='site/raw' version='1' type='service'>
            <create_default_instance enabled='true'/>
          </service>
        """))
        let r = try CLI.run(["inventory", dir.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("site/raw"), "\(r.stdout)")
        #expect(!r.stderr.contains("No such file") && !r.stdout.contains("no such file"))
    }

    @Test("10a: a manifest named a\\xff.xml on the command line is read, and its name printed escaped", .enabled(if: CLI.binary != nil, CLI.missingMessage))
    func nonUTF8OnCommandLine() throws {
        let dir = TempDir()
        // An error in it, so that lint prints its name.
        Self.createRaw(dir.path, Self.rawName, manifest("""
          <service name='site/raw' version='1' type='service'>
            <create_default_instance enabled='maybe'/>
          </service>
        """))
        let bin = try #require(CLI.binary)
        let r = try CLI.runShell("exec \"$0\" lint \"$(printf '%s/a\\377.xml' \"$1\")\"", bin, dir.path)
        // Read (a finding, 1), not "no such file" (2). How the name is
        // printed is the diagnostic printer's (PathName.display gives a\xff.xml).
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains(".xml:") && r.stdout.contains("SMF"), "\(r.stdout)")
        #expect(!r.stdout.contains("no such file"))
    }
}

extension CLI {
    /// Runs `sh -c script` with `$0`, `$1`...: for arguments Foundation cannot
    /// pass as they are (bytes that are not UTF-8).
    static func runShell(_ script: String, _ args: String...) throws -> Run {
        try run(["-c", script] + args, executable: "/bin/sh", in: TestPaths.packageRoot)
    }
}
