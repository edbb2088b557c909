import Testing
@testable import SMFKit

@Suite("Render: the words for one edge")
struct EdgeWordsTests {
    static let at = SMFKit.SourceLocation(file: "m.xml", line: 7, column: 3)
    static func edge(_ origin: EdgeOrigin, grouping: Grouping = .requireAll, group: String = "net") -> Edge {
        Edge(from: "svc:/site/a:default", to: "svc:/site/b:default", entity: "svc:/site/b", group: group,
             grouping: grouping, restartOn: .none, origin: origin, location: at)
    }

    @Test("a dependency, a dependent and a restarter edge, in the short form and as a sentence with file:line")
    func forms() {
        let dependency = Self.edge(.dependency)
        #expect(EdgeWords.label(dependency) == "require_all 'net'")
        #expect(EdgeWords.sentence(dependency) == "require_all group 'net' of svc:/site/a:default (dependency, m.xml:7)")
        let dependent = Self.edge(.dependent(declarer: "svc:/site/d"), grouping: .requireAny, group: "fs")
        #expect(EdgeWords.label(dependent) == "require_any 'fs' (via a dependent)")
        #expect(EdgeWords.sentence(dependent) == "require_any group 'fs' of svc:/site/a:default (dependent declared by svc:/site/d, m.xml:7)")
        let restarter = Self.edge(.restarter, group: "restarter")
        #expect(EdgeWords.label(restarter) == "restarter")
        #expect(EdgeWords.sentence(restarter) == "restarter of svc:/site/a:default (m.xml:7)")
    }

    @Test("a closure member's reason is the sentence of the edge that brought it in")
    func reasonIsTheSentence() throws {
        let repo = repository([("m.xml", manifest([
            svc("site/a", defaultInstance(true) + dep("net", "require_all", ["svc:/site/b"])),
            svc("site/b", defaultInstance(true)),
        ].joined(separator: "\n")))])
        let a = try Analysis(repo: repo, requests: ["svc:/site/a:default"])
        let last = try #require(a.chains.lastEdge("svc:/site/b:default"))
        #expect(a.reason("svc:/site/b:default") == EdgeWords.sentence(last))
        #expect(a.reason("svc:/site/b:default").hasPrefix("require_all group 'net' of svc:/site/a:default (dependency, "))
        #expect(a.reason("svc:/site/b:default").hasSuffix("/m.xml:\(last.location.line))"))
    }
}
