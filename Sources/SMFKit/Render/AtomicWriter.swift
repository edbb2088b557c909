// Linux (glibc) only, like FileBytes: sigaction's layout and Glibc.write.
import Glibc

/// Why a file could not be written.
public enum AtomicWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The target exists and `force` was not given.
    case exists(String)
    /// The directory the target would go in does not exist (or is not a directory).
    case directoryMissing(String)
    /// A system call failed; nothing was left behind.
    case io(operation: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .exists(let p):
            "\(p) already exists; not overwritten (use --force to replace it)"
        case .directoryMissing(let d):
            "cannot write into \(d): no such directory (create it first)"
        case .io(let op, let p, let why):
            "cannot write \(p): \(op) failed: \(why); nothing was written"
        }
    }
}

/// Writes a file whole or not at all: the bytes go to a temporary file in the
/// target's directory, which is synced and then renamed over (or linked to)
/// the target. An existing file is never replaced unless `force` is set. On
/// failure, and on SIGINT or SIGTERM while writing, the temporary file is
/// removed; after SIGKILL, the next write into the same directory removes it
/// (its name is `.smf-minimize-tmp.PID.XXXXXX`, and that PID is dead).
public enum AtomicWriter {
    public static func write(_ text: String, to path: String, force: Bool = false, mode: mode_t = 0o644) throws(AtomicWriteError) {
        try write(Array(text.utf8), to: path, force: force, mode: mode)
    }

    public static func write(_ bytes: [UInt8], to path: String, force: Bool = false, mode: mode_t = 0o644) throws(AtomicWriteError) {
        let dir = directory(of: path)
        var st = stat()
        guard PathName.withCString(dir, { stat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFDIR else { throw .directoryMissing(dir) }
        if !force, PathName.withCString(path, { lstat($0, &st) }) == 0 { throw .exists(path) }

        TemporaryFiles.installHandlers()
        // A killed run's temporary files (ours by name, their PID dead) go first.
        let dirFd = PathName.withCString(dir) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if dirFd >= 0 {
            ArtefactWriter.removeStale(in: dirFd)
            close(dirFd)
        }
        var template = PathName.bytes((dir == "/" ? "/" : dir + "/") + ArtefactWriter.tempPrefix + String(getpid()) + ".XXXXXX").map { CChar(bitPattern: $0) } + [0]
        let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let p = buf.baseAddress else { return -1 }
            return mkstemp(p)
        }
        if fd < 0 { throw .io(operation: "creating a temporary file", path: path, reason: lastError()) }
        let temp = PathName.decode(template.dropLast().map { UInt8(bitPattern: $0) })
        let slot = TemporaryFiles.register(temp)
        var done = false
        defer {
            if !done { _ = PathName.withCString(temp) { unlink($0) } }
            TemporaryFiles.unregister(slot)
        }

        if let (op, why) = fill(fd, bytes, mode: mode, write: { Glibc.write($0, $1, $2) }) {
            throw .io(operation: op, path: path, reason: why)
        }

        if force {
            if PathName.withCString(temp, { t in PathName.withCString(path) { rename(t, $0) } }) != 0 {
                throw .io(operation: "rename", path: path, reason: lastError())
            }
        } else {
            // link() fails with EEXIST instead of replacing a file that appeared
            // since the check above; rename() would clobber it.
            if PathName.withCString(temp, { t in PathName.withCString(path) { link(t, $0) } }) != 0 {
                let err = errno
                if err == EEXIST { throw .exists(path) }
                throw .io(operation: "link", path: path, reason: String(cString: strerror(err)))
            }
            _ = PathName.withCString(temp) { unlink($0) }
        }
        done = true
        syncDirectory(dir)
    }

    /// Writes all of `bytes` to the new file `fd` (through `write`, which
    /// tests replace), sets its mode, syncs and closes it: the step that
    /// failed and why, or nil. The one file-filling step of `AtomicWriter`
    /// and `ArtefactWriter`.
    static func fill(_ fd: Int32, _ bytes: [UInt8], mode: mode_t,
                     write: (Int32, UnsafeRawPointer?, Int) -> Int) -> (operation: String, reason: String)? {
        var failure: (operation: String, reason: String)?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = ("write", lastError())
                    return
                }
                offset += n
            }
        }
        if failure == nil, fchmod(fd, mode) != 0 { failure = ("chmod", lastError()) }
        if failure == nil, fsync(fd) != 0 { failure = ("fsync", lastError()) }
        if close(fd) != 0, failure == nil { failure = ("close", lastError()) }
        return failure
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    private static func syncDirectory(_ dir: String) {
        let fd = PathName.withCString(dir) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// The temporary files being written, kept where a signal handler can reach
/// them without allocating or locking: a fixed table of NUL-terminated paths,
/// each with a flag written last on register and first on unregister.
enum TemporaryFiles {
    static let slots = 64
    static let pathMax = Int(PATH_MAX)

    // Written only under `lock` (and the flags last), read by the signal
    // handler without it: the point of the fixed table.
    nonisolated(unsafe) private static let table: (paths: UnsafeMutablePointer<CChar>, used: UnsafeMutablePointer<sig_atomic_t>) = {
        let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slots * pathMax)
        paths.initialize(repeating: 0, count: slots * pathMax)
        let used = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: slots)
        used.initialize(repeating: 0, count: slots)
        return (paths, used)
    }()

    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    /// Records `path`; returns its slot, or -1 when the table is full (the
    /// file is then still removed on failure, only not on a signal).
    static func register(_ path: String) -> Int {
        let t = table
        let bytes = PathName.bytes(path)
        guard bytes.count < pathMax else { return -1 }
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        for i in 0..<slots where t.used[i] == 0 {
            let dst = t.paths + i * pathMax
            for (k, b) in bytes.enumerated() { dst[k] = CChar(bitPattern: b) }
            dst[bytes.count] = 0
            t.used[i] = 1
            return i
        }
        return -1
    }

    static func unregister(_ slot: Int) {
        guard slot >= 0, slot < slots else { return }
        pthread_mutex_lock(lock)
        table.used[slot] = 0
        pthread_mutex_unlock(lock)
    }

    /// The registered paths (for tests).
    static var registered: [String] {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return (0..<slots).filter { table.used[$0] != 0 }.map { String(cString: table.paths + $0 * pathMax) }
    }

    /// Unlinks every registered file. Async-signal-safe: only unlink(2) and
    /// reads of memory allocated before any handler was installed.
    /// `under` (tests only) limits it to paths that start with that prefix.
    static func removeAll(under prefix: String? = nil) {
        let t = table
        for i in 0..<slots where t.used[i] != 0 {
            let p = t.paths + i * pathMax
            if let prefix, strncmp(p, prefix, prefix.utf8.count) != 0 { continue }
            unlink(p)
        }
    }

    private static let installed: Bool = {
        _ = table
        _ = lock
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                TemporaryFiles.removeAll()
                // Then die of the same signal, as if no handler had been there.
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var previous = sigaction()
            sigaction(sig, nil, &previous)
            // Leave alone a signal the process ignores or already handles.
            if previous.__sigaction_handler.sa_handler == nil {
                sigaction(sig, &action, nil)
            }
        }
        return true
    }()

    static func installHandlers() { _ = installed }
}
