#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read.
public enum FileProblem: Error, Sendable {
    case missing
    case notRegular(String)
    case tooLarge(Int, limit: Int)
    case io(String)
    case danglingLink
    case loop

    public func diagnostic(path: String) -> Diagnostic {
        let at = SourceLocation(file: path, line: 0, column: 0)
        switch self {
        case .missing:
            return Diagnostic(.error, .pathMissing, "no such file or directory", at: at)
        case .notRegular(let kind):
            return Diagnostic(.error, .pathUnreadable, "not a regular file (\(kind)); skipped", at: at)
        case .tooLarge(let size, let limit):
            return Diagnostic(.error, .fileTooLarge,
                              "the file is \(size) bytes, over the reader's limit of \(limit) bytes; skipped", at: at)
        case .io(let why):
            return Diagnostic(.error, .pathUnreadable, "cannot read: \(why)", at: at)
        case .danglingLink:
            return Diagnostic(.error, .pathUnreadable, "dangling symbolic link; skipped", at: at)
        case .loop:
            return Diagnostic(.error, .symlinkLoop, "too many levels of symbolic links; skipped", at: at)
        }
    }
}

/// Reads whole files with POSIX calls: never opens anything but a regular
/// file (a FIFO would block), never reads past the size limit.
public enum FileBytes {
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], FileProblem> {
        // One C string of the name for stat, lstat and open.
        PathName.withCString(path) { cpath in
            var st = stat()
            if stat(cpath, &st) != 0 {
                let err = errno
                if err == ELOOP { return .failure(.loop) }
                if err == ENOENT {
                    var lst = stat()
                    if lstat(cpath, &lst) == 0 { return .failure(.danglingLink) }
                    return .failure(.missing)
                }
                return .failure(.io(String(cString: strerror(err))))
            }
            let kind = st.st_mode & S_IFMT
            guard kind == S_IFREG else { return .failure(.notRegular(fileKind(kind))) }
            if Int(st.st_size) > limit { return .failure(.tooLarge(Int(st.st_size), limit: limit)) }
            let fd = open(cpath, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            if fd < 0 { return .failure(.io(String(cString: strerror(errno)))) }
            defer { close(fd) }
            return readOpen(fd, limit: limit)
        }
    }

    /// `read(_:limit:)` for a file that a directory's walk has just found
    /// regular (its d_type, or a stat): opened at once, without the stat
    /// that `read` makes first to refuse anything else. The descriptor's
    /// fstat still refuses what is not a regular file (replaced since the
    /// walk: O_NONBLOCK keeps a FIFO's open from waiting); a path that no
    /// longer opens is read by `read`, whose stat says why.
    public static func readWalked(_ path: String, limit: Int) -> Result<[UInt8], FileProblem> {
        let fd = PathName.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) }
        if fd < 0 { return read(path, limit: limit) }
        defer { close(fd) }
        return readOpen(fd, limit: limit)
    }

    /// Reads an open file descriptor to its end (the caller closes it):
    /// a regular file only, at most `limit` bytes.
    public static func readOpen(_ fd: Int32, limit: Int) -> Result<[UInt8], FileProblem> {
        // fstat again: the path may have changed between stat and open.
        var fst = stat()
        guard fstat(fd, &fst) == 0, fst.st_mode & S_IFMT == S_IFREG else {
            return .failure(.notRegular("changed while opening"))
        }
        if Int(fst.st_size) > limit { return .failure(.tooLarge(Int(fst.st_size), limit: limit)) }
        // Read straight into an array of the file's size (+1 byte to see the
        // end, or a file that grew since fstat); no zero-filled buffer.
        let size = max(0, Int(fst.st_size))
        var failure: Int32 = 0
        var out = [UInt8](unsafeUninitializedCapacity: size + 1) { buf, count in
            count = 0
            while count < buf.count {
                let n = Glibc.read(fd, buf.baseAddress! + count, buf.count - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { break }
                count += n
                // A read of a regular file stops short only at its end: one
                // that ends at the size fstat gave is the end, without a
                // further call to see 0 (a file still growing is a race
                // either way; one grown before the read gives size + 1).
                if count == size { break }
            }
        }
        if failure != 0 { return .failure(.io(String(cString: strerror(failure)))) }
        if out.count > size {
            // The file grew after fstat: read the rest in chunks, up to the limit.
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                if out.count > limit { return .failure(.tooLarge(out.count, limit: limit)) }
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return .failure(.io(String(cString: strerror(errno))))
                }
                if n == 0 { break }
                out.append(contentsOf: buffer[0..<n])
            }
        }
        if out.count > limit { return .failure(.tooLarge(out.count, limit: limit)) }
        return .success(out)
    }

    static func fileKind(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFLNK: "a symbolic link"
        default: "an unknown file type"
        }
    }
}

/// File names as the kernel holds them (bytes), carried in a `String`
/// without loss. Valid UTF-8 decodes as itself; each byte that is not part
/// of valid UTF-8 (`a\xff.xml`) becomes one scalar of U+10FF80...U+10FFFF
/// (a private-use range), which `bytes(_:)` turns back into that byte. A
/// name that really holds one of those scalars has its four bytes escaped
/// the same way, so the round trip is exact for every name.
///
/// Every system call on a path goes through `withCString` (or `bytes`);
/// names printed go through `display`, which shows the escaped bytes as
/// `\xNN`.
public enum PathName {
    static let escapeBase: UInt32 = 0x10FF00

    /// The name of raw bytes (from `readdir`, `argv`, `readlink`).
    public static func decode<C: Swift.Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        // The common case: valid UTF-8 with no 0xF4 lead byte (which the escapes use).
        if !bytes.contains(0xF4), let s = String(validating: bytes, as: UTF8.self) { return s }
        let b = Array(bytes)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < b.count {
            if let (scalar, len) = scalarAt(b, i), !(scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF) {
                out.append(scalar)
                i += len
            } else {
                let n = scalarAt(b, i)?.1 ?? 1   // an escape scalar written literally: each of its bytes escaped
                for k in i..<(i + n) { out.append(escape(b[k])) }
                i += n
            }
        }
        return String(out)
    }

    private static func escape(_ byte: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(escapeBase + UInt32(byte < 0x80 ? byte | 0x80 : byte))!
    }

    /// One valid UTF-8 scalar at `i` and its length, or nil.
    private static func scalarAt(_ b: [UInt8], _ i: Int) -> (Unicode.Scalar, Int)? {
        let c0 = b[i]
        if c0 < 0x80 { return (Unicode.Scalar(c0), 1) }
        let len: Int
        let min: UInt32
        var v: UInt32
        switch c0 {
        case 0xC2...0xDF: len = 2; min = 0x80; v = UInt32(c0 & 0x1F)
        case 0xE0...0xEF: len = 3; min = 0x800; v = UInt32(c0 & 0x0F)
        case 0xF0...0xF4: len = 4; min = 0x10000; v = UInt32(c0 & 0x07)
        default: return nil
        }
        guard i + len <= b.count else { return nil }
        for k in 1..<len {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            v = v << 6 | UInt32(c & 0x3F)
        }
        guard v >= min, v <= 0x10FFFF, let s = Unicode.Scalar(v) else { return nil }
        return (s, len)
    }

    /// True when the name's UTF-8 holds a 0xF4 byte (the lead byte of every
    /// escape scalar): memchr over the contiguous bytes of a native String,
    /// rather than a walk of its UTF8View.
    @inline(__always)
    static func mayHoldEscapes(_ name: String) -> Bool {
        if let found = name.utf8.withContiguousStorageIfAvailable({ buf -> Bool in
            guard let base = buf.baseAddress, buf.count > 0 else { return false }
            return memchr(base, 0xF4, buf.count) != nil
        }) {
            return found
        }
        return name.utf8.contains(0xF4)
    }

    /// The bytes the kernel knows this name by.
    public static func bytes(_ name: String) -> [UInt8] {
        if !mayHoldEscapes(name) { return Array(name.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for s in name.unicodeScalars {
            if s.value >= escapeBase + 0x80 && s.value <= escapeBase + 0xFF {
                out.append(UInt8(s.value - escapeBase))
            } else {
                out.append(contentsOf: String(s).utf8)
            }
        }
        return out
    }

    /// Calls `body` with the name as a NUL-terminated C string of its bytes.
    public static func withCString<T>(_ name: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        if !mayHoldEscapes(name) { return try name.withCString(body) }
        var raw = bytes(name).map { CChar(bitPattern: $0) }
        raw.append(0)
        return try raw.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// True when the name holds bytes that are not UTF-8.
    public static func hasRawBytes(_ name: String) -> Bool {
        mayHoldEscapes(name) && name.unicodeScalars.contains { $0.value >= escapeBase + 0x80 && $0.value <= escapeBase + 0xFF }
    }

    /// The name for printing: each raw byte as `\xNN` (`a\xff.xml`); the
    /// rest as is (control characters are the diagnostic printer's business).
    public static func display(_ name: String) -> String {
        guard hasRawBytes(name) else { return name }
        var out = ""
        for s in name.unicodeScalars {
            if s.value >= escapeBase + 0x80 && s.value <= escapeBase + 0xFF {
                let v = s.value - escapeBase
                let hex = String(v, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// The command line, each argument decoded losslessly (Swift's
    /// `CommandLine.arguments` replaces bytes that are not UTF-8 with U+FFFD).
    public static func commandLineArguments() -> [String] {
        (0..<Int(CommandLine.argc)).map { i in
            guard let p = CommandLine.unsafeArgv[i] else { return "" }
            return decode(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
        }
    }

    /// The name of a `readdir` entry.
    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: UInt8.self, capacity: 256) { p in
                decode(UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))))
            }
        }
    }
}
