#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One String for each distinct attribute value a reader keeps, across the
/// documents it reads (docs/PERFORMANCE.md, "The model"): the same
/// `service_fmri` value (`svc:/milestone/network`), property name or type
/// in ten thousand manifests is then one allocation, shared, instead of ten
/// thousand.
///
/// Only values that Swift would put on the heap are kept (16 bytes and
/// more; shorter ones live inside the String itself), and only up to
/// `maxLength` bytes. The table is bounded (`capacity` values), and a
/// lookup gives up after `maxProbes` occupied slots: a hostile input full
/// of distinct values, or of values built to collide, costs at most a
/// String per value, as it would without the table.
struct StringInterner {
    static let minLength = 16
    static let maxLength = 160
    private static let capacity = 1 << 15
    private static let maxSlots = 1 << 16
    private static let maxProbes = 8

    /// Per slot: 0 when empty, else the index of its string plus one
    /// (allocated on the first value kept, doubled while half full).
    private var slots: [Int32] = []
    private var hashes: [UInt64] = []
    private var strings: [String] = []

    /// The String of `bytes`: the one kept for the same bytes, or a new one
    /// (then kept when there is room).
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let n = bytes.count
        guard n >= Self.minLength, n <= Self.maxLength, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        if strings.count * 2 >= slots.count && slots.count < Self.maxSlots { grow() }
        // FNV-1a over the bytes.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        for _ in 0..<Self.maxProbes {
            let k = slots[slot]
            if k == 0 {
                let s = String(decoding: bytes, as: UTF8.self)
                if strings.count < Self.capacity {
                    strings.append(s)
                    slots[slot] = Int32(strings.count)
                    hashes[slot] = h
                }
                return s
            }
            if hashes[slot] == h {
                var kept = strings[Int(k) - 1]
                let same = kept.withUTF8 { p in p.count == n && memcmp(p.baseAddress!, base, n) == 0 }
                if same { return kept }
            }
            slot = (slot + 1) & mask
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Twice the slots (1,024 at first), every kept value placed again.
    private mutating func grow() {
        let count = max(1024, slots.count * 2)
        var newSlots = [Int32](repeating: 0, count: count)
        var newHashes = [UInt64](repeating: 0, count: count)
        for (k, h) in zip(slots, hashes) where k != 0 {
            var slot = Int(truncatingIfNeeded: h) & (count - 1)
            // Placed at the first free slot: a value past its probe limit
            // is looked for and not found, and costs a String, as when the
            // table is full.
            while newSlots[slot] != 0 { slot = (slot + 1) & (count - 1) }
            newSlots[slot] = k
            newHashes[slot] = h
        }
        slots = newSlots
        hashes = newHashes
    }
}
