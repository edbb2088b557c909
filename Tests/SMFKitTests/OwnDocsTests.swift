import Foundation
import Testing

/// What the tool prints and writes cites the project's own docs (docs/*.md)
/// or the illumos source file a rule comes from, never a briefing document
/// the user does not have (issue 12, item 6).
@Suite("Output cites only the project's own documents", .enabled(if: CLI.binary != nil, CLI.missingMessage))
struct OwnDocsTests {
    static let foreign = ["smf-facts.md", "semantics.md"]

    static func foreignCitations(_ text: String) -> [String] {
        foreign.filter { text.contains($0) }
    }

    static let commands: [[String]] = [
        ["inventory"], ["lint"], ["closure", "--want", "cron"], ["closure", "--want", "cron", "--format", "json"],
        ["why", "--want", "cron", "--target", "system/filesystem/minimal"], ["dependents", "--target", "system/filesystem/minimal"],
        ["tree", "--want", "cron"], ["cycles"], ["plan", "--want", "cron"], ["plan", "--want", "nginx", "--format", "json"],
        ["profile", "--want", "cron"], ["profile", "--want", "cron", "--format", "svcadm"], ["report", "--want", "cron"],
        ["graph", "--want", "cron"], ["boot"], ["collect", "--want", "cron"],
    ]

    @Test("every command on the bundled sample, and every --help", arguments: commands)
    func commandOutput(args: [String]) throws {
        let r = try CLI.run(args)
        #expect(Self.foreignCitations(r.stdout + r.stderr).isEmpty, "\(args): \(Self.foreignCitations(r.stdout + r.stderr))")
        let help = try CLI.run([args[0], "--help"])
        #expect(help.status == 0)
        #expect(Self.foreignCitations(help.stdout + help.stderr).isEmpty, "\(args[0]) --help")
    }

    @Test("the blank-zone files written for the sample")
    func blankZoneFiles() throws {
        let dir = TempDir()
        let r = try CLI.run(["blank-zone", "--want", "cron", "-o", dir.path + "/bz"])
        #expect(r.status == 0, "\(r.stderr)")
        for f in ["inittab", "smf-minimize.rc", "NOTES.md"] {
            let text = try String(contentsOfFile: dir.path + "/bz/" + f, encoding: .utf8)
            #expect(!text.isEmpty && Self.foreignCitations(text).isEmpty, "\(f)")
        }
    }

    @Test("every file under reports/")
    func committedReports() throws {
        let root = TestPaths.packageRoot + "/reports"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        #expect(files.count > 20)
        for f in files {
            guard let text = try? String(contentsOfFile: root + "/" + f, encoding: .utf8) else { continue }
            #expect(Self.foreignCitations(text).isEmpty, "reports/\(f)")
        }
    }
}
