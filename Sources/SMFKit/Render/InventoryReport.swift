/// What `inventory` prints, in text and JSON, from one repository.
public struct InventoryReport: Sendable {
    public let repo: Repository
    /// With `--packages`: manifests per package.
    public var packages: PackageView?

    public init(_ repo: Repository, packages: PackageView? = nil) {
        self.repo = repo
        self.packages = packages
    }

    private var severityCounts: (Int, Int, Int) {
        repo.diagnostics.reduce((0, 0, 0)) { acc, d in
            switch d.severity {
            case .error: (acc.0 + 1, acc.1, acc.2)
            case .warning: (acc.0, acc.1 + 1, acc.2)
            case .note: (acc.0, acc.1, acc.2 + 1)
            }
        }
    }

    public var json: JSON {
        let c = repo.counts
        let delegated = repo.instances.filter { $0.restarter != nil }.count
        let (e, w, n) = severityCounts
        return .object([
            ("counts", .object([
                ("files", .int(c.files)),
                ("manifests", .int(c.manifests)),
                ("profiles", .int(c.profiles)),
                ("archives", .int(c.archives)),
                ("otherBundles", .int(c.otherBundles)),
                ("unreadable", .int(c.unreadable)),
                ("services", .int(c.services)),
                ("instances", .int(c.instances)),
                ("dependencies", .int(c.dependencies)),
                ("dependents", .int(c.dependents)),
                ("restarters", .int(c.restarters)),
                ("delegatedInstances", .int(delegated)),
                ("methods", .int(c.methods)),
                ("propertyGroups", .int(c.propertyGroups)),
                ("servicesWithoutInstances", .int(c.servicesWithoutInstances)),
                ("baselineEnabled", .int(c.baselineEnabled)),
            ])),
            ("layers", .strings(repo.layers)),
            ("baseline", .strings(repo.baseline.map(\.fmri))),
            ("services", .array(repo.serviceNames.compactMap { repo.services[$0] }.map { s in
                .object([
                    ("fmri", .string(s.fmri)),
                    ("type", .string(s.type)),
                    ("file", .string(s.location.file)),
                    ("line", .int(s.location.line)),
                    ("instances", .array(s.instanceOrder.compactMap { s.instances[$0] }.map { i in
                        .object([
                            ("fmri", .string(i.fmri)),
                            ("enabled", .bool(i.enabled)),
                            ("manifestEnabled", i.manifestEnabled.map { .bool($0) } ?? .null),
                        ])
                    })),
                ])
            })),
            ("files", .array(repo.files.map { f in
                .object([
                    ("path", .string(f.path)),
                    ("type", .opt(f.bundleType?.description)),
                    ("errors", .int(f.errors)),
                ])
            })),
            ("diagnostics", .object([("errors", .int(e)), ("warnings", .int(w)), ("notes", .int(n))])),
        ] + (packages.map { [("packages", $0.inventoryJSON(repo))] } ?? []))
    }

    public var text: String {
        let c = repo.counts
        let (e, w, n) = severityCounts
        let delegated = repo.instances.filter { $0.restarter != nil }.count
        var lines: [String] = []
        lines.append("Read \(c.files) file\(c.files == 1 ? "" : "s"): \(c.manifests) manifest\(c.manifests == 1 ? "" : "s"), \(c.profiles) profile\(c.profiles == 1 ? "" : "s"), \(c.archives) archive\(c.archives == 1 ? "" : "s")\(c.unreadable > 0 ? ", \(c.unreadable) unreadable" : "")")
        lines.append("")
        let rows: [(String, Int)] = [
            ("services", c.services),
            ("  without any instance", c.servicesWithoutInstances),
            ("  of type restarter", c.restarters),
            ("instances", c.instances),
            ("  delegated to another restarter", delegated),
            ("  enabled in the baseline", c.baselineEnabled),
            ("dependency elements", c.dependencies),
            ("dependent elements", c.dependents),
            ("exec methods", c.methods),
            ("property groups", c.propertyGroups),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows {
            lines.append(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(value))
        }
        if !repo.layers.isEmpty {
            lines.append("")
            lines.append("Profile layers applied to the baseline, in order:")
            for l in repo.layers { lines.append("  " + tty(l)) }
        }
        if let packages {
            lines.append("")
            lines += packages.inventoryLines(repo)
        }
        lines.append("")
        lines.append("Diagnostics: \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s"), \(n) note\(n == 1 ? "" : "s")\(e + w > 0 ? " (run 'smf-minimize lint' to list them)" : "")")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func padding(toLength n: Int, withPad pad: String, startingAt _: Int) -> String {
        count >= n ? self : self + String(repeating: pad, count: n - count)
    }
}
