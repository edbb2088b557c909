import Foundation
import Testing

/// The committed reports in reports/ are documentation: they must say what
/// the tool says today. Each report.md ends with the command that made it;
/// this runs that command again and compares the Markdown byte for byte.
@Suite("Committed reports are up to date")
struct ReportsUpToDateTests {
    static let reportsDir = TestPaths.packageRoot + "/reports"

    static var reportNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: reportsDir)) ?? [])
            .filter { FileManager.default.fileExists(atPath: reportsDir + "/" + $0 + "/report.md") }
            .sorted()
    }

    @Test("there are reports on the sample and on the real base system")
    func reportsExist() {
        let names = Self.reportNames
        #expect(names.contains("sample-nginx"))
        #expect(names.contains { $0.hasPrefix("illumos-") })
        #expect(names.contains { $0.hasPrefix("oi-") })
    }

    /// Reports whose command reads the shared corpora, and the others.
    static func needsCorpora(_ name: String) -> Bool {
        let text = (try? String(contentsOfFile: reportsDir + "/\(name)/report.md", encoding: .utf8)) ?? ""
        return text.contains("../shared/corpora")
    }
    static var sampleReports: [String] { reportNames.filter { !needsCorpora($0) } }
    static var corpusReports: [String] { reportNames.filter(needsCorpora) }

    @Test("each report.md on the bundled sample matches what its command writes today", arguments: sampleReports)
    func sampleUpToDate(_ name: String) throws {
        try check(name)
    }

    @Test("each report.md on the real corpora matches what its command writes today",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage), arguments: corpusReports)
    func corpusUpToDate(_ name: String) throws {
        try check(name)
    }

    func check(_ name: String) throws {
        let committed = try String(contentsOfFile: Self.reportsDir + "/\(name)/report.md", encoding: .utf8)
        guard let start = committed.range(of: "## Regenerate\n\n```\n"),
              let end = committed.range(of: "\n```", range: start.upperBound..<committed.endIndex) else {
            Issue.record("reports/\(name)/report.md has no Regenerate section")
            return
        }
        let command = String(committed[start.upperBound..<end.lowerBound])
        var args = command.split(separator: " ").map(String.init)
        #expect(args.first == "smf-minimize")
        args.removeFirst()
        guard CLI.binary != nil else {
            Issue.record("the smf-minimize executable was not found beside the test bundle; run 'swift build' first")
            return
        }
        let out = TempDir()
        guard let o = args.firstIndex(of: "DIR") else {
            Issue.record("the command of reports/\(name) has no -o DIR")
            return
        }
        args[o] = out.path + "/r"
        args = args.map { $0.hasPrefix("'") && $0.hasSuffix("'") ? String($0.dropFirst().dropLast()) : $0 }
        let r = try CLI.run(args + ["--color", "never"], in: TestPaths.packageRoot)
        #expect(r.status == 0 || r.status == 1, "exit \(r.status)")
        let fresh = try String(contentsOfFile: out.path + "/r/report.md", encoding: .utf8)
        #expect(fresh == committed, "reports/\(name)/report.md is stale: run scripts/regenerate-reports.sh")
    }
}
