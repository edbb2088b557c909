import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file to read: a host path (a PATH argument), or a path inside a root,
/// opened by the walk from the root's descriptor and named by its host path.
public enum InputFile: Sendable, Hashable {
    case host(String)
    /// A host file that a directory's walk found regular: opened without a
    /// stat(2) first (`FileBytes.readWalked`).
    case walked(String)
    case inRoot(RootFS, RootFS.Resolved)

    /// The name diagnostics and the repository give the file.
    public var name: String {
        switch self {
        case .host(let p), .walked(let p): p
        case .inRoot(_, let r): r.hostPath
        }
    }

    func read(with reader: ManifestReader, limit: Int) -> ReadResult {
        switch self {
        case .host(let p):
            return reader.read(path: p)
        case .walked(let p):
            return reader.read(walkedPath: p)
        case .inRoot(let fs, let r):
            switch fs.read(path: r.path, limit: limit) {
            case .success(let bytes):
                return reader.read(bytes: bytes, path: r.hostPath)
            case .failure(let p):
                return ReadResult(path: r.hostPath, bundle: nil, diagnostics: [p.diagnostic(in: fs, named: r.hostPath)])
            }
        }
    }
}

/// Reads many files on every core: files are independent, each worker has
/// its own `ManifestReader` (libxml2 context), and results come back in the
/// order of the input list.
public enum ParallelReader {
    /// The cores online (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public static func read(_ paths: [String], options: ReaderOptions = ReaderOptions(),
                            workers: Int = ParallelReader.coreCount) -> [ReadResult] {
        if paths.isEmpty { return [] }
        let slots = ResultSlots(count: paths.count)
        let n = max(1, min(workers, paths.count))
        if n == 1 {
            let reader = ManifestReader(options: options)
            return paths.map { reader.read(path: $0) }
        }
        DispatchQueue.concurrentPerform(iterations: n) { _ in
            let reader = ManifestReader(options: options)
            while let i = slots.next() {
                slots.store(reader.read(path: paths[i]), at: i)
            }
        }
        return slots.results()
    }

    /// Reads `paths` on every core and hands each result to `consume` on the
    /// calling thread, in the order of the list, as soon as it and every one
    /// before it are read: merging overlaps reading, and at most `window`
    /// results wait in memory (never the whole tree).
    public static func read(_ paths: [String], options: ReaderOptions = ReaderOptions(),
                            workers: Int = ParallelReader.coreCount, window: Int = 1024,
                            consume: (ReadResult) -> Void) {
        read(files: paths.map { .host($0) }, options: options, workers: workers, window: window, consume: consume)
    }

    /// `read(_:options:workers:window:consume:)` for files of the host and of a root.
    public static func read(files paths: [InputFile], options: ReaderOptions = ReaderOptions(),
                            workers: Int = ParallelReader.coreCount, window: Int = 1024,
                            consume: (ReadResult) -> Void) {
        if paths.isEmpty { return }
        let n = max(1, min(workers, paths.count))
        if n == 1 {
            let reader = ManifestReader(options: options)
            for p in paths { consume(p.read(with: reader, limit: options.maxFileSize)) }
            return
        }
        let stream = StreamSlots(count: paths.count, window: max(window, n))
        let group = DispatchGroup()
        for _ in 0..<n {
            DispatchQueue.global().async(group: group) {
                let reader = ManifestReader(options: options)
                while let i = stream.next() {
                    stream.store(paths[i].read(with: reader, limit: options.maxFileSize), at: i)
                }
            }
        }
        for i in 0..<paths.count { consume(stream.take(i)) }
        group.wait()
    }
}

/// The work queue of the streaming read: workers claim indices at most
/// `window` ahead of the consumer, which takes results in order.
///
/// Few wake-ups: a thread that stores a result wakes the consumer only
/// when the consumer waits and the batch it waits for (its next result and
/// up to `batch - 1` after it) is ready, and the consumer wakes waiting
/// workers only when a quarter of the window is free again, or before it
/// waits itself. (Waking on every result cost a futex wake and two context
/// switches per file: a tenth of a 10k `closure`'s CPU.)
private final class StreamSlots: @unchecked Sendable {
    /// Condition 0: workers wait for room in the window; 1: the consumer waits for results.
    private let monitor = Monitor(conditions: 2)
    private let count: Int
    private let window: Int
    private let batch: Int
    private var nextIndex = 0
    private var consumed = 0
    private var slots: [ReadResult?]
    private var workersWaiting = 0
    /// The first and last index of the batch the consumer waits for.
    private var consumerWaits: (first: Int, last: Int)?

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
        self.batch = max(1, min(16, window))
        self.slots = Array(repeating: nil, count: count)
    }

    /// The next index to read, waiting while the window is full; nil when all are claimed.
    func next() -> Int? {
        monitor.lock()
        defer { monitor.unlock() }
        while nextIndex < count && nextIndex >= consumed + window {
            workersWaiting += 1
            monitor.wait(0)
            workersWaiting -= 1
        }
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    func store(_ r: ReadResult, at i: Int) {
        monitor.lock()
        slots[i] = r
        if let w = consumerWaits, slots[w.first] != nil, slots[w.last] != nil {
            consumerWaits = nil
            monitor.signal(1)
        }
        monitor.unlock()
    }

    /// Room in the window for workers to claim.
    private var room: Int { consumed + window - nextIndex }

    /// Waits for result `i`, removes it from the slots and returns it.
    func take(_ i: Int) -> ReadResult {
        monitor.lock()
        defer { monitor.unlock() }
        if slots[i] == nil {
            // Wait for a batch: `last` is within the window, so it is claimed
            // once the workers have room, and they are woken first if they wait.
            let last = min(i + batch - 1, count - 1)
            while slots[i] == nil || slots[last] == nil {
                if workersWaiting > 0 && room > 0 { monitor.broadcast(0) }
                consumerWaits = (i, last)
                monitor.wait(1)
            }
        }
        guard let r = slots[i] else { preconditionFailure("take(\(i)) returns once the slot holds its result") }
        slots[i] = nil
        consumed = i + 1
        if workersWaiting > 0 && room >= max(1, window / 4) { monitor.broadcast(0) }
        return r
    }
}

/// Shared work queue and result array. Each index is claimed by exactly one
/// worker under the lock, so the writes never overlap.
private final class ResultSlots: @unchecked Sendable {
    private let lock = Monitor()
    private var nextIndex = 0
    private let count: Int
    private var slots: [ReadResult?]

    init(count: Int) {
        self.count = count
        self.slots = Array(repeating: nil, count: count)
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    func store(_ r: ReadResult, at i: Int) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }

    func results() -> [ReadResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots.enumerated().map { i, r in
            r ?? ReadResult(path: "?", bundle: nil, diagnostics: [
                Diagnostic(.error, .pathUnreadable, "internal: file \(i) was not read", at: SourceLocation(file: "?")),
            ])
        }
    }
}

/// A mutex with its condition variables (pthread), for the slots above:
/// every field they guard is read and written only between `lock()` and
/// `unlock()`. Heap-allocated, so that the pthread objects never move.
final class Monitor: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let conds: UnsafeMutablePointer<pthread_cond_t>
    private let condCount: Int

    init(conditions: Int = 1) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condCount = max(1, conditions)
        conds = .allocate(capacity: condCount)
        for k in 0..<condCount {
            (conds + k).initialize(to: pthread_cond_t())
            pthread_cond_init(conds + k, nil)
        }
    }

    deinit {
        for k in 0..<condCount { pthread_cond_destroy(conds + k) }
        pthread_mutex_destroy(mutex)
        conds.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits on condition `k` (`broadcast(k)`, `signal(k)`), the lock held (released while waiting).
    func wait(_ k: Int = 0) { pthread_cond_wait(conds + k, mutex) }
    /// Wakes every thread waiting on condition `k`.
    func broadcast(_ k: Int = 0) { pthread_cond_broadcast(conds + k) }
    /// Wakes one thread waiting on condition `k`.
    func signal(_ k: Int = 0) { pthread_cond_signal(conds + k) }
}
