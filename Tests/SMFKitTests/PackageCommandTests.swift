import Foundation
import Testing
@testable import SMFKit

/// `--packages` and `--zone-view` on the command line, on the fixtures.
@Suite("Package options of the command", .enabled(if: CLI.binary != nil, CLI.missingMessage))
struct PackageCommandTests {
    static let dir = TestPaths.fixture("packages")

    @Test("--zone-view without --packages is a usage error that says what it needs")
    func zoneViewNeedsPackages() throws {
        let r = try CLI.run(["inventory", Self.dir + "/src", "--zone-view"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--zone-view needs --packages DIR"))
        let arch = try CLI.run(["inventory", Self.dir + "/src", "--packages", Self.dir + "/pkg", "--package-arch", "arm"])
        #expect(arch.status == 64)
        #expect(arch.stderr.contains("write i386 or sparc"))
    }

    @Test("a --want of a left-out service says why it is absent; closure and inventory JSON carry the packages")
    func absentAndJSON() throws {
        let common = [Self.dir + "/src", "--packages", Self.dir + "/pkg", "--zone-view"]
        let absent = try CLI.run(["closure"] + common + ["--want", "demo-global"])
        #expect(absent.status == 64)
        #expect(absent.stderr.contains("system/demo-global is absent (global zone only: package system/demo, file manifests/demo.p5m:7"), "\(absent.stderr)")

        let closure = try CLI.run(["closure"] + common + ["--want", "network/open-service", "--format", "json"])
        #expect(closure.status == 0, "\(closure.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(closure.stdout.utf8)) as? [String: Any])
        let packages = try #require(json["packages"] as? [String: Any])
        let names = (packages["packages"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["service/open"])
        #expect(packages["excludedCount"] as? Int == 2)

        let inv = try CLI.run(["inventory"] + common)
        #expect(inv.status == 0)
        #expect(inv.stdout.contains("Manifests per package"))
        #expect(inv.stdout.contains("system/demo"))
        #expect(inv.stdout.contains("Left out by the zone view: 2 manifests"))
    }
}
