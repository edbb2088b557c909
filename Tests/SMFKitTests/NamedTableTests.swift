import Testing
@testable import SMFKit

/// `NamedTable` (docs/PERFORMANCE.md, "The seventh round") replaced the
/// dictionaries of the repository's services and of each service's
/// instances. It must answer as the dictionary did, on both sides of the
/// size where it starts keeping an index, and keep the order of addition.
@Suite struct NamedTableTests {
    @Test("random sets, removals and reads answer as a dictionary does, and iterate in the order of addition",
          arguments: [1, 2, 3, 4])
    func againstDictionary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var table = NamedTable<Int>()
        var dictionary: [String: Int] = [:]
        var order: [String] = []          // keys in the order first added, less the removed
        // Few keys at first (a scan), then many (the index), then removals back under the threshold.
        for step in 0..<3_000 {
            let span = step < 600 ? 6 : (step < 2_000 ? 60 : 12)
            let key = "k" + String(Int.random(in: 0..<span, using: &rng))
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6:
                let v = Int.random(in: 0..<1_000, using: &rng)
                if dictionary[key] == nil { order.append(key) }
                table[key] = v
                dictionary[key] = v
            case 6..<8:
                table[key] = nil
                dictionary[key] = nil
                order.removeAll { $0 == key }
            default:
                #expect(table[key] == dictionary[key])
            }
            #expect(table.count == dictionary.count)
            #expect(table.isEmpty == dictionary.isEmpty)
            if step % 97 == 0 {
                #expect(Array(table.keys) == order)
                #expect(table.map(\.key) == order)
                #expect(Array(table.values) == order.map { dictionary[$0]! })
                for k in 0..<60 {
                    let key = "k\(k)"
                    #expect(table[key] == dictionary[key])
                    #expect(table.position(of: key) == order.firstIndex(of: key))
                }
            }
        }
        #expect(Array(table.keys) == order)
    }

    @Test("values are written in place through their position, below and above the index's size",
          arguments: [3, 40])
    func valuesInPlace(count: Int) {
        var table = NamedTable(uniqueKeysWithValues: (0..<count).map { ("i\($0)", [$0]) })
        let at = table.position(of: "i2")!
        table.values[at].append(100)
        #expect(table["i2"] == [2, 100])
        #expect(table["i1"] == [1])
        #expect(table.values.count == count)
        #expect(table.values.indices == 0..<count)
    }

    @Test("equal and hashed as dictionaries are: the order of the pairs does not count")
    func equalityIgnoresOrder() {
        let a: NamedTable<String> = ["x": "1", "y": "2", "z": "3"]
        let b = NamedTable(uniqueKeysWithValues: [("z", "3"), ("x", "1"), ("y", "2")])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.map(\.key) == ["x", "y", "z"])
        #expect(b.map(\.key) == ["z", "x", "y"])
        var c = b
        c["y"] = "changed"
        #expect(a != c)
        c["y"] = nil
        #expect(a != c)
        #expect(c.count == 2)
        let many = NamedTable(uniqueKeysWithValues: (0..<30).map { ("k\($0)", $0) })
        let reversed = NamedTable(uniqueKeysWithValues: (0..<30).reversed().map { ("k\($0)", $0) })
        #expect(many == reversed)
        #expect(many.hashValue == reversed.hashValue)
    }

    @Test("a table made from a dictionary holds its pairs in the order of their keys")
    func fromDictionary() {
        let d = Dictionary(uniqueKeysWithValues: (0..<20).map { ("n\($0)", $0) })
        let t = NamedTable(d)
        #expect(t.map(\.key) == d.keys.sorted())
        for (k, v) in d { #expect(t[k] == v) }
    }

    @Test("a repository's services and a service's instances are looked up by name as before, in the tree read")
    func repositoryLookups() {
        let repo = Loader.load(InputSpec(root: TestPaths.packageRoot + "/manifests"))
        #expect(repo.services.count > 20)
        for (name, s) in repo.services {
            #expect(repo.services[name]?.name == name)
            #expect(s.instances.count == s.instanceOrder.count)
            for iname in s.instanceOrder {
                #expect(repo.instance(name, iname)?.name == iname)
                #expect(s.instances[iname]?.service == name)
            }
        }
        #expect(repo.services["no/such/service"] == nil)
    }
}

/// `withValue`, `key(at:)` and `values[k]` read what the subscript and the iteration read.
@Suite struct NamedTableInPlaceTests {
    @Test("withValue answers as the subscript, below and above the index threshold", arguments: [3, 40])
    func withValueEqualsSubscript(count: Int) {
        var table = NamedTable<[Int]>()
        for k in 0..<count { table["k\(k)"] = [k, k * 2] }
        for k in 0..<(count + 3) {
            #expect(table.withValue("k\(k)") { $0.reduce(0, +) } == table["k\(k)"]?.reduce(0, +))
        }
        var seen: [String] = []
        for k in table.values.indices { seen.append("\(table.key(at: k))=\(table.values[k][0])") }
        #expect(seen == table.map { "\($0.key)=\($0.value[0])" })
    }
}
