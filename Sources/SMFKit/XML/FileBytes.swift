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
        var st = stat()
        if stat(path, &st) != 0 {
            let err = errno
            if err == ELOOP { return .failure(.loop) }
            if err == ENOENT {
                var lst = stat()
                if lstat(path, &lst) == 0 { return .failure(.danglingLink) }
                return .failure(.missing)
            }
            return .failure(.io(String(cString: strerror(err))))
        }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else { return .failure(.notRegular(fileKind(kind))) }
        if Int(st.st_size) > limit { return .failure(.tooLarge(Int(st.st_size), limit: limit)) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { return .failure(.io(String(cString: strerror(errno)))) }
        defer { close(fd) }
        // fstat again: the path may have changed between stat and open.
        var fst = stat()
        guard fstat(fd, &fst) == 0, fst.st_mode & S_IFMT == S_IFREG else {
            return .failure(.notRegular("changed while opening"))
        }
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
