import Foundation
import Testing
@testable import SMFKit

/// The pictures: edge kinds over `Grouping`, milestone bands and corpus
/// clusters, folded neighbours, roles for a whole repository, the project's
/// own layered layout and when it is used, the charts, and the page's data.
@Suite("Pictures: drawings, layouts, charts and the report page")
struct ReportPictureTests {
    @Test("EdgeKind is a Grouping or the restarter edge, by the same names")
    func edgeKinds() {
        #expect(EdgeKind.allCases.map(\.rawValue) == Grouping.allCases.map(\.rawValue) + ["restarter"])
        for k in EdgeKind.allCases { #expect(EdgeKind(rawValue: k.rawValue) == k) }
        #expect(EdgeKind(.requireAny) == .requireAny)
        #expect(EdgeKind(rawValue: "require_some") == nil)
    }

    /// single-user needs fs; multi-user needs single-user and net; web (the request) needs multi-user and app.
    static let milestones = manifest("""
      <service name='milestone/single-user' type='milestone' version='1'>
        <dependency name='fs' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/system/fs'/></dependency>
        <create_default_instance enabled='true'/>
      </service>
      <service name='milestone/multi-user' type='milestone' version='1'>
        <dependency name='su' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/milestone/single-user'/></dependency>
        <dependency name='net' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/network/net'/></dependency>
        <create_default_instance enabled='true'/>
      </service>
      <service name='system/fs' type='service' version='1'><create_default_instance enabled='true'/></service>
      <service name='network/net' type='service' version='1'><create_default_instance enabled='true'/></service>
      <service name='site/web' type='service' version='1'>
        <dependency name='mu' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/milestone/multi-user'/></dependency>
        <dependency name='x' grouping='optional_all' restart_on='none' type='service'><service_fmri value='svc:/site/extra'/></dependency>
        <create_default_instance enabled='true'/>
      </service>
      <service name='site/extra' type='service' version='1'><create_default_instance enabled='true'/></service>
    """)

    @Test("nodes are banded by milestone, clustered by corpus, and an excluded neighbour is folded into a count")
    func bandsAndClusters() throws {
        let repo = repository([("m.xml", Self.milestones)])
        let file = try #require(repo.services["site/web"]?.location.file)
        let dir = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let graph = DependencyGraph(repo)
        let bands = RepositoryDrawing.bands(graph)
        #expect(bands["svc:/system/fs:default"] == .belowSingleUser)
        #expect(bands["svc:/milestone/single-user:default"] == .belowSingleUser)
        #expect(bands["svc:/network/net:default"] == .singleToMultiUser)
        #expect(bands["svc:/site/web:default"] == nil)

        var d = RepositoryDrawing()
        d.foldNeighbours = true
        d.corpora = [("the base", dir), ("apps", dir + "-apps")]
        let members: Set<String> = ["svc:/site/web:default", "svc:/milestone/multi-user:default", "svc:/milestone/single-user:default",
                                    "svc:/system/fs:default", "svc:/network/net:default"]
        let g = d.draw(repo, graph: graph, members: members, title: "T")
        let web = try #require(g.nodes.first { $0.id == "svc:/site/web:default" })
        #expect(web.band == .aboveMultiUser)
        #expect(web.folded == ["svc:/site/extra:default"])
        #expect(web.drawnLabel == "site/web\n+1 not needed")
        #expect(!g.nodes.contains { $0.id == "svc:/site/extra:default" })
        #expect(web.cluster == "base system: the base")
        let text = g.render()
        #expect(text.contains("subgraph cluster_b1 {\n    label=\"below single-user\""))
        #expect(text.contains("label=\"site/web\\n+1 not needed\""))
        try Self.dotAccepts(text)
    }

    @Test("report counts the excluded neighbours on each member; report --neighbours draws them")
    func neighboursOption() throws {
        let (a, v, _) = try ReportRenderTests.analysed()
        let folded = ReportBuilder.drawing(a, verdict: v, title: "T")
        let web = try #require(folded.nodes.first { $0.id == "svc:/app/web:default" })
        #expect(web.folded == ["svc:/fs/a:default", "svc:/site/opt:default"])
        #expect(!folded.nodes.contains { $0.role == .excluded })
        let drawn = ReportBuilder.drawing(a, verdict: v, title: "T", neighbours: true)
        #expect(drawn.nodes.filter { $0.role == .excluded }.map(\.id) == ["svc:/fs/a:default", "svc:/site/opt:default"])
        #expect(drawn.nodes.allSatisfy { $0.folded.isEmpty })
        guard CLI.binary != nil else { Issue.record(CLI.missingMessage); return }
        let dir = TempDir()
        for (flag, dashed) in [([String](), false), (["--neighbours"], true)] {
            let out = dir.path + "/r\(flag.count)"
            let r = try CLI.run(["report", "--want", "cron", "-o", out] + flag)
            #expect(r.status == 0, "\(r.stderr)")
            let dot = try String(contentsOfFile: out + "/graph.dot", encoding: .utf8)
            #expect(dot.contains("style=\"rounded,dashed\", fontcolor") == dashed, "\(flag)")
            #expect(dot.contains("not needed\"") != dashed, "\(flag)")
        }
    }

    @Test("graph without --want colours the whole repository by role in the zone")
    func wholeRepositoryRoles() throws {
        guard CLI.binary != nil else { Issue.record(CLI.missingMessage); return }
        let r = try CLI.run(["graph", "--format", "json"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let roles = Set((json["nodes"] as? [[String: Any]] ?? []).compactMap { $0["role"] as? String })
        #expect(roles.contains("plumbing"))
        #expect(roles.contains("daemon"))
        #expect(roles.count >= 3, "roles \(roles)")
        #expect(RepositoryDrawing.zoneRole("svc:/milestone/network:default", ipType: .shared) == .plumbing)
        #expect(RepositoryDrawing.zoneRole("svc:/network/ssh:default", ipType: .shared) == .daemon)
    }

    @Test("graph --svg over the whole illumos base gives a picture of every instance, coloured by role",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func wholeBasePicture() throws {
        guard CLI.binary != nil else { Issue.record(CLI.missingMessage); return }
        let r = try CLI.run(["graph", "--svg", TestPaths.illumosUsr, TestPaths.illumos + "/generated"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("<svg"))
        let nodes = r.stdout.components(separatedBy: "class=\"node\"").count - 1
        #expect(nodes >= 200, "\(nodes) nodes")
        for fill in [NodeRole.plumbing, .setup, .daemon, .noop] { #expect(r.stdout.contains("fill=\"\(fill.fill)\""), "no \(fill) node") }
        // The three milestone bands (dot writes "-" as &#45;).
        for band in MilestoneBand.allCases { #expect(r.stdout.contains(band.title.replacingOccurrences(of: "-", with: "&#45;")), "no band \(band)") }
    }

    /// `n` nodes in a chain from a requested one, each also pointing two steps on.
    static func chain(_ n: Int) -> DotGraph {
        let ids = (0..<n).map { String(format: "svc:/n/%04d:default", $0) }
        let nodes = ids.enumerated().map { DotNode(id: $1, label: shortLabel($1), role: $0 == 0 ? .wanted : .daemon, tooltip: $1) }
        var edges: [DotEdge] = []
        for k in 0..<(n - 1) { edges.append(DotEdge(from: ids[k], to: ids[k + 1], kind: .requireAll, viaDependent: false, tooltip: "t")) }
        for k in 0..<max(0, n - 2) { edges.append(DotEdge(from: ids[k], to: ids[k + 2], kind: .optionalAll, viaDependent: false, tooltip: "t")) }
        return DotGraph(title: "chain <\(n)>", nodes: nodes, edges: edges)
    }

    @Test("the layered layout: depth from the request, no two boxes of a layer overlap, every node and edge drawn")
    func layered() throws {
        let g = Self.chain(9)
        let l = LayeredLayout(g)
        let layer = Dictionary(uniqueKeysWithValues: l.placed.map { ($0.id, $0.layer) })
        // Breadth-first: node k is k/2 steps (rounded up) from node 0.
        for k in 0..<9 { #expect(layer[String(format: "svc:/n/%04d:default", k)] == (k + 1) / 2) }
        for a in l.placed {
            for b in l.placed where a.id < b.id && a.layer == b.layer {
                #expect(a.y + a.height <= b.y || b.y + b.height <= a.y, "\(a.id) overlaps \(b.id)")
            }
            #expect(a.x >= 0 && a.x + a.width <= l.width && a.y + a.height <= l.height)
        }
        let svg = l.svg()
        #expect(svg.components(separatedBy: "class=\"node\"").count - 1 == 9)
        #expect(svg.components(separatedBy: "class=\"edge\"").count - 1 == g.edges.count)
        #expect(svg.contains("chain &lt;9&gt;"))
        #expect(svg.contains("font-size=\"10.00\""))
        try Self.xmlWellFormed(svg)
        #expect(svg == LayeredLayout(g).svg())
    }

    @Test("Graphviz draws what it lays out in seconds; past that, or when dot fails, the project's layout does")
    func pictureMaker() throws {
        var asked = 0
        let dot: (String) -> Result<String, PictureError> = { _ in asked += 1; return .success("<svg>dot</svg>") }
        let small = try PictureMaker.picture(Self.chain(20), dotText: "", dot: dot).get()
        #expect(small.source == .graphviz && small.note == nil && asked == 1)
        let big = try PictureMaker.picture(Self.chain(PictureMaker.maxDotNodes + 1), dotText: "", dot: dot).get()
        #expect(big.source == .layered && asked == 1)
        #expect(big.note?.contains("\(PictureMaker.maxDotNodes + 1) nodes") == true)
        let failed = try PictureMaker.picture(Self.chain(5), dotText: "") { _ in .failure(PictureError("dot is not installed")) }.get()
        #expect(failed.source == .layered && failed.note == "dot is not installed")
        let huge = PictureMaker.picture(Self.chain(PictureMaker.maxFallbackNodes + 1), dotText: "", dot: dot)
        #expect((try? huge.get()) == nil)
    }

    @Test("the charts carry their numbers")
    func charts() throws {
        let rungs = [Rung(number: 1, name: "only init", enabled: [], launched: [], longRunning: [], realWork: 0, works: [], doesNotWork: []),
                     Rung(number: 5, name: "everything <shipped>", enabled: (0..<102).map { "svc:/s\($0):default" }, launched: [],
                          longRunning: ["a", "b", "c"], realWork: 0, works: [], doesNotWork: [])]
        let ladder = try #require(ReportCharts.ladder(rungs))
        #expect(ladder.contains(">102</text>") && ladder.contains(">3</text>") && ladder.contains(">0</text>"))
        #expect(ladder.contains("everything &lt;shipped&gt;"))
        #expect(ladder.components(separatedBy: "class=\"bar\"").count - 1 == 4)
        let cost = try #require(ReportCharts.costliest([ClosureCosts.Member(fmri: "svc:/a/b:default", removes: 7, members: [])], closureSize: 19))
        #expect(cost.contains(">7</text>") && cost.contains(">a/b<") && cost.contains("of 19"))
        #expect(ReportCharts.ladder([]) == nil)
        try Self.xmlWellFormed(ladder)
    }

    @Test("the page's data is JSON that no name can break out of")
    func pageData() throws {
        let (a, v, l) = try ReportRenderTests.analysed()
        let d = ReportBuilder.build(analysis: a, verdict: v, ladder: l, title: "T", source: "S", command: "C", requests: ["app/web"], artefacts: [])
        var g = ReportBuilder.drawing(a, verdict: v, title: "T")
        g.nodes.append(DotNode(id: "</script><script>alert(1)</script>", label: "x", role: .excluded, tooltip: "\u{2028}"))
        let html = ReportDocument(d, svg: "<svg viewBox=\"0 0 10 10\"></svg>", svgNote: nil, drawing: g).html()
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"))
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"smf-data\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
        #expect(json["requested"] as? [String] == ["svc:/app/web:default"])
        let nodes = json["nodes"] as? [[String: Any]] ?? []
        let fsb = try #require(nodes.first { $0["id"] as? String == "svc:/fs/b:default" })
        #expect(fsb["parent"] as? String == "svc:/app/web:default")
        #expect((fsb["reason"] as? String)?.hasPrefix("require_any group 'fs'") == true)
        #expect(nodes.contains { $0["id"] as? String == "</script><script>alert(1)</script>" })
        #expect(html.contains("id=\"chart-ladder\""))
    }

    static func dotAccepts(_ text: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") else { return }
        let dir = TempDir()
        let r = try CLI.run(["-Tsvg", "-o", "/dev/null", dir.write("g.dot", text)], executable: "/usr/bin/dot")
        #expect(r.status == 0, "dot: \(r.stderr)")
    }

    static func xmlWellFormed(_ text: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else { return }
        let dir = TempDir()
        let r = try CLI.run(["--noout", dir.write("x.xml", text)], executable: "/usr/bin/xmllint")
        #expect(r.status == 0, "xmllint: \(r.stderr)")
    }
}
