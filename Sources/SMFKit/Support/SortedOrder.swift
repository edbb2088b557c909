import Glibc

/// The positions of `keys` in ascending order: what
/// `keys.indices.sorted { keys[$0] < keys[$1] }` gives, for keys that are
/// all different (names and FMRIs, the repository's sorted views).
///
/// ASCII keys are compared as bytes, which is what String's `<` does for
/// them: copied once into one buffer (a comparison does not follow two
/// String references into the heap), each with its first eight bytes after
/// the prefix every key shares as one number, so that most comparisons are
/// one integer comparison. Keys that are not all ASCII are sorted by
/// String's `<` (its order is that of Unicode canonical equivalence, which
/// bytes do not give).
///
/// - Complexity: O(*n* log *n*) comparisons, O(total length) to copy.
func ascendingOrder(of keys: [String]) -> [Int] {
    let n = keys.count
    if n < 2 { return Array(0..<n) }
    var total = 0
    for k in keys { total += k.utf8.count }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(total)
    var starts: [Int] = []
    starts.reserveCapacity(n + 1)
    for k in keys {
        starts.append(bytes.count)
        bytes.append(contentsOf: k.utf8)
    }
    starts.append(bytes.count)
    var high: UInt8 = 0
    for b in bytes { high |= b }
    if high >= 0x80 {
        return keys.indices.sorted { keys[$0] < keys[$1] }
    }
    return bytes.withUnsafeBufferPointer { buf -> [Int] in
        // The prefix every key shares (bounded by the first key).
        var shared = starts[1] - starts[0]
        for i in 1..<n where shared > 0 {
            let a = starts[0], b = starts[i], len = starts[i + 1] - b
            var j = 0
            while j < shared && j < len && buf[a + j] == buf[b + j] { j += 1 }
            shared = j
        }
        struct Entry { var head: UInt64; var index: Int32 }
        var entries: [Entry] = []
        entries.reserveCapacity(n)
        for i in 0..<n {
            // Big-endian, padded with zeros: a key that is a prefix of
            // another has a head no greater than the other's.
            var head: UInt64 = 0
            let from = starts[i] + shared, to = starts[i + 1]
            for j in 0..<8 {
                head <<= 8
                if from + j < to { head |= UInt64(buf[from + j]) }
            }
            entries.append(Entry(head: head, index: Int32(i)))
        }
        let base = buf.baseAddress!
        entries.sort { x, y in
            if x.head != y.head { return x.head < y.head }
            let a = Int(x.index), b = Int(y.index)
            let la = starts[a + 1] - starts[a] - shared, lb = starts[b + 1] - starts[b] - shared
            let common = min(la, lb)
            if common > 8 {
                let c = memcmp(base + starts[a] + shared + 8, base + starts[b] + shared + 8, common - 8)
                if c != 0 { return c < 0 }
            }
            return la < lb
        }
        return entries.map { Int($0.index) }
    }
}
