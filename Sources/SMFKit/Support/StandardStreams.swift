#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error, written with write(2): the command
/// needs nothing more, and so does not load Foundation's FileHandle (a
/// process that links only FoundationEssentials starts about 4 ms sooner,
/// docs/PERFORMANCE.md).
public enum StandardStream {
    /// Writes all of `text` to descriptor `fd`, retrying after a signal and
    /// after a short write; a write that fails (a closed pipe) ends it.
    public static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { writeAll($0, to: fd) }
    }

    public static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = systemWrite(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            p += n
            left -= n
        }
    }

    /// Text on standard output.
    public static func output(_ text: String) { write(text, to: 1) }
    /// Text on standard error.
    public static func error(_ text: String) { write(text, to: 2) }
}

private func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, n)
    #else
    Darwin.write(fd, p, n)
    #endif
}
