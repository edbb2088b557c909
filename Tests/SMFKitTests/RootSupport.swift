import Foundation
@testable import SMFKit

/// A zone root built in a temporary folder, laid out as an installed
/// illumos system, plus an `outside` folder beside it that tests use to
/// check that nothing outside the root is ever read.
final class ZoneRoot {
    let scratch = TempDir()
    var path: String { scratch.path + "/root" }
    var outside: String { scratch.path + "/outside" }
    /// Manifests copied from the corpora, as paths inside the root.
    private(set) var copiedManifests: [String] = []

    init() {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    }

    /// Writes a file inside the root (`rel` like `etc/svc/profile/site/x.xml`).
    @discardableResult
    func write(_ rel: String, _ text: String) -> String {
        scratch.write("root/" + rel, text)
    }

    /// Writes a file outside the root.
    @discardableResult
    func writeOutside(_ name: String, _ text: String) -> String {
        scratch.write("outside/" + name, text)
    }

    /// A symbolic link inside the root: `rel` → `target`, written as given.
    func link(_ rel: String, to target: String) {
        let p = path + "/" + rel
        try? FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: p)
        try? FileManager.default.createSymbolicLink(atPath: p, withDestinationPath: target)
    }

    /// An installed system from the shared corpora: every illumos manifest
    /// under `lib/svc/manifest/<category>/`, the generated console-login,
    /// the profiles under `etc/svc/profile` with `generic.xml` an ABSOLUTE
    /// link to `/etc/svc/profile/generic_limited_net.xml` and
    /// `name_service.xml` → `ns_files.xml`, an empty `site/`, the stock
    /// inittab, the DTD, and a method script.
    static func fromCorpora(nameService: String = "ns_files.xml") -> ZoneRoot {
        let z = ZoneRoot()
        let fm = FileManager.default
        var sources: [String] = []
        for base in [TestPaths.illumosUsr, TestPaths.illumos + "/generated"] {
            guard let e = fm.enumerator(atPath: base) else { continue }
            for case let rel as String in e where rel.hasSuffix(".xml") { sources.append(base + "/" + rel) }
        }
        var used = Set<String>()
        try? fm.createDirectory(atPath: z.path + "/etc/svc/profile/site", withIntermediateDirectories: true)
        for src in sources.sorted() {
            guard let text = try? String(contentsOfFile: src, encoding: .utf8) else { continue }
            let isManifest = text.contains("type='manifest'") || text.contains("type=\"manifest\"")
            let isProfile = src.contains("/cmd/svc/profile/")
            if isProfile {
                try? fm.copyItem(atPath: src, toPath: z.path + "/etc/svc/profile/" + (src as NSString).lastPathComponent)
                continue
            }
            guard isManifest else { continue }
            let category = firstServiceCategory(text) ?? "site"
            var name = (src as NSString).lastPathComponent
            var rel = "lib/svc/manifest/\(category)/\(name)"
            var n = 2
            while used.contains(rel) {
                name = ((src as NSString).lastPathComponent as NSString).deletingPathExtension + "-\(n).xml"
                rel = "lib/svc/manifest/\(category)/\(name)"
                n += 1
            }
            used.insert(rel)
            try? fm.createDirectory(atPath: z.path + "/lib/svc/manifest/" + category, withIntermediateDirectories: true)
            try? fm.copyItem(atPath: src, toPath: z.path + "/" + rel)
            z.copiedManifests.append("/" + rel)
        }
        try? fm.createDirectory(atPath: z.path + "/etc/svc/profile/site", withIntermediateDirectories: true)
        z.link("etc/svc/profile/generic.xml", to: "/etc/svc/profile/generic_limited_net.xml")
        z.link("etc/svc/profile/name_service.xml", to: nameService)
        if let inittab = try? String(contentsOfFile: TestPaths.illumosUsr + "/src/cmd/initpkg/inittab", encoding: .utf8) {
            z.write("etc/inittab", inittab)
        }
        try? fm.createDirectory(atPath: z.path + "/usr/share/lib/xml/dtd", withIntermediateDirectories: true)
        try? fm.copyItem(atPath: TestPaths.dtd, toPath: z.path + "/usr/share/lib/xml/dtd/service_bundle.dtd.1")
        z.write("lib/svc/method/svc-cron", "#!/sbin/sh\n. /lib/svc/share/smf_include.sh\nexec /usr/sbin/cron &\n")
        return z
    }

    /// The category (`system`, `network`, …) of the first service in a manifest.
    static func firstServiceCategory(_ text: String) -> String? {
        var rest = Substring(text)
        while let r = rest.range(of: "<service") {
            rest = rest[r.upperBound...]
            guard let next = rest.first, next == " " || next == "\t" || next == "\n" else { continue }
            guard let n = rest.range(of: "name=") else { return nil }
            let value = rest[n.upperBound...].dropFirst().prefix { $0 != "'" && $0 != "\"" }
            guard let slash = value.firstIndex(of: "/") else { return nil }
            return String(value[value.startIndex..<slash])
        }
        return nil
    }

    func load(paths: [String] = [], profiles: [String] = [], dtd: String? = nil, zonecfg: String? = nil,
              defines: [String: String] = [:]) -> LoadedInput {
        Loader.loadInput(InputSpec(paths: paths, profiles: profiles, dtdPath: dtd, root: path,
                                   zonecfgPath: zonecfg, defines: defines))
    }
}

/// A profile document enabling or disabling instances (`("system/cron", "default", false)`).
func profile(_ entries: [(String, String, Bool)], name: String = "site", extra: String = "") -> String {
    let body = entries.map { s, i, e in
        "  <service name='\(s)' version='1' type='service'>\n    <instance name='\(i)' enabled='\(e)'/>\n  </service>"
    }.joined(separator: "\n")
    return """
    <?xml version='1.0'?>
    <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
    <service_bundle type='profile' name='\(name)' xmlns:xi='http://www.w3.org/2003/XInclude'>
    \(extra)
    \(body)
    </service_bundle>

    """
}

/// Every piece of text a load gives: diagnostics, layers, file paths,
/// services, instances, and the inventory report (text and JSON).
func everythingSaid(_ input: LoadedInput) -> String {
    let repo = input.repository
    var parts: [String] = repo.diagnostics.map(\.description)
    parts += repo.layers
    parts += repo.files.map(\.path)
    parts += repo.serviceNames
    parts += repo.instances.map { "\($0.fmri) \($0.enabled) \($0.enabledBy?.description ?? "")" }
    let report = InventoryReport(repo)
    parts.append(report.text)
    parts.append(report.json.render())
    parts.append(ArchiveWriter.render(repo))
    return parts.joined(separator: "\n")
}
