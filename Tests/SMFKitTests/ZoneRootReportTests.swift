import Foundation
import Testing
@testable import SMFKit

/// A realistic zone root (illumos base laid out as installed, profile
/// symlinks, OpenIndiana's nginx under var/svc/manifest) analysed end to end.
@Suite("Report on a zone root")
struct ZoneRootReportTests {
    static func nginxRoot() -> ZoneRoot {
        let z = ZoneRoot.fromCorpora()
        let nginx = TestPaths.oi + "/components/web/nginx/files/nginx-manifest.xml"
        if let text = try? String(contentsOfFile: nginx, encoding: .utf8) {
            z.write("var/svc/manifest/network/nginx.xml", text)
        }
        z.write("etc/nginx/nginx.conf", "events {}\n")
        // The site enables the web server.
        z.write("etc/svc/profile/site/web.xml", profile([("network/http/nginx", "default", true)], name: "web"))
        return z
    }

    @Test("the baseline is what the zone runs: manifests, generic.xml through its absolute link, then site/", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func baseline() throws {
        let z = Self.nginxRoot()
        let loaded = z.load()
        let repo = loaded.repository
        #expect(repo.layers.map { ($0 as NSString).lastPathComponent } == ["generic.xml", "platform_none.xml", "web.xml"])
        let enabled = Set(repo.baseline.map(\.fmri))
        // generic_limited_net enables these and disables telnet; the site profile enables nginx.
        #expect(enabled.contains("svc:/network/ssh:default"))
        #expect(enabled.contains("svc:/system/cron:default"))
        #expect(enabled.contains("svc:/network/http/nginx:default"))
        #expect(!enabled.contains("svc:/network/telnet:default"))
        #expect(repo.instance("network/http/nginx", "default")?.enabledBy?.file.hasSuffix("site/web.xml") == true)
    }

    @Test("nginx's closure, verdict and report on the root", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func report() throws {
        let z = Self.nginxRoot()
        let loaded = z.load()
        let a = try Analysis(repo: loaded.repository, requests: ["nginx"])
        #expect(a.wanted == ["svc:/network/http/nginx:default"])
        let members = Set(a.closure.members)
        #expect(members.contains("svc:/milestone/network:default"))
        #expect(members.contains("svc:/network/physical:default"))
        #expect(!members.contains("svc:/network/physical:nwam"))
        #expect(!members.contains("svc:/network/ssh:default"))
        // Every member but the requested one has a why-chain that ends at it.
        for m in a.closure.members where m != a.wanted[0] {
            #expect(a.chains[m]?.last?.to == m, "no chain to \(m)")
        }
        let lookup = loaded.root.map { ScriptLookup.root($0) } ?? .unavailable
        let verdict = Plan.verdict(a.planInput(), ipType: .shared, lookup: lookup)
        let ladder = Ladder.rungs(a.planInput(), verdict: verdict)
        let missing = loaded.root.map { Set($0.missing(a.closure.files.map(\.path))) }
        let data = ReportBuilder.build(analysis: a, verdict: verdict, ladder: ladder, title: "t", source: "root",
                                       command: "c", requests: ["nginx"], artefacts: [], missingFiles: missing)
        #expect(data.baseline.count == loaded.repository.baseline.count)
        #expect(data.members.count == a.closure.members.count)
        #expect(Set(data.trimmed).isDisjoint(with: members))
        #expect(data.trimmed.contains("svc:/network/ssh:default"))
        #expect(data.ladder.map(\.number) == [1, 2, 3, 4, 5])
        #expect(data.ladder[4].started == data.baseline.count)
        // The nginx configuration exists in the root, so it is not reported missing.
        // Every required file was looked up in the root: none is left unchecked.
        #expect(data.requiredFiles.map(\.file) == a.closure.files)
        #expect(data.requiredFiles.allSatisfy { $0.state == (missing?.contains($0.file.path) == true ? .missing : .present) })
        #expect(data.requiredFiles.allSatisfy { !$0.file.path.hasPrefix("/etc/nginx") || $0.state == .present })
        let md = ReportDocument(data, svg: nil, svgNote: "no picture").markdown()
        #expect(md.contains("svc:/network/http/nginx:default"))
        #expect(md.contains("## Ladder of configurations"))
    }
}
