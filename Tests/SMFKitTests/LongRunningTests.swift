import Testing
@testable import SMFKit

/// `MethodAnalyzer.isLongRunning` reads the start method and
/// `startd/duration` by position, and `PlanInput.isLongRunning` decides
/// every instance once for the give-ups and the ladder (docs/PERFORMANCE.md,
/// "The eighth round"). Both must answer what `startMethod(of:in:)` and
/// `duration(of:in:)` say, read as the ladder reads them (docs/PLAN.md,
/// "The ladder"): a start method that is not `:true`, and not transient.
@Suite struct LongRunningTests {
    static func reference(_ inst: Instance, _ repo: Repository) -> Bool {
        guard let m = MethodAnalyzer.startMethod(of: inst, in: repo) else { return false }
        if m.exec.trimmingWhitespace() == ":true" { return false }
        return MethodAnalyzer.duration(of: inst, in: repo).0 != .transient
    }

    static func manifest(_ body: String) -> String {
        """
        <?xml version="1.0"?>
        <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
        <service_bundle type="manifest" name="t">
        \(body)
        </service_bundle>
        """
    }

    static func start(_ exec: String, delete: Bool = false) -> String {
        "<exec_method type='method' name='start' exec='\(exec)' timeout_seconds='60'\(delete ? " delete='true'" : "")/>"
    }

    static func startd(_ duration: String?) -> String {
        "<property_group name='startd' type='framework'>"
            + (duration.map { "<propval name='duration' type='astring' value='\($0)'/>" } ?? "") + "</property_group>"
    }

    /// The cases: where the start method and the duration come from, each
    /// from the instance or its service.
    static let cases: [(name: String, service: String, instance: String, expected: Bool)] = [
        ("service-start", start("/lib/svc/method/a"), "", true),
        ("own-transient", start("/a"), startd("transient"), false),
        ("true-method", "", start(":true"), false),
        ("true-padded", start("  :true  "), "", false),
        ("group-without-duration", startd("transient") + start("/a"), startd(nil), true),
        ("service-transient", startd("transient") + start("/a"), "", false),
        ("child", start("/a") + startd("child"), "", true),
        ("no-start", startd("child"), "", false),
        ("deleted-own", start("/a") + startd("child"), start("/b", delete: true), true),
        ("own-over-service", start(":true"), start("/b"), true),
    ]

    @Test("every case answers as startMethod and duration say, by graph id and through PlanInput")
    func cases() throws {
        let dir = TempDir()
        var body = ""
        for c in Self.cases {
            body += "<service name='t/\(c.name)' type='service' version='1'>\(c.service)"
                + "<instance name='default' enabled='true'>\(c.instance)</instance></service>\n"
        }
        dir.write("t.xml", Self.manifest(body))
        let repo = Loader.load(InputSpec(paths: [dir.path]))
        #expect(repo.diagnostics.filter { $0.severity == .error }.isEmpty, "\(repo.diagnostics)")
        let graph = DependencyGraph(repo)
        let input = PlanInput(repo: repo, wanted: [], closure: [], graph: graph)
        for c in Self.cases {
            let id = try #require(graph.instanceID("svc:/t/\(c.name):default"))
            let inst = graph.instance(id)
            #expect(Self.reference(inst, repo) == c.expected, "reference, \(c.name)")
            #expect(MethodAnalyzer.isLongRunning(id, graph: graph, repo: repo) == c.expected, "\(c.name)")
            #expect(input.isLongRunning(id) == c.expected, "PlanInput, \(c.name)")
        }
    }

    @Test("a copy of the input given another repository decides again")
    func replacedRepository() throws {
        let dir = TempDir()
        dir.write("t.xml", Self.manifest("<service name='t/x' type='service' version='1'>\(Self.start("/a"))"
            + "<instance name='default' enabled='true'/></service>"))
        let repo = Loader.load(InputSpec(paths: [dir.path]))
        let graph = DependencyGraph(repo)
        var input = PlanInput(repo: repo, wanted: [], closure: [], graph: graph)
        let id = try #require(graph.instanceID("svc:/t/x:default"))
        #expect(input.isLongRunning(id))
        var changed = repo
        changed.services["t/x"]!.entity.methods = []
        input.repo = changed
        #expect(!input.isLongRunning(id))
    }

    @Test("on the plan fixtures and the corpora, every instance answers as the reference")
    func corpora() {
        var repos = [PlanFixtures.repo]
        if TestPaths.corporaPresent { repos.append(Loader.load(InputSpec(paths: [TestPaths.illumos, TestPaths.oi]))) }
        for repo in repos {
            let graph = DependencyGraph(repo)
            let input = PlanInput(repo: repo, wanted: [], closure: [], graph: graph)
            var wrong: [String] = [], yes = 0
            for id in 0..<graph.instanceCount {
                let r = Self.reference(graph.instance(id), repo)
                if r { yes += 1 }
                if MethodAnalyzer.isLongRunning(id, graph: graph, repo: repo) != r || input.isLongRunning(id) != r {
                    wrong.append(graph.instanceFMRIs[id])
                }
            }
            #expect(wrong.isEmpty, "\(wrong.prefix(10))")
            #expect(yes > 0 && yes < graph.instanceCount)
        }
    }
}
