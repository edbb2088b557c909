import Foundation
import Testing
@testable import SMFKit

/// Builds ELF objects byte by byte: one PT_LOAD over the whole file, a
/// PT_DYNAMIC and its string table; or, with `sectionsOnly`, no program
/// headers and an SHT_DYNAMIC section linked to an SHT_STRTAB one.
struct ELFBuilder {
    var is64 = true
    var bigEndian = false
    var needed: [String] = []
    var runpath: String?
    var rpath: String?
    var sectionsOnly = false

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        func put(_ v: UInt64, _ n: Int, at: Int? = nil) {
            var b: [UInt8] = (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
            if bigEndian { b.reverse() }
            if let at { out.replaceSubrange(at..<(at + n), with: b) } else { out += b }
        }
        let word = is64 ? 8 : 4
        let ehsize = is64 ? 64 : 52
        // string table
        var strtab: [UInt8] = [0]
        func add(_ s: String) -> UInt64 { let o = UInt64(strtab.count); strtab += Array(s.utf8) + [0]; return o }
        var dyn: [(UInt64, UInt64)] = needed.map { (1, add($0)) }
        if let r = runpath { dyn.append((29, add(r))) }
        if let r = rpath { dyn.append((15, add(r))) }
        let base: UInt64 = 0x10000
        let strOff = ehsize
        let dynOff = strOff + strtab.count + (8 - strtab.count % 8) % 8
        dyn.append((5, sectionsOnly ? 0xdead_0000 : base + UInt64(strOff)))
        dyn.append((10, UInt64(strtab.count)))
        dyn.append((0, 0))
        let dynSize = dyn.count * 2 * word
        let tableOff = dynOff + dynSize
        let phnum = sectionsOnly ? 0 : 2
        let shnum = sectionsOnly ? 3 : 0
        let phentsize = is64 ? 56 : 32
        let shentsize = is64 ? 64 : 40
        let total = tableOff + phnum * phentsize + shnum * shentsize

        out = [0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, bigEndian ? 2 : 1, 1, 0] + Array(repeating: 0, count: 8)
        put(2, 2); put(62, 2); put(1, 4)                      // e_type, e_machine, e_version
        put(0, word)                                           // e_entry
        put(sectionsOnly ? 0 : UInt64(tableOff), word)         // e_phoff
        put(sectionsOnly ? UInt64(tableOff) : 0, word)         // e_shoff
        put(0, 4); put(UInt64(ehsize), 2)                      // e_flags, e_ehsize
        put(UInt64(phentsize), 2); put(UInt64(phnum), 2)
        put(UInt64(shentsize), 2); put(UInt64(shnum), 2); put(0, 2)
        out += strtab
        out += Array(repeating: 0, count: dynOff - out.count)
        for (t, v) in dyn { put(t, word); put(v, word) }
        if !sectionsOnly {
            for (type, off, size) in [(UInt64(1), 0, total), (UInt64(2), dynOff, dynSize)] {
                if is64 {
                    put(type, 4); put(6, 4); put(UInt64(off), 8); put(base + UInt64(off), 8); put(base + UInt64(off), 8)
                    put(UInt64(size), 8); put(UInt64(size), 8); put(8, 8)
                } else {
                    put(type, 4); put(UInt64(off), 4); put(base + UInt64(off), 4); put(base + UInt64(off), 4)
                    put(UInt64(size), 4); put(UInt64(size), 4); put(6, 4); put(8, 4)
                }
            }
        } else {
            for (type, off, size, link) in [(UInt64(0), 0, 0, 0), (UInt64(6), dynOff, dynSize, 2), (UInt64(3), strOff, strtab.count, 0)] {
                put(0, 4); put(type, 4)
                put(0, word); put(0, word)                     // sh_flags, sh_addr
                put(UInt64(off), word); put(UInt64(size), word)
                put(UInt64(link), 4); put(0, 4)
                put(0, word); put(type == 6 ? UInt64(2 * word) : 0, word)
            }
        }
        return out
    }
}

/// Compiles C sources with the host's C compiler into `dir`.
enum CC {
    static let path: String? = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs `cc ARGS` in `dir`; true on success.
    static func run(_ args: [String], in dir: String) -> Bool {
        guard let path else { return false }
        return (try? CLI.run(args, executable: path, in: dir))?.status == 0
    }
}

@Suite("ELF programs inspected by the libraries they load")
struct ELFTests {
    @Test("the reader finds DT_NEEDED, DT_RUNPATH and DT_RPATH in 32- and 64-bit objects of either byte order, through program or section headers")
    func reader() throws {
        for is64 in [false, true] {
            for big in [false, true] {
                for sectionsOnly in [false, true] {
                    let b = ELFBuilder(is64: is64, bigEndian: big, needed: ["libscf.so.1", "libc.so.1"],
                                       runpath: "$ORIGIN/../lib:/opt/x/lib", rpath: "/old", sectionsOnly: sectionsOnly).bytes()
                    let o = try ELF.parse(b).get()
                    #expect(o.is64 == is64 && o.bigEndian == big && o.type == 2 && o.machine == 62)
                    #expect(o.needed == ["libscf.so.1", "libc.so.1"], "\(is64) \(big) \(sectionsOnly)")
                    #expect(o.runpath == ["$ORIGIN/../lib", "/opt/x/lib"])
                    #expect(o.rpath == ["/old"])
                    #expect(o.isDynamic)
                }
            }
        }
        #expect(ELF.parse(Array("#!/bin/sh\n".utf8)) == .failure(.notELF))
        #expect(ELF.parse([0x7f, 0x45, 0x4c, 0x46, 3, 1]) != .failure(.notELF))
    }

    @Test("truncations and corruptions of real and built objects never crash and never read past the bytes")
    func malformed() throws {
        var samples: [[UInt8]] = [ELFBuilder(is64: false, bigEndian: true, needed: ["libfoo.so.1"]).bytes(),
                                  ELFBuilder(needed: ["libscf.so.1"], sectionsOnly: true).bytes()]
        for host in ["/bin/true", "/usr/bin/true", "/bin/ls"] {
            if let d = FileManager.default.contents(atPath: host) { samples.append(Array(d)); break }
        }
        var rng = SystemRandomNumberGenerator()
        var parsed = 0
        for s in samples {
            let full = try ELF.parse(s).get()
            #expect(!full.needed.isEmpty)
            // every prefix of the headers, and a spread of longer ones
            var lengths = Array(0...min(s.count, 1024))
            lengths += stride(from: 1024, to: s.count, by: max(1, s.count / 512)).map { $0 }
            for n in lengths {
                if case .success = ELF.parse(Array(s.prefix(n))) { parsed += 1 }
            }
            // flipped bytes in the headers and tables
            for _ in 0..<2000 {
                var c = s
                let i = Int.random(in: 0..<min(c.count, 4096), using: &rng)
                c[i] = UInt8.random(in: 0...255, using: &rng)
                _ = ELF.parse(c)
            }
            // huge counts and offsets
            var h = s
            for i in 16..<min(64, h.count) { h[i] = 0xff }
            _ = ELF.parse(h)
        }
        #expect(parsed > 0)
    }

    /// A root holding `usr/sbin/prog` (and libraries) compiled with -nostdlib,
    /// so that the only DT_NEEDED entries are those the test asks for.
    static func compile(_ root: TempDir, scf: Bool, viaFoo: Bool = false) -> Bool {
        let build = TempDir()
        build.write("scf.c", "int scf_handle_create(void) { return 0; }\n")
        build.write("foo.c", "extern int scf_handle_create(void);\nint foo(void) { return scf_handle_create(); }\n")
        build.write("prog.c", viaFoo ? "extern int foo(void);\nvoid _start(void) { foo(); }\n"
                                     : (scf ? "extern int scf_handle_create(void);\nvoid _start(void) { scf_handle_create(); }\n"
                                            : "void _start(void) { }\n"))
        let lib = ["-shared", "-fPIC", "-nostdlib"]
        guard CC.run(lib + ["-o", "libscf.so.1", "-Wl,-soname,libscf.so.1", "scf.c"], in: build.path) else { return false }
        var progArgs = ["-nostdlib", "-o", "prog", "prog.c", "-Wl,--no-as-needed", "-L."]
        if viaFoo {
            guard CC.run(lib + ["-o", "libfoo.so.1", "-Wl,-soname,libfoo.so.1", "foo.c", "-Wl,--no-as-needed", "-L.", "-l:libscf.so.1"],
                         in: build.path) else { return false }
            progArgs += ["-l:libfoo.so.1", "-Wl,-rpath-link,.", "-Wl,--enable-new-dtags", "-Wl,-rpath,$ORIGIN/../lib/foo"]
        } else if scf {
            progArgs += ["-l:libscf.so.1"]
        }
        guard CC.run(progArgs, in: build.path) else { return false }
        let fm = FileManager.default
        for d in ["usr/sbin", "usr/lib/foo", "lib/64"] { try? fm.createDirectory(atPath: root.path + "/" + d, withIntermediateDirectories: true) }
        _ = try? fm.copyItem(atPath: build.path + "/prog", toPath: root.path + "/usr/sbin/prog")
        _ = try? fm.copyItem(atPath: build.path + "/libscf.so.1", toPath: root.path + "/lib/64/libscf.so.1")
        if viaFoo { _ = try? fm.copyItem(atPath: build.path + "/libfoo.so.1", toPath: root.path + "/usr/lib/foo/libfoo.so.1") }
        return true
    }

    static func analyze(_ root: TempDir) -> MethodAnalysis {
        let doc = manifest("""
            <service name='site/prog' type='service' version='1'>
              <create_default_instance enabled='true'/>
              <exec_method type='method' name='start' exec='/usr/sbin/prog -d' timeout_seconds='0'/>
            </service>
            """)
        let repo = repository([("p.xml", doc)])
        return MethodAnalyzer.analyze("svc:/site/prog:default", graph: DependencyGraph(repo), repo: repo, lookup: .root(root.path))
    }

    @Test("a compiled program with and without DT_NEEDED libscf.so.1: blocked, and free to run",
          .enabled(if: CC.path != nil, "no C compiler: the compiled-ELF test is skipped"))
    func compiledDirect() throws {
        let linked = TempDir()
        try #require(Self.compile(linked, scf: true), "cc could not build the test program")
        let a = Self.analyze(linked)
        guard case .binary(let b) = a.script else { Issue.record("not read as ELF: \(a.script)"); return }
        #expect(b.libscfChain == ["/usr/sbin/prog", "libscf.so.1"])
        #expect(b.linksLibscfDirectly)
        #expect(a.canRunWithoutSMF == false)
        #expect(a.reasons.contains { $0.contains("/usr/sbin/prog is linked with libscf.so.1") })

        let plain = TempDir()
        try #require(Self.compile(plain, scf: false), "cc could not build the test program")
        let p = Self.analyze(plain)
        #expect(p.script == .binary(BinaryInspection(program: "/usr/sbin/prog", libscfChain: nil, objects: ["/usr/sbin/prog"], notInspected: [])))
        #expect(p.canRunWithoutSMF == true, "\(p.reasons)")
    }

    @Test("prog -> libfoo.so.1 (found through $ORIGIN in its RUNPATH) -> libscf.so.1: the chain is named and the answer is not known",
          .enabled(if: CC.path != nil, "no C compiler: the compiled-ELF test is skipped"))
    func compiledTransitive() throws {
        let root = TempDir()
        try #require(Self.compile(root, scf: true, viaFoo: true), "cc could not build the test program")
        let a = Self.analyze(root)
        guard case .binary(let b) = a.script else { Issue.record("not read as ELF: \(a.script)"); return }
        #expect(b.libscfChain == ["/usr/sbin/prog", "/usr/sbin/../lib/foo/libfoo.so.1", "libscf.so.1"])
        #expect(!b.linksLibscfDirectly)
        #expect(a.canRunWithoutSMF == nil)
        #expect(a.reasons.contains { $0.contains("loads libscf.so.1 through /usr/sbin/../lib/foo/libfoo.so.1") })
        // without the library in the root, that part is not inspected, by name
        try FileManager.default.removeItem(atPath: root.path + "/usr/lib/foo/libfoo.so.1")
        let missing = Self.analyze(root)
        guard case .binary(let m) = missing.script else { Issue.record("not read as ELF"); return }
        #expect(m.libscfChain == nil)
        #expect(m.notInspected.count == 1 && m.notInspected[0].hasPrefix("libfoo.so.1 (needed by /usr/sbin/prog) was not found"))
        #expect(missing.canRunWithoutSMF == nil)
        #expect(missing.reasons.contains { $0.contains("libfoo.so.1 (needed by /usr/sbin/prog)") })
    }

    @Test("the search follows ld.so.1: LD_LIBRARY_PATH of the method, RUNPATH, then /lib/64 and /usr/lib/64 for 64-bit, /lib and /usr/lib for 32-bit; bounded on loops")
    func search() throws {
        let root = TempDir()
        func put(_ path: String, _ b: [UInt8]) {
            let p = root.path + path
            try? FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: p, contents: Data(b))
        }
        put("/usr/sbin/d32", ELFBuilder(is64: false, needed: ["liba.so.1"]).bytes())
        put("/usr/lib/liba.so.1", ELFBuilder(is64: false, needed: ["libb.so.1"]).bytes())
        put("/lib/libb.so.1", ELFBuilder(is64: false, needed: ["liba.so.1"]).bytes())   // a loop
        let (i32, _) = MethodAnalyzer.inspect(program: "/usr/sbin/d32", lookup: .root(root.path))
        #expect(i32 == .binary(BinaryInspection(program: "/usr/sbin/d32", libscfChain: nil,
                                                objects: ["/usr/sbin/d32", "/usr/lib/liba.so.1", "/lib/libb.so.1"], notInspected: [])))
        put("/usr/sbin/d64", ELFBuilder(needed: ["libc.so.1"]).bytes())
        put("/opt/env/libc.so.1", ELFBuilder(needed: ["libscf.so.1"]).bytes())
        put("/lib/64/libc.so.1", ELFBuilder(needed: []).bytes())
        let (plain, _) = MethodAnalyzer.inspect(program: "/usr/sbin/d64", lookup: .root(root.path))
        #expect(plain == .binary(BinaryInspection(program: "/usr/sbin/d64", libscfChain: nil,
                                                  objects: ["/usr/sbin/d64", "/lib/64/libc.so.1"], notInspected: [])))
        let (env, _) = MethodAnalyzer.inspect(program: "/usr/sbin/d64", lookup: .root(root.path),
                                              environment: ["LD_LIBRARY_PATH": "/opt/env"])
        guard case .binary(let e) = env else { Issue.record("not ELF"); return }
        #expect(e.libscfChain == ["/usr/sbin/d64", "/opt/env/libc.so.1", "libscf.so.1"])
        // a 32-bit library where a 64-bit one is needed does not count
        put("/usr/sbin/mixed", ELFBuilder(needed: ["libm.so.2"]).bytes())
        put("/lib/64/libm.so.2", ELFBuilder(is64: false).bytes())
        let (mixed, _) = MethodAnalyzer.inspect(program: "/usr/sbin/mixed", lookup: .root(root.path))
        guard case .binary(let m) = mixed else { Issue.record("not ELF"); return }
        #expect(m.notInspected.count == 1 && m.notInspected[0].contains("is 32-bit"))
        // an unhandled token is said
        put("/usr/sbin/plat", ELFBuilder(needed: ["libp.so.1"], runpath: "/opt/$PLATFORM/lib").bytes())
        let (plat, _) = MethodAnalyzer.inspect(program: "/usr/sbin/plat", lookup: .root(root.path))
        guard case .binary(let pl) = plat else { Issue.record("not ELF"); return }
        #expect(pl.notInspected.first?.contains("search path entries not handled: /opt/$PLATFORM/lib") == true)
        // a corrupt program is not inspected, with the reader's reason
        put("/usr/sbin/bad", Array(ELFBuilder(needed: ["libx.so.1"]).bytes().prefix(70)))
        let (bad, _) = MethodAnalyzer.inspect(program: "/usr/sbin/bad", lookup: .root(root.path))
        guard case .notInspected(_, let why) = bad else { Issue.record("read: \(bad)"); return }
        #expect(why.hasPrefix("truncated ELF object"))
    }

    @Test("through the command: plan --root on a root holding the compiled program, with and without libscf.so.1",
          .enabled(if: CC.path != nil && CLI.binary != nil, "no C compiler or no smf-minimize binary: skipped"))
    func command() throws {
        let doc = manifest("""
            <service name='site/prog' type='service' version='1'>
              <create_default_instance enabled='true'/>
              <exec_method type='method' name='start' exec='/usr/sbin/prog -d' timeout_seconds='0'>
                <method_context security_flags='aslr'/>
              </exec_method>
            </service>
            """)
        for scf in [true, false] {
            let root = TempDir()
            try #require(Self.compile(root, scf: scf), "cc could not build the test program")
            root.write("lib/svc/manifest/site/prog.xml", doc)
            let run = try CLI.run(["plan", "--root", root.path, "--want", "site/prog"])
            if scf {
                #expect(run.stdout.hasPrefix("Verdict for svc:/site/prog:default in a shared-IP zone: trimmed SMF profile\n"), "\(run.stdout)")
                #expect(run.stdout.contains("svc:/site/prog:default cannot run without SMF: /usr/sbin/prog is linked with libscf.so.1 (its own DT_NEEDED)"))
            } else {
                #expect(run.stdout.hasPrefix("Verdict for svc:/site/prog:default in a shared-IP zone: blank zone (no SMF)\n"), "\(run.stdout)")
                #expect(run.stdout.contains("/usr/bin/psecflags -s aslr -e /sbin/sh -c 'exec /usr/sbin/prog -d'"))
            }
        }
    }
}
