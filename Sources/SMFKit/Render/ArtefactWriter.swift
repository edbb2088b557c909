#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

/// Writes an artefact set whole or not at all (docs/RELIABILITY.md, "Roots
/// and artefact sets"):
///
/// 1. every file goes into a fresh directory beside `-o` (same parent, so
///    the rename is atomic), named `.smf-minimize-tmp.PID.RANDOM`, each file
///    created with `O_EXCL | O_NOFOLLOW` and synced, then the directory;
/// 2. a new (or empty) `-o` is that directory renamed into place; an
///    existing `-o` that is not empty is refused before anything is written,
///    unless `force`;
/// 3. with `force`, Linux `renameat2(RENAME_EXCHANGE)` swaps the two
///    directories in one step (falling back, and saying so, to renaming the
///    old one aside first where the file system cannot), and the old tree is
///    removed with `unlinkat`, never following a link. `-o` itself being a
///    link is refused; links inside it are removed, not followed. An `-o`
///    holding files this tool does not write is never replaced.
///
/// Two runs at once cannot mix: each set is complete before its one rename.
/// Temporary directories and files left by a killed run (the PID in their
/// name is dead) are removed by the next run writing beside them.
public enum ArtefactWriter {
    public enum WriteError: Error, Sendable, CustomStringConvertible {
        case exists([String])
        case io(path: String, message: String)
        /// `-o` holds files this tool does not write: never replaced.
        case notOurs(dir: String, names: [String])
        /// `-o` is a symbolic link: not followed.
        case isLink(String)

        public var description: String {
            switch self {
            case .exists(let paths):
                "refusing to overwrite existing file(s): \(paths.map(PathName.display).joined(separator: ", ")) (use --force to replace them); nothing was written"
            case .io(let path, let message):
                "cannot write \(PathName.display(path)): \(message); nothing was written"
            case .notOurs(let dir, let names):
                "\(PathName.display(dir)) holds files this tool does not write (\(names.map(PathName.display).joined(separator: ", "))): not replaced, even with --force; nothing was written (remove them or choose another directory)"
            case .isLink(let dir):
                "\(PathName.display(dir)) is a symbolic link: not followed; nothing was written (give the directory itself)"
            }
        }
    }

    /// What a set write did.
    public struct Outcome: Sendable {
        /// The files written, as `dir/name`.
        public var paths: [String]
        /// Said on stderr by `write`: how the old set was replaced, when not atomically.
        public var notes: [String]
    }

    /// The system calls the writer makes that tests replace (a full disk
    /// on the Nth write). `.system` is the real one.
    public struct FileSystem: Sendable {
        public var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int
        /// `renameat2(..., RENAME_EXCHANGE)`: -1 with errno set when it fails.
        public var exchange: @Sendable (_ dirfd: Int32, _ a: String, _ b: String) -> Int32

        public init(write: @escaping @Sendable (Int32, UnsafeRawPointer?, Int) -> Int,
                    exchange: @escaping @Sendable (Int32, String, String) -> Int32) {
            self.write = write
            self.exchange = exchange
        }

        public static let system = FileSystem(write: { fd, p, n in Glibc.write(fd, p, n) },
                                              exchange: { dirfd, a, b in ArtefactWriter.renameExchange(dirfd, a, b) })
    }

    /// Names the tool writes into an output directory: an `-o` holding only
    /// these (and the names of the set being written) may be replaced with `--force`.
    public static let knownNames: Set<String> = [
        "report.md", "report.html", "graph.dot", "graph.svg", "closure.json", "plan.json",
        "site-profile.xml", "svcadm.sh", "blank-zone", "inittab", "NOTES.md", "smf-minimize.rc",
        failureFileName,
    ]

    /// The file that names a part of a set that could not be made.
    public static let failureFileName = "NOT-WRITTEN.txt"

    /// The prefix of every temporary name the writers use.
    static let tempPrefix = ".smf-minimize-tmp."

    /// Writes the set into `dir` (see the type's comment). Notes (a
    /// non-atomic replacement) go to stderr. Returns the paths written.
    @discardableResult
    public static func write(_ artefacts: [Artefact], to dir: String, force: Bool) throws(WriteError) -> [String] {
        let outcome = try writeSet(artefacts, to: dir, force: force)
        for n in outcome.notes { StandardStream.error("smf-minimize: note: \(n)\n") }
        return outcome.paths
    }

    @discardableResult
    public static func writeSet(_ artefacts: [Artefact], to dirArgument: String, force: Bool,
                                fs: FileSystem = .system) throws(WriteError) -> Outcome {
        var dir = dirArgument
        while dir.count > 1, dir.hasSuffix("/") { dir.removeLast() }
        for a in artefacts {
            let parts = a.name.split(separator: "/", omittingEmptySubsequences: false)
            if a.name.hasPrefix("/") || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                throw .io(path: dir + "/" + a.name, message: "not a plain relative name")
            }
        }
        // `-o .` or `-o ..` has no name to rename: use the directory's real path.
        let last = dir.split(separator: "/").last.map(String.init) ?? dir
        if last == "." || last == ".." || dir == "/" {
            guard let real = PathName.withCString(dir, { realpath($0, nil) }) else {
                throw .io(path: dir, message: String(cString: strerror(errno)))
            }
            defer { free(real) }
            dir = PathName.decode(UnsafeBufferPointer(start: UnsafeRawPointer(real).assumingMemoryBound(to: UInt8.self), count: strlen(real)))
            if dir == "/" { throw .notOurs(dir: dir, names: ["/"]) }
        }
        let parent = AtomicWriter.directory(of: dir)
        let base = dir.split(separator: "/").last.map(String.init) ?? dir
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .io(path: parent, message: "\(error)")
        }
        let parentFd = PathName.withCString(parent) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if parentFd < 0 { throw .io(path: parent, message: lastError()) }
        defer { close(parentFd) }
        removeStale(in: parentFd)

        // What is there now, checked before anything is written.
        let owned = knownNames.union(artefacts.map { String($0.name.split(separator: "/").first ?? "") })
        let before = try inspect(parentFd, base, dir: dir, force: force, owned: owned, artefacts: artefacts)

        // The fresh directory, filled and synced.
        let temp = tempName()
        if PathName.withCString(temp, { mkdirat(parentFd, $0, 0o755) }) != 0 {
            throw .io(path: parent + "/" + temp, message: "mkdir failed: \(lastError())")
        }
        var placed = false
        defer { if !placed { removeTree(parentFd, temp) } }
        try fill(parentFd, temp, artefacts, dir: dir, fs: fs)

        // Into place.
        var notes: [String] = []
        if before == nil {
            if PathName.withCString(temp, { t in PathName.withCString(base) { renameat(parentFd, t, parentFd, $0) } }) == 0 {
                placed = true
            } else {
                let err = errno
                guard (err == ENOTEMPTY || err == EEXIST) && force else {
                    if err == ENOTEMPTY || err == EEXIST { throw .exists([dir]) }
                    throw .io(path: dir, message: "rename failed: \(String(cString: strerror(err)))")
                }
                // A set appeared since the check (another run): replace it as --force says.
                let now = try inspect(parentFd, base, dir: dir, force: true, owned: owned, artefacts: artefacts)
                try replace(parentFd, temp: temp, base: base, dir: dir, expected: now, owned: owned, fs: fs, notes: &notes)
                placed = true
            }
        } else {
            try replace(parentFd, temp: temp, base: base, dir: dir, expected: before, owned: owned, fs: fs, notes: &notes)
            placed = true
        }
        _ = fsync(parentFd)
        return Outcome(paths: artefacts.map { dir + "/" + $0.name }, notes: notes)
    }

    /// The identity of an existing, non-empty `-o` that may be replaced, or
    /// nil when there is none (or it is empty). Throws when it may not be replaced.
    private static func inspect(_ parentFd: Int32, _ base: String, dir: String, force: Bool, owned: Set<String>,
                                artefacts: [Artefact]) throws(WriteError) -> (dev: UInt64, ino: UInt64)? {
        var st = stat()
        if PathName.withCString(base, { fstatat(parentFd, $0, &st, AT_SYMLINK_NOFOLLOW) }) != 0 {
            if errno == ENOENT { return nil }
            throw .io(path: dir, message: lastError())
        }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: throw .isLink(dir)
        case S_IFDIR: break
        default: throw .exists([dir])
        }
        let fd = PathName.withCString(base) { openat(parentFd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        if fd < 0 { throw .io(path: dir, message: lastError()) }
        defer { close(fd) }
        let names = RootFS.entries(fd) ?? []
        if names.isEmpty { return nil }
        if !force {
            // Name what would be overwritten, else what is in the way.
            let clash = artefacts.map(\.name).filter { n in
                var s = stat()
                return PathName.withCString(n) { fstatat(fd, $0, &s, AT_SYMLINK_NOFOLLOW) } == 0
            }
            throw .exists((clash.isEmpty ? names.sorted() : clash).map { dir + "/" + $0 })
        }
        let foreign = names.filter { !owned.contains($0) && !$0.hasSuffix(failureFileName) }.sorted()
        if !foreign.isEmpty { throw .notOurs(dir: dir, names: foreign) }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }

    /// Writes every artefact into the fresh directory `temp` (in `parentFd`).
    private static func fill(_ parentFd: Int32, _ temp: String, _ artefacts: [Artefact], dir: String,
                             fs: FileSystem) throws(WriteError) {
        let top = PathName.withCString(temp) { openat(parentFd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        if top < 0 { throw .io(path: dir, message: "cannot open the new directory: \(lastError())") }
        defer { close(top) }
        var subdirs: [String: Int32] = [:]
        defer { for fd in subdirs.values { _ = fsync(fd); close(fd) } }
        for a in artefacts {
            let parts = a.name.split(separator: "/").map(String.init)
            var dfd = top
            var walked = ""
            for p in parts.dropLast() {
                walked += (walked.isEmpty ? "" : "/") + p
                if let fd = subdirs[walked] { dfd = fd; continue }
                _ = PathName.withCString(p) { mkdirat(dfd, $0, 0o755) }
                let fd = PathName.withCString(p) { openat(dfd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
                if fd < 0 { throw .io(path: dir + "/" + walked, message: "mkdir failed: \(lastError())") }
                subdirs[walked] = fd
                dfd = fd
            }
            let path = dir + "/" + a.name
            let mode: mode_t = a.executable ? 0o755 : 0o644
            let fd = PathName.withCString(parts.last ?? a.name) {
                openat(dfd, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            }
            if fd < 0 { throw .io(path: path, message: "open failed: \(lastError())") }
            if let (op, why) = AtomicWriter.fill(fd, Array(a.content.utf8), mode: mode, write: fs.write) {
                throw .io(path: path, message: "\(op) failed: \(why)")
            }
        }
        _ = fsync(top)
    }

    /// Puts the filled `temp` in the place of the existing set `base`.
    private static func replace(_ parentFd: Int32, temp: String, base: String, dir: String,
                                expected: (dev: UInt64, ino: UInt64)?, owned: Set<String>, fs: FileSystem,
                                notes: inout [String]) throws(WriteError) {
        if fs.exchange(parentFd, temp, base) == 0 {
            // `temp` now holds the old set. If it is not the one checked
            // (another run replaced it meanwhile), check it again; give it
            // back when it may not be removed.
            var st = stat()
            let same = PathName.withCString(temp) { fstatat(parentFd, $0, &st, AT_SYMLINK_NOFOLLOW) } == 0
                && expected.map { UInt64(st.st_dev) == $0.dev && UInt64(st.st_ino) == $0.ino } == true
            if !same {
                do {
                    _ = try inspect(parentFd, temp, dir: dir, force: true, owned: owned, artefacts: [])
                } catch {
                    _ = fs.exchange(parentFd, temp, base)
                    throw error
                }
            }
            removeTree(parentFd, temp)
            return
        }
        let err = errno
        guard err == ENOSYS || err == EINVAL || err == EXDEV || err == ENOTSUP else {
            throw .io(path: dir, message: "renameat2(RENAME_EXCHANGE) failed: \(String(cString: strerror(err)))")
        }
        // No atomic exchange here: the old set is renamed aside, then the new one into place.
        let aside = tempName()
        let r1 = PathName.withCString(base) { b in PathName.withCString(aside) { renameat(parentFd, b, parentFd, $0) } }
        if r1 != 0 { throw .io(path: dir, message: "rename failed: \(lastError())") }
        let r2 = PathName.withCString(temp) { t in PathName.withCString(base) { renameat(parentFd, t, parentFd, $0) } }
        if r2 != 0 {
            let why = lastError()
            _ = PathName.withCString(aside) { a in PathName.withCString(base) { renameat(parentFd, a, parentFd, $0) } }
            throw .io(path: dir, message: "rename failed: \(why)")
        }
        removeTree(parentFd, aside)
        notes.append("this file system cannot exchange two directories atomically (renameat2: \(String(cString: strerror(err)))): the old \(PathName.display(dir)) was renamed aside and then replaced, so for an instant there was none")
    }

    // MARK: - Names, cleanup

    /// A fresh temporary name: the prefix, this process's PID, a random part.
    static func tempName(suffix: String = "") -> String {
        tempPrefix + String(getpid()) + "." + String(UInt64.random(in: 0..<UInt64.max), radix: 36) + suffix
    }

    /// The PID in a temporary name of ours, or nil when the name is not ours.
    static func pid(inTempName name: String) -> pid_t? {
        guard name.hasPrefix(tempPrefix) else { return nil }
        let rest = name.dropFirst(tempPrefix.count)
        guard let dot = rest.firstIndex(of: "."), let pid = pid_t(rest[..<dot]), pid > 0 else { return nil }
        return pid
    }

    /// Removes, in the directory `dirFd`, the temporary files and
    /// directories of runs that are dead (their PID no longer exists).
    static func removeStale(in dirFd: Int32) {
        for name in RootFS.entries(dirFd) ?? [] {
            guard let pid = pid(inTempName: name), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno != ESRCH { continue }      // alive (or not ours to judge)
            removeTree(dirFd, name)
        }
    }

    /// Removes `name` in `dirFd` and everything under it, never following a
    /// link (a link is removed itself).
    static func removeTree(_ dirFd: Int32, _ name: String) {
        var st = stat()
        guard PathName.withCString(name, { fstatat(dirFd, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            let fd = PathName.withCString(name) { openat(dirFd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            if fd >= 0 {
                for child in RootFS.entries(fd) ?? [] { removeTree(fd, child) }
                close(fd)
            }
            _ = PathName.withCString(name) { unlinkat(dirFd, $0, AT_REMOVEDIR) }
        } else {
            _ = PathName.withCString(name) { unlinkat(dirFd, $0, 0) }
        }
    }

    /// `renameat2(dirfd, a, dirfd, b, RENAME_EXCHANGE)`, looked up at run
    /// time (ENOSYS when the C library has no such function).
    static func renameExchange(_ dirfd: Int32, _ a: String, _ b: String) -> Int32 {
        typealias Fn = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let sym = renameat2Symbol else {
            errno = ENOSYS
            return -1
        }
        let fn = unsafeBitCast(sym, to: Fn.self)
        let RENAME_EXCHANGE: UInt32 = 1 << 1
        return PathName.withCString(a) { pa in PathName.withCString(b) { fn(dirfd, pa, dirfd, $0, RENAME_EXCHANGE) } }
    }

    nonisolated(unsafe) private static let renameat2Symbol: UnsafeMutableRawPointer? = dlsym(nil, "renameat2")   // RTLD_DEFAULT

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

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

extension Artefact {
    /// `{"name", "content", "executable"}` (docs/JSON.md).
    public var json: JSON {
        .object([("name", .string(name)), ("content", .string(content)), ("executable", .bool(executable))])
    }
}
