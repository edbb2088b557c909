import Foundation

/// Where the analysed system's files can be read on this host.
public struct ScriptLookup: Sendable {
    /// Maps a path of the analysed system to a path on this host, or nil.
    public let resolve: @Sendable (String) -> String?

    public init(resolve: @escaping @Sendable (String) -> String?) {
        self.resolve = resolve
    }

    /// Why a file of the analysed system could not be read here.
    public enum ReadProblem: Error, Sendable, Hashable {
        /// No `--methods` or `--root` maps the path to a file on this host.
        case notMapped
        /// It maps to a file that could not be read, in words.
        case unreadable(String)
    }

    /// The largest file read for inspection.
    public static let readLimit = 4 << 20

    /// Reads a file of the analysed system (an absolute path in it). All
    /// inspection reads go through here, so that how a path is opened is
    /// decided in one place.
    public func read(_ path: String, limit: Int = ScriptLookup.readLimit) -> Result<[UInt8], ReadProblem> {
        guard let host = resolve(path) else { return .failure(.notMapped) }
        switch FileBytes.read(host, limit: limit) {
        case .success(let b): return .success(b)
        case .failure: return .failure(.unreadable("\(host) cannot be read"))
        }
    }

    /// Nothing can be read: every script is "not inspected".
    public static let unavailable = ScriptLookup { _ in nil }

    /// `--methods DIR`: `/lib/svc/method/X` is read as `DIR/X`.
    public static func methodsDir(_ dir: String) -> ScriptLookup {
        ScriptLookup { path in
            let prefix = "/lib/svc/method/"
            guard path.hasPrefix(prefix) else { return nil }
            return dir + "/" + path.dropFirst(prefix.count)
        }
    }

    /// A zone root: an absolute path is resolved inside it as a chroot
    /// would (links re-rooted, nothing outside the root).
    public static func root(_ fs: RootFS) -> ScriptLookup {
        ScriptLookup { path in
            guard path.hasPrefix("/"), case .success(let r) = fs.resolve(path) else { return nil }
            return r.hostPath
        }
    }

    /// `root(RootFS(root))`.
    public static func root(_ root: String) -> ScriptLookup { self.root(RootFS(root)) }
}
