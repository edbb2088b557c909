#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An illumos file system tree (a zone's root, an image being built, a copy
/// of one) seen as a chroot sees it: every path is resolved inside the root,
/// component by component, with `lstat` and `readlink`.
///
/// - An absolute link target (`generic.xml` → `/etc/svc/profile/generic_limited_net.xml`)
///   starts again at the root, never at the host's `/`.
/// - `..` that would climb above the root is an escape: resolution stops,
///   nothing is read, and the caller reports SMF005.
/// - At most `maxLinks` links are followed in one resolution (a loop is SMF003).
///
/// Nothing outside the root is ever opened, read or listed. Paths inside
/// the root are written absolute (`/lib/svc/method/svc-cron`); the host path
/// of a resolved file is the root followed by that path.
public struct RootFS: Sendable, Hashable {
    /// The root as the user named it, without a trailing `/` (empty for `/`).
    public let root: String
    /// Links followed in one resolution before it is called a loop (Linux's MAXSYMLINKS).
    public var maxLinks = 40

    public init(_ root: String) {
        var r = root
        while r.count > 1, r.hasSuffix("/") { r.removeLast() }
        self.root = r == "/" ? "" : r
    }

    /// The root as it should be printed (`/` rather than empty).
    public var displayRoot: String { root.isEmpty ? "/" : root }

    /// A path resolved inside the root: no component of `path` is a link.
    public struct Resolved: Sendable, Hashable {
        /// Absolute, inside the root, links resolved (`/etc/svc/profile/generic_limited_net.xml`).
        public var path: String
        /// Where the file is on this host: the root followed by `path`.
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

    /// True when the root exists and is a directory.
    public var isUsable: Bool {
        var st = stat()
        return stat(displayRoot, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    // MARK: - Resolution

    /// Resolves `path` (absolute inside the root; a relative path is taken
    /// from the root's `/`) following every link inside the root.
    /// With `followFinal` false the last component is not followed when it is a link.
    public func resolve(_ path: String, followFinal: Bool = true) -> Result<Resolved, Problem> {
        guard isUsable else { return .failure(.badRoot(displayRoot)) }
        var done: [String] = []                    // resolved components, each a real directory or the final file
        var todo: [String] = path.split(separator: "/").map(String.init).reversed()
        var links: [String] = []
        var followed = 0
        var lastLink: String?
        var lastTarget: String?
        func current() -> String { "/" + done.joined(separator: "/") }
        while let c = todo.popLast() {
            if c.isEmpty || c == "." { continue }
            if c == ".." {
                if done.isEmpty {
                    return .failure(.escapes(link: lastLink, target: lastTarget ?? path))
                }
                done.removeLast()
                continue
            }
            let inside = current() == "/" ? "/" + c : current() + "/" + c
            let host = hostPath(inside)
            var st = stat()
            if lstat(host, &st) != 0 {
                let err = errno
                if err == ENOENT { return .failure(.missing(at: inside, viaLink: lastLink)) }
                if err == ENOTDIR { return .failure(.notDirectory(at: current())) }
                return .failure(.io(at: inside, why: String(cString: strerror(err))))
            }
            let kind = st.st_mode & S_IFMT
            let isLast = todo.allSatisfy { $0.isEmpty || $0 == "." }
            if kind == S_IFLNK && (!isLast || followFinal) {
                followed += 1
                if followed > maxLinks { return .failure(.loop(at: inside)) }
                guard let target = RootFS.readLink(host) else {
                    return .failure(.io(at: inside, why: "cannot read the link: \(String(cString: strerror(errno)))"))
                }
                links.append("\(inside) → \(target)")
                lastLink = inside
                lastTarget = target
                let parts = target.split(separator: "/").map(String.init)
                if target.hasPrefix("/") { done = [] }           // re-rooted, as a chroot does
                // A relative target climbs from the link's directory; check it stays inside.
                if !target.hasPrefix("/") {
                    var depth = done.count
                    for p in parts {
                        if p == ".." {
                            if depth == 0 { return .failure(.escapes(link: inside, target: target)) }
                            depth -= 1
                        } else if p != "." && !p.isEmpty {
                            depth += 1
                        }
                    }
                }
                todo.append(contentsOf: parts.reversed())
                continue
            }
            if !isLast && kind != S_IFDIR {
                return .failure(.notDirectory(at: inside))
            }
            done.append(c)
        }
        let p = current()
        return .success(Resolved(path: p, hostPath: hostPath(p), links: links))
    }

    static func readLink(_ host: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink(host, &buf, 4096)
        guard n >= 0 else { return nil }
        buf[n] = 0
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `absolutePath` names something (file, directory, anything)
    /// inside the root, links resolved inside the root. This is the check
    /// svc.startd makes for a `path` dependency (`file_ready`: stat).
    public func exists(_ absolutePath: String) -> Bool {
        if case .success = resolve(absolutePath) { return true }
        return false
    }

    /// The paths of `absolutePaths` that do not exist inside the root, in the given order.
    public func missing(_ absolutePaths: [String]) -> [String] {
        absolutePaths.filter { !exists($0) }
    }

    /// SMF060 diagnostics for the required files (path dependencies of a
    /// closure) that the root lacks: one per missing path, at the place that
    /// required it.
    public func missingFileDiagnostics(_ required: [(path: String, requiredBy: String, location: SourceLocation)]) -> [Diagnostic] {
        required.filter { !exists($0.path) }.map {
            Diagnostic(.warning, .requiredFileMissing,
                       "\($0.requiredBy) needs the file \($0.path) (a path dependency), which is not in the root \(displayRoot); svc.startd would keep it offline",
                       at: $0.location)
        }
    }

    // MARK: - Reading

    /// The bytes of a regular file inside the root, e.g.
    /// `read(path: "/lib/svc/method/svc-cron")`. Never reads outside the root.
    public func read(path: String, limit: Int = ReaderOptions.defaultMaxFileSize) -> Result<[UInt8], Problem> {
        switch resolve(path) {
        case .failure(let p):
            return .failure(p)
        case .success(let r):
            return readResolved(r, limit: limit)
        }
    }

    /// Reads a resolved file; the last component is opened without following
    /// links, so a link swapped in after resolution is refused.
    func readResolved(_ r: Resolved, limit: Int) -> Result<[UInt8], Problem> {
        var st = stat()
        guard lstat(r.hostPath, &st) == 0 else {
            return .failure(.io(at: r.path, why: String(cString: strerror(errno))))
        }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else { return .failure(.notRegular(at: r.path, kind: FileBytes.fileKind(kind))) }
        if Int(st.st_size) > limit { return .failure(.tooLarge(at: r.path, size: Int(st.st_size), limit: limit)) }
        let fd = open(r.hostPath, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 { return .failure(.io(at: r.path, why: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var fst = stat()
        guard fstat(fd, &fst) == 0, fst.st_mode & S_IFMT == S_IFREG else {
            return .failure(.notRegular(at: r.path, kind: "changed while opening"))
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(fst.st_size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            #if canImport(Glibc)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            #else
            let n = buffer.withUnsafeMutableBytes { Darwin.read(fd, $0.baseAddress, $0.count) }
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.io(at: r.path, why: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
            if out.count > limit { return .failure(.tooLarge(at: r.path, size: out.count, limit: limit)) }
        }
        return .success(out)
    }

    // MARK: - Listing

    /// Every `*.xml` regular file under the directory `dir` (inside the root),
    /// recursively, sorted by path as named, links resolved inside the root.
    /// A missing `dir` gives no file and no diagnostic. Files come back
    /// resolved (their `hostPath` holds no link).
    public func xmlFiles(under dir: String) -> (files: [Resolved], diagnostics: [Diagnostic]) {
        var files: [Resolved] = []
        var diags: [Diagnostic] = []
        guard case .success(let top) = resolve(dir) else { return ([], []) }
        var st = stat()
        guard stat(top.hostPath, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return ([], []) }
        var seen = Set<String>()
        var ancestors: [String] = [top.path]
        walk(named: RootFS.normalise(dir), resolved: top, into: &files, diagnostics: &diags, ancestors: &ancestors, seen: &seen)
        return (files, diags)
    }

    private func walk(named: String, resolved: Resolved, into files: inout [Resolved], diagnostics: inout [Diagnostic],
                      ancestors: inout [String], seen: inout Set<String>) {
        guard let d = opendir(resolved.hostPath) else {
            diagnostics.append(Diagnostic(.error, .pathUnreadable,
                "cannot open directory: \(String(cString: strerror(errno)))", at: SourceLocation(file: resolved.hostPath)))
            return
        }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        closedir(d)
        for name in names.sorted() {
            let childNamed = named == "/" ? "/" + name : named + "/" + name
            let childInside = resolved.path == "/" ? "/" + name : resolved.path + "/" + name
            let isXML = name.hasSuffix(".xml")
            var lst = stat()
            guard lstat(hostPath(childInside), &lst) == 0 else { continue }
            let child: Resolved
            if lst.st_mode & S_IFMT == S_IFLNK {
                switch resolve(childInside) {
                case .success(let r):
                    child = r
                case .failure(let p):
                    // Links to non-XML things that do not resolve are not our business.
                    if isXML || { if case .escapes = p { return true }; if case .loop = p { return true }; return false }() {
                        diagnostics.append(p.diagnostic(in: self, named: hostPath(childNamed)))
                    }
                    continue
                }
            } else {
                child = Resolved(path: childInside, hostPath: hostPath(childInside), links: [])
            }
            var st = stat()
            guard stat(child.hostPath, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR {
                if ancestors.contains(child.path) {
                    diagnostics.append(Diagnostic(.warning, .symlinkLoop,
                        "directory cycle: this link leads back to \(child.path), one of its own parent directories; not followed",
                        at: SourceLocation(file: hostPath(childNamed))))
                    continue
                }
                ancestors.append(child.path)
                walk(named: childNamed, resolved: child, into: &files, diagnostics: &diagnostics, ancestors: &ancestors, seen: &seen)
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
        guard case .success(let r) = resolve(dir) else { return [] }
        guard let d = opendir(r.hostPath) else { return [] }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != "..", name.hasSuffix(suffix) { names.append(name) }
        }
        closedir(d)
        return names.sorted()
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
