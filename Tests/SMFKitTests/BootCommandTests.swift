import Foundation
import Testing
@testable import SMFKit

@Suite("boot, audit and profile's self-check as commands", .enabled(if: CLI.binary != nil, CLI.missingMessage))
struct BootCommandTests {
    @Test("boot on the sample: svcs -a rows, the summary, exit 1 for fmd (its program is not in the sample root)")
    func bootSample() throws {
        let r = try CLI.run(["boot"])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("STATE          FMRI\nonline         svc:/milestone/devices:default\n"))
        #expect(r.stdout.contains("\n48 online, 0 degraded, 1 offline, 34 disabled, 0 maintenance, 0 uninitialized\n"))
        #expect(r.stdout.contains("svc:/system/fmd:default (offline)\n Reason: the file /usr/lib/fm/fmd/fmd does not exist under the root"))
        let json = try CLI.run(["boot", "--format", "json"])
        #expect(json.stdout.contains("\"allEnabledOnline\": false"))
    }

    @Test("boot --enable-list: exactly the listed instances enabled; an unknown name is SMF090 on stderr")
    func enableList() throws {
        let r = try CLI.run(["boot", "--enable-list", TestPaths.fixture("boot/sample-enable.txt")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("sample-enable.txt:4:1: error: SMF090: 'not-a-service-anywhere'"))
        #expect(r.stdout.contains("offline        svc:/system/cron:default\n"))
        #expect(r.stdout.contains("2 enabled instances do not come online"))
    }

    @Test("audit: exit 1 on breakage, 0 without; --kind overrides detection")
    func auditExit() throws {
        let bad = try CLI.run(["audit", "--config", TestPaths.fixture("boot/sample-removed.txt"), "--want", "cron"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("  svc:/system/filesystem/local (removed)\n"))
        let list = TempDir()
        let ok = list.write("list.txt", "milestone/devices.xml enabled\n")
        let r = try CLI.run(["audit", "--config", ok, "--kind", "removed-list"])
        #expect(r.status == 1)   // the line is not an absolute path: an SMF090 error
        #expect(r.stdout.contains("list.txt:1:1: error: SMF090: expected one absolute manifest path"))
    }

    @Test("profile predicts the boot of what it writes; a member that would not come online: exit 1, no profile, and the verdict's reason said")
    func profileSelfCheck() throws {
        let good = try CLI.run(["profile", "--want", "cron"])
        #expect(good.status == 0)
        #expect(good.stderr.contains("predicted boot: 16 online, 0 degraded, 0 offline, 57 disabled, 0 maintenance, 10 uninitialized"))
        // A request whose closure holds system/hal, which disables itself in a zone.
        let dir = TempDir()
        let m = dir.write("m.xml", manifest(svc("system/hal", defaultInstance(true)) + "\n"
            + svc("site/app", defaultInstance(true) + dep("hal", "require_all", ["svc:/system/hal:default"]))))
        let bad = try CLI.run(["profile", m, "--want", "site/app"])
        #expect(bad.status == 1)
        // The verdict for this request is a blank zone for exactly this reason,
        // so it is not a defect of the tool, but the profile is still refused.
        #expect(bad.stderr.contains("Would not come online under a trimmed profile (2 instances); the verdict is a blank zone, for this reason (docs/BOOT.md):"))
        #expect(!bad.stderr.contains("DEFECT"))
        #expect(bad.stderr.contains("svc:/site/app:default (offline)"))
        #expect(bad.stderr.contains("svc:/system/hal:default (disabled)"))
        #expect(bad.stdout.isEmpty)
    }
}
