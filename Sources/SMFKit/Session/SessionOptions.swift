#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a `Session` reads and how: the command line's input options as
/// plain values (the command-line target converts its parsed options to
/// this; nothing here knows the argument parser).
public struct SessionOptions: Sendable {
    /// Manifest files, or directories searched recursively for *.xml.
    public var paths: [String] = []
    /// An illumos file system tree (a zone's root).
    public var root: String?
    /// Profiles applied to the baseline after the manifests and the root's layers, in order.
    public var profiles: [String] = []
    /// The DTD manifests and archives are validated against.
    public var dtd: String?
    /// The output of `zonecfg -z NAME export`.
    public var zonecfg: String?
    /// `--define` values as written: `NAME=VALUE` or `PATH:NAME=VALUE`.
    public var defines: [String] = []
    /// IPS package manifests.
    public var packagesDirectory: String?
    /// Only the manifests a non-global zone gets (needs `packagesDirectory`).
    public var zoneView = false
    /// The architecture the package manifests are read for, as written (i386 or sparc).
    public var packageArch: String = PackageArch.i386.rawValue
    /// Files larger than this are refused.
    public var maxFileSize: Int = ReaderOptions.defaultMaxFileSize
    /// Method scripts: /lib/svc/method/X is read as `methods`/X.
    public var methods: String?
    /// The zone's IP type; nil: the zonecfg's, else shared.
    public var ipType: IPType?
    /// The instances or services the zone must run (`--want`).
    public var wanted: [String] = []
    /// What the manifests' bundles keep (`ReadDetail`). With `.structure`
    /// the session reads the input again, whole, the first time a stage
    /// needs what was left out (the plan input, the boot prediction, the
    /// audit), and computes every stage again from that input: a command
    /// that needs only the graph (`closure`, `why`, `tree`, `dependents`,
    /// `cycles`, `lint`, `inventory`) reads less, and any other gets what a
    /// `.full` session gives. With `packagesDirectory` the session reads
    /// everything from the start (the package report reads the exec lines).
    public var detail: ReadDetail = .full

    public init() {}

    /// True when no input is named and the bundled sample is read as the root.
    public var usesSample: Bool { paths.isEmpty && root == nil }

    /// `defines` as a dictionary (a later definition of a name wins);
    /// `PATH:NAME=VALUE` is keyed by `Placeholders.scopedKey`.
    public func parsedDefines() throws(SessionError) -> [String: String] {
        var out: [String: String] = [:]
        for d in defines {
            guard let eq = d.firstIndex(of: "=") else {
                throw .usage("--define '\(d)': write NAME=VALUE, e.g. --define SMF_NAME=nginx, or PATH:NAME=VALUE for the files under PATH")
            }
            var name = String(d[d.startIndex..<eq])
            let value = String(d[d.index(after: eq)...])
            var scope: String?
            if let colon = name.lastIndex(of: ":") {
                let path = String(name[name.startIndex..<colon])
                name = String(name[name.index(after: colon)...])
                guard !path.isEmpty else {
                    throw .usage("--define '\(d)': PATH:NAME=VALUE needs a PATH before the ':'")
                }
                guard FileManager.default.fileExists(atPath: path) else {
                    throw .usage("--define '\(d)': \(path) does not exist; PATH must be a file or directory that is read")
                }
                scope = path
            }
            // Accept the placeholder as written: --define @SMF_NAME@=nginx.
            if Placeholders.find(in: name) == [name] { name = Placeholders.name(of: name) }
            let valid = !name.isEmpty && name.unicodeScalars.allSatisfy {
                ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
            }
            guard valid else {
                throw .usage("--define '\(d)': the name must be letters, digits and '_' (the NAME of @NAME@ or $(NAME))")
            }
            guard !value.contains("\n") && !value.contains("\r") else {
                throw .usage("--define \(name): the value must not hold a newline (line numbers would shift)")
            }
            out[scope.map { Placeholders.scopedKey(scope: $0, name: name) } ?? name] = value
        }
        return out
    }

    /// `packagesDirectory`, `zoneView` and `packageArch`, checked.
    public func packageOptions() throws(SessionError) -> PackageOptions? {
        guard let arch = PackageArch(rawValue: packageArch) else {
            throw .usage("--package-arch '\(packageArch)': write i386 or sparc")
        }
        guard let dir = packagesDirectory else {
            if zoneView {
                throw .usage("--zone-view needs --packages DIR (the package manifests that say what a zone gets); a real zone root (--root) needs neither")
            }
            return nil
        }
        return PackageOptions(directory: dir, arch: arch, zoneView: zoneView)
    }

    /// What the loader reads: the options checked, the bundled sample as
    /// the root when no input is named.
    public func spec() throws(SessionError) -> InputSpec {
        var root = self.root
        if usesSample {
            guard let sample = BundledSample.locate() else {
                throw .usage("no PATH or --root given and the bundled sample (manifests/) was not found; name a manifest file or directory, or a zone root with --root")
            }
            root = sample.root
        }
        var spec = InputSpec(paths: paths, profiles: profiles, dtdPath: dtd, maxFileSize: maxFileSize,
                             root: root, zonecfgPath: zonecfg, defines: try parsedDefines(),
                             packages: try packageOptions())
        spec.detail = detail
        return spec
    }
}
