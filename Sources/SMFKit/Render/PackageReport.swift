/// The package lists the reports print (text and JSON), shared by
/// inventory, closure, plan and report.
extension PackageView {
    /// The manifests the zone view left out.
    public var excludedJSON: JSON {
        .array(excluded.sorted { $0.file < $1.file }.map { e in
            .object([
                ("file", .string(e.file)),
                ("services", .strings(e.services)),
                ("reason", .string(e.reason)),
                ("package", .string(e.delivery.package)),
                ("deliveredPath", .string(e.delivery.path)),
                ("action", .string(PackageView.at(e.delivery.action.location))),
                ("includedVia", .strings(e.delivery.action.zoneSetBy?.includedVia.map(PackageView.at) ?? [])),
                ("rule", .opt(e.delivery.action.zoneSetBy.map { PackageView.at($0.location) })),
                ("match", .string(e.match.rawValue)),
            ])
        })
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
                .object([("path", .string($0.path)), ("package", .string($0.package)), ("action", .string(PackageView.at($0.action.location)))])
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

/// The report's package section: the packages delivering the closure and,
/// with the zone view, the manifests left out that the closure would touch.
public struct PackageSection: Sendable, Hashable {
    public var directory: String
    public var arch: String
    public var zoneView: Bool
    public var packages: [PackageUse]
    /// Each left-out manifest that would join the closure (through a
    /// dependent on a member, or a member's dependency, directly or through
    /// another left-out one): its services and why it is absent.
    public var relevantExclusions: [(services: [String], note: String)]
    /// How many manifests the zone view left out in all.
    public var excludedCount: Int

    public static func == (a: PackageSection, b: PackageSection) -> Bool { a.json == b.json }
    public func hash(into h: inout Hasher) { h.combine(json.render()) }

    /// Text lines for `closure` and `plan`.
    public var textLines: [String] {
        var lines = ["packages delivering the closure's manifests and method scripts (\(packages.count), from \(directory), \(arch)):"]
        for u in packages { lines.append("  \(u.package): \(u.paths.joined(separator: ", "))") }
        if zoneView {
            lines.append("left out by the zone view: \(excludedCount) manifest\(excludedCount == 1 ? "" : "s"); of those, these would join the closure:")
            if relevantExclusions.isEmpty { lines.append("  none") }
            for e in relevantExclusions { lines.append("  \(e.services.joined(separator: ", ")): \(e.note)") }
        }
        return lines
    }

    public var json: JSON {
        .object([
            ("directory", .string(directory)),
            ("arch", .string(arch)),
            ("zoneView", .bool(zoneView)),
            ("packages", .array(packages.map { .object([("name", .string($0.package)), ("paths", .strings($0.paths))]) })),
            ("excludedCount", .int(excludedCount)),
            ("excludedNearClosure", .array(relevantExclusions.map {
                .object([("services", .strings($0.services)), ("note", .string($0.note))])
            })),
        ])
    }
}

extension PackageView {
    /// `file:line`, as JSON carries a package manifest location.
    public static func at(_ l: SourceLocation) -> String { "\(l.file):\(l.line)" }

    /// The service name of an instance or service FMRI (`svc:/network/ssh:default` → `network/ssh`).
    public static func serviceName(_ fmri: String) -> String {
        var s = Substring(fmri)
        if s.hasPrefix("svc:") { s = s.dropFirst(4) }
        while s.hasPrefix("/") { s = s.dropFirst() }
        if let colon = s.firstIndex(of: ":") { s = s[s.startIndex..<colon] }
        return String(s)
    }

    /// The package section for a closure (instance FMRIs) in `repo`.
    public func section(closure members: [String], in repo: Repository) -> PackageSection {
        let services = Array(Set(members.map(PackageView.serviceName))).sorted()
        let set = Set(services)
        // A closure member's dependency entity naming a left-out service.
        var named = Set<String>()
        for name in services {
            guard let s = repo.services[name] else { continue }
            var entities = s.entity.dependencies.flatMap(\.entities)
            for i in s.instances.values { entities += i.entity.dependencies.flatMap(\.entities) }
            for e in entities { named.insert(PackageView.serviceName(e.value)) }
        }
        // Those that would join: a dependent on a closure member, or named by
        // a member's dependency; then what those depend on, until nothing is added.
        var joined = Set<String>()
        var changed = true
        while changed {
            changed = false
            for e in excluded where !e.services.contains(where: joined.contains) {
                let joins = !set.isDisjoint(with: e.dependentTargets) || e.services.contains { named.contains($0) }
                if joins {
                    joined.formUnion(e.services)
                    for r in e.references { named.insert(r) }
                    changed = true
                }
            }
        }
        let relevant = excluded.sorted { $0.file < $1.file }.filter { e in e.services.contains(where: joined.contains) }
        return PackageSection(directory: options.directory, arch: options.arch.rawValue, zoneView: options.zoneView,
                              packages: packages(for: services, in: repo),
                              relevantExclusions: relevant.map { ($0.services, PackageView.absentNote($0)) },
                              excludedCount: excluded.count)
    }
}
