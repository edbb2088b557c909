#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `--packages` asks: the package manifests, the architecture, and
/// whether only what a non-global zone gets is analysed (`--zone-view`).
public struct PackageOptions: Sendable {
    public var directory: String
    public var arch: PackageArch
    public var zoneView: Bool

    public init(directory: String, arch: PackageArch = .i386, zoneView: Bool = false) {
        self.directory = directory
        self.arch = arch
        self.zoneView = zoneView
    }
}

/// How a manifest file read was matched to a delivered path (docs/INPUTS.md).
public enum DeliveryMatch: String, Sendable, Hashable {
    /// The file sits at the delivered path (a zone root, an installed image,
    /// a copy of a global zone's lib/svc/manifest).
    case path
    /// A service of the file is named like the delivered path
    /// (`lib/svc/manifest/system/sysevent.xml` ↔ `system/sysevent`).
    case service
    /// The file's name is the delivered name and a service of it lives in
    /// the delivered folders (`system/device/devices-fc-fabric.xml` ↔ `system/device/fc-fabric`).
    case folderAndName
    /// The only file of that name, for the only unmatched delivered path of that name.
    case name
}

/// A manifest the zone view leaves out, and why.
public struct ZoneExclusion: Sendable, Hashable {
    public var file: String
    public var services: [String]
    public var delivery: Delivery
    public var match: DeliveryMatch
    /// "global zone only" or "not delivered on sparc".
    public var reason: String
    /// The services its require_all and require_any dependencies name.
    public var references: [String] = []
    /// The targets of its require_all and require_any dependents.
    public var dependentTargets: [String] = []
}

/// The package manifests applied to what was read: each manifest file's
/// delivered path and package, and (with the zone view) what was left out.
public struct PackageView: Sendable {
    public var options: PackageOptions
    public var set: PackageSet
    /// Host path of each matched manifest file → its delivery.
    public var deliveryOfFile: [String: Delivery]
    public var matchOfFile: [String: DeliveryMatch]
    /// The manifests left out by the zone view, by file.
    public var excluded: [ZoneExclusion]
    /// Manifest files no delivered path matched (kept: nothing says a zone lacks them).
    public var unmatchedFiles: [String]
    /// Delivered SMF manifests no file read matched.
    public var unmatchedDeliveries: [Delivery]

    /// The exclusion that removed a service, by service name.
    public func exclusion(ofService name: String) -> ZoneExclusion? {
        excluded.first { $0.services.contains(name) }
    }

    /// The delivery of a method script or other absolute path (`/lib/svc/method/svc-cron`).
    public func delivery(ofPath path: String) -> Delivery? {
        var p = path
        while p.hasPrefix("/") { p.removeFirst() }
        return set.deliveries[p]
    }

    /// "absent (global zone only: package SUNWcsd, file manifests/SUNWcsd.p5m:75 ...)".
    public static func absentNote(_ e: ZoneExclusion) -> String {
        "absent (\(e.reason): package \(e.delivery.package), file \(e.delivery.citation))"
    }
}

/// The zone view's filter: called by `Loader.loadInput` on the files read,
/// before they are merged.
public enum ZoneViewFilter {
    /// Matches the files read to the package set's delivered SMF manifests
    /// and, with the zone view, drops the files a non-global zone does not get.
    public static func apply(_ options: PackageOptions, to sources: [ReadResult],
                             maxFileSize: Int = ReaderOptions.defaultMaxFileSize) -> (kept: [ReadResult], view: PackageView, diagnostics: [Diagnostic]) {
        let set = PackageSet.read(directory: options.directory, arch: options.arch, maxFileSize: maxFileSize)
        let (byFile, how, unmatchedFiles, unmatchedDeliveries) = match(sources, set)
        var kept: [ReadResult] = []
        var excluded: [ZoneExclusion] = []
        for s in sources {
            if options.zoneView, let d = byFile[s.path], !d.inNonGlobalZone(arch: options.arch) {
                let reason = d.globalZoneOnly ? "global zone only" : "not delivered on \(options.arch.rawValue)"
                var refs = Set<String>(), targets = Set<String>()
                for svc in s.bundle?.allServices ?? [] {
                    for entity in [svc.entity] + svc.instances.map(\.entity) {
                        for dep in entity.dependencies where dep.grouping.isHard {
                            for e in dep.entities { refs.insert(PackageView.serviceName(e.value)) }
                        }
                        for dep in entity.dependents where dep.grouping.isHard {
                            if let t = dep.target { targets.insert(PackageView.serviceName(t.value)) }
                        }
                    }
                }
                excluded.append(ZoneExclusion(file: s.path, services: (s.bundle?.allServices.map(\.name) ?? []).sorted(),
                                              delivery: d, match: how[s.path] ?? .path, reason: reason,
                                              references: refs.sorted(), dependentTargets: targets.sorted()))
                continue
            }
            kept.append(s)
        }
        var diags = set.diagnostics
        if !unmatchedDeliveries.isEmpty && !sources.isEmpty {
            let shown = unmatchedDeliveries.prefix(5).map(\.path).joined(separator: ", ")
            diags.append(Diagnostic(.note, .zoneViewUnmatched,
                "\(unmatchedDeliveries.count) delivered SMF manifest\(unmatchedDeliveries.count == 1 ? "" : "s") of the packages match no file read (\(shown)\(unmatchedDeliveries.count > 5 ? ", ..." : "")); see docs/INPUTS.md",
                at: SourceLocation(file: options.directory)))
        }
        let view = PackageView(options: options, set: set, deliveryOfFile: byFile, matchOfFile: how,
                               excluded: excluded, unmatchedFiles: unmatchedFiles, unmatchedDeliveries: unmatchedDeliveries)
        return (kept, view, diags)
    }

    /// The match of files to delivered manifests, rule by rule (docs/INPUTS.md):
    /// the path itself, then the service name, then folders and name, then a
    /// unique name.
    static func match(_ sources: [ReadResult], _ set: PackageSet)
        -> ([String: Delivery], [String: DeliveryMatch], [String], [Delivery]) {
        let manifests = set.smfManifests
        var remaining = Dictionary(manifests.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var byFile: [String: Delivery] = [:]
        var how: [String: DeliveryMatch] = [:]
        let files = sources.filter { $0.bundle?.type == .manifest }
        func take(_ file: String, _ d: Delivery, _ m: DeliveryMatch) {
            byFile[file] = d
            how[file] = m
            remaining[d.path] = nil
        }
        func otherArch(_ p: String, _ arch: PackageArch) -> Bool {
            let others = arch == .i386 ? ["sparc", "sun4u", "sun4v"] : ["i386", "i86pc", "intel", "amd64"]
            return p.split(separator: "/").contains { part in others.contains { part.contains($0) } }
        }
        func basename(_ p: String) -> String { String(p.split(separator: "/").last ?? Substring(p)) }
        // 1. The file is at the delivered path.
        for f in files {
            for prefix in ["lib/svc/manifest/", "var/svc/manifest/"] {
                guard let r = f.path.lastRange(of: prefix) else { continue }
                let p = String(f.path[r.lowerBound...])
                if let d = set.deliveries[p], PackageSet.isManifestPath(p) { take(f.path, d, .path); break }
            }
        }
        // 2. A service named like the delivered path (folders/name).
        var byService: [String: [ReadResult]] = [:]
        for f in files where byFile[f.path] == nil {
            for s in f.bundle?.allServices ?? [] { byService[s.name, default: []].append(f) }
        }
        for d in manifests where remaining[d.path] != nil {
            let stem = String(d.path.split(separator: "/").dropFirst(3).joined(separator: "/").dropLast(4))
            let candidates = (byService[stem] ?? []).filter { byFile[$0.path] == nil }
            var named = candidates.filter { basename($0.path) == basename(d.path) }
            // Per-architecture copies (cmd/halt/smf.i386/, smf.sparc/): the other architecture's goes.
            if named.count > 1 { named = named.filter { !otherArch($0.path, set.arch) } }
            if let f = named.count == 1 ? named.first : (candidates.count == 1 ? candidates.first : nil) {
                take(f.path, d, .service)
            }
        }
        // 3. The delivered name, and a service in the delivered folders.
        let filesNamed = Dictionary(grouping: files) { basename($0.path) }
        for d in manifests where remaining[d.path] != nil {
            let parts = d.path.split(separator: "/").dropFirst(3)
            let folders = parts.dropLast().joined(separator: "/")
            let candidates = (filesNamed[basename(d.path)] ?? []).filter { f in
                byFile[f.path] == nil &&
                    (f.bundle?.allServices ?? []).contains { s in
                        s.name.split(separator: "/").dropLast().joined(separator: "/") == folders
                    }
            }
            if candidates.count == 1, let f = candidates.first { take(f.path, d, .folderAndName) }
        }
        // 4. A name unique on both sides.
        let leftFiles = files.filter { byFile[$0.path] == nil }
        let filesByName = Dictionary(grouping: leftFiles) { basename($0.path) }
        let leftDeliveries = manifests.filter { remaining[$0.path] != nil }
        let deliveriesByName = Dictionary(grouping: leftDeliveries) { basename($0.path) }
        for (name, ds) in deliveriesByName.sorted(by: { $0.key < $1.key }) {
            guard ds.count == 1, let fs = filesByName[name], fs.count == 1, let d = ds.first, let f = fs.first else { continue }
            take(f.path, d, .name)
        }
        let unmatchedFiles = files.filter { byFile[$0.path] == nil }.map(\.path)
        let unmatchedDeliveries = manifests.filter { remaining[$0.path] != nil }
        return (byFile, how, unmatchedFiles, unmatchedDeliveries)
    }
}

/// The packages a set of services and method scripts comes from.
public struct PackageUse: Sendable, Hashable {
    public var package: String
    /// What of the closure it delivers: manifest and method paths, sorted.
    public var paths: [String]
}

extension PackageView {
    /// The packages delivering the manifests of `services` (by their
    /// defining files) and the method scripts they run, by package name.
    public func packages(for services: [String], in repo: Repository) -> [PackageUse] {
        var paths: [String: Set<String>] = [:]
        for name in services {
            guard let s = repo.services[name] else { continue }
            for def in s.definitions {
                if let d = deliveryOfFile[def.file] { paths[d.package, default: []].insert(d.path) }
            }
            var execs: [String] = []
            for m in s.entity.methods { execs.append(m.exec) }
            for inst in s.instances.values { for m in inst.entity.methods { execs.append(m.exec) } }
            for e in execs {
                guard let exe = LoadedInput.executable(of: e), let d = delivery(ofPath: exe) else { continue }
                paths[d.package, default: []].insert(d.path)
            }
        }
        return paths.keys.sorted().map { PackageUse(package: $0, paths: paths[$0, default: []].sorted()) }
    }

    /// The number of manifest files read per package (a file no package
    /// delivers counts under "").
    public func manifestsPerPackage(_ repo: Repository) -> [(package: String, manifests: Int)] {
        var counts: [String: Int] = [:]
        for f in repo.files where f.bundleType == .manifest {
            counts[deliveryOfFile[f.path]?.package ?? "", default: 0] += 1
        }
        return counts.keys.sorted().map { ($0, counts[$0, default: 0]) }
    }
}
