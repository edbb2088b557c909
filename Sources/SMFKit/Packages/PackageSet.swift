#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One path a package delivers, after the manifest's transforms.
public struct Delivery: Sendable, Hashable {
    /// The delivered path, without a leading `/` (`lib/svc/manifest/system/sysevent.xml`).
    public var path: String
    /// The package's name, from `pkg.fmri` without scheme, publisher and version (`SUNWcsd`).
    public var package: String
    /// The action, with its attributes after the transforms.
    public var action: PackageAction

    /// The values of `variant.opensolaris.zone` (nil: every zone).
    public var zones: [String]? { action.attributes[PackageSet.zoneVariant] }
    /// The values of `variant.arch` (nil: every architecture).
    public var arches: [String]? { action.attributes["variant.arch"] }
    /// True when the action is installed only in the global zone.
    public var globalZoneOnly: Bool { zones.map { !$0.contains("nonglobal") } ?? false }
    /// True when a non-global zone of `arch` gets the path.
    public func inNonGlobalZone(arch: PackageArch) -> Bool {
        !globalZoneOnly && (arches.map { $0.contains(arch.rawValue) } ?? true)
    }

    /// "SUNWcsd.p5m:75", with the rule that made it global-zone-only:
    /// "SUNWcsd.p5m:75 (variant.opensolaris.zone=global from
    /// transforms/global_zone_only_component:88, included at SUNWcsd.p5m:32)".
    public var citation: String {
        var s = PackageSet.cite(action.location)
        for inc in action.includedVia { s += " (read through the <include> at \(PackageSet.cite(inc)))" }
        if let z = action.zoneSetBy, let zones {
            s += " (\(PackageSet.zoneVariant)=\(zones.joined(separator: ",")) set by the transform at \(PackageSet.cite(z.location))"
            for inc in z.includedVia { s += ", included at \(PackageSet.cite(inc))" }
            s += ")"
        } else if zones != nil {
            s += " (\(PackageSet.zoneVariant) on the action)"
        }
        return s
    }
}

/// A package: its name and the file that defines it.
public struct PackageInfo: Sendable, Hashable {
    public var name: String
    public var fmri: String
    public var file: String
}

/// The package manifests of a directory (`--packages DIR`): every
/// delivered path, its package and its variants.
public struct PackageSet: Sendable {
    public static let zoneVariant = "variant.opensolaris.zone"

    public var arch: PackageArch
    /// The directory read.
    public var directory: String
    /// Each delivered path (file, link, hardlink, dir) by path; the first package wins.
    public var deliveries: [String: Delivery]
    /// The packages by name.
    public var packages: [String: PackageInfo]
    public var diagnostics: [Diagnostic]

    public init(arch: PackageArch, directory: String, deliveries: [String: Delivery] = [:],
                packages: [String: PackageInfo] = [:], diagnostics: [Diagnostic] = []) {
        self.arch = arch
        self.directory = directory
        self.deliveries = deliveries
        self.packages = packages
        self.diagnostics = diagnostics
    }

    /// The delivered SMF manifests (under lib/svc/manifest or var/svc/manifest), sorted by path.
    public var smfManifests: [Delivery] {
        deliveries.values.filter { PackageSet.isManifestPath($0.path) && $0.action.type != "dir" }
            .sorted { $0.path < $1.path }
    }

    public static func isManifestPath(_ p: String) -> Bool {
        (p.hasPrefix("lib/svc/manifest/") || p.hasPrefix("var/svc/manifest/")) && p.hasSuffix(".xml")
    }

    /// A location as the tool prints it, shortened to the last two
    /// folders (`manifests/SUNWcsd.p5m:75`).
    static func cite(_ l: SourceLocation) -> String {
        let parts = l.file.split(separator: "/")
        let short = parts.suffix(2).joined(separator: "/")
        return l.line > 0 ? "\(short):\(l.line)" : short
    }

    /// Reads a directory of package manifests: `DIR/manifests/*.p5m` when
    /// DIR holds a `manifests` folder (illumos-gate's usr/src/pkg), else the
    /// `*.p5m`, `*.mf` and `*.manifest` files under DIR (published
    /// manifests, as `pkg contents -m` prints them, read the same way).
    /// `<include NAME>` is looked up beside the including file, in the
    /// manifests folder, then in `transforms/` beside it.
    public static func read(directory: String, arch: PackageArch = .i386,
                            maxFileSize: Int = ReaderOptions.defaultMaxFileSize) -> PackageSet {
        var set = PackageSet(arch: arch, directory: directory)
        guard PathKind.of(directory) == .directory else {
            set.diagnostics.append(Diagnostic(.error, .packageDirectoryUnreadable,
                "--packages: \(directory) is not a directory of package manifests", at: SourceLocation(file: directory)))
            return set
        }
        let base = PackageSet.normalize(directory)
        var manifestsDir = base
        if PathKind.of(base + "/manifests") == .directory { manifestsDir = base + "/manifests" }
        let searchDirs = [manifestsDir, PackageSet.normalize(manifestsDir + "/../transforms"), base + "/transforms"]
        var files: [String] = []
        for rel in relativeFiles(under: manifestsDir) {
            if rel.hasPrefix("transforms/") || rel == "transforms" { continue }
            if rel.hasSuffix(".p5m") || rel.hasSuffix(".mf") || rel.hasSuffix(".manifest") {
                files.append(manifestsDir + "/" + rel)
            }
        }
        files.sort()
        if files.isEmpty {
            set.diagnostics.append(Diagnostic(.warning, .packageDirectoryUnreadable,
                "--packages: \(directory) holds no package manifest (*.p5m, *.mf, *.manifest); no path is known to be delivered",
                at: SourceLocation(file: directory)))
        }
        var reader = ManifestFileReader(arch: arch, searchDirs: searchDirs, maxFileSize: maxFileSize)
        for f in files {
            let pkg = reader.readPackage(f)
            set.diagnostics += reader.takeDiagnostics()
            guard let pkg else { continue }
            if let other = set.packages[pkg.info.name] {
                set.diagnostics.append(Diagnostic(.warning, .packageDuplicate,
                    "package \(pkg.info.name) is also defined by \(other.file); this file's actions are read too, the first delivery of a path wins",
                    at: SourceLocation(file: f)))
            } else {
                set.packages[pkg.info.name] = pkg.info
            }
            for a in pkg.actions where ["file", "dir", "link", "hardlink"].contains(a.type) {
                guard let path = a.first("path") else {
                    set.diagnostics.append(Diagnostic(.warning, .packageLineMalformed,
                        "a \(a.type) action without path=; ignored", at: a.location))
                    continue
                }
                var p = path
                while p.hasPrefix("/") { p.removeFirst() }
                if set.deliveries[p] == nil {
                    set.deliveries[p] = Delivery(path: p, package: pkg.info.name, action: a)
                }
            }
        }
        set.diagnostics = set.diagnostics.sortedForOutput()
        return set
    }
}

/// Reads one package manifest with its includes and applies its transforms.
struct ManifestFileReader {
    var arch: PackageArch
    var searchDirs: [String]
    var maxFileSize: Int
    private var diagnostics: [Diagnostic] = []
    static let maxIncludeDepth = 16

    init(arch: PackageArch, searchDirs: [String], maxFileSize: Int) {
        self.arch = arch
        self.searchDirs = searchDirs
        self.maxFileSize = maxFileSize
    }

    mutating func takeDiagnostics() -> [Diagnostic] {
        defer { diagnostics = [] }
        return diagnostics
    }

    struct Package {
        var info: PackageInfo
        var actions: [PackageAction]
    }

    /// The package a file defines, its actions transformed; nil when the file cannot be read.
    mutating func readPackage(_ path: String) -> Package? {
        var actions: [PackageAction] = []
        var transforms: [Transform] = []
        var visiting = [PackageSet.normalize(path)]
        guard read(path, via: [], actions: &actions, transforms: &transforms, visiting: &visiting) else { return nil }
        // As pkgmogrify does: every transform read (the included ones too),
        // in the order read, applied to every action.
        var out: [PackageAction] = []
        for var a in actions {
            var dropped = false
            for t in transforms {
                guard let next = t.apply(a) else { dropped = true; break }
                a = next
            }
            if !dropped { out.append(a) }
        }
        let fmriAction = out.first { $0.type == "set" && $0.first("name") == "pkg.fmri" }
        var name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var fmri = "pkg:/" + name
        if let value = fmriAction?.first("value") {
            fmri = value
            name = PackageSet.packageName(fmri: value)
        } else {
            diagnostics.append(Diagnostic(.warning, .packageWithoutFMRI,
                "no 'set name=pkg.fmri value=...' action: the package is named after the file, \(name)",
                at: SourceLocation(file: path)))
        }
        return Package(info: PackageInfo(name: name, fmri: fmri, file: path), actions: out)
    }

    /// Reads a file's lines into actions and transforms; false when unreadable.
    private mutating func read(_ path: String, via: [SourceLocation], actions: inout [PackageAction],
                               transforms: inout [Transform], visiting: inout [String]) -> Bool {
        let bytes: [UInt8]
        switch FileBytes.read(path, limit: maxFileSize) {
        case .success(let b): bytes = b
        case .failure(let p):
            var d = p.diagnostic(path: path)
            if let inc = via.last {
                d = Diagnostic(.error, .packageIncludeUnresolved, "<include> of \(path): " + d.message, at: inc)
            }
            diagnostics.append(d)
            return false
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let macros = arch.macros
        var unknownNoted = Set<String>()
        for line in joinContinuations(text, file: path, diagnostics: &diagnostics) {
            var t = blankTrimmed(substituteMacros(line.text, macros))
            // Another build macro before the action ($(BUILDPERL32)): the
            // build defines it as empty or '#'; it is read as empty.
            while t.hasPrefix("$("), let close = t.firstIndex(of: ")") {
                let name = String(t[t.index(t.startIndex, offsetBy: 2)..<close])
                if unknownNoted.insert(name).inserted {
                    diagnostics.append(Diagnostic(.note, .packageMacroUnknown,
                        "$(\(name)) before an action is not one of the macros read (i386_ONLY, sparc_ONLY, ARCH); the actions it starts are read as if it were empty (delivered)",
                        at: SourceLocation(file: path, line: line.line)))
                }
                t = blankTrimmed(t[t.index(after: close)...])
            }
            if t.isEmpty || t.hasPrefix("#") { continue }
            let at = SourceLocation(file: path, line: line.line)
            if t.hasPrefix("<") {
                guard t.hasSuffix(">") else {
                    diagnostics.append(Diagnostic(.error, .packageDirectiveMalformed,
                        "a line starting with '<' must end with '>' (<include NAME> or <transform ... -> ...>); ignored", at: at))
                    continue
                }
                let body = t.dropFirst().dropLast()
                if body.hasPrefix("include") && (body.count == 7 || body.dropFirst(7).first == " " || body.dropFirst(7).first == "\t") {
                    let name = body.dropFirst(7).trimmingBlanks()
                    guard !name.isEmpty, !name.contains(" ") else {
                        diagnostics.append(Diagnostic(.error, .packageDirectiveMalformed,
                            "<include> needs exactly one file name", at: at))
                        continue
                    }
                    include(name, from: path, at: at, via: via, actions: &actions, transforms: &transforms, visiting: &visiting)
                } else if body.hasPrefix("transform") && (body.dropFirst(9).first == " " || body.dropFirst(9).first == "\t") {
                    let (tr, problem) = Transform.parse(body.dropFirst(9), origin: TransformOrigin(location: at, includedVia: via))
                    if let tr {
                        if case .unmodelled(let op) = tr.operation {
                            diagnostics.append(Diagnostic(.note, .packageTransformNotModelled,
                                "the transform operation '\(op)' is not applied (only default, set, add, delete, edit and drop are)", at: at))
                        }
                        transforms.append(tr)
                    } else {
                        diagnostics.append(Diagnostic(.error, .packageDirectiveMalformed,
                            "malformed <transform>: \(problem ?? "unreadable"); ignored", at: at))
                    }
                } else {
                    diagnostics.append(Diagnostic(.error, .packageDirectiveMalformed,
                        "unknown directive '<\(body.prefix { $0 != " " })': only <include NAME> and <transform ...> are read; ignored", at: at))
                }
                continue
            }
            let (action, problem) = parseAction(t, at: at)
            if var action {
                action.includedVia = via
                actions.append(action)
            } else {
                diagnostics.append(Diagnostic(.error, .packageLineMalformed,
                    "malformed action: \(problem ?? "unreadable"); ignored", at: at))
            }
        }
        return true
    }

    private mutating func include(_ name: String, from path: String, at: SourceLocation, via: [SourceLocation],
                                  actions: inout [PackageAction], transforms: inout [Transform], visiting: inout [String]) {
        let here = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var target: String?
        if name.hasPrefix("/") {
            target = PathKind.of(name) != nil ? name : nil
        } else {
            for dir in [here] + searchDirs {
                let candidate = PackageSet.normalize(dir + "/" + name)
                if PathKind.of(candidate) == .other {
                    target = candidate
                    break
                }
            }
        }
        guard let target else {
            diagnostics.append(Diagnostic(.error, .packageIncludeUnresolved,
                "<include \(name)>: no such file beside \(PackageSet.cite(SourceLocation(file: path))), in the manifests folder or in transforms/; its actions and transforms are not read",
                at: at))
            return
        }
        guard !visiting.contains(target), via.count < ManifestFileReader.maxIncludeDepth else {
            diagnostics.append(Diagnostic(.error, .packageIncludeUnresolved,
                "<include \(name)> includes a file that is already being read (or nests deeper than \(ManifestFileReader.maxIncludeDepth)); not read again",
                at: at))
            return
        }
        visiting.append(target)
        _ = read(target, via: via + [at], actions: &actions, transforms: &transforms, visiting: &visiting)
        visiting.removeLast()
    }
}

extension PackageSet {
    /// A path with `.` and `x/..` folded and no trailing `/`, relative paths
    /// kept relative (reports show paths as they were given).
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = out.last, last != ".." { out.removeLast(); continue }
            if part == "..", absolute { continue }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// `pkg:/SUNWcsd@0.5.11`, `pkg://openindiana.org/system/zones@...` → the name (`SUNWcsd`, `system/zones`).
    public static func packageName(fmri: String) -> String {
        var s = Substring(fmri)
        if s.hasPrefix("pkg://") {
            s = s.dropFirst(6)
            if let slash = s.firstIndex(of: "/") { s = s[s.index(after: slash)...] }
        } else if s.hasPrefix("pkg:/") {
            s = s.dropFirst(5)
        }
        if let at = s.firstIndex(of: "@") { s = s[s.startIndex..<at] }
        return s.isEmpty ? fmri : String(s)
    }
}
