import Foundation
import Testing
@testable import SMFKit

@Suite("--root: an installed system built from the corpora")
struct RootLayerTests {
    @Test("every manifest under lib/svc/manifest is read, in sorted path order, and the root's DTD validates them", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func readsManifestsOfTheRoot() throws {
        let z = ZoneRoot.fromCorpora()
        let input = z.load()
        let repo = input.repository
        #expect(repo.counts.manifests == z.copiedManifests.count)
        #expect(repo.counts.manifests == 183)
        #expect(repo.files.map(\.path) == repo.files.map(\.path).sorted())
        #expect(repo.files.allSatisfy { $0.path.hasPrefix(z.path + "/lib/svc/manifest/") })
        #expect(repo.services["system/console-login"] != nil)
        #expect(repo.diagnostics.filter { $0.code == .dtdInvalid }.isEmpty)
        #expect(!repo.diagnostics.hasErrors, "\(repo.diagnostics.filter { $0.severity == .error }.prefix(5))")
    }

    @Test("layers in order: generic.xml (absolute link), platform_none.xml when platform.xml is absent, site.xml, site/*.xml sorted, then --profile", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func layerOrder() throws {
        let z = ZoneRoot.fromCorpora()
        z.write("etc/svc/profile/site.xml", profile([]))
        z.write("etc/svc/profile/site/b.xml", profile([]))
        z.write("etc/svc/profile/site/a.xml", profile([]))
        z.write("etc/svc/profile/site/notes.txt", "not a profile")
        let extra = z.writeOutside("extra.xml", profile([]))
        let repo = z.load(profiles: [extra]).repository
        let p = z.path + "/etc/svc/profile/"
        #expect(repo.layers == [p + "generic.xml", p + "platform_none.xml", p + "site.xml", p + "site/a.xml", p + "site/b.xml", extra])
        z.link("etc/svc/profile/platform.xml", to: "platform_none.xml")
        #expect(z.load().repository.layers.contains(p + "platform.xml"))
        #expect(!z.load().repository.layers.contains(p + "platform_none.xml"))
    }

    @Test("system/cron:default: disabled by its manifest, enabled by generic_limited_net through the absolute generic.xml link, disabled again by site/x.xml, enabled by --profile", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func baselineLayerByLayer() throws {
        let z = ZoneRoot.fromCorpora()
        let cron0 = try #require(z.load().repository.instance("system/cron", "default"))
        #expect(cron0.manifestEnabled == false)
        #expect(cron0.enabled == true)
        #expect(cron0.enabledBy?.file == z.path + "/etc/svc/profile/generic_limited_net.xml")

        z.write("etc/svc/profile/site/x.xml", profile([("system/cron", "default", false)]))
        let cron1 = try #require(z.load().repository.instance("system/cron", "default"))
        #expect(cron1.enabled == false)
        #expect(cron1.enabledBy?.file == z.path + "/etc/svc/profile/site/x.xml")

        let later = z.writeOutside("later.xml", profile([("system/cron", "default", true)]))
        let cron2 = try #require(z.load(profiles: [later]).repository.instance("system/cron", "default"))
        #expect(cron2.enabled == true)
        #expect(cron2.enabledBy?.file == later)
    }

    @Test("site.xml is applied before site/*.xml", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func siteBeforeSiteDirectory() throws {
        let z = ZoneRoot.fromCorpora()
        z.write("etc/svc/profile/site.xml", profile([("system/sac", "default", true)]))
        z.write("etc/svc/profile/site/zz.xml", profile([("system/sac", "default", false)]))
        let sac = try #require(z.load().repository.instance("system/sac", "default"))
        #expect(sac.enabled == false)
        #expect(sac.enabledBy?.file.hasSuffix("/site/zz.xml") == true)
    }

    @Test("xi:include of file:/etc/svc/profile/name_service.xml resolves inside the root: ns_dns.xml enables dns/client, ns_files.xml does not", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func nameServiceIncludeInsideRoot() throws {
        let files = ZoneRoot.fromCorpora(nameService: "ns_files.xml").load().repository
        #expect(files.instance("network/dns/client", "default")?.enabled == false)
        #expect(files.diagnostics.filter { $0.code == .includeUnresolved }.isEmpty)

        let dns = ZoneRoot.fromCorpora(nameService: "/etc/svc/profile/ns_dns.xml").load().repository
        let client = try #require(dns.instance("network/dns/client", "default"))
        #expect(client.enabled == true)
        #expect(client.enabledBy?.file.hasSuffix("/etc/svc/profile/ns_dns.xml") == true)
        #expect(dns.diagnostics.filter { $0.code == .includeUnresolved }.isEmpty)
    }

    @Test("relative profile links (the bundled sample's style) work like absolute ones", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func relativeLinks() throws {
        let z = ZoneRoot.fromCorpora()
        z.link("etc/svc/profile/generic.xml", to: "./generic_limited_net.xml")
        z.link("etc/svc/profile/platform.xml", to: "../profile/platform_none.xml")
        let repo = z.load().repository
        #expect(repo.instance("system/cron", "default")?.enabled == true)
        #expect(repo.layers.first == z.path + "/etc/svc/profile/generic.xml")
        #expect(repo.diagnostics.filter { $0.severity == .error }.isEmpty)
    }

    @Test("the root's inittab lines and method scripts are reachable from the loaded result", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func inittabAndMethods() throws {
        let z = ZoneRoot.fromCorpora()
        let input = z.load()
        let inittab = try #require(input.inittab)
        let stock = try String(contentsOfFile: TestPaths.illumosUsr + "/src/cmd/initpkg/inittab", encoding: .utf8)
        #expect(inittab.text == stock)
        #expect(inittab.lines.count == stock.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        let smf = try #require(inittab.smfEntry)
        #expect(smf.action == "sysinit")
        #expect(smf.process.hasPrefix("/lib/svc/bin/svc.startd"))
        #expect(inittab.entries.map(\.id).contains("ap"))

        // The method script, read through the root as the plan reads it.
        let repo = input.repository
        let root = try #require(input.root)
        let cron = MethodAnalyzer.analyze("svc:/system/cron:default", graph: DependencyGraph(repo), repo: repo, lookup: .root(root))
        #expect(cron.program == "/lib/svc/method/svc-cron")
        guard case .script(let program, _) = cron.script else {
            Issue.record("svc-cron was not read as a script: \(cron.script)")
            return
        }
        #expect(program == "/lib/svc/method/svc-cron")
        let bytes = try ScriptLookup.root(root).read("/lib/svc/method/svc-cron").get()
        #expect(String(decoding: bytes, as: UTF8.self).contains("/usr/sbin/cron"))
        #expect(input.root?.exists("/lib/svc/method/svc-cron") == true)
        #expect(input.root?.missing(["/lib/svc/method/svc-cron", "/etc/nonexistent.conf"]) == ["/etc/nonexistent.conf"])
    }

    @Test("extra PATHs are read after the root's manifests: the root's definition wins, the PATH's is a duplicate", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func pathsAfterRoot() throws {
        let z = ZoneRoot.fromCorpora()
        let extra = z.writeOutside("cron-again.xml", manifest("""
          <service name='system/cron' version='1' type='service'>
            <instance name='default' enabled='true'/>
            <instance name='second' enabled='true'/>
          </service>
          <service name='site/app' version='1' type='service'>
            <create_default_instance enabled='true'/>
          </service>
        """))
        let repo = z.load(paths: [extra]).repository
        #expect(repo.files.last?.path == extra)
        let cron = try #require(repo.instance("system/cron", "default"))
        #expect(cron.location.file.hasPrefix(z.path + "/lib/svc/manifest/"))
        #expect(cron.manifestEnabled == false)
        #expect(repo.instance("system/cron", "second") != nil)
        #expect(repo.instance("site/app", "default")?.enabled == true)
        #expect(repo.diagnostics.contains { $0.code == .duplicateInstance && $0.location.file == extra })
    }
}
