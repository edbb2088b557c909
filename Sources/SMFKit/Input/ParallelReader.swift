import Dispatch
import Foundation

/// Reads many files on every core: files are independent, each worker has
/// its own `ManifestReader` (libxml2 context), and results come back in the
/// order of the input list.
public enum ParallelReader {
    public static func read(_ paths: [String], options: ReaderOptions = ReaderOptions(),
                            workers: Int = ProcessInfo.processInfo.activeProcessorCount) -> [ReadResult] {
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
}

/// Shared work queue and result array. Each index is claimed by exactly one
/// worker under the lock, so the writes never overlap.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
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
