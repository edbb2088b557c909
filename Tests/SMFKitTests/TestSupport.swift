import Foundation
import Testing
@testable import SMFKit

/// Paths the tests use: the package root, the fixtures, and the shared corpora
/// (absent on a user's machine: the tests that need them skip with a message).
enum TestPaths {
    static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let fixtures = packageRoot + "/Tests/Fixtures"
    static let corpora = packageRoot + "/../shared/corpora"
    static let illumos = corpora + "/illumos-gate"
    static let illumosUsr = illumos + "/usr"
    static let oi = corpora + "/oi-userland"
    static let dtd = illumosUsr + "/src/cmd/svc/dtd/service_bundle.dtd.1"

    static var corporaPresent: Bool { FileManager.default.fileExists(atPath: illumosUsr) }

    static func fixture(_ name: String) -> String { fixtures + "/" + name }
}

/// Skips a test when the shared corpora are absent, saying so.
let corporaMissingMessage: Comment = "../shared/corpora is absent: the real-manifest tests are skipped (they need the illumos-gate and oi-userland corpora beside the checkout)"

/// A scratch directory removed when the value dies.
final class TempDir {
    let path: String
    init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("smf-minimize-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        let dir = (p as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}

/// Runs the built `smf-minimize` binary, or another program the tests need:
/// the binary sits beside the test bundle in the build products directory
/// (`swift test` builds it with the tests).
enum CLI {
    static let binary: String? = {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let candidate = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("smf-minimize").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }()

    static let missingMessage: Comment = "the smf-minimize binary is not beside the test bundle (run `swift build` first): the command-line tests are skipped"

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `smf-minimize ARGUMENTS` (or `executable ARGUMENTS`) with an
    /// empty standard input, in `directory` when given, with exactly
    /// `environment` when given, and waits for it.
    static func run(_ arguments: [String], executable: String? = nil, in directory: String? = nil,
                    environment: [String: String]? = nil) throws -> Run {
        let dir = TempDir()
        let out = dir.write("stdout", "")
        let err = dir.write("stderr", "")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary ?? "/nonexistent/smf-minimize")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}

/// A manifest document around `body` (one or more <service> elements).
func manifest(_ body: String, name: String = "test", type: String = "manifest") -> String {
    """
    <?xml version='1.0'?>
    <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
    <service_bundle type='\(type)' name='\(name)'>
    \(body)
    </service_bundle>

    """
}

/// Reads documents held in memory through the real reader and merge.
func repository(_ docs: [(String, String)], profiles: [(String, String)] = []) -> Repository {
    let dir = TempDir()
    let paths = docs.map { dir.write($0.0, $0.1) }
    let profilePaths = profiles.map { dir.write($0.0, $0.1) }
    return withExtendedLifetime(dir) {
        Loader.load(InputSpec(paths: paths, profiles: profilePaths))
    }
}
