#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names of the files that locations point into, each stored once for
/// the whole process: a `SourceLocation` holds a file's number, not its
/// name (docs/PERFORMANCE.md, "The model").
///
/// Every element read keeps a location, so there are millions of them in a
/// large tree. A name held in each would cost 16 bytes more per location and
/// a reference count touched on every copy, by every core, on the one
/// string all the locations of a file share.
///
/// Names are told apart by their bytes, as the file system tells them
/// apart: two names that Swift's `==` calls equal (the same text in two
/// Unicode normal forms) are two files, and keep two numbers.
///
/// Numbers are handed out under a lock; reading a name takes no lock. Names
/// are kept in pages that never move, and a number reaches a reader only
/// after its name was stored (through whatever passed the location on).
final class SourceFiles: @unchecked Sendable {
    static let shared = SourceFiles()

    private static let pageBits = 14
    private static let pageSize = 1 << pageBits
    /// 4,096 pages of 16,384 names: 67 million files.
    private static let pageCount = 4096

    private let pages: UnsafeMutablePointer<UnsafeMutablePointer<String>?>
    /// Guards `byName` and `count` (a pthread mutex, which ThreadSanitizer
    /// follows, as in ParallelReader).
    private let monitor = Monitor()
    private var byName: [NameBytes: UInt32] = [:]
    private var count: UInt32 = 0

    private init() {
        pages = .allocate(capacity: Self.pageCount)
        pages.initialize(repeating: nil, count: Self.pageCount)
        _ = number("")
    }

    /// The number of a file name, given to it the first time it is asked for.
    func number(_ name: String) -> UInt32 {
        monitor.lock()
        defer { monitor.unlock() }
        let next = count
        let page = Int(next) >> Self.pageBits
        // Past the last page, a further name shares the last slot's
        // number: a location stays valid, its file name is wrong. Not
        // reachable with the input limits (one name per file read).
        guard page < Self.pageCount else { return byName[NameBytes(name)] ?? next - 1 }
        var number = next
        // One probe of the table, which inserts `next` when the name is new.
        Self.settle(&byName[NameBytes(name), default: next], into: &number)
        guard number == next else { return number }
        if pages[page] == nil {
            pages[page] = .allocate(capacity: Self.pageSize)
        }
        (pages[page]! + (Int(next) & (Self.pageSize - 1))).initialize(to: name)
        count = next + 1
        return next
    }

    /// Makes room for `additional` names more (the files about to be read),
    /// so that the table is not rehashed as it grows.
    func reserve(_ additional: Int) {
        monitor.lock()
        defer { monitor.unlock() }
        byName.reserveCapacity(byName.count + additional)
    }

    private static func settle(_ slot: inout UInt32, into number: inout UInt32) { number = slot }

    /// The name of a number this table handed out.
    func name(_ number: UInt32) -> String {
        let n = Int(number)
        return pages[n >> Self.pageBits]![n & (Self.pageSize - 1)]
    }
}

/// A file name compared and hashed by its UTF-8 bytes.
private struct NameBytes: Hashable {
    let name: String
    init(_ name: String) { self.name = name }
    static func == (a: NameBytes, b: NameBytes) -> Bool { a.name.hasSameBytes(as: b.name) }
    func hash(into h: inout Hasher) {
        var copy = name
        copy.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
