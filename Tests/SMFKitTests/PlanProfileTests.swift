import Foundation
import Testing
@testable import SMFKit

@Suite("Trimmed profile")
struct PlanProfileTests {
    @Test("the profile for site/app matches its golden file byte for byte")
    func goldenXML() throws {
        expectGolden("app-profile.xml", try ProfileWriter.xml(PlanFixtures.app(), name: "app"))
    }

    @Test("the svcadm variant and the JSON form match their golden files")
    func goldenSvcadmAndJSON() throws {
        expectGolden("app-profile.sh", try ProfileWriter.svcadmScript(PlanFixtures.app()))
        expectGolden("app-profile.json", try ProfileWriter.json(PlanFixtures.app()).render())
    }

    @Test("every service with instances is listed in FMRI order with its own type; restarter:default is always enabled")
    func shape() throws {
        let entries = try ProfileWriter.entries(PlanFixtures.app())
        #expect(entries.map(\.fmri) == entries.map(\.fmri).sorted())
        #expect(!entries.contains { $0.service == "site/noinst" })
        #expect(entries.first { $0.fmri == startdFMRI }?.enabled == true)
        #expect(entries.first { $0.service == "system/svc/restarter" }?.serviceType == "restarter")
        #expect(entries.first { $0.service == "milestone/multi-user" }?.serviceType == "milestone")
        #expect(entries.filter(\.enabled).map(\.fmri) == (PlanFixtures.app().closure + [startdFMRI]).sorted())
        let xml = try ProfileWriter.xml(PlanFixtures.app())
        #expect(xml.contains(ProfileWriter.doctype + "\n"))
        #expect(xml.contains("<service_bundle type='profile' name='smf-minimize'>"))
        #expect(xml.contains("<service name='system/svc/restarter' version='1' type='restarter'>"))
    }

    @Test("comments never hold '--' and attributes are escaped")
    func escaping() throws {
        let xml = try ProfileWriter.xml(PlanFixtures.app(), name: "a'b&<c>")
        #expect(xml.contains("name='a&apos;b&amp;&lt;c&gt;'"))
        for c in xml.components(separatedBy: "<!--").dropFirst() {
            let body = c.components(separatedBy: "-->")[0]
            #expect(!body.contains("--"), "comment holds '--': \(body)")
            #expect(!body.hasSuffix("-"))
        }
        #expect(ProfileWriter.comment("a--b---c-") == "a- -b- - -c- ")
        #expect(Escape.xmlAttribute("x\"y\n") == "x&quot;y&#10;")
    }

    @Test("the written profile is valid against the real DTD", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func dtdValid() throws {
        let dir = TempDir()
        let path = dir.write("app.xml", try ProfileWriter.xml(PlanFixtures.app(), name: "app"))
        guard let result = xmllintValidate(path, dtd: TestPaths.dtd) else {
            withKnownIssue("xmllint is not installed: the DTD check of the profile is skipped") { Issue.record("skipped") }
            return
        }
        #expect(result.ok, "\(result.output)")
    }

    @Test("read back as a profile layer, the baseline equals the closure plus svc.startd's instance")
    func readBack() throws {
        let dir = TempDir()
        let path = dir.write("app.xml", try ProfileWriter.xml(PlanFixtures.app(), name: "app"))
        let repo = Loader.load(InputSpec(paths: [PlanFixtures.manifests], profiles: [path]))
        #expect(!repo.diagnostics.hasErrors, "\(repo.diagnostics)")
        #expect(repo.baseline.map(\.fmri) == (PlanFixtures.app().closure + [startdFMRI]).sorted())
    }

    @Test("a closure with a conflict gives no profile, and the error names the conflict")
    func conflict() {
        let c = Conflict(instance: "svc:/network/physical:default", group: "nwam", excluded: "svc:/network/physical:nwam",
                         location: SourceLocation(file: "network.xml", line: 12))
        let input = PlanFixtures.app(conflicts: [c])
        #expect(throws: ProfileWriter.ConflictError.self) { try ProfileWriter.xml(input) }
        #expect(throws: ProfileWriter.ConflictError.self) { try ProfileWriter.svcadmScript(input) }
        do {
            _ = try ProfileWriter.xml(input)
        } catch {
            #expect(error.description.contains("svc:/network/physical:default excludes svc:/network/physical:nwam (exclude_all group 'nwam')"))
        }
    }
}
