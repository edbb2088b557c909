import Dispatch

// Work cut across the cores (ParallelReader.coreCount): the merge's
// composition, the graph's columns, the repository's sorted views and the
// walk of the PATHs. Each gives the results in the order of the work on
// one core.

/// A buffer that chunks on several threads write, each at its own
/// positions only (never two at one position), while its owner waits.
struct SharedBuffer<T>: @unchecked Sendable {
    let buf: UnsafeMutableBufferPointer<T>
    init(_ buf: UnsafeMutableBufferPointer<T>) { self.buf = buf }
}

/// `body` over `0..<count` cut into ranges, on every core when there is
/// enough work (DispatchQueue.concurrentPerform), the results in range order.
func inChunks<R: Sendable>(count: Int, minimumChunk: Int = 512, _ body: @Sendable (Range<Int>) -> R) -> [R] {
    let cores = ParallelReader.coreCount
    let chunkCount = min(max(1, count / minimumChunk), cores * 4)
    if chunkCount <= 1 || cores == 1 { return [body(0..<count)] }
    var results = [R?](repeating: nil, count: chunkCount)
    results.withUnsafeMutableBufferPointer { buf in
        let shared = SharedBuffer(buf)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            let lower = count * c / chunkCount, upper = count * (c + 1) / chunkCount
            shared.buf[c] = body(lower..<upper)
        }
    }
    return results.compactMap { $0 }
}

/// `first` and `second` at the same time, on two cores when there are two.
func bothAtOnce<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    if ParallelReader.coreCount < 2 { return (first(), second()) }
    nonisolated(unsafe) var a: A?
    nonisolated(unsafe) var b: B?
    DispatchQueue.concurrentPerform(iterations: 2) { k in
        if k == 0 { a = first() } else { b = second() }
    }
    return (a!, b!)
}

/// `body` started on another thread at once; `value` waits for its result.
/// For work the caller needs later and that depends on nothing it is about
/// to compute (the report's cycles and costs, beside the verdict).
final class Background<T: Sendable>: @unchecked Sendable {
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> T) {
        DispatchQueue.global().async {
            self.result = body()
            self.done.signal()
        }
    }

    /// The result, once `body` has returned (the semaphore orders its write before this read).
    var value: T {
        done.wait()
        done.signal()
        return result!
    }
}

/// A value computed on first use and kept, shared by every copy of the
/// struct that holds the box: computed at most once even when several
/// threads ask at the same time (the others wait for it). The repository's
/// sorted views and the graph's cycles.
///
/// The lock is a pthread mutex (`Monitor`), which ThreadSanitizer sees:
/// Synchronization's `Mutex` waits on futexes directly on Linux, and the
/// sanitizer reports the accesses it guards as races when threads contend.
final class ComputedOnce<T: Sendable>: @unchecked Sendable {
    private let monitor = Monitor()
    /// Read and written only with `monitor` held.
    private var value: T?

    init() {}

    /// The value, computed by `compute` on the first call only.
    func get(_ compute: () -> T) -> T {
        monitor.lock()
        defer { monitor.unlock() }
        if let value { return value }
        let made = compute()
        value = made
        return made
    }
}
