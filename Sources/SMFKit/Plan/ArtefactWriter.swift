import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file the tool writes.
public struct Artefact: Sendable, Hashable {
    /// The file name (no directory).
    public var name: String
    public var content: String
    /// Written with mode 0755 instead of 0644.
    public var executable: Bool

    public init(name: String, content: String, executable: Bool = false) {
        self.name = name
        self.content = content
        self.executable = executable
    }
}

/// Writes files whole or not at all: each to a temporary file in the same
/// directory, then moved into place; an existing file is never replaced
/// unless `force` is set.
public enum ArtefactWriter {
    public enum WriteError: Error, Sendable, CustomStringConvertible {
        case exists([String])
        case io(path: String, message: String)

        public var description: String {
            switch self {
            case .exists(let paths):
                "refusing to overwrite existing file(s): \(paths.joined(separator: ", ")) (use --force to replace them)"
            case .io(let path, let message):
                "cannot write \(path): \(message)"
            }
        }
    }

    /// Writes every artefact into `dir` (created if missing). Without
    /// `force`, nothing is written when any target exists. Returns the paths.
    @discardableResult
    public static func write(_ artefacts: [Artefact], to dir: String, force: Bool) throws(WriteError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw .io(path: dir, message: "\(error.localizedDescription)")
        }
        let paths = artefacts.map { dir + "/" + $0.name }
        if !force {
            let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
            if !existing.isEmpty { throw .exists(existing) }
        }
        for (a, p) in zip(artefacts, paths) {
            try writeFile(p, content: a.content, executable: a.executable, force: force)
        }
        return paths
    }

    /// Writes one file atomically: a temporary file beside it, then
    /// `rename` (with force) or `link` (without, which fails if it exists).
    public static func writeFile(_ path: String, content: String, executable: Bool = false, force: Bool) throws(WriteError) {
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var template = Array(((dir.isEmpty ? "." : dir) + "/." + base + ".tmp.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
        let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let bytes = Array(content.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { sysWrite(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                let msg = String(cString: strerror(errno))
                close(fd); unlink(tmp)
                throw .io(path: path, message: msg)
            }
            written += n
        }
        fchmod(fd, executable ? 0o755 : 0o644)
        if fsync(fd) != 0 || close(fd) != 0 {
            let msg = String(cString: strerror(errno))
            unlink(tmp)
            throw .io(path: path, message: msg)
        }
        if force {
            if rename(tmp, path) != 0 {
                let msg = String(cString: strerror(errno))
                unlink(tmp)
                throw .io(path: path, message: msg)
            }
        } else {
            let rc = link(tmp, path)
            let err = errno
            unlink(tmp)
            if rc != 0 {
                if err == EEXIST { throw .exists([path]) }
                throw .io(path: path, message: String(cString: strerror(err)))
            }
        }
    }
}

private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, n)
    #else
    Darwin.write(fd, p, n)
    #endif
}
