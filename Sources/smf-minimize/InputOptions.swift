import ArgumentParser
import Foundation
import SMFKit

/// Output formats every subcommand offers.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The input options shared by every subcommand.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Manifest files, or directories searched recursively for *.xml.",
                                 discussion: "With none, the bundled sample zone in manifests/ is read.",
                                 valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("profile"),
            help: ArgumentHelp("A profile applied to the baseline after the manifests (repeatable, applied in order).",
                               valueName: "file"))
    var profiles: [String] = []

    @Option(help: ArgumentHelp("Validate manifests and archives against this DTD (service_bundle.dtd.1).",
                               valueName: "file"))
    var dtd: String?

    @Option(help: ArgumentHelp("Refuse files larger than this many bytes.", valueName: "bytes"))
    var maxFileSize: Int = ReaderOptions.defaultMaxFileSize

    /// True when the user named no input and the bundled sample is used.
    var usesSample: Bool { paths.isEmpty }

    func spec() throws -> InputSpec {
        var paths = self.paths
        var profiles = self.profiles
        if paths.isEmpty {
            guard let sample = BundledSample.locate() else {
                throw ValidationError("no PATH given and the bundled sample (manifests/) was not found; name a manifest file or directory")
            }
            paths = [sample.manifests]
            if profiles.isEmpty { profiles = sample.profiles }
        }
        return InputSpec(paths: paths, profiles: profiles, dtdPath: dtd, maxFileSize: maxFileSize)
    }

    func load() throws -> Repository {
        let spec = try spec()
        if usesSample {
            FileHandle.standardError.write(Data("smf-minimize: no PATH given; reading the bundled sample zone in \(spec.paths[0])\n".utf8))
        }
        return Loader.load(spec)
    }
}

/// Finds the sample shipped in `manifests/`: beside the executable (or a
/// parent of it), else in the package this binary was built from, else in
/// the working directory.
enum BundledSample {
    struct Location {
        var root: String
        var manifests: String { root + "/lib/svc/manifest" }
        var profiles: [String] {
            let dir = root + "/etc/svc/profile"
            return ["generic_limited_net.xml", "platform_none.xml"].map { dir + "/" + $0 }
                .filter { FileManager.default.fileExists(atPath: $0) }
        }
    }

    static func locate() -> Location? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["SMF_MINIMIZE_SAMPLE"] { candidates.append(env) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("manifests").path)
            dir = dir.deletingLastPathComponent()
        }
        // The package root this file was compiled in.
        let source = URL(fileURLWithPath: #filePath)
        candidates.append(source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("manifests").path)
        candidates.append(FileManager.default.currentDirectoryPath + "/manifests")
        for c in candidates where FileManager.default.fileExists(atPath: c + "/lib/svc/manifest") {
            return Location(root: c)
        }
        return nil
    }
}

/// Exit codes, documented in docs/EXIT-CODES.md.
enum Exit {
    static let findings = ExitCode(1)
    static let unreadable = ExitCode(2)
}

/// True when an input named on the command line could not be read at all.
func inputUnreadable(_ repo: Repository) -> Bool {
    repo.diagnostics.contains { [.pathMissing, .pathUnreadable, .symlinkLoop, .fileTooLarge].contains($0.code) && $0.severity == .error }
}

func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
