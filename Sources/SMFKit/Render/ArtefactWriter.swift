import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file the tool writes.
public struct Artefact: Sendable, Hashable {
    /// The file name, relative to the directory written into (may hold a subdirectory).
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
            let parent = (p as NSString).deletingLastPathComponent
            if parent != dir {
                do {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw .io(path: parent, message: "\(error.localizedDescription)")
                }
            }
            try writeFile(p, content: a.content, executable: a.executable, force: force)
        }
        return paths
    }

    /// Writes one file atomically through `AtomicWriter`: a temporary file
    /// beside it, then `rename` (with force) or `link` (without, which fails
    /// if it exists); nothing is left behind on failure or interrupt.
    public static func writeFile(_ path: String, content: String, executable: Bool = false, force: Bool) throws(WriteError) {
        do {
            try AtomicWriter.write(content, to: path, force: force, mode: executable ? 0o755 : 0o644)
        } catch {
            switch error {
            case .exists(let p): throw .exists([p])
            case .directoryMissing(let d): throw .io(path: path, message: "no such directory \(d)")
            case .io(let op, _, let why): throw .io(path: path, message: "\(op) failed: \(why)")
            }
        }
    }
}
