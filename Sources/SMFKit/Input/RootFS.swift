#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An illumos file system tree (a zone's root, an image being built, a copy
/// of one) seen as a chroot sees it: every path is resolved inside the root,
/// component by component, by the project, never by the host's kernel.
///
/// Every file inside the root is reached by walking from the root's
/// directory descriptor one component at a time: `openat(dir, name,
/// O_NOFOLLOW | O_DIRECTORY)` for each directory, `O_NOFOLLOW | O_NONBLOCK`
/// for the final file (then `fstat`: a regular file only, within the size
/// limit). A link met on the way is read with `readlinkat` and resolved by
/// the walk itself:
///
/// - An absolute link target (`generic.xml` → `/etc/svc/profile/generic_limited_net.xml`)
///   starts again at the root's descriptor, never at the host's `/`.
/// - `..` pops the walked stack of directories; one that would climb above
///   the root is an escape: resolution stops, nothing is read, and the
///   caller reports SMF005.
/// - At most `maxLinks` links are followed in one resolution (a loop is SMF003).
///
/// So what was resolved is what is read: a zone's root user who swaps a
/// file for a link to a host file between two steps gets, at worst, a file
/// of the root (the link is resolved inside it) or a refusal. Nothing
/// outside the root is ever opened, read or listed. Paths inside the root
/// are written absolute (`/lib/svc/method/svc-cron`); the host path of a
/// resolved file is the root followed by that path, used only for naming.
public struct RootFS: Sendable, Hashable {
    /// The root as the user named it, without a trailing `/` (empty for `/`).
    public let root: String
    /// Links followed in one resolution before it is called a loop (Linux's MAXSYMLINKS).
    public var maxLinks = 40
    /// The path of the analysed system that the root's directory stands for
    /// (`/` for a zone root; `/lib/svc/method` for `--methods DIR`). An
    /// absolute link target outside it is an escape.
    public var base = "/"
    /// A test seam: called with each path inside the root just before the
    /// walk opens or inspects it (tests swap files for links there).
    public var hooks: Hooks?

    /// A test seam for the walk (see `hooks`). Ignored by `==` and hashing.
    public final class Hooks: Sendable {
        public let beforeStep: @Sendable (_ inside: String) -> Void
        public init(beforeStep: @escaping @Sendable (_ inside: String) -> Void) { self.beforeStep = beforeStep }
    }

    public init(_ root: String) {
        var r = root
        while r.count > 1, r.hasSuffix("/") { r.removeLast() }
        self.root = r == "/" ? "" : r
    }

    /// `dir` standing for `base` of the analysed system (`--methods DIR` is `/lib/svc/method`).
    public init(_ root: String, base: String) {
        self.init(root)
        self.base = RootFS.normalise(base)
    }

    public static func == (a: RootFS, b: RootFS) -> Bool {
        a.root == b.root && a.maxLinks == b.maxLinks && a.base == b.base
    }

    public func hash(into h: inout Hasher) {
        h.combine(root)
        h.combine(maxLinks)
        h.combine(base)
    }

    /// The root as it should be printed (`/` rather than empty).
    public var displayRoot: String { root.isEmpty ? "/" : root }

    /// A path resolved inside the root: no component of `path` is a link.
    public struct Resolved: Sendable, Hashable {
        /// Absolute, inside the root, links resolved (`/etc/svc/profile/generic_limited_net.xml`).
        public var path: String
        /// Where the file is on this host: the root followed by `path` (for naming only).
        public var hostPath: String
        /// The links followed on the way, as `link → target`, in order.
        public var links: [String]
    }

    /// Why a path could not be resolved or read inside the root.
    public enum Problem: Error, Sendable, Hashable {
        /// Nothing at `at` (a path inside the root); `viaLink` when a link led there.
        case missing(at: String, viaLink: String?)
        /// A link (or `..`) would leave the root. `link` is the link inside the root
        /// (nil when the path itself climbs out), `target` what it points to.
        case escapes(link: String?, target: String)
        /// More than `maxLinks` links: a loop.
        case loop(at: String)
        /// A component before the last is not a directory.
        case notDirectory(at: String)
        /// The file is not a regular file (when reading).
        case notRegular(at: String, kind: String)
        case tooLarge(at: String, size: Int, limit: Int)
        case io(at: String, why: String)
        /// The root itself does not exist or is not a directory.
        case badRoot(String)
    }

    // MARK: - Paths

    /// The host path of a path inside the root (no resolution).
    public func hostPath(_ inside: String) -> String {
        let p = RootFS.normalise(inside)
        return p == "/" ? displayRoot : root + p
    }

    /// `a/b/../c` → `/a/c` lexically, for paths inside the root (never above `/`).
    static func normalise(_ path: String) -> String {
        var out: [Substring] = []
        for c in path.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(c)
        }
        return "/" + out.joined(separator: "/")
    }

    /// True when `path` climbs above `/` with `..` (lexically).
    static func climbsAbove(_ path: String) -> Bool {
        var depth = 0
        for c in path.split(separator: "/") {
            if c == ".." {
                if depth == 0 { return true }
                depth -= 1
            } else if c != "." {
                depth += 1
            }
        }
        return false
    }

    /// True when the root exists and is a directory.
    public var isUsable: Bool {
        var st = stat()
        return PathName.withCString(displayRoot) { stat($0, &st) } == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    // MARK: - The walk

    /// What the walk does with the last component.
    enum Final: Equatable {
        /// Resolve only (the last component is followed when it is a link and `follow` is set).
        case resolve(follow: Bool)
        /// Open a regular file for reading.
        case file
        /// Open a directory (for listing).
        case directory
    }

    /// The end of a walk: the resolved path, its file type, and the open
    /// descriptor (for `.file` and `.directory`; -1 for `.resolve`), which the caller closes.
    struct Walked {
        var resolved: Resolved
        var kind: mode_t
        var fd: Int32
    }

    /// Walks `path` from the root's descriptor (see the type's comment).
    /// A root that cannot be opened as a directory is `.badRoot`, so the
    /// callers need no `isUsable` check of their own (one `stat` less per file).
    func walk(_ path: String, final: Final) -> Result<Walked, Problem> {
        let rootFd = PathName.withCString(displayRoot) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard rootFd >= 0 else { return .failure(.badRoot(displayRoot)) }
        // The directories walked below the root, each open.
        var stack: [(fd: Int32, name: String)] = []
        var keep: Int32 = -1
        defer {
            for d in stack where d.fd != keep { close(d.fd) }
            if rootFd != keep { close(rootFd) }
        }
        func current() -> Int32 { stack.last?.fd ?? rootFd }
        func inside(_ c: String?) -> String {
            var parts = stack.map(\.name)
            if let c { parts.append(c) }
            return "/" + parts.joined(separator: "/")
        }
        var todo: [String] = path.split(separator: "/").map(String.init).reversed()
        var links: [String] = []
        var followed = 0
        var lastLink: String?
        var lastTarget: String?

        /// Follows the link `c` of the current directory: its target is
        /// pushed onto `todo`. Nil when it was followed; else the problem
        /// (or `.notLink` when `c` is no longer a link).
        enum LinkStep { case followed, notLink, failed(Problem) }
        func follow(_ c: String) -> LinkStep {
            let at = inside(c)
            guard let target = RootFS.readLinkAt(current(), c) else {
                if errno == EINVAL { return .notLink }
                if errno == ENOENT { return .failed(.missing(at: at, viaLink: lastLink)) }
                return .failed(.io(at: at, why: "cannot read the link: \(String(cString: strerror(errno)))"))
            }
            followed += 1
            if followed > maxLinks { return .failed(.loop(at: at)) }
            links.append("\(at) → \(target)")
            lastLink = at
            lastTarget = target
            var parts: [String]
            if target.hasPrefix("/") {
                // Re-rooted, as a chroot does.
                var t = target
                if base != "/" {
                    let n = RootFS.normalise(target)
                    guard n == base || n.hasPrefix(base + "/") else { return .failed(.escapes(link: at, target: target)) }
                    t = String(n.dropFirst(base.count))
                }
                for d in stack { close(d.fd) }
                stack = []
                parts = t.split(separator: "/").map(String.init)
            } else {
                parts = target.split(separator: "/").map(String.init)
                // A relative target climbs from the link's directory; check it stays inside.
                var depth = stack.count
                for p in parts {
                    if p == ".." {
                        if depth == 0 { return .failed(.escapes(link: at, target: target)) }
                        depth -= 1
                    } else if p != "." && !p.isEmpty {
                        depth += 1
                    }
                }
            }
            todo.append(contentsOf: parts.reversed())
            return .followed
        }

        while let c = todo.popLast() {
            if c.isEmpty || c == "." { continue }
            if c == ".." {
                guard let top = stack.popLast() else {
                    return .failure(.escapes(link: lastLink, target: lastTarget ?? path))
                }
                close(top.fd)
                continue
            }
            let isLast = todo.allSatisfy { $0.isEmpty || $0 == "." }
            let at = inside(c)
            hooks?.beforeStep(at)
            if !isLast || final == .directory {
                let fd = PathName.withCString(c) { openat(current(), $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
                if fd >= 0 {
                    stack.append((fd, c))
                    continue
                }
                let err = errno
                switch err {
                case ENOENT:
                    return .failure(.missing(at: at, viaLink: lastLink))
                case ELOOP, ENOTDIR, EMLINK:
                    switch follow(c) {
                    case .followed: continue
                    case .notLink: return .failure(.notDirectory(at: at))
                    case .failed(let p): return .failure(p)
                    }
                default:
                    return .failure(.io(at: at, why: String(cString: strerror(err))))
                }
            }
            // The last component.
            var st = stat()
            if PathName.withCString(c, { fstatat(current(), $0, &st, AT_SYMLINK_NOFOLLOW) }) != 0 {
                let err = errno
                if err == ENOENT { return .failure(.missing(at: at, viaLink: lastLink)) }
                return .failure(.io(at: at, why: String(cString: strerror(err))))
            }
            var kind = st.st_mode & S_IFMT
            if kind == S_IFLNK && final != .resolve(follow: false) {
                switch follow(c) {
                case .followed: continue
                case .notLink:                                    // changed under us: look again
                    followed += 1
                    if followed > maxLinks { return .failure(.loop(at: at)) }
                    todo.append(c)
                    continue
                case .failed(let p): return .failure(p)
                }
            }
            if case .resolve = final {
                let r = Resolved(path: at, hostPath: hostPath(at), links: links)
                return .success(Walked(resolved: r, kind: kind, fd: -1))
            }
            // .file: refuse what is not a regular file before opening it (a FIFO, a device).
            guard kind == S_IFREG else { return .failure(.notRegular(at: at, kind: FileBytes.fileKind(kind))) }
            let fd = PathName.withCString(c) { openat(current(), $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
            if fd < 0 {
                let err = errno
                if err == ELOOP || err == EMLINK {
                    // Swapped for a link since fstatat: resolve it inside the root.
                    todo.append(c)
                    followed += 1
                    if followed > maxLinks { return .failure(.loop(at: at)) }
                    continue
                }
                if err == ENOENT { return .failure(.missing(at: at, viaLink: lastLink)) }
                return .failure(.io(at: at, why: String(cString: strerror(err))))
            }
            var fst = stat()
            guard fstat(fd, &fst) == 0 else {
                close(fd)
                return .failure(.io(at: at, why: String(cString: strerror(errno))))
            }
            kind = fst.st_mode & S_IFMT
            guard kind == S_IFREG else {
                close(fd)
                return .failure(.notRegular(at: at, kind: FileBytes.fileKind(kind)))
            }
            let r = Resolved(path: at, hostPath: hostPath(at), links: links)
            return .success(Walked(resolved: r, kind: kind, fd: fd))
        }
        // The path ended on a directory (`/`, `a/b/`, or `a/..`).
        let at = inside(nil)
        let r = Resolved(path: at, hostPath: hostPath(at), links: links)
        switch final {
        case .file:
            return .failure(.notRegular(at: at, kind: FileBytes.fileKind(S_IFDIR)))
        case .directory:
            keep = current()
            return .success(Walked(resolved: r, kind: S_IFDIR, fd: keep))
        case .resolve:
            return .success(Walked(resolved: r, kind: S_IFDIR, fd: -1))
        }
    }

    /// The target of the link `name` in the directory `dir`, or nil (errno set;
    /// EINVAL when it is not a link).
    static func readLinkAt(_ dir: Int32, _ name: String) -> String? {
        var buf = [UInt8](repeating: 0, count: 4097)
        let n = PathName.withCString(name) { p in
            buf.withUnsafeMutableBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: 4096) { readlinkat(dir, p, $0, 4096) }
            }
        }
        guard n >= 0 else { return nil }
        return PathName.decode(buf[0..<n])
    }

    // MARK: - Resolution

    /// Resolves `path` (absolute inside the root; a relative path is taken
    /// from the root's `/`) following every link inside the root.
    /// With `followFinal` false the last component is not followed when it is a link.
    public func resolve(_ path: String, followFinal: Bool = true) -> Result<Resolved, Problem> {
        walk(path, final: .resolve(follow: followFinal)).map(\.resolved)
    }

    /// True when `absolutePath` names something (file, directory, anything)
    /// inside the root, links resolved inside the root. This is the check
    /// svc.startd makes for a `path` dependency (`file_ready`: stat).
    public func exists(_ absolutePath: String) -> Bool {
        if case .success = resolve(absolutePath) { return true }
        return false
    }

    /// True when `absolutePath` is a directory inside the root, links resolved inside the root.
    public func isDirectory(_ absolutePath: String) -> Bool {
        guard case .success(let w) = walk(absolutePath, final: .directory) else { return false }
        close(w.fd)
        return true
    }

    /// The paths of `absolutePaths` that do not exist inside the root, in the given order.
    public func missing(_ absolutePaths: [String]) -> [String] {
        absolutePaths.filter { !exists($0) }
    }

    // MARK: - Reading

    /// The bytes of a regular file inside the root, e.g.
    /// `read(path: "/lib/svc/method/svc-cron")`, opened by the walk from the
    /// root's descriptor. Never reads outside the root.
    public func read(path: String, limit: Int = ReaderOptions.defaultMaxFileSize) -> Result<[UInt8], Problem> {
        readWithPath(path, limit: limit).map(\.bytes)
    }

    /// `read(path:)`, with the path the walk resolved (links followed).
    public func readWithPath(_ path: String, limit: Int = ReaderOptions.defaultMaxFileSize) -> Result<(resolved: Resolved, bytes: [UInt8]), Problem> {
        switch walk(path, final: .file) {
        case .failure(let p):
            return .failure(p)
        case .success(let w):
            defer { close(w.fd) }
            switch FileBytes.readOpen(w.fd, limit: limit) {
            case .success(let b):
                return .success((w.resolved, b))
            case .failure(.tooLarge(let size, let limit)):
                return .failure(.tooLarge(at: w.resolved.path, size: size, limit: limit))
            case .failure(.notRegular(let kind)):
                return .failure(.notRegular(at: w.resolved.path, kind: kind))
            case .failure(let other):
                return .failure(.io(at: w.resolved.path, why: other.diagnostic(path: w.resolved.path).message))
            }
        }
    }

    /// Reads a resolved file: walked again from the root's descriptor, so a
    /// link swapped in since the resolution is resolved inside the root too.
    func readResolved(_ r: Resolved, limit: Int) -> Result<[UInt8], Problem> {
        read(path: r.path, limit: limit)
    }

    // MARK: - Listing

    /// The entry names of an open directory (not `.` and `..`), unsorted.
    /// The descriptor stays open (the listing reads a duplicate).
    static func entries(_ fd: Int32) -> [String]? {
        let dupFd = dup(fd)
        guard dupFd >= 0 else { return nil }
        guard let d = fdopendir(dupFd) else {
            close(dupFd)
            return nil
        }
        defer { closedir(d) }
        rewinddir(d)
        var names: [String] = []
        while let entry = readdir(d) {
            let name = PathName.entryName(entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Every `*.xml` regular file under the directory `dir` (inside the root),
    /// recursively, sorted by path as named, links resolved inside the root.
    /// A missing `dir` gives no file and no diagnostic. Files come back
    /// resolved; each directory is listed through a descriptor the walk opened.
    public func xmlFiles(under dir: String) -> (files: [Resolved], diagnostics: [Diagnostic]) {
        var files: [Resolved] = []
        var diags: [Diagnostic] = []
        guard case .success(let top) = walk(dir, final: .directory) else { return ([], []) }
        defer { close(top.fd) }
        var seen = Set<String>()
        var ancestors: [String] = [top.resolved.path]
        list(named: RootFS.normalise(dir), resolved: top.resolved, fd: top.fd, into: &files, diagnostics: &diags,
             ancestors: &ancestors, seen: &seen)
        return (files, diags)
    }

    private func list(named: String, resolved: Resolved, fd: Int32, into files: inout [Resolved], diagnostics: inout [Diagnostic],
                      ancestors: inout [String], seen: inout Set<String>) {
        guard let names = RootFS.entries(fd) else {
            diagnostics.append(Diagnostic(.error, .pathUnreadable,
                "cannot open directory: \(String(cString: strerror(errno)))", at: SourceLocation(file: resolved.hostPath)))
            return
        }
        for name in names.sorted() {
            let childNamed = named == "/" ? String.joined("/", name) : String.joined(named, "/", name)
            let childInside = resolved.path == "/" ? String.joined("/", name) : String.joined(resolved.path, "/", name)
            let isXML = name.hasSuffix(".xml")
            hooks?.beforeStep(childInside)
            var lst = stat()
            guard PathName.withCString(name, { fstatat(fd, $0, &lst, AT_SYMLINK_NOFOLLOW) }) == 0 else { continue }
            var child = Resolved(path: childInside, hostPath: hostPath(childInside), links: [])
            var kind = lst.st_mode & S_IFMT
            var childFd: Int32 = -1
            if kind == S_IFLNK {
                switch walk(childInside, final: .resolve(follow: true)) {
                case .success(let w):
                    child = w.resolved
                    kind = w.kind
                case .failure(let p):
                    // Links to non-XML things that do not resolve are not our business.
                    if isXML || { if case .escapes = p { return true }; if case .loop = p { return true }; return false }() {
                        diagnostics.append(p.diagnostic(in: self, named: hostPath(childNamed)))
                    }
                    continue
                }
                if kind == S_IFDIR {
                    guard case .success(let w) = walk(child.path, final: .directory) else { continue }
                    childFd = w.fd
                }
            } else if kind == S_IFDIR {
                childFd = PathName.withCString(name) { openat(fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
                if childFd < 0 { continue }          // swapped since fstatat: not walked
            }
            if kind == S_IFDIR {
                defer { close(childFd) }
                if ancestors.contains(child.path) {
                    diagnostics.append(Diagnostic(.warning, .symlinkLoop,
                        "directory cycle: this link leads back to \(child.path), one of its own parent directories; not followed",
                        at: SourceLocation(file: hostPath(childNamed))))
                    continue
                }
                ancestors.append(child.path)
                list(named: childNamed, resolved: child, fd: childFd, into: &files, diagnostics: &diagnostics,
                     ancestors: &ancestors, seen: &seen)
                ancestors.removeLast()
            } else if isXML {
                if kind == S_IFREG {
                    if seen.insert(child.path).inserted { files.append(child) }
                } else {
                    diagnostics.append(FileProblem.notRegular(FileBytes.fileKind(kind)).diagnostic(path: hostPath(childNamed)))
                }
            }
        }
    }

    /// The entries of a directory inside the root whose names end in `suffix`, sorted.
    public func names(in dir: String, suffix: String) -> [String] {
        guard case .success(let w) = walk(dir, final: .directory) else { return [] }
        defer { close(w.fd) }
        return (RootFS.entries(w.fd) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }
}

extension RootFS.Problem {
    /// The diagnostic for this problem, placed at `named` (the host path as
    /// the user or a file named it).
    public func diagnostic(in fs: RootFS, named: String, at location: SourceLocation? = nil) -> Diagnostic {
        let at = location ?? SourceLocation(file: named)
        switch self {
        case .missing(let p, let via):
            if let via {
                return Diagnostic(.error, .pathUnreadable,
                    "dangling link: \(via) leads to \(p), which does not exist inside the root \(fs.displayRoot) (links are resolved inside the root, as in a chroot; nothing outside it is read)",
                    at: at)
            }
            return Diagnostic(.error, .pathMissing, "\(p) does not exist inside the root \(fs.displayRoot)", at: at)
        case .escapes(let link, let target):
            if let link {
                return Diagnostic(.error, .pathEscapesRoot,
                    "the link \(link) → \(target) leads outside the root \(fs.displayRoot); it is not followed and nothing outside the root is read",
                    at: at)
            }
            return Diagnostic(.error, .pathEscapesRoot,
                "\(target) climbs above the root \(fs.displayRoot) with '..'; nothing outside the root is read",
                at: at)
        case .loop(let p):
            return Diagnostic(.error, .symlinkLoop,
                "too many levels of symbolic links at \(p) inside the root (a loop); not followed", at: at)
        case .notDirectory(let p):
            return Diagnostic(.error, .pathUnreadable, "\(p) inside the root is not a directory", at: at)
        case .notRegular(let p, let kind):
            return Diagnostic(.error, .pathUnreadable, "\(p) inside the root is not a regular file (\(kind)); skipped", at: at)
        case .tooLarge(_, let size, let limit):
            return Diagnostic(.error, .fileTooLarge,
                "the file is \(size) bytes, over the reader's limit of \(limit) bytes; skipped", at: at)
        case .io(let p, let why):
            return Diagnostic(.error, .pathUnreadable, "cannot read \(p) inside the root: \(why)", at: at)
        case .badRoot(let r):
            return Diagnostic(.error, .pathMissing, "--root \(r) is not a directory", at: SourceLocation(file: r))
        }
    }

    /// True when the path simply does not exist (no link trouble).
    public var isPlainMissing: Bool {
        if case .missing(_, nil) = self { return true }
        return false
    }
}
