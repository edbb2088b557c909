import Foundation
import Testing
@testable import SMFKit

/// report.html as a person sees it: rendered by headless Chromium (Debian's
/// `chromium`, which .ci/run installs), with the page's own self-test
/// (`?selftest=FMRI`, Render/ReportPage.swift) measuring the smallest node
/// label at the initial view and searching an instance. Skipped with a
/// message where chromium cannot start; under CI=true that is a failure.
@Suite("report.html in headless Chromium")
struct ReportPageBrowserTests {
    static let onCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The chromium executable, when it starts and prints a page.
    static let chromium: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let p = "\(dir)/\(name)"
                guard FileManager.default.isExecutableFile(atPath: p) else { continue }
                let r = try? CLI.run(["30", p] + flags + ["--dump-dom", "about:blank"], executable: "/usr/bin/timeout")
                if let r, r.status == 0, r.stdout.contains("<body") { return p }
            }
        }
        return nil
    }()

    static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1000"]
    static let cannotStart: Comment = "chromium is not installed or cannot start (apt-get install chromium): report.html is not checked in a browser"

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var requested: [String]
        /// An instance deep in the closure, searched by the self-test.
        var search: String
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let usr = "../shared/corpora/illumos-gate/usr", gen = "../shared/corpora/illumos-gate/generated"
        let profile = usr + "/src/cmd/svc/profile/generic_limited_net.xml"
        return [
            Case(name: "oi-apache24", arguments: [usr, gen, "../shared/corpora/oi-userland", "--profile", profile, "--want", "apache24"],
                 requested: ["svc:/network/http:apache24"], search: "svc:/network/loopback:default"),
            Case(name: "illumos-five", arguments: [usr, gen, "--profile", profile] + ["ssh", "cron", "sendmail", "nfs/server", "system-log"].flatMap { ["--want", $0] },
                 requested: [], search: "svc:/system/filesystem/minimal:default"),
        ]
    }()

    @Test("the smallest node label is at least 10 CSS px at the initial view, and searching an instance highlights it and its chain",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage),
          .enabled(if: chromium != nil || onCI, cannotStart), arguments: cases)
    func rendered(_ c: Case) throws {
        guard let chromium = Self.chromium else {
            Issue.record("CI=true, and chromium cannot start: the browser check must run on CI")
            return
        }
        guard CLI.binary != nil else { Issue.record(CLI.missingMessage); return }
        let dir = TempDir()
        let r = try CLI.run(["report"] + c.arguments + ["-o", dir.path + "/r", "--color", "never"], in: TestPaths.packageRoot)
        #expect(r.status == 0 || r.status == 1, "report exit \(r.status): \(r.stderr)")
        let page = URL(fileURLWithPath: dir.path + "/r/report.html").absoluteString
        let run = try CLI.run(["60", chromium] + Self.flags + ["--virtual-time-budget=5000", "--dump-dom", page + "?selftest=" + c.search],
                              executable: "/usr/bin/timeout")
        #expect(run.status == 0, "chromium exit \(run.status)")
        guard let result = Self.selftest(run.stdout) else {
            Issue.record("the page wrote no self-test result: \(run.stdout.suffix(400))")
            return
        }
        let least = (result["minLabelPx"] as? Double) ?? 0
        #expect(least >= 10, "smallest node label \(least) CSS px")
        #expect((result["nodes"] as? Int ?? 0) >= 19)
        #expect(result["found"] as? String == c.search)
        #expect(result["highlighted"] as? Bool == true, "the searched node is not drawn highlighted")
        let chain = result["chain"] as? [String] ?? []
        #expect(chain.first == c.search)
        #expect(chain.count >= 2, "chain \(chain)")
        if !c.requested.isEmpty { #expect(c.requested.contains(chain.last ?? "")) }
        // A screenshot of the initial view; SMF_SCREENSHOTS=DIR keeps it (docs/images/).
        let keep = ProcessInfo.processInfo.environment["SMF_SCREENSHOTS"]
        let png = (keep ?? dir.path) + "/report-\(c.name).png"
        let shot = try CLI.run(["60", chromium] + Self.flags + ["--virtual-time-budget=3000", "--screenshot=" + png, page + "#s0"],
                               executable: "/usr/bin/timeout")
        #expect(shot.status == 0)
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: png))) ?? Data()
        #expect(bytes.starts(with: [0x89, 0x50, 0x4e, 0x47]) && bytes.count > 20_000, "screenshot \(bytes.count) bytes")
    }

    /// The JSON the page wrote into `<pre id="selftest">`.
    static func selftest(_ dom: String) -> [String: Any]? {
        guard let start = dom.range(of: "<pre id=\"selftest\">"),
              let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else { return nil }
        let text = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
