import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

    /// The options as the library takes them.
    var sessionOptions: SessionOptions {
        var o = SessionOptions()
        o.paths = paths
        o.root = root
        o.profiles = profiles
        o.dtd = dtd
        o.zonecfg = zonecfg
        o.defines = defines
        o.packagesDirectory = packagesDirectory
        o.zoneView = zoneView
        o.packageArch = packageArch
        o.maxFileSize = maxFileSize
        return o
    }

    /// A session over these inputs, for `wanted` (and the plan options),
    /// that prints its notices on standard error.
    /// `detail: .structure` for a command that reads only the graph, the
    /// closure and the diagnostics (docs/PERFORMANCE.md, "The sixth round").
    func session(wanted: [String] = [], methods: String? = nil, ipType: IPType? = nil,
                 detail: ReadDetail = .full) -> Session {
        var o = sessionOptions
        o.detail = detail
        o.wanted = wanted
        o.methods = methods
        o.ipType = ipType
        let session = Session(o) { notice in
            switch notice {
            case .readingSample(let root):
                printError("smf-minimize: no PATH or --root given; reading the bundled sample zone as --root \(root)")
            case .zonepathWarning(let warning):
                printError("smf-minimize: warning: \(warning)")
            }
        }
        // The command ends when its run() returns and the process exits:
        // freeing the repository, the graph and every analysis first would
        // only cost time (7 to 10 % of a closure at 10,000 services,
        // docs/PERFORMANCE.md). A global that is never emptied keeps the
        // session and all it holds until exit.
        keptUntilExit.append(session)
        return session
    }
}

/// The sessions of this process, kept so that they are never torn down
/// (see `session(wanted:methods:ipType:)`); only the main thread appends.
nonisolated(unsafe) private var keptUntilExit: [Session] = []

/// `--want`, shared by every command that takes a request.
struct RequestOptions: ParsableArguments {
    @Option(name: .customLong("want"),
            help: ArgumentHelp("An instance or service the zone must run: a full FMRI, a glob or an abbreviation as svcs takes them (repeatable).",
                               valueName: "fmri"))
    var want: [String] = []

    /// `--want` for the graph commands (closure, tree, why), which say so
    /// in their words when it is missing; the plan commands leave the
    /// check to the session.
    var graphRequest: [String] {
        get throws {
            guard !want.isEmpty else { throw ValidationError("name at least one --want FMRI (e.g. --want network/ssh)") }
            return want
        }
    }
}

func emit(_ text: String) {
    StandardStream.output(text)
}

/// One line (or several) on standard error.
func printError(_ text: String) {
    StandardStream.error(text + "\n")
}
