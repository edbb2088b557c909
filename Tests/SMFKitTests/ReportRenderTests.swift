import Foundation
import Testing
@testable import SMFKit

@Suite("Report rendering: DOT, terminal, Markdown and HTML")
struct ReportRenderTests {
    /// web needs net (require_all) and fs (require_any of fs/a, fs/b); net is
    /// delegated to inetd; opt is an enabled optional dependency; other is
    /// enabled and unrelated.
    static let doc = manifest("""
      <service name='app/web' type='service' version='1'>
        <dependency name='net' grouping='require_all' restart_on='none' type='service'>
          <service_fmri value='svc:/site/net'/>
        </dependency>
        <dependency name='fs' grouping='require_any' restart_on='none' type='service'>
          <service_fmri value='svc:/fs/a'/>
          <service_fmri value='svc:/fs/b'/>
        </dependency>
        <dependency name='opt' grouping='optional_all' restart_on='none' type='service'>
          <service_fmri value='svc:/site/opt'/>
        </dependency>
        <instance name='default' enabled='false'/>
      </service>
      <service name='site/net' type='service' version='1'>
        <restarter><service_fmri value='svc:/network/inetd:default'/></restarter>
        <create_default_instance enabled='true'/>
      </service>
      <service name='network/inetd' type='restarter' version='1'><create_default_instance enabled='true'/></service>
      <service name='fs/a' type='service' version='1'><create_default_instance enabled='false'/></service>
      <service name='fs/b' type='service' version='1'><create_default_instance enabled='true'/></service>
      <service name='site/opt' type='service' version='1'><create_default_instance enabled='true'/></service>
      <service name='site/other' type='service' version='1'><create_default_instance enabled='true'/></service>
    """)

    static func analysed() throws -> (Analysis, Verdict, [Rung]) {
        let repo = repository([("m.xml", doc)])
        let a = try Analysis(repo: repo, requests: ["app/web"])
        let v = Plan.verdict(a.planInput(), ipType: .shared, lookup: .unavailable)
        return (a, v, Ladder.rungs(a.planInput(), verdict: v))
    }

    @Test("the analysis: closure, optional extension, chains and the member graph")
    func analysis() throws {
        let (a, _, _) = try Self.analysed()
        #expect(a.closure.members == ["svc:/app/web:default", "svc:/fs/b:default", "svc:/network/inetd:default", "svc:/site/net:default"])
        #expect(a.optional == ["svc:/site/opt:default"])
        #expect(a.extended.members.count == 5)
        #expect(a.planInput().optionalExtension == ["svc:/site/opt:default"])
        #expect(a.chains["svc:/network/inetd:default"]?.map(\.to) == ["svc:/site/net:default", "svc:/network/inetd:default"])
        #expect(a.reason("svc:/fs/b:default").hasPrefix("require_any group 'fs' of svc:/app/web:default"))
        #expect(a.reason("svc:/network/inetd:default").hasPrefix("restarter of svc:/site/net:default"))
        let mg = a.memberGraph()
        #expect(mg.roots == [0])
        #expect(mg.successors[0].map { mg.members[$0] }.sorted() == ["svc:/fs/b:default", "svc:/site/net:default"])
    }

    @Test("report data: bloat, trimmed, costs and the longest chain")
    func data() throws {
        let (a, v, l) = try Self.analysed()
        let d = ReportBuilder.build(analysis: a, verdict: v, ladder: l, title: "T", source: "S", command: "C",
                                    requests: ["app/web"], artefacts: [])
        // Baseline: net, inetd, fs/b, opt, other = 5; closure 4; trimmed: opt and other.
        #expect(d.baseline.count == 5)
        #expect(d.trimmed == ["svc:/site/opt:default", "svc:/site/other:default"])
        #expect(format1(d.bloatRatio) == "1.3")
        #expect(d.costlyServices.map(\.fmri) == ["svc:/site/net:default"])
        #expect(d.costlyServices.first?.removes == 2)
        #expect(d.longestChain.map(\.fmri) == ["svc:/app/web:default", "svc:/site/net:default", "svc:/network/inetd:default"])
        #expect(d.longestChain.last?.via?.edge?.origin == .restarter)
        #expect(d.longestChain.last?.via?.words == "restarter")
        #expect(d.choices == [.group(Choice(instance: "svc:/app/web:default", group: "fs", chosen: "svc:/fs/b:default", alternatives: ["svc:/fs/a:default"]))])
        #expect(d.verdict == v.choice && d.verdictReasons == v.reasons && d.risks == v.risks && d.ladder == l)
        #expect(d.requiredFiles.isEmpty && d.conflicts.isEmpty && d.blocked.isEmpty)
        #expect(d.members.first { $0.fmri == "svc:/app/web:default" }?.role == .wanted)
    }

    @Test("DOT: every member and neighbour once, edges styled by kind, a legend, stable")
    func dot() throws {
        let (a, v, _) = try Self.analysed()
        let g = ReportBuilder.drawing(a, verdict: v, title: "T", neighbours: true)
        let text = g.render()
        #expect(text == ReportBuilder.drawing(a, verdict: v, title: "T", neighbours: true).render())
        #expect(text.hasPrefix("digraph smf {"))
        #expect(text.contains("\"svc:/app/web:default\" [label=\"app/web\", fillcolor=\"#f4a742\""))
        // fs/a is a neighbour outside the closure, drawn dashed; site/other is not drawn at all.
        #expect(text.contains("\"svc:/fs/a:default\" [label=\"fs/a\", fillcolor=\"#ffffff\""))
        #expect(!text.contains("site/other"))
        #expect(text.contains("\"svc:/site/net:default\" -> \"svc:/network/inetd:default\" [color=\"#6a51a3\", penwidth=2"))
        #expect(text.contains("\"svc:/app/web:default\" -> \"svc:/fs/b:default\" [color=\"#2171b5\", style=dashed"))
        #expect(text.contains("\"svc:/app/web:default\" -> \"svc:/site/opt:default\" [color=\"#999999\", style=dotted"))
        #expect(text.contains("legend [shape=plaintext"))
        // Graphviz accepts it. Without dot the check is skipped with a message,
        // except under CI=true, where .ci/run installs graphviz and a missing
        // dot is a failure.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") else {
            if ArtefactSetTests.isCI {
                Issue.record("CI=true and /usr/bin/dot is missing: .ci/run installs graphviz")
            } else {
                print("ReportRenderTests: Graphviz's dot is not installed; the drawing is not checked by dot")
            }
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        p.arguments = ["-Tsvg", "-o", "/dev/null"]
        let pipe = Pipe()
        p.standardInput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        pipe.fileHandleForWriting.write(Data(text.utf8))
        try pipe.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test("terminal summary: plain when piped, wrapped to the width, coloured on request")
    func terminal() throws {
        let (a, v, l) = try Self.analysed()
        let d = ReportBuilder.build(analysis: a, verdict: v, ladder: l, title: "T", source: "a source", command: "C",
                                    requests: ["app/web"], artefacts: [])
        for width in [50, 80, 140] {
            let text = ReportText(d, style: TextStyle(color: false, width: width)).render()
            #expect(!text.contains("\u{1B}["))
            let long = text.split(separator: "\n").filter { visibleLength(String($0)) > width && $0.contains(" ") }
            #expect(long.isEmpty, "lines over \(width): \(long)")
            #expect(text.contains("Verdict: " + d.verdict.headline.title.uppercased() + " —"))
            #expect(text.contains("As shipped, the zone runs"))
        }
        let coloured = ReportText(d, style: TextStyle(color: true, width: 80)).render()
        #expect(coloured.contains("\u{1B}[1m"))
    }

    @Test("required-file states: values in the data, worded by each renderer (bold in Markdown, plain on the terminal, marked in JSON)")
    func requiredFileStates() throws {
        let (a, v, l) = try Self.analysed()
        var d = ReportBuilder.build(analysis: a, verdict: v, ladder: l, title: "T", source: "S", command: "C",
                                    requests: ["app/web"], artefacts: [], missingFiles: [])
        #expect(d.requiredFiles.isEmpty)
        let at = SourceLocation(file: "m.xml", line: 7)
        func file(_ p: String) -> RequiredFile { RequiredFile(instance: "svc:/app/web:default", group: "conf", path: p, location: at) }
        d.requiredFiles = [.init(file: file("/etc/gone"), state: .missing), .init(file: file("/etc/here"), state: .present)]
        #expect(d.missingFiles.map(\.file.path) == ["/etc/gone"])
        let text = ReportText(d, style: TextStyle(color: false, width: 200)).render()
        #expect(text.contains("1 required file missing from the root"))
        #expect(text.contains("  ✗ /etc/gone, needed by svc:/app/web:default (group 'conf', m.xml:7): missing from the root: svc.startd would keep svc:/app/web:default offline\n"))
        #expect(!text.contains("/etc/here"))
        let md = ReportDocument(d, svg: nil, svgNote: nil).markdown()
        #expect(md.contains("- /etc/gone, needed by svc:/app/web:default (group 'conf', m.xml:7): **missing from the root**: svc.startd would keep"))
        #expect(md.contains("- /etc/here, needed by svc:/app/web:default (group 'conf', m.xml:7): present in the root\n"))
        let html = ReportDocument(d, svg: nil, svgNote: nil).html()
        #expect(html.contains("m.xml:7): <strong>missing from the root</strong>: svc.startd"))
        let json = d.json.render()
        #expect(json.contains("m.xml:7): **missing from the root**: svc.startd would keep svc:/app/web:default offline"))
        // nothing read: the files are to provide, none is called missing
        d.requiredFiles = [.init(file: file("/etc/gone"), state: .notChecked)]
        let unchecked = ReportText(d, style: TextStyle(color: false, width: 200)).render()
        #expect(unchecked.contains("1 required file to provide") && !unchecked.contains("missing from the root"))
    }

    @Test("the report's words, pinned: terminal summary, Markdown and JSON of the fixture with a missing required file (golden files)")
    func wordsGolden() throws {
        let (a, v, l) = try Self.analysed()
        var d = ReportBuilder.build(analysis: a, verdict: v, ladder: l, title: "What app/web needs", source: "the fixture",
                                    command: "smf-minimize report --want app/web", requests: ["app/web"], artefacts: [])
        d.requiredFiles = [.init(file: RequiredFile(instance: "svc:/app/web:default", group: "conf", path: "/etc/web.conf",
                                                    location: SourceLocation(file: "m.xml", line: 3)), state: .missing)]
        // the manifest is read from a fresh temporary directory: named TMP in the golden files
        let file = try #require(a.repo.files.first?.path)
        let tmp = String(file.dropLast("/m.xml".count))
        func clean(_ s: String) -> String { s.replacingOccurrences(of: tmp, with: "TMP") }
        expectGolden("report-web.txt", clean(ReportText(d, style: TextStyle(color: false, width: 100)).render()))
        expectGolden("report-web.md", clean(ReportDocument(d, svg: nil, svgNote: "no picture").markdown()))
        expectGolden("report-web.json", clean(d.json.render()))
    }

    @Test("a value that looks like markup stays text: a group name with backticks and ** in a costly edge and a required file")
    func markupInValues() throws {
        let (a, v, l) = try Self.analysed()
        var d = ReportBuilder.build(analysis: a, verdict: v, ladder: l, title: "T", source: "S", command: "C",
                                    requests: ["app/web"], artefacts: [])
        let link = ClosureCosts.Link(from: "svc:/a:default", to: "svc:/b:default", edge: nil, inGraph: true)
        d.costlyEdges = [ClosureCosts.EdgeCost(link: link, removes: 3, members: ["svc:/b:default"])]
        #expect(d.costlyEdges[0].markup.spans == [.code("a"), .text(" → "), .code("b"), .text(": a → b")])
        d.requiredFiles = [.init(file: RequiredFile(instance: "svc:/a:default", group: "`x` **y**", path: "/p", location: SourceLocation(file: "f")),
                                 state: .missing)]
        let md = ReportDocument(d, svg: nil, svgNote: nil).markdown()
        #expect(md.contains("group '\\`x\\` \\*\\*y\\*\\*'"), "\(md)")
        #expect(md.contains("| `a` → `b`: a → b | 3 | b |"))
    }

    @Test("Markdown and HTML say the same things; HTML is escaped and self-contained")
    func documents() throws {
        let (a, v, l) = try Self.analysed()
        var d = ReportBuilder.build(analysis: a, verdict: v, ladder: l, title: "T <&>", source: "S", command: "C",
                                    requests: ["app/web"], artefacts: [("report.md", "this")])
        d.verdictReasons.append(.daemonsNotStarted(["a reason with <tags> & `code`"]))
        let doc = ReportDocument(d, svg: "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 1 1\"></svg>", svgNote: nil)
        let md = doc.markdown()
        let html = doc.html()
        for section in ["Summary", "Verdict", "Ladder of configurations", "What costs the most", "Artefacts", "Regenerate"] {
            #expect(md.contains("## \(section)"))
            #expect(html.contains(">\(section)</h2>"))
        }
        #expect(md.contains("![The closure and its nearest excluded neighbours](graph.svg)"))
        #expect(html.contains("<title>T &lt;&amp;&gt;</title>"))
        // Report data is text: a backtick in it is shown, not taken as markup.
        #expect(html.contains("a reason with &lt;tags&gt; &amp; `code`"))
        #expect(md.contains("a reason with \\<tags> \\& \\`code\\`"))
        #expect(html.contains("<svg viewBox"))
        #expect(!html.contains("<?xml"))
        // The viewer's script is in the page; nothing is loaded from elsewhere.
        #expect(html.contains("<script>\n(function () {"))
        #expect(!html.contains("<script src") && !html.contains("<link"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        let noPicture = ReportDocument(d, svg: nil, svgNote: "No picture: dot is not installed").markdown()
        #expect(noPicture.contains("_No picture: dot is not installed_"))
    }
}
