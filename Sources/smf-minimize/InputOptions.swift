import ArgumentParser
import Foundation
import SMFKit

/// Output formats every subcommand offers.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The input options shared by every subcommand.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Manifest files, or directories searched recursively for *.xml (read after --root's manifests).",
                                 discussion: "With no PATH and no --root, the bundled sample zone in manifests/ is read as a root.",
                                 valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("An illumos file system tree (a zone's root): manifests from lib/svc/manifest and var/svc/manifest, profile layers from etc/svc/profile, etc/inittab and method scripts; links resolve inside it.",
                               valueName: "dir"))
    var root: String?

    @Option(name: .customLong("profile"),
            help: ArgumentHelp("A profile applied to the baseline after the manifests and the root's own layers (repeatable, applied in order); svccfg extract output works.",
                               valueName: "file"))
    var profiles: [String] = []

    @Option(help: ArgumentHelp("Validate manifests and archives against this DTD (service_bundle.dtd.1); default: the root's own, when it has one.",
                               valueName: "file"))
    var dtd: String?

    @Option(help: ArgumentHelp("The output of 'zonecfg -z NAME export' (ip-type, brand, limitpriv).", valueName: "file"))
    var zonecfg: String?

    @Option(name: .customLong("define"),
            help: ArgumentHelp("Replace a build placeholder (@NAME@, @@NAME@@, $(NAME), ${NAME}, %%%NAME%%%) in every file before reading (repeatable); PATH:NAME=VALUE only in that file or the files under that directory (the deepest PATH wins).",
                               valueName: "[path:]name=value"))
    var defines: [String] = []

    @Option(name: .customLong("packages"),
            help: ArgumentHelp("IPS package manifests (illumos-gate's usr/src/pkg, its manifests/ folder, or published manifests): each manifest's package is reported; with --zone-view, what a non-global zone does not get is left out.",
                               valueName: "dir"))
    var packagesDirectory: String?

    @Flag(name: .customLong("zone-view"),
          help: "Analyse only the manifests a non-global zone gets (needs --packages; a real zone root needs neither).")
    var zoneView = false

    @Option(name: .customLong("package-arch"),
            help: ArgumentHelp("The architecture the package manifests are read for ($(i386_ONLY), $(sparc_ONLY), variant.arch): i386 or sparc.",
                               valueName: "arch"))
    var packageArch: String = PackageArch.i386.rawValue

    @Option(help: ArgumentHelp("Refuse files larger than this many bytes.", valueName: "bytes"))
    var maxFileSize: Int = ReaderOptions.defaultMaxFileSize

    /// True when the user named no input and the bundled sample is used.
    var usesSample: Bool { paths.isEmpty && root == nil }

    /// `--define` values as a dictionary (a later definition of a name wins);
    /// `PATH:NAME=VALUE` is keyed by `Placeholders.scopedKey`.
    func parsedDefines() throws -> [String: String] {
        var out: [String: String] = [:]
        for d in defines {
            guard let eq = d.firstIndex(of: "=") else {
                throw ValidationError("--define '\(d)': write NAME=VALUE, e.g. --define SMF_NAME=nginx, or PATH:NAME=VALUE for the files under PATH")
            }
            var name = String(d[d.startIndex..<eq])
            let value = String(d[d.index(after: eq)...])
            var scope: String?
            if let colon = name.lastIndex(of: ":") {
                let path = String(name[name.startIndex..<colon])
                name = String(name[name.index(after: colon)...])
                guard !path.isEmpty else {
                    throw ValidationError("--define '\(d)': PATH:NAME=VALUE needs a PATH before the ':'")
                }
                guard FileManager.default.fileExists(atPath: path) else {
                    throw ValidationError("--define '\(d)': \(path) does not exist; PATH must be a file or directory that is read")
                }
                scope = path
            }
            // Accept the placeholder as written: --define @SMF_NAME@=nginx.
            if Placeholders.find(in: name) == [name] { name = Placeholders.name(of: name) }
            let valid = !name.isEmpty && name.unicodeScalars.allSatisfy {
                ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
            }
            guard valid else {
                throw ValidationError("--define '\(d)': the name must be letters, digits and '_' (the NAME of @NAME@ or $(NAME))")
            }
            guard !value.contains("\n") && !value.contains("\r") else {
                throw ValidationError("--define \(name): the value must not hold a newline (line numbers would shift)")
            }
            out[scope.map { Placeholders.scopedKey(scope: $0, name: name) } ?? name] = value
        }
        return out
    }

    func spec() throws -> InputSpec {
        var root = self.root
        if usesSample {
            guard let sample = BundledSample.locate() else {
                throw ValidationError("no PATH or --root given and the bundled sample (manifests/) was not found; name a manifest file or directory, or a zone root with --root")
            }
            root = sample.root
        }
        return InputSpec(paths: paths, profiles: profiles, dtdPath: dtd, maxFileSize: maxFileSize,
                         root: root, zonecfgPath: zonecfg, defines: try parsedDefines(),
                         packages: try packageOptions())
    }

    /// `--packages`, `--zone-view` and `--package-arch`, checked.
    func packageOptions() throws -> PackageOptions? {
        guard let arch = PackageArch(rawValue: packageArch) else {
            throw ValidationError("--package-arch '\(packageArch)': write i386 or sparc")
        }
        guard let dir = packagesDirectory else {
            if zoneView {
                throw ValidationError("--zone-view needs --packages DIR (the package manifests that say what a zone gets); a real zone root (--root) needs neither")
            }
            return nil
        }
        return PackageOptions(directory: dir, arch: arch, zoneView: zoneView)
    }

    /// Reads the input and merges it (with a root, its layers are in the baseline).
    func load() throws -> Repository {
        try loadInput().repository
    }

    /// Reads the input with everything a root holds besides manifests:
    /// `inittab`, method scripts (`root`), and the `--zonecfg` file.
    func loadInput() throws -> LoadedInput {
        let spec = try spec()
        if usesSample, let root = spec.root {
            FileHandle.standardError.write(Data("smf-minimize: no PATH or --root given; reading the bundled sample zone as --root \(root)\n".utf8))
        }
        if let root = spec.root, let warning = RootCheck.zonepathWarning(root: root) {
            FileHandle.standardError.write(Data("smf-minimize: warning: \(warning)\n".utf8))
        }
        let loaded = Loader.loadInput(spec)
        // Nothing read: an error that says where it looked (when an input
        // was unreadable, the command reports that and exits 2 itself).
        if !inputUnreadable(loaded.repository), let error = RootCheck.nothingRead(spec, loaded.repository) {
            FileHandle.standardError.write(Data("smf-minimize: error: \(error)\n".utf8))
            throw Exit.unreadable
        }
        return loaded
    }
}

/// Finds the sample shipped in `manifests/` (laid out as a zone root):
/// beside the executable (or a parent of it), else in the package this
/// binary was built from, else in the working directory.
enum BundledSample {
    struct Location {
        /// The sample's root, read as `--root`.
        var root: String
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

func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
