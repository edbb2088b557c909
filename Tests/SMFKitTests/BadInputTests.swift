import Foundation
import Testing
@testable import SMFKit

/// What a hostile or broken file may leave behind: everything the tool can
/// print or hand on (diagnostics, the inventory in text and JSON, and every
/// value of the repository), as one string to search.
func everythingPrinted(_ repo: Repository) -> String {
    let report = InventoryReport(repo)
    return [repo.diagnostics.map(\.description).joined(separator: "\n"),
            report.text, report.json.render(), String(describing: repo.services)].joined(separator: "\n")
}

/// The diagnostics about one file.
func diagnostics(_ repo: Repository, about file: String) -> [Diagnostic] {
    repo.diagnostics.filter { $0.location.file == file }
}

@Suite("Bad input: one clear diagnostic per bad file, and the rest is still read")
struct BadInputTests {
    /// `Tests/Fixtures/bad`, read once as a directory, the way `lint bad/` reads it.
    static let directory = TestPaths.fixture("bad")
    static let repo = Loader.load(InputSpec(paths: [directory]))

    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var code: DiagnosticCode
        var line: Int
        var testDescription: String { "\(file) → \(code.rawValue) at line \(line)" }
    }

    static let cases: [Case] = [
        Case(file: "malformed.xml", code: .xmlMalformed, line: 6),
        Case(file: "wrong-root.xml", code: .xmlNotBundle, line: 2),
        Case(file: "empty.xml", code: .xmlEmpty, line: 1),
        Case(file: "binary-garbage.xml", code: .xmlMalformed, line: 1),
        Case(file: "invalid-utf8.xml", code: .xmlEncoding, line: 4),
        Case(file: "missing-attribute.xml", code: .missingAttribute, line: 4),
        Case(file: "unknown-grouping.xml", code: .badEnumeration, line: 6),
        Case(file: "attribute-control-char.xml", code: .xmlEncoding, line: 7),
        Case(file: "attribute-control-charref.xml", code: .xmlEncoding, line: 7),
        Case(file: "attribute-invalid-utf8.xml", code: .xmlEncoding, line: 7),
    ]

    @Test("each bad file gives exactly one diagnostic, with its code, line and a column", arguments: cases)
    func oneDiagnostic(_ c: Case) throws {
        let path = Self.directory + "/" + c.file
        let found = diagnostics(Self.repo, about: path)
        try #require(found.count == 1, "\(found)")
        let d = found[0]
        #expect(d.code == c.code, "\(d)")
        #expect(d.severity == .error)
        #expect(d.location.line == c.line, "\(d)")
        #expect(d.location.column >= 1, "\(d)")
        #expect(!d.description.contains("\n"), "one diagnostic is one line: \(d)")
    }

    @Test("the good manifest beside the bad ones is read, and every file is accounted for")
    func goodFileStillRead() throws {
        let repo = Self.repo
        let good = try #require(repo.services["site/good"])
        #expect(good.instances["default"]?.enabled == true)
        #expect(diagnostics(repo, about: Self.directory + "/good.xml").isEmpty)
        #expect(repo.counts.files == Self.cases.count + 1)
        // Files whose XML was refused are counted as unreadable, never dropped silently.
        #expect(repo.counts.unreadable == 8)
    }

    @Test("a file named alone gives the same single diagnostic as inside a directory")
    func namedAlone() {
        let reader = ManifestReader()
        let r = reader.read(path: Self.directory + "/attribute-control-char.xml")
        #expect(r.bundle == nil)
        #expect(r.diagnostics.map(\.code) == [.xmlEncoding])
        #expect(r.diagnostics.first?.message.contains("further error") == true,
                "the cascade libxml2 reports after the first error is counted, not listed")
    }

    @Test("diagnostic messages never span lines, whatever the value held")
    func messagesAreOneLine() {
        let doc = manifest("""
        <service name='site/a&#x7f;b&#x0A;c' type='service' version='1'>
          <create_default_instance enabled='true'/>
          <dependency name='d&#x9;&#x85;' grouping='require_all' restart_on='none' type='service'>
            <service_fmri value='svc:/x&#x0A;y.xml:1:1: error: SMF000: forged'/>
          </dependency>
        </service>
        """)
        let repo = repository([("odd-values.xml", doc)])
        #expect(!repo.diagnostics.isEmpty)
        for d in repo.diagnostics {
            #expect(!d.description.contains("\n"), "\(d)")
            #expect(!d.description.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }, "\(d)")
        }
        #expect(repo.diagnostics.contains { $0.code == .badName && $0.message.contains("\\u{7f}") })
        #expect(repo.diagnostics.contains { $0.code == .badFMRI && $0.message.contains("x\\ny.xml") })
        #expect(repo.diagnostics.contains { $0.message.contains("'d\\t\\u{85}'") })
    }
}

/// Run under ThreadSanitizer by .ci/run (`--filter ParallelReader`): many
/// readers at once on good and bad files, each with its own libxml2 context
/// and the thread-local error handler.
@Suite("ParallelReader on bad and hostile input")
struct ParallelReaderBadInputTests {
    @Test("every file read concurrently gives the same result as read alone, in input order")
    func concurrentMatchesSerial() {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: BadInputTests.directory)) ?? []
        let hostile = (try? FileManager.default.contentsOfDirectory(atPath: HostileInputTests.directory)) ?? []
        let paths = (files.sorted().map { BadInputTests.directory + "/" + $0 }
            + hostile.sorted().map { HostileInputTests.directory + "/" + $0 })
        let many = Array(repeating: paths, count: 8).flatMap { $0 }
        let parallel = ParallelReader.read(many, workers: 4)
        let serial = ParallelReader.read(many, workers: 1)
        #expect(parallel.count == many.count)
        #expect(parallel.map(\.path) == many)
        #expect(parallel.map(\.diagnostics) == serial.map(\.diagnostics))
        #expect(parallel.map { $0.bundle?.name } == serial.map { $0.bundle?.name })
    }
}

/// The streaming read (results handed over in order while the workers read
/// ahead within a window): every window and number of workers, with a
/// consumer that sometimes falls behind so that the workers wait for room.
/// Run under ThreadSanitizer by .ci/run (`--filter ParallelReader`).
@Suite("ParallelReader streaming: every window and worker count")
struct ParallelReaderStreamTests {
    @Test("results come in input order, each as read alone, whatever the window, the workers and the consumer's pace",
          arguments: [(2, 1), (2, 2), (3, 5), (4, 16), (2, 17), (8, 3), (2, 1024)])
    func streamMatchesSerial(workers: Int, window: Int) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: BadInputTests.directory)) ?? []
        let paths = files.sorted().map { BadInputTests.directory + "/" + $0 }
        let many = Array(repeating: paths, count: 6).flatMap { $0 }
        let serial = ParallelReader.read(many, workers: 1)
        var got: [ReadResult] = []
        var slow = SplitMix64(seed: UInt64(workers * 100 + window))
        ParallelReader.read(many, workers: workers, window: window) { r in
            got.append(r)
            // Now and then a slower merge: the window fills and the workers wait.
            if slow.chance(0.05) { usleep(2_000) }
        }
        #expect(many.count > 50)
        #expect(got.map(\.path) == many)
        #expect(got.map(\.diagnostics) == serial.map(\.diagnostics))
        #expect(got.map { $0.bundle?.name } == serial.map { $0.bundle?.name })
    }
}
