/// The package lists the reports print (text and JSON), shared by
/// inventory, closure, plan and report.
extension PackageView {
    /// `{"directory", "arch", "zoneView", "packages": [{"name", "paths"}], "excluded": [...]}`
    /// for the packages delivering `services`.
    public func json(for services: [String], in repo: Repository) -> JSON {
        .object([
            ("directory", .string(options.directory)),
            ("arch", .string(options.arch.rawValue)),
            ("zoneView", .bool(options.zoneView)),
            ("packages", .array(packages(for: services, in: repo).map { u in
                .object([("name", .string(u.package)), ("paths", .strings(u.paths))])
            })),
            ("excluded", excludedJSON),
        ])
    }

    /// The manifests the zone view left out.
    public var excludedJSON: JSON {
        .array(excluded.sorted { $0.file < $1.file }.map { e in
            .object([
                ("file", .string(e.file)),
                ("services", .strings(e.services)),
                ("reason", .string(e.reason)),
                ("package", .string(e.delivery.package)),
                ("deliveredPath", .string(e.delivery.path)),
                ("action", .string(e.delivery.action.location.description)),
                ("includedVia", .strings(e.delivery.action.zoneSetBy?.includedVia.map(\.description) ?? [])),
                ("rule", .opt(e.delivery.action.zoneSetBy?.location.description)),
                ("match", .string(e.match.rawValue)),
            ])
        })
    }

    /// Text lines: the packages delivering `services`, then what the zone view left out.
    public func textLines(for services: [String], in repo: Repository) -> [String] {
        let uses = packages(for: services, in: repo)
        var lines = ["Packages delivering these services' manifests and method scripts (\(uses.count), read from \(options.directory) for \(options.arch.rawValue)):"]
        for u in uses { lines.append("  \(u.package): \(u.paths.joined(separator: ", "))") }
        if uses.isEmpty { lines.append("  (none: no manifest read matches a delivered path)") }
        if options.zoneView {
            lines.append("Left out by the zone view (\(excluded.count) manifest\(excluded.count == 1 ? "" : "s") a non-global zone does not get):")
            for e in excluded.sorted(by: { $0.file < $1.file }) {
                lines.append("  \(e.services.joined(separator: ", ")): \(PackageView.absentNote(e))")
            }
        }
        return lines
    }

    /// Text lines for `inventory`: manifests per package.
    public func inventoryLines(_ repo: Repository) -> [String] {
        let counts = manifestsPerPackage(repo)
        var lines = ["Manifests per package (\(options.directory), \(options.arch.rawValue)):"]
        let width = counts.map { ($0.package.isEmpty ? "(no package)" : $0.package).count }.max() ?? 0
        for (p, n) in counts {
            lines.append("  " + (p.isEmpty ? "(no package)" : p).padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(n))
        }
        if options.zoneView { lines.append("Left out by the zone view: \(excluded.count) manifest\(excluded.count == 1 ? "" : "s")") }
        return lines
    }

    public func inventoryJSON(_ repo: Repository) -> JSON {
        .object([
            ("directory", .string(options.directory)),
            ("arch", .string(options.arch.rawValue)),
            ("zoneView", .bool(options.zoneView)),
            ("manifestsPerPackage", .array(manifestsPerPackage(repo).map {
                .object([("package", $0.package.isEmpty ? .null : .string($0.package)), ("manifests", .int($0.manifests))])
            })),
            ("excluded", excludedJSON),
            ("unmatchedFiles", .strings(unmatchedFiles.sorted())),
            ("unmatchedDeliveries", .array(unmatchedDeliveries.map {
                .object([("path", .string($0.path)), ("package", .string($0.package)), ("action", .string($0.action.location.description))])
            })),
            ("matchedBy", .object([DeliveryMatch.path, .service, .folderAndName, .name].map { m in
                (m.rawValue, .int(matchOfFile.values.filter { $0 == m }.count))
            })),
            ("matchedOtherwise", .array(matchOfFile.filter { $0.value != .path && $0.value != .service }.sorted { $0.key < $1.key }.map { f, m in
                .object([("file", .string(f)), ("deliveredPath", .opt(deliveryOfFile[f]?.path)), ("match", .string(m.rawValue))])
            })),
        ])
    }
}
