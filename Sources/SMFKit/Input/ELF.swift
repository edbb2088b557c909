/// A small ELF reader: enough of an object's dynamic section to know what
/// the runtime linker loads for it (DT_NEEDED, DT_RUNPATH, DT_RPATH,
/// DT_SONAME). 32- and 64-bit objects, either byte order.
///
/// Every offset, size and count is checked against the bytes before use,
/// and every loop is bounded: a truncated or hostile file gives an
/// `ELFProblem`, never a crash or an unbounded walk. The layouts are those
/// of the System V gABI as illumos defines them (usr/src/uts/common/sys/elf.h).
public struct ELFObject: Sendable, Hashable {
    public var is64: Bool
    public var bigEndian: Bool
    /// `e_type`: 2 an executable, 3 a shared object.
    public var type: UInt16
    public var machine: UInt16
    /// DT_NEEDED entries, in order.
    public var needed: [String]
    /// DT_RUNPATH, split at `:` (empty when absent).
    public var runpath: [String]
    /// DT_RPATH, split at `:` (empty when absent).
    public var rpath: [String]
    public var soname: String?
    /// False when the object has no dynamic section (a static executable).
    public var isDynamic: Bool
}

/// Why bytes could not be read as an ELF object.
public enum ELFProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes do not start with `\x7fELF`.
    case notELF
    /// A header, table or string runs past the end of the bytes.
    case truncated(String)
    /// A value no linker writes (bad class, byte order, entry size ...).
    case malformed(String)

    public var description: String {
        switch self {
        case .notELF: "not an ELF object"
        case .truncated(let what): "truncated ELF object (\(what))"
        case .malformed(let what): "malformed ELF object (\(what))"
        }
    }
}

public enum ELF {
    /// The most program headers, section headers or dynamic entries read.
    static let maxEntries = 65_536
    /// The longest string read from a string table.
    static let maxString = 4096
    /// The most DT_NEEDED entries kept.
    static let maxNeeded = 1024

    /// True when the bytes start with the ELF magic number.
    public static func isELF(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x7f && bytes[1] == 0x45 && bytes[2] == 0x4c && bytes[3] == 0x46
    }

    /// Reads the dynamic section of an ELF object.
    public static func parse(_ bytes: [UInt8]) -> Result<ELFObject, ELFProblem> {
        guard isELF(bytes) else { return .failure(.notELF) }
        guard bytes.count >= 16 else { return .failure(.truncated("identification")) }
        let is64: Bool
        switch bytes[4] {
        case 1: is64 = false
        case 2: is64 = true
        default: return .failure(.malformed("EI_CLASS \(bytes[4])"))
        }
        let big: Bool
        switch bytes[5] {
        case 1: big = false
        case 2: big = true
        default: return .failure(.malformed("EI_DATA \(bytes[5])"))
        }
        let r = Reader(bytes: bytes, big: big, is64: is64)
        do {
            return .success(try read(r))
        } catch let p as ELFProblem {
            return .failure(p)
        } catch {
            return .failure(.malformed("\(error)"))
        }
    }

    struct Segment { var type: UInt32; var offset: Int; var vaddr: UInt64; var filesz: Int }
    struct Section { var type: UInt32; var offset: Int; var size: Int; var link: Int; var entsize: Int }

    static func read(_ r: Reader) throws -> ELFObject {
        let ehsize = r.is64 ? 64 : 52
        guard r.bytes.count >= ehsize else { throw ELFProblem.truncated("ELF header") }
        let type = try r.u16(16)
        let machine = try r.u16(18)
        let phoff = try r.offset(r.is64 ? 32 : 28)
        let shoff = try r.offset(r.is64 ? 40 : 32)
        let phentsize = Int(try r.u16(r.is64 ? 54 : 42))
        let phnum = Int(try r.u16(r.is64 ? 56 : 44))
        let shentsize = Int(try r.u16(r.is64 ? 58 : 46))
        var shnum = Int(try r.u16(r.is64 ? 60 : 48))

        // Program headers: PT_LOAD (to map addresses) and PT_DYNAMIC.
        var loads: [Segment] = []
        var dynamic: Segment?
        if phoff != 0 && phnum != 0 {
            let minSize = r.is64 ? 56 : 32
            guard phentsize >= minSize else { throw ELFProblem.malformed("e_phentsize \(phentsize)") }
            for i in 0..<min(phnum, maxEntries) {
                let base = try r.add(phoff, try r.mul(i, phentsize))
                let seg: Segment
                if r.is64 {
                    seg = Segment(type: try r.u32(base), offset: try r.offset(base + 8),
                                  vaddr: try r.u64(base + 16), filesz: try r.size(base + 32))
                } else {
                    seg = Segment(type: try r.u32(base), offset: try r.offset(base + 4),
                                  vaddr: UInt64(try r.u32(base + 8)), filesz: try r.size(base + 16))
                }
                if seg.type == 1 { loads.append(seg) }
                if seg.type == 2 && dynamic == nil { dynamic = seg }
            }
        }

        // Section headers: SHT_DYNAMIC and the string table it links to,
        // for objects whose program headers say nothing (or cannot map).
        var sections: [Section] = []
        if shoff != 0 && shentsize != 0 {
            let minSize = r.is64 ? 64 : 40
            guard shentsize >= minSize else { throw ELFProblem.malformed("e_shentsize \(shentsize)") }
            if shnum == 0 {
                // Extended numbering: the count is section 0's sh_size.
                shnum = (try? r.size(shoff + (r.is64 ? 32 : 20))) ?? 0
            }
            for i in 0..<min(shnum, maxEntries) {
                guard let base = try? r.add(shoff, try r.mul(i, shentsize)) else { break }
                let s: Section
                if r.is64 {
                    guard let t = try? r.u32(base + 4), let o = try? r.offset(base + 24), let z = try? r.size(base + 32),
                          let l = try? r.u32(base + 40), let e = try? r.size(base + 56) else { break }
                    s = Section(type: t, offset: o, size: z, link: Int(l), entsize: e)
                } else {
                    guard let t = try? r.u32(base + 4), let o = try? r.offset(base + 16), let z = try? r.size(base + 20),
                          let l = try? r.u32(base + 24), let e = try? r.size(base + 36) else { break }
                    s = Section(type: t, offset: o, size: z, link: Int(l), entsize: e)
                }
                sections.append(s)
            }
        }

        // The dynamic entries: from PT_DYNAMIC, else from SHT_DYNAMIC.
        var dynOffset: Int?
        var dynSize = 0
        var sectionStrtab: Section?
        if let d = dynamic {
            dynOffset = d.offset
            dynSize = d.filesz
        } else if let s = sections.first(where: { $0.type == 6 }) {
            dynOffset = s.offset
            dynSize = s.size
            if s.link > 0 && s.link < sections.count { sectionStrtab = sections[s.link] }
        }
        if dynamic != nil, let s = sections.first(where: { $0.type == 6 }), s.link > 0, s.link < sections.count {
            sectionStrtab = sections[s.link]
        }
        guard let dynOffset else {
            return ELFObject(is64: r.is64, bigEndian: r.big, type: type, machine: machine,
                             needed: [], runpath: [], rpath: [], soname: nil, isDynamic: false)
        }
        let entSize = r.is64 ? 16 : 8
        var neededOffsets: [UInt64] = []
        var runpathOffset: UInt64?
        var rpathOffset: UInt64?
        var sonameOffset: UInt64?
        var strtabAddr: UInt64?
        var strsz: UInt64?
        let count = min(dynSize / entSize, maxEntries)
        var sawNull = false
        for i in 0..<count {
            let base = try r.add(dynOffset, i * entSize)
            let tag = r.is64 ? try r.u64(base) : UInt64(try r.u32(base))
            let val = r.is64 ? try r.u64(base + 8) : UInt64(try r.u32(base + 4))
            switch tag {
            case 0: sawNull = true
            case 1: if neededOffsets.count < maxNeeded { neededOffsets.append(val) }
            case 5: strtabAddr = val
            case 10: strsz = val
            case 14: sonameOffset = val
            case 15: rpathOffset = val
            case 29: runpathOffset = val
            default: break
            }
            if sawNull { break }
        }
        if !sawNull && count == 0 && dynSize > 0 { throw ELFProblem.truncated("dynamic section") }

        // The string table: DT_STRTAB is an address, mapped to a file
        // offset through the PT_LOAD segment that holds it; else the
        // section the dynamic section links to.
        var strOffset: Int?
        var strLimit = r.bytes.count
        if let addr = strtabAddr {
            for seg in loads where addr >= seg.vaddr {
                let delta = addr - seg.vaddr
                guard delta < UInt64(seg.filesz), let d = Int(exactly: delta) else { continue }
                let off = try r.add(seg.offset, d)
                strOffset = off
                strLimit = min(r.bytes.count, (try? r.add(seg.offset, seg.filesz)) ?? r.bytes.count)
                if let sz = strsz, let isz = Int(exactly: sz), let e = try? r.add(off, isz) { strLimit = min(strLimit, e) }
                break
            }
        }
        if strOffset == nil, let s = sectionStrtab {
            strOffset = s.offset
            strLimit = min(r.bytes.count, (try? r.add(s.offset, s.size)) ?? r.bytes.count)
        }
        let hasStrings = !neededOffsets.isEmpty || runpathOffset != nil || rpathOffset != nil || sonameOffset != nil
        guard let strBase = strOffset else {
            if hasStrings { throw ELFProblem.malformed("the dynamic string table is in no loaded segment or section") }
            return ELFObject(is64: r.is64, bigEndian: r.big, type: type, machine: machine,
                             needed: [], runpath: [], rpath: [], soname: nil, isDynamic: true)
        }
        func string(_ off: UInt64) throws -> String {
            guard let o = Int(exactly: off) else { throw ELFProblem.malformed("string offset \(off)") }
            return try r.cString(try r.add(strBase, o), limit: strLimit)
        }
        let needed = try neededOffsets.map(string)
        let split: (String) -> [String] = { $0.split(separator: ":", omittingEmptySubsequences: true).map(String.init) }
        return ELFObject(is64: r.is64, bigEndian: r.big, type: type, machine: machine,
                         needed: needed,
                         runpath: try runpathOffset.map { split(try string($0)) } ?? [],
                         rpath: try rpathOffset.map { split(try string($0)) } ?? [],
                         soname: try sonameOffset.map(string),
                         isDynamic: true)
    }

    /// Bounds-checked reads of the bytes in the object's byte order.
    struct Reader {
        let bytes: [UInt8]
        let big: Bool
        let is64: Bool

        func check(_ at: Int, _ n: Int) throws {
            guard at >= 0, n >= 0, at <= bytes.count, bytes.count - at >= n else {
                throw ELFProblem.truncated("\(n) bytes at offset \(at) of \(bytes.count)")
            }
        }
        func u16(_ at: Int) throws -> UInt16 {
            try check(at, 2)
            let a = UInt16(bytes[at]), b = UInt16(bytes[at + 1])
            return big ? (a << 8 | b) : (b << 8 | a)
        }
        func u32(_ at: Int) throws -> UInt32 {
            try check(at, 4)
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(bytes[at + (big ? 3 - k : k)]) << (8 * UInt32(k)) }
            return v
        }
        func u64(_ at: Int) throws -> UInt64 {
            try check(at, 8)
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(bytes[at + (big ? 7 - k : k)]) << (8 * UInt64(k)) }
            return v
        }
        /// A word-sized file offset or size, as an Int that fits the bytes' range.
        func word(_ at: Int) throws -> UInt64 { is64 ? try u64(at) : UInt64(try u32(at)) }
        func offset(_ at: Int) throws -> Int {
            let v = try word(at)
            guard let i = Int(exactly: v), i >= 0 else { throw ELFProblem.malformed("offset \(v)") }
            return i
        }
        func size(_ at: Int) throws -> Int { try offset(at) }
        func add(_ a: Int, _ b: Int) throws -> Int {
            let (s, o) = a.addingReportingOverflow(b)
            guard !o, s >= 0 else { throw ELFProblem.malformed("offset overflow") }
            return s
        }
        func mul(_ a: Int, _ b: Int) throws -> Int {
            let (p, o) = a.multipliedReportingOverflow(by: b)
            guard !o, p >= 0 else { throw ELFProblem.malformed("offset overflow") }
            return p
        }
        /// A NUL-terminated string starting at `at`, ending before `limit`.
        func cString(_ at: Int, limit: Int) throws -> String {
            let end = min(limit, bytes.count)
            guard at >= 0, at < end else { throw ELFProblem.truncated("string at offset \(at)") }
            var i = at
            while i < end && bytes[i] != 0 {
                i += 1
                if i - at > ELF.maxString { throw ELFProblem.malformed("string longer than \(ELF.maxString) bytes") }
            }
            guard i < end else { throw ELFProblem.truncated("unterminated string at offset \(at)") }
            return String(decoding: bytes[at..<i], as: UTF8.self)
        }
    }
}
