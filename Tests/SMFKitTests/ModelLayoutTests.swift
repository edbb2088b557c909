import Testing
@testable import SMFKit

private typealias Location = SMFKit.SourceLocation

/// The model's compact forms (issue 18, docs/PERFORMANCE.md "The model"):
/// a location holds a file number, declarations live behind a reference
/// copied on write. Each must behave as the plain value it replaced.
@Suite struct ModelLayoutTests {
    @Test("a location gives back its file, line and column exactly, and is 12 bytes")
    func locationRoundTrip() {
        let names = ["/a/b.xml", "", "/tmp/x y/z.xml", "b\nfake.xml:1:1: error: x", "/€/ü.xml", String(repeating: "d/", count: 400) + "f.xml"]
        for (k, n) in names.enumerated() {
            let loc = Location(file: n, line: 10 + k, column: k)
            #expect(loc.file.utf8.elementsEqual(n.utf8))
            #expect(loc.line == 10 + k)
            #expect(loc.column == k)
            #expect(loc == Location(file: String(n), line: 10 + k, column: k))
        }
        #expect(MemoryLayout<Location>.size == 12)
        var loc = Location(file: "/one.xml", line: 3, column: 4)
        loc.file = "/two.xml"
        loc.line = 7
        loc.column = 9
        #expect(loc.description == "/two.xml:7:9")
        // Out of the 32-bit range: clamped, never trapped.
        loc.line = Int.max
        #expect(loc.line == Int(Int32.max))
    }

    @Test("two names Swift calls equal but whose bytes differ are two files")
    func normalFormsAreTwoFiles() {
        let composed = "/m/caf\u{E9}.xml"           // é as one scalar
        let decomposed = "/m/cafe\u{301}.xml"       // e and a combining accent
        #expect(composed == decomposed)             // Swift's equality
        let a = Location(file: composed, line: 1)
        let b = Location(file: decomposed, line: 1)
        #expect(a != b)
        #expect(Array(a.file.utf8) == Array(composed.utf8))
        #expect(Array(b.file.utf8) == Array(decomposed.utf8))
        // Ordered, one way only.
        #expect((a < b) != (b < a))
    }

    @Test("locations order by file name, then line, then column, whatever order the files were numbered in")
    func order() {
        // Numbered in reverse of their names' order.
        let files = (0..<50).map { k -> String in let n = String(49 - k); return "/order/" + String(repeating: "0", count: 3 - n.count) + n + ".xml" }
        var locs: [Location] = []
        for f in files { for line in [3, 1, 2] { locs.append(Location(file: f, line: line, column: line % 2)) } }
        let sorted = locs.sorted()
        let expected = locs.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        #expect(sorted.map(\.description) == expected.map(\.description))
        #expect(sorted.first?.description == "/order/000.xml:1:1")
    }

    @Test("file numbers handed out from many threads at once: one number per name")
    func concurrentNumbering() async {
        let names = (0..<2_000).map { "/concurrent/\($0 % 500)/f.xml" }
        let results = await withTaskGroup(of: [(String, UInt32)].self) { group in
            for t in 0..<4 {
                group.addTask {
                    names.indices.filter { $0 % 4 == t }.map { (names[$0], SourceFiles.shared.number(names[$0])) }
                }
            }
            var all: [(String, UInt32)] = []
            for await r in group { all += r }
            return all
        }
        var byName: [String: Set<UInt32>] = [:]
        for (n, k) in results { byName[n, default: []].insert(k) }
        #expect(byName.count == 500)
        #expect(byName.values.allSatisfy { $0.count == 1 })
        #expect(Set(byName.values.compactMap(\.first)).count == 500)
        for (n, ks) in byName { #expect(SourceFiles.shared.name(ks.first!) == n) }
    }

    @Test("an entity declaration is a value: a copy written does not change the original")
    func entityCopyOnWrite() {
        let loc = Location(file: "/cow.xml", line: 1)
        var a = EntityDecl()
        a.dependencies.append(DependencyDecl(name: "net", grouping: .requireAll, restartOn: .none, type: "service",
                                             entities: [EntityRef(value: "svc:/milestone/network", location: loc)], location: loc))
        let b = a
        var c = a
        c.dependencies[0].name = "other"
        c.commonName = "changed"
        c.methodContext = MethodContext(workingDirectory: "/", location: loc)
        #expect(a == b)
        #expect(a.dependencies.map(\.name) == ["net"])
        #expect(a.commonName == nil && a.methodContext == nil)
        #expect(c.dependencies.map(\.name) == ["other"])
        #expect(c != a)
        // Two boxes with equal fields are equal, and hash alike.
        let d = EntityDecl(dependencies: a.dependencies)
        #expect(d == a)
        #expect(d.hashValue == a.hashValue)
        // Empty declarations are equal however they were made.
        #expect(EntityDecl() == EntityDecl(restarter: nil))
        #expect(MemoryLayout<EntityDecl>.size == 8)
    }

    @Test("a method's context is a value too")
    func methodContextCopyOnWrite() {
        let loc = Location(file: "/cow.xml", line: 2)
        var m = ExecMethod(type: "method", name: "start", exec: "/bin/true", timeoutSeconds: "60",
                           context: MethodContext(workingDirectory: "/var", location: loc), location: loc)
        let copy = m
        m.context?.workingDirectory = "/tmp"
        m.context?.environment.append(EnvVar(name: "A", value: "1"))
        #expect(copy.context?.workingDirectory == "/var")
        #expect(copy.context?.environment.isEmpty == true)
        #expect(m.context?.workingDirectory == "/tmp")
        #expect(m.context?.environment.map(\.name) == ["A"])
        m.context = nil
        #expect(m.context == nil && copy.context != nil)
    }

    @Test("the reader's interner gives exactly the String that decoding the bytes gives, for any bytes, past its bounds")
    func internerIsDecoding() {
        var interner = StringInterner()
        var rng = SplitMix64(seed: 18)
        var seen: [[UInt8]] = []
        // Random byte strings of every length around the bounds, invalid
        // UTF-8 included, each asked for twice (the second from the table).
        var wrong = 0
        for k in 0..<12_000 {
            let length = Int(rng.next() % UInt64(StringInterner.maxLength + 40))
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next() % 4 == 0 ? rng.next() : 0x61 + rng.next() % 3) }
            if k % 3 == 0, let again = seen.last { bytes = again }
            seen.append(bytes)
            let got = bytes.withUnsafeBufferPointer { interner.string($0) }
            let want = String(decoding: bytes, as: UTF8.self)
            if !got.utf8.elementsEqual(want.utf8) { wrong += 1 }
        }
        #expect(wrong == 0)
        // Past the table's capacity (32,768 values) every value is still right.
        for k in 0..<30_000 {
            let bytes = Array("svc:/site/a-long-service-name/\(k)".utf8)
            let got = bytes.withUnsafeBufferPointer { interner.string($0) }
            if !got.utf8.elementsEqual(bytes) { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    @Test("a property gives back its values as given: none, one, several; one value made either way is the same property")
    func propertyValues() {
        let loc = Location(file: "/p.xml", line: 4)
        for values in [[], ["a"], [""], ["a", "b"], ["x", "y", "z"]] {
            var p = Property(name: "n", type: "astring", values: values, location: loc)
            #expect(p.values == values)
            #expect(p.firstValue == values.first)
            p.values.append("more")
            #expect(p.values == values + ["more"])
            p.values = values
            #expect(p == Property(name: "n", type: "astring", values: values, location: loc))
        }
        let one = Property(name: "n", type: nil, value: "v", location: loc)
        #expect(one == Property(name: "n", type: nil, values: ["v"], location: loc))
        #expect(one.hashValue == Property(name: "n", type: nil, values: ["v"], location: loc).hashValue)
        #expect(one != Property(name: "n", type: nil, values: ["v", "v"], location: loc))
    }

    @Test("a composed group gives back its entities as given, and reads them in order without the list")
    func groupEntities() {
        let loc = Location(file: "/g.xml", line: 9)
        let all = [GroupEntity(fmri: .service("a/b"), location: loc), GroupEntity(fmri: .instance(service: "c", instance: "d"), location: loc),
                   GroupEntity(fmri: .path("/etc/x"), location: loc)]
        for n in 0...3 {
            let entities = Array(all.prefix(n))
            var g = DependencyGroup(name: "g", grouping: .requireAll, restartOn: .none, type: "service",
                                    entities: entities, origin: .serviceDependency, location: loc)
            #expect(g.entities == entities)
            #expect(g.entityCount == n)
            var seen: [GroupEntity] = []
            g.forEachEntity { seen.append($0) }
            #expect(seen == entities)
            g.entities.append(all[0])
            #expect(g.entities == entities + [all[0]])
            #expect(g.entityCount == n + 1)
        }
        let one = DependencyGroup(name: "g", grouping: .optionalAll, restartOn: .restart, type: "service",
                                  entity: all[1], origin: .instanceDependency, location: loc)
        let listed = DependencyGroup(name: "g", grouping: .optionalAll, restartOn: .restart, type: "service",
                                     entities: [all[1]], origin: .instanceDependency, location: loc)
        #expect(one == listed)
        #expect(one.hashValue == listed.hashValue)
    }
}

/// A composed group keeps its type as a byte and its rare parts behind one
/// reference (docs/PERFORMANCE.md, "The seventh round"): it must read and
/// compare as the plain fields did.
@Suite struct GroupLayoutTests {
    private static func group(type: String, invalid: [InvalidEntity] = []) -> DependencyGroup {
        var g = DependencyGroup(name: "net", grouping: .requireAll, restartOn: .none, type: type,
                                entities: [GroupEntity(fmri: .service("network/loopback"), location: Location(file: "/g.xml", line: 4))],
                                origin: .dependent(declarer: "svc:/site/a:default"), location: Location(file: "/g.xml", line: 3))
        g.invalidEntities = invalid
        return g
    }

    @Test("every type reads back as written: the two svc.startd knows, others, the empty one, and one changed")
    func typeRoundTrip() {
        for t in ["service", "path", "Service", "", "servic", "service ", "file", "svc\u{301}"] {
            let g = Self.group(type: t)
            #expect(Array(g.type.utf8) == Array(t.utf8))
            #expect(g == Self.group(type: t))
            #expect(g.hashValue == Self.group(type: t).hashValue)
        }
        #expect(Self.group(type: "service") != Self.group(type: "path"))
        #expect(Self.group(type: "other") != Self.group(type: "another"))
        var g = Self.group(type: "other")
        g.type = "service"
        #expect(g.type == "service")
        #expect(g == Self.group(type: "service"))
        g.type = "path"
        #expect(g == Self.group(type: "path"))
        #expect(MemoryLayout<DependencyGroup>.stride <= 104)
    }

    @Test("invalid entities read back, and a group whose invalid entities are cleared equals one that never had any")
    func invalidEntities() {
        let bad = [InvalidEntity(value: "svc:/@SMF_PREFIX@/x", location: Location(file: "/g.xml", line: 5)),
                   InvalidEntity(value: "not an fmri", location: Location(file: "/g.xml", line: 6))]
        var g = Self.group(type: "other", invalid: bad)
        #expect(g.invalidEntities == bad)
        #expect(g.type == "other")
        #expect(g != Self.group(type: "other"))
        g.invalidEntities = []
        #expect(g.invalidEntities.isEmpty)
        #expect(g.type == "other")
        #expect(g == Self.group(type: "other"))
        g.type = "service"
        #expect(g == Self.group(type: "service"))
        var h = Self.group(type: "path", invalid: bad)
        h.invalidEntities = []
        #expect(h == Self.group(type: "path"))
        #expect(h.hashValue == Self.group(type: "path").hashValue)
    }
}

/// A declared dependency keeps its one entity without an array and its
/// type as a byte (docs/PERFORMANCE.md, "The seventh round").
@Suite struct DependencyDeclLayoutTests {
    private static func refs(_ n: Int) -> [EntityRef] {
        (0..<n).map { EntityRef(value: "svc:/site/s\($0):default", location: Location(file: "/d.xml", line: 10 + $0)) }
    }

    private static func decl(type: String, entities: [EntityRef]) -> DependencyDecl {
        DependencyDecl(name: "dep", grouping: .requireAny, restartOn: .restart, type: type,
                       entities: entities, location: Location(file: "/d.xml", line: 9))
    }

    @Test("no, one and several entities read back in order, counted and visited alike", arguments: [0, 1, 2, 5])
    func entities(count: Int) {
        let r = Self.refs(count)
        var d = Self.decl(type: "service", entities: r)
        #expect(d.entities == r)
        #expect(d.entityCount == count)
        var seen: [EntityRef] = []
        d.forEachEntity { seen.append($0) }
        #expect(seen == r)
        #expect(d.onlyEntity == (count == 1 ? r[0] : nil))
        #expect(d == Self.decl(type: "service", entities: r))
        #expect(d.hashValue == Self.decl(type: "service", entities: r).hashValue)
        d.entities = Self.refs(1)
        #expect(d.onlyEntity == Self.refs(1)[0])
        #expect(d == Self.decl(type: "service", entities: Self.refs(1)))
    }

    @Test("every type reads back as written, and one changed compares as if made so")
    func types() {
        for t in ["service", "path", "file", "", "Service", "path\u{301}"] {
            let d = Self.decl(type: t, entities: Self.refs(1))
            #expect(Array(d.type.utf8) == Array(t.utf8))
            #expect(d == Self.decl(type: t, entities: Self.refs(1)))
        }
        var d = Self.decl(type: "odd", entities: Self.refs(1))
        #expect(d != Self.decl(type: "other", entities: Self.refs(1)))
        d.type = "path"
        #expect(d == Self.decl(type: "path", entities: Self.refs(1)))
        #expect(d.hashValue == Self.decl(type: "path", entities: Self.refs(1)).hashValue)
        #expect(MemoryLayout<DependencyDecl>.stride <= 72)
    }
}

/// Fields in an order that wastes no padding (docs/PERFORMANCE.md, "The seventh round").
@Suite struct FieldOrderTests {
    @Test("a method and a property group in the sizes their fields allow")
    func sizes() {
        #expect(MemoryLayout<ExecMethod>.stride <= 96)
        #expect(MemoryLayout<PropertyGroup>.stride <= 56)
        #expect(MemoryLayout<DependencyGroup>.stride <= 104)
        #expect(MemoryLayout<DependencyDecl>.stride <= 72)
    }
}
