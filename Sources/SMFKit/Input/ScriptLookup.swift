#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where the analysed system's files can be read on this host.
public struct ScriptLookup: Sendable {
    /// Reads a path of the analysed system within a size limit. A root or
    /// `--methods` lookup opens it by the walk from a directory descriptor
    /// (`RootFS`), never by a host path.
    private let reader: @Sendable (String, Int) -> Result<[UInt8], ReadProblem>

    /// A lookup that reads through `read` (a path of the analysed system, the size limit).
    public init(read: @escaping @Sendable (String, Int) -> Result<[UInt8], ReadProblem>) {
        self.reader = read
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
        reader(path, limit)
    }

    /// Nothing can be read: every script is "not inspected".
    public static let unavailable = ScriptLookup { _, _ in .failure(.notMapped) }

    static let methodPrefix = "/lib/svc/method/"

    /// `--methods DIR`: `/lib/svc/method/X` is read as `DIR/X`. The path is
    /// normalised lexically first; one that leaves `/lib/svc/method/` with
    /// `..` is refused. The file is opened by the walk from DIR's
    /// descriptor (`RootFS` with DIR standing for `/lib/svc/method`): a link
    /// inside DIR is resolved inside DIR, and nothing outside it is read.
    public static func methodsDir(_ dir: String) -> ScriptLookup {
        let fs = RootFS(dir, base: "/lib/svc/method")
        return ScriptLookup { path, limit in
            guard path.hasPrefix(methodPrefix) else { return .failure(.notMapped) }
            guard let rel = methodsRelative(path) else {
                return .failure(.unreadable("\(path) leaves /lib/svc/method/ (the directory --methods \(dir) stands for) with '..'; nothing outside it is read"))
            }
            return readProblem(fs.read(path: rel, limit: limit), fs: fs, path: rel)
        }
    }

    /// `/lib/svc/method/a/../b` → `/b` (inside `--methods DIR`), or nil when
    /// the path is not under `/lib/svc/method/` or climbs out of it.
    static func methodsRelative(_ path: String) -> String? {
        guard path.hasPrefix(methodPrefix) else { return nil }
        let n = RootFS.normalise(path)
        guard n.hasPrefix(methodPrefix), !RootFS.climbsAbove(String(path.dropFirst(methodPrefix.count))) else { return nil }
        return String(n.dropFirst(methodPrefix.count - 1))
    }

    /// A zone root: an absolute path is resolved inside it as a chroot
    /// would (links re-rooted, nothing outside the root), and read by the
    /// walk from the root's descriptor.
    public static func root(_ fs: RootFS) -> ScriptLookup {
        ScriptLookup { path, limit in
            guard path.hasPrefix("/") else { return .failure(.notMapped) }
            return readProblem(fs.read(path: path, limit: limit), fs: fs, path: path)
        }
    }

    /// `root(RootFS(root))`.
    public static func root(_ root: String) -> ScriptLookup { self.root(RootFS(root)) }

    /// A missing file is "not mapped" (there is nothing to inspect); every
    /// other problem is said in words.
    private static func readProblem(_ r: Result<[UInt8], RootFS.Problem>, fs: RootFS, path: String) -> Result<[UInt8], ReadProblem> {
        switch r {
        case .success(let b): return .success(b)
        case .failure(let p) where p.isPlainMissing: return .failure(.notMapped)
        case .failure(let p): return .failure(.unreadable(p.diagnostic(in: fs, named: PathName.display(fs.hostPath(path))).message))
        }
    }
}
