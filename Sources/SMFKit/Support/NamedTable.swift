/// Values kept by name, as a `[String: Value]` would keep them, in the
/// order they were first added, and in a fraction of its memory
/// (docs/PERFORMANCE.md, "The seventh round"): the pairs in one array, and
/// an index by name only once the table holds more than `indexedFrom`
/// pairs. A service's instances (one or two, mostly) are one small array,
/// where a dictionary took 400 bytes for a single instance; the repository's
/// services are one array and an index of positions, where a dictionary
/// held every service twice over in its empty buckets.
///
/// It reads like the dictionary it replaces: `table[name]` gets, sets and
/// (with nil) removes; `keys`, `values`, `count`, `isEmpty`; a literal
/// `["default": instance]` makes one. Equality and hashing ignore the order,
/// as a dictionary's do. Iteration is in the order of addition, which no
/// output depends on: every listing sorts (docs/ARCHITECTURE.md).
public struct NamedTable<Value> {
    public typealias Element = (key: String, value: Value)

    private var pairs: [Element]
    /// The position of each key, once `pairs` holds more than `indexedFrom`.
    private var index: [String: Int32]?

    /// Up to this many pairs a lookup reads the keys in turn.
    static var indexedFrom: Int { 8 }

    public init() {
        pairs = []
        index = nil
    }

    /// A table of these pairs, in this order; the keys must be unique.
    public init(uniqueKeysWithValues elements: some Sequence<(String, Value)>) {
        pairs = elements.map { (key: $0.0, value: $0.1) }
        index = nil
        if pairs.count > Self.indexedFrom {
            makeIndex()
            precondition(index!.count == pairs.count, "NamedTable: duplicate keys")
        } else {
            for k in pairs.indices.dropFirst() {
                precondition(!pairs[..<k].contains { $0.key == pairs[k].key }, "NamedTable: duplicate keys")
            }
        }
    }

    /// The dictionary's pairs, in the order of their keys (a dictionary's
    /// own order changes from one process to the next).
    public init(_ dictionary: [String: Value]) {
        self.init(uniqueKeysWithValues: dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    private mutating func makeIndex() {
        var made: [String: Int32] = [:]
        made.reserveCapacity(pairs.count)
        for (k, p) in pairs.enumerated() { made[p.key] = Int32(k) }
        index = made
    }

    /// Where `key` is in `pairs`.
    public func position(of key: String) -> Int? {
        if let index { return index[key].map(Int.init) }
        return pairs.firstIndex { $0.key == key }
    }

    /// `body` given the value under `key` in place, nil when there is none:
    /// what `table[key]` reads without copying the value out (a `Service`
    /// copied is a reference count for each of its names, declarations and
    /// tables, taken and dropped again).
    public func withValue<R>(_ key: String, _ body: (borrowing Value) throws -> R) rethrows -> R? {
        guard let k = position(of: key) else { return nil }
        return try body(pairs[k].value)
    }

    /// The key at position `k` (`position(of:)`), read without the value.
    public func key(at k: Int) -> String { pairs[k].key }

    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    /// The keys, in the order of addition.
    public var keys: LazyMapCollection<[Element], String> { pairs.lazy.map { $0.key } }

    /// The values, in the order of addition; `values[k]` is the value at
    /// position `k` (`position(of:)`), read and written in place.
    public var values: Values {
        get { Values(pairs: pairs) }
        _modify {
            var v = Values(pairs: [])
            swap(&v.pairs, &pairs)
            defer { swap(&v.pairs, &pairs) }
            yield &v
        }
    }

    public subscript(key: String) -> Value? {
        get { position(of: key).map { pairs[$0].value } }
        set {
            if let k = position(of: key) {
                if let newValue {
                    pairs[k].value = newValue
                } else {
                    pairs.remove(at: k)
                    index = nil
                    if pairs.count > Self.indexedFrom { makeIndex() }
                }
            } else if let newValue {
                pairs.append((key, newValue))
                if index != nil {
                    index![key] = Int32(pairs.count - 1)
                } else if pairs.count > Self.indexedFrom {
                    makeIndex()
                }
            }
        }
    }

    /// Reserves room for this many pairs (and their index, when they will need one).
    public mutating func reserveCapacity(_ n: Int) {
        pairs.reserveCapacity(n)
        if n > Self.indexedFrom {
            if index == nil { makeIndex() }
            index!.reserveCapacity(n)
        }
    }

    /// The values of a table: a collection in the order of addition, whose
    /// elements are written in place.
    public struct Values: RandomAccessCollection, MutableCollection {
        fileprivate var pairs: [NamedTable.Element]
        public var startIndex: Int { 0 }
        public var endIndex: Int { pairs.count }
        public subscript(position: Int) -> Value {
            _read { yield pairs[position].value }
            set { pairs[position].value = newValue }
            _modify { yield &pairs[position].value }
        }
    }
}

extension NamedTable: Sequence {
    public func makeIterator() -> IndexingIterator<[Element]> { pairs.makeIterator() }
    public var underestimatedCount: Int { pairs.count }
}

extension NamedTable: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}

extension NamedTable: Equatable where Value: Equatable {
    /// The same keys with equal values, in any order (as dictionaries compare).
    public static func == (a: Self, b: Self) -> Bool {
        guard a.count == b.count else { return false }
        for p in a.pairs {
            guard let other = b[p.key], other == p.value else { return false }
        }
        return true
    }
}

extension NamedTable: Hashable where Value: Hashable {
    /// The order of the pairs does not count (as a dictionary hashes).
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for p in pairs {
            var h = Hasher()
            h.combine(p.key)
            h.combine(p.value)
            sum &+= h.finalize()
        }
        hasher.combine(pairs.count)
        hasher.combine(sum)
    }
}

extension NamedTable: Sendable where Value: Sendable {}
extension NamedTable.Values: Sendable where Value: Sendable {}
