import Foundation
import Testing
@testable import SMFKit

/// Words for people (issue 13, item 10): plan's text names roles and the
/// verdict in words, the JSON keeps its stable identifiers; the ladder's
/// long-running count agrees with the roles; report's problems line counts
/// invalid entities and lint warnings.
@Suite("Words for people in plan and report", .enabled(if: CLI.binary != nil, CLI.missingMessage),
       .timeLimit(.minutes(10)))
struct PlanWordsTests {
    @Test("plan text spells roles and the verdict for people; JSON keeps the identifiers")
    func planWords() throws {
        let text = try CLI.run(["plan", "--want", "network/ssh"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Verdict for svc:/network/ssh:default in a shared-IP zone: blank zone (no SMF)\n"), "\(text.stdout.prefix(200))")
        #expect(text.stdout.contains("  svc:/network/datalink-management:default  exits at once in a zone: svc-dlmgmtd exits SMF_EXIT_NODAEMON"))
        #expect(text.stdout.contains("  svc:/network/ssh:default  long-running daemon: sshd"))
        for name in ["noopInZone", "noopSharedIP", "unknownWork", "disablesInZone", "failsInZone", "blank-zone", "trimmed-profile", "legacyScripts"] {
            #expect(!text.stdout.contains(name), "\(name)")
        }
        let json = try CLI.run(["plan", "--format", "json", "--want", "network/ssh"])
        #expect(json.stdout.contains("\"verdict\": \"blank-zone\""), "\(json.stdout.prefix(300))")
        #expect(json.stdout.contains("noopInZone"))
    }

    @Test("the ladder does not count a member whose role exits at once in the zone as long-running")
    func ladderLongRunning() throws {
        let r = try CLI.run(["plan", "--want", "network/ssh"])
        let rung3 = r.stdout.split(separator: "\n").first { $0.hasPrefix("  3. minimal SMF: ") }.map(String.init) ?? ""
        #expect(rung3 == "  3. minimal SMF: 19 enabled, 8 doing real work, 3 long-running: svc:/network/ssh:default, svc:/system/sysevent:default, svc:/system/utmp:default", "\(rung3)")
        #expect(!r.stdout.contains("long-running: svc:/network/datalink-management"))
    }

    @Test("report's problems line counts invalid dependencies and lint warnings")
    func reportProblems() throws {
        let dir = TempDir()
        let path = ExitRuleTests.appFixture(dir, dependingOn: "svc:/bad//name:")
        let r = try CLI.run(["report", "--want", "site/app", path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("Problems: 1 invalid dependency, 1 input error (see lint), 1 lint warning (see lint)\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  ? svc:/site/app:default group 'gone' names 'svc:/bad//name:', which is not an"), "\(r.stdout)")
        let clean = try CLI.run(["report", "--want", "site/good", TestPaths.fixture("bad/good.xml")])
        #expect(clean.stdout.contains("Problems: none\n"), "\(clean.stdout)")
    }
}
