import Testing
@testable import SMFKit

/// The repository's sorted views and the import check made by the reader
/// (issue 18, docs/PERFORMANCE.md "The fourth round"): each must give what
/// the plain computation it replaced gives.
@Suite struct SortedViewsTests {
    private static func expectedOrder(_ keys: [String]) -> [Int] {
        keys.indices.sorted { keys[$0] < keys[$1] }
    }

    @Test("ascendingOrder gives String's order for ASCII keys: shared prefixes, prefixes of one another, NUL bytes, short and long")
    func asciiOrder() {
        var rng = SplitMix64(seed: 18)
        // Few letters, so that keys share long prefixes and one is often a
        // prefix of another; NUL and ':' sort below the letters.
        let alphabet: [Character] = ["\0", ":", "/", "-", "a", "b", "z"]
        for round in 0..<40 {
            var seen = Set<String>()
            var keys: [String] = []
            let prefix = round % 2 == 0 ? "svc:/site/" : ""
            let count = [0, 1, 2, 3, 50, 400][round % 6]
            while keys.count < count {
                let length = Int.random(in: 0...24, using: &rng)
                var k = prefix
                for _ in 0..<length { k.append(alphabet.randomElement(using: &rng)!) }
                if seen.insert(k).inserted { keys.append(k) }
            }
            #expect(ascendingOrder(of: keys) == Self.expectedOrder(keys), "round \(round)")
        }
        // Keys that differ only past their eighth byte after the shared prefix.
        let long = (0..<300).map { "svc:/application/database/p\($0 % 7)/worker\(($0 * 37) % 300):default" }
        #expect(Set(long).count == long.count)
        #expect(ascendingOrder(of: long) == Self.expectedOrder(long))
    }

    @Test("ascendingOrder falls back to String's order for keys that are not all ASCII (canonical equivalence)")
    func unicodeOrder() {
        // "é" as one scalar sorts as "e" with a combining accent does, which
        // bytes would not give; and a key past U+007F among ASCII keys.
        let keys = ["site/caf\u{E9}x", "site/cafe\u{301}a", "site/cafez", "site/caf", "site/\u{10348}", "site/a"]
        #expect(ascendingOrder(of: keys) == Self.expectedOrder(keys))
    }

    @Test("bothAtOnce gives each closure's own result")
    func bothAtOnceResults() {
        let (a, b) = bothAtOnce({ (0..<10_000).reduce(0, +) }, { String(repeating: "x", count: 3) })
        #expect(a == 49_995_000)
        #expect(b == "xxx")
    }

    private static func instance(_ service: String, _ name: String, enabled: Bool) -> Instance {
        Instance(service: service, name: name, manifestEnabled: enabled, enabled: enabled, enabledBy: nil,
                 location: SMFKit.SourceLocation(file: "/hand.xml", line: 1), entity: EntityDecl(), groups: [], restarter: nil)
    }

    private static func service(_ name: String, _ instances: [Instance]) -> Service {
        Service(name: name, type: "service", version: "0", location: SMFKit.SourceLocation(file: "/hand.xml", line: 1),
                definitions: [], entity: EntityDecl(),
                instances: NamedTable(uniqueKeysWithValues: instances.map { ($0.name, $0) }),
                instanceOrder: instances.map(\.name))
    }

    @Test("the views of a repository read from files: names and instances sorted, each instance's service by position")
    func viewsOfRead() throws {
        // Names whose order differs from their FMRIs' order ("a-b" < "a:x"
        // as FMRIs, "a" < "a-b" as names), with several instances each.
        let body = ["site/a", "site/a-b", "site/a/c", "site/b"].enumerated().map { k, n in
            """
            <service name='\(n)' type='service' version='1'>
              <instance name='x' enabled='\(k % 2 == 0)'/>
              <instance name='default' enabled='true'/>
              <instance name='a\(k)' enabled='false'/>
            </service>
            """
        }.joined(separator: "\n")
        let repo = repository([("views.xml", manifest(body))])
        let all = repo.services.values.flatMap(\.instances.values)
        let expected = all.sorted { $0.fmri < $1.fmri }
        #expect(repo.instances.map(\.fmri) == expected.map(\.fmri))
        #expect(repo.instances == expected)
        #expect(repo.instanceFMRIs == expected.map(\.fmri))
        #expect(repo.serviceNames == repo.services.keys.sorted())
        #expect(repo.baseline.map(\.fmri) == expected.filter(\.enabled).map(\.fmri))
        let ids = repo.instanceServiceIDs
        #expect(ids.count == expected.count)
        for (k, i) in repo.instances.enumerated() {
            #expect(repo.serviceNames[Int(ids[k])] == i.service)
        }
    }

    @Test("an instance kept under another service's name (a repository built by hand) belongs to the service it names, or to none")
    func strayInstances() {
        let repo = Repository(services: [
            "a": Self.service("a", [Self.instance("a", "one", enabled: true), Self.instance("b", "two", enabled: false)]),
            "b": Self.service("b", [Self.instance("b", "three", enabled: true)]),
            "c": Self.service("c", [Self.instance("nowhere", "four", enabled: true)]),
        ])
        #expect(repo.instanceFMRIs == ["svc:/a:one", "svc:/b:three", "svc:/b:two", "svc:/nowhere:four"])
        #expect(repo.instanceServiceIDs == [0, 1, 1, -1])
        // The graph lists the stray under the service it names (an instance
        // of no service breaks the graph's invariants, before as now).
        var named = repo
        named.services["c"] = nil
        let graph = DependencyGraph(named)
        #expect(graph.instances(ofService: 1).map { graph.instanceFMRIs[$0] } == ["svc:/b:three", "svc:/b:two"])
        #expect(graph.instanceService == [0, 1, 1])
        #expect(graph.checkInvariants().isEmpty, "\(graph.checkInvariants())")
    }

    /// A manifest of one service with one instance and one valid dependency.
    private static func oneDependency(service: String) -> String {
        manifest(svc(service, dep("d", "require_all", ["svc:/site/other"]) + inst("default", true)))
    }

    @Test("the import check made by the reader is the merge's own: invalid names with valid values, and a bundle changed after reading")
    func importChecks() throws {
        // Every value valid, the service's name not: the reader's shortcut
        // (no value refused) must still check the names.
        let badName = Self.oneDependency(service: "site/9lives")
        let reader = ManifestReader()
        let read = reader.read(bytes: Array(badName.utf8), path: "/checks/bad-name.xml")
        let made = try #require(read.importChecks)
        let bundle = try #require(read.bundle)
        #expect(made == bundle.importChecks())
        #expect(made.count == 1)
        #expect(made.first??.code == .bundleNotImportable)

        // A valid bundle, then an invalid value put into it after reading:
        // the check made by the reader no longer holds, and the merge makes
        // its own.
        let good = Self.oneDependency(service: "site/good")
        var changed = reader.read(bytes: Array(good.utf8), path: "/checks/good.xml")
        #expect(changed.importChecks?.count == 1)
        #expect(changed.importChecks?.first ?? nil == nil)
        changed.bundle?.services[0].entity.dependencies[0].entities[0].value = "svc:/site/bad value"
        #expect(changed.importChecks == nil)
        var builder = RepositoryBuilder()
        builder.addSource(changed)
        let repo = builder.build()
        #expect(repo.diagnostics.contains { $0.code == .bundleNotImportable && $0.location.file == "/checks/good.xml" })
    }
}
