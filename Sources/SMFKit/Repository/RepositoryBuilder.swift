/// Merges bundles into a `Repository` the way svccfg import and apply would
/// (docs/SEMANTICS.md, "Merging"; docs/SEMANTICS.md, "Composition"; docs/SEMANTICS.md, "The baseline").
public struct RepositoryBuilder {
    /// The services in the order first defined (the reading order), and
    /// each one's position by name: merging mutates a service in place in
    /// the array (no copy of a service, no copy-on-write of its instances).
    private var list: [Service] = []
    private var index: [String: Int] = [:]
    private var diagnostics: [Diagnostic] = []
    private var files: [FileSummary] = []
    private var counts = InventoryCounts()
    /// Every `<dependent>` in reading order, with its declarer (service key
    /// and instance name: a templated key is not a parseable FMRI).
    private var dependents: [Dependent] = []
    /// Each unexpanded template name, with the files that define it in reading order.
    private var templateFiles: [String: [String]] = [:]
    private var templateOrder: [String] = []
    private var layerBundles: [(name: String, bundles: [ServiceBundle])] = []

    typealias Dependent = (service: String, instance: String?, decl: DependentDecl)

    public init() {}

    /// Makes room for the summaries of this many files (those about to be
    /// added), so that the list is not left with up to twice their room.
    public mutating func reserveCapacity(files n: Int) {
        files.reserveCapacity(files.count + n)
    }

    /// Adds one file read from the PATHs (manifests, archives; profiles are
    /// linted but are not layers).
    public mutating func addSource(_ result: ReadResult) {
        diagnostics += result.diagnostics
        counts.files += 1
        let errors = result.diagnostics.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) }
        files.append(FileSummary(path: result.path, bundleType: result.bundle?.type,
                                 bundleName: result.bundle?.name, errors: errors))
        guard let bundle = result.bundle else {
            counts.unreadable += 1
            return
        }
        var checks = (result.importChecks ?? bundle.importChecks()).makeIterator()
        addBundle(bundle, checks: &checks)
    }

    private mutating func addBundle(_ bundle: ServiceBundle, checks: inout IndexingIterator<[Diagnostic?]>) {
        switch bundle.type {
        case .manifest: counts.manifests += 1
        case .profile: counts.profiles += 1
        case .archive: counts.archives += 1
        case .other: counts.otherBundles += 1
        }
        for s in bundle.services {
            counts.dependencies += s.entity.dependencies.count + s.instances.reduce(0) { $0 + $1.entity.dependencies.count }
            counts.dependents += s.entity.dependents.count + s.instances.reduce(0) { $0 + $1.entity.dependents.count }
        }
        if bundle.type.definesServices {
            if case let problem?? = checks.next() { diagnostics.append(problem) }
            for s in bundle.services { merge(s) }
        } else if bundle.type == .profile {
            noteUnmodelled(bundle)
        }
        for n in bundle.nested { addBundle(n, checks: &checks) }
    }

    /// Adds a profile layer for the baseline (a `--profile` or a zone root's
    /// generic/platform/site profile), with the bundles of its includes.
    public mutating func addLayer(name: String, bundles: [ServiceBundle], diagnostics extra: [Diagnostic] = []) {
        diagnostics += extra
        for b in bundles { noteUnmodelled(b) }
        layerBundles.append((name, bundles))
    }

    private mutating func noteUnmodelled(_ bundle: ServiceBundle) {
        for s in bundle.allServices {
            let entities = [s.entity] + s.instances.map(\.entity)
            for e in entities {
                if let first = e.propertyGroups.first {
                    diagnostics.append(Diagnostic(.note, .profileNotModelled,
                        "profile sets property group '\(first.name)' of svc:/\(s.name); svccfg apply would write it, the analysis only models 'enabled'",
                        at: first.location))
                }
                if let d = e.dependents.first {
                    diagnostics.append(Diagnostic(.note, .profileNotModelled,
                        "profile declares dependent '\(d.name)' of svc:/\(s.name); svccfg apply would add it, the analysis only models 'enabled'",
                        at: d.location))
                }
            }
        }
    }

    // MARK: - Merging services

    /// The key of a templated service defined in `file`: the name followed
    /// by its file in braces, so that each file's template stays its own
    /// service until `--define` expands it (a name defined in one file only
    /// gets its bare name back in `build()`).
    static func templateKey(_ name: String, file: String) -> String {
        name + "{" + file.replacingAll(":", with: "%3A") + "}"
    }

    private mutating func merge(_ decl: ServiceDecl) {
        var name = decl.name
        if containsPlaceholder(name) {
            // An unexpanded template: files that share a placeholder name are
            // almost surely different services (each pkgsrc package declares
            // `@SMF_PREFIX@/@SMF_NAME@`), so each file's is kept apart.
            let file = decl.location.file
            if templateFiles[name] == nil { templateOrder.append(name) }
            if !(templateFiles[name] ?? []).contains(file) { templateFiles[name, default: []].append(file) }
            name = Self.templateKey(name, file: file)
        }
        if let k = index[name] {
            // In place: `list[k]` and `diagnostics` are distinct stored properties.
            list[k].addDefinition(decl.location)
            if list[k].type != decl.type {
                diagnostics.append(Diagnostic(.warning, .duplicateService,
                    "svc:/\(name) is defined again with type '\(decl.type)'; the first definition, type '\(list[k].type)' at \(list[k].location.short), is kept",
                    at: decl.location))
            }
            Self.mergeEntity(into: &list[k].entity, decl.entity, owner: "svc:/\(name)", diagnostics: &diagnostics)
            if let cdi = decl.createDefaultInstance {
                Self.addInstance(InstanceDecl(name: "default", enabled: cdi.enabled, location: cdi.location),
                                 to: &list[k], diagnostics: &diagnostics)
            }
            for inst in decl.instances { Self.addInstance(inst, to: &list[k], diagnostics: &diagnostics) }
        } else {
            var svc = Service(name: name, type: decl.type, version: decl.version, location: decl.location,
                              definitions: [decl.location], entity: EntityDecl(),
                              instances: [:], instanceOrder: [])
            Self.mergeEntity(into: &svc.entity, decl.entity, owner: "svc:/\(name)", diagnostics: &diagnostics)
            if let cdi = decl.createDefaultInstance {
                Self.addInstance(InstanceDecl(name: "default", enabled: cdi.enabled, location: cdi.location),
                                 to: &svc, diagnostics: &diagnostics)
            }
            for inst in decl.instances { Self.addInstance(inst, to: &svc, diagnostics: &diagnostics) }
            index[name] = list.count
            list.append(svc)
        }
        for d in decl.entity.dependents where !d.delete { dependents.append((name, nil, d)) }
        for i in decl.instances {
            for d in i.entity.dependents where !d.delete { dependents.append((name, i.name, d)) }
        }
    }

    /// An instance defined again (two packages delivering the same
    /// service) follows the rule of the service level: its groups, methods
    /// and property groups are united by name, the first read of each name
    /// wins (each clash is SMF042, naming both places); `enabled` and the
    /// restarter are the first definition's, unless it left them out.
    private static func addInstance(_ decl: InstanceDecl, to svc: inout Service, diagnostics: inout [Diagnostic]) {
        if var existing = svc.instances[decl.name] {
            var kept: [String] = []
            if existing.manifestEnabled == nil, let e = decl.enabled {
                existing.manifestEnabled = e
                existing.enabled = e
                existing.enabledBy = decl.location
            } else if existing.manifestEnabled != nil {
                kept.append("enabled")
            }
            if existing.entity.restarter != nil { kept.append("restarter") }
            let owner = "svc:/\(svc.name):\(decl.name)"
            mergeEntity(into: &existing.entity, decl.entity, owner: owner, diagnostics: &diagnostics)
            let first = kept.isEmpty ? "" : "; the first definition's \(kept.joined(separator: " and ")) \(kept.count == 1 ? "is" : "are") kept"
            diagnostics.append(Diagnostic(.warning, .duplicateInstance,
                "instance \(owner) is defined again; first at \(existing.location.short). Its dependencies, methods and property groups are united with the first definition's by name (the first of each name wins)\(first)",
                at: decl.location))
            svc.instances[decl.name] = existing
            return
        }
        var entity = EntityDecl()
        mergeEntity(into: &entity, decl.entity, owner: "svc:/\(svc.name):\(decl.name)", diagnostics: &diagnostics)
        svc.instances[decl.name] = Instance(service: svc.name, name: decl.name, manifestEnabled: decl.enabled,
                                            enabled: decl.enabled ?? false,
                                            enabledBy: decl.enabled == nil ? nil : decl.location,
                                            location: decl.location, entity: entity, groups: [], restarter: nil)
        svc.instanceOrder.append(decl.name)
    }

    /// Adds `new`'s declarations to `out`: a name already present keeps the
    /// first one, and the second is a warning naming both places.
    private static func mergeEntity(into out: inout EntityDecl, _ new: EntityDecl, owner: @autoclosure () -> String,
                                    diagnostics: inout [Diagnostic]) {
        // The common case, a first definition without a deleted element or a
        // name given twice: the merge is `new` itself (no copy, no index).
        if out.isBlank && new.isMergedAsIs {
            out = new
            return
        }
        let owner = owner()
        func dup(_ what: String, _ name: String, first: SourceLocation, again: SourceLocation) -> Diagnostic {
            Diagnostic(.warning, .duplicateGroup,
                       "\(what) '\(name)' of \(owner) is defined again; the first, at \(first.short), is kept",
                       at: again)
        }
        // First location of each name, so that a service with a million groups
        // merges in linear time (a linear search per group was quadratic).
        func firstLocations<T>(_ items: [T], _ name: (T) -> String, _ location: (T) -> SourceLocation) -> [String: SourceLocation] {
            var index: [String: SourceLocation] = [:]
            for item in items where index[name(item)] == nil { index[name(item)] = location(item) }
            return index
        }
        var dependencyAt = firstLocations(out.dependencies, \.name, \.location)
        var dependentAt = firstLocations(out.dependents, \.name, \.location)
        var methodAt = firstLocations(out.methods, \.name, \.location)
        var groupAt = firstLocations(out.propertyGroups, \.name, \.location)
        for d in new.dependencies where !d.delete {
            if let first = dependencyAt[d.name] {
                diagnostics.append(dup("dependency", d.name, first: first, again: d.location))
            } else if let clash = dependentAt[d.name] {
                diagnostics.append(Diagnostic(.warning, .duplicateGroup,
                    "dependency '\(d.name)' of \(owner) has the name of its dependent at \(clash.short) (svccfg: \"Property group and dependent of entity have same name\")",
                    at: d.location))
                out.dependencies.append(d)
                dependencyAt[d.name] = d.location
            } else {
                out.dependencies.append(d)
                dependencyAt[d.name] = d.location
            }
        }
        for d in new.dependents where !d.delete {
            if let first = dependentAt[d.name] {
                diagnostics.append(dup("dependent", d.name, first: first, again: d.location))
            } else {
                out.dependents.append(d)
                dependentAt[d.name] = d.location
            }
        }
        for m in new.methods where !m.delete {
            if let first = methodAt[m.name] {
                diagnostics.append(dup("exec_method", m.name, first: first, again: m.location))
            } else {
                out.methods.append(m)
                methodAt[m.name] = m.location
            }
        }
        for pg in new.propertyGroups where !pg.delete {
            if let first = groupAt[pg.name] {
                diagnostics.append(dup("property_group", pg.name, first: first, again: pg.location))
            } else {
                out.propertyGroups.append(pg)
                groupAt[pg.name] = pg.location
            }
        }
        if out.restarter == nil { out.restarter = new.restarter }
        if out.methodContext == nil { out.methodContext = new.methodContext }
        if out.commonName == nil { out.commonName = new.commonName }
    }

    // MARK: - Composition and baseline

    /// Composes every instance's groups, applies the profile layers, and
    /// returns the repository.
    public consuming func build() -> Repository {
        settleTemplates()
        compose()
        applyLayers()
        let instanceCounts = reportUnresolved()
        var counted = counts
        counted.services = list.count
        var byName = NamedTable<Service>()
        byName.reserveCapacity(list.count)
        // Moved out of the list, last first (no copy of a service, and the
        // list's storage is freed empty).
        counted.instances = instanceCounts.instances
        counted.baselineEnabled = instanceCounts.enabled
        counted.methods = instanceCounts.methods
        counted.propertyGroups = instanceCounts.propertyGroups
        while let s = list.popLast() {
            if s.type == "restarter" { counted.restarters += 1 }
            counted.methods += s.entity.methods.count
            counted.propertyGroups += s.entity.propertyGroups.count
            if s.instances.isEmpty {
                counted.servicesWithoutInstances += 1
                diagnostics.append(Diagnostic(.note, .serviceWithoutInstance,
                    "svc:/\(s.name) has no instance: nothing can depend on it successfully until one is created (libdladm creates some at run time)",
                    at: s.location))
            }
            byName[s.name] = s
        }
        var seen = Set<Diagnostic>()
        seen.reserveCapacity(diagnostics.count)
        let kept = diagnostics.filter { seen.insert($0).inserted }.sortedForOutput()
        return Repository(services: byName, diagnostics: kept, files: files,
                          layers: layerBundles.map(\.name), counts: counted)
    }

    /// The entities of a dependency: those that parse, and those that do
    /// not (kept, so that a closure reaching them can say so).
    private static func entities(of d: DependencyDecl, memo: inout FMRIMemo) -> (valid: [GroupEntity], invalid: [InvalidEntity]) {
        var valid: [GroupEntity] = [], invalid: [InvalidEntity] = []
        valid.reserveCapacity(d.entityCount)
        d.forEachEntity { e in
            if let f = memo.parse(e.value) {
                valid.append(GroupEntity(fmri: f, location: e.location))
            } else {
                invalid.append(InvalidEntity(value: e.value, location: e.location))
            }
        }
        return (valid, invalid)
    }

    private static func group(_ d: DependencyDecl, origin: GroupOrigin, memo: inout FMRIMemo) -> DependencyGroup {
        if let only = d.onlyEntity, let f = memo.parse(only.value) {
            return DependencyGroup(name: d.name, grouping: d.grouping, restartOn: d.restartOn, type: d.type,
                                   entity: GroupEntity(fmri: f, location: only.location),
                                   origin: origin, location: d.location)
        }
        let (valid, invalid) = entities(of: d, memo: &memo)
        var g = DependencyGroup(name: d.name, grouping: d.grouping, restartOn: d.restartOn, type: d.type,
                                entities: valid, origin: origin, location: d.location)
        g.invalidEntities = invalid
        return g
    }

    /// The dependents that target each service (by position in `list`),
    /// as (index in `dependents`, instance or nil), in reading order; a
    /// dependent whose target no manifest defines is reported here.
    private mutating func dependentsByTarget() -> [[(index: Int, instance: String?)]] {
        var targeted = [[(index: Int, instance: String?)]](repeating: [], count: list.count)
        for (i, (service, instance, d)) in dependents.enumerated() {
            guard let target = d.target, let fmri = FMRI(parsing: target.value) else { continue }
            let declarer = { instance.map { instanceFMRI(service, $0) } ?? "svc:/\(service)" }
            switch fmri {
            case .service(let s):
                if let k = index[s] {
                    targeted[k].append((i, nil))
                } else {
                    diagnostics.append(Diagnostic(.warning, .dependentTargetAbsent,
                        "dependent '\(d.name)' of \(declarer()) targets svc:/\(s), which no manifest defines; svccfg would create an empty service for it",
                        at: target.location))
                }
            case .instance(let s, let inst):
                let k = index[s]
                if k.map({ list[$0].instances.position(of: inst) == nil }) ?? true {
                    diagnostics.append(Diagnostic(.warning, .dependentTargetAbsent,
                        "dependent '\(d.name)' of \(declarer()) targets svc:/\(s):\(inst), which no manifest defines; svccfg would create it, but it has no 'enabled' and is never started",
                        at: target.location))
                }
                if let k { targeted[k].append((i, inst)) }
            case .path:
                continue
            }
        }
        return targeted
    }

    /// Composes the groups of every instance (docs/SEMANTICS.md,
    /// "Composition"). Each service's composition reads only the service
    /// and the dependents that target it, so services are composed in
    /// chunks on every core; the diagnostics are joined in service order.
    private mutating func compose() {
        let targeted = dependentsByTarget()
        let dependents = self.dependents
        let names = NameTexts(names: list.map(\.name), index: index)
        let chunks = list.withUnsafeMutableBufferPointer { buf -> [[Diagnostic]] in
            let shared = SharedBuffer(buf)
            return inChunks(count: buf.count) { range in
                var out: [Diagnostic] = []
                var memo = FMRIMemo(names: names)
                for k in range {
                    Self.composeService(&shared.buf[k], targeted: targeted[k], dependents: dependents,
                                        memo: &memo, diagnostics: &out)
                }
                return out
            }
        }
        for c in chunks { diagnostics += c }
    }

    /// One service's instances: the service's groups, the instance's over
    /// them by name, then the dependents that target it; and the restarter.
    private static func composeService(_ svc: inout Service, targeted: [(index: Int, instance: String?)],
                                       dependents: [Dependent], memo: inout FMRIMemo, diagnostics: inout [Diagnostic]) {
        // The service-level groups, built once for all its instances.
        var serviceGroups = GroupSet()
        for d in svc.entity.dependencies {
            serviceGroups.set(group(d, origin: .serviceDependency, memo: &memo))
        }
        // Sorted once: an instance that adds no group of its own keeps this
        // very array (docs/PERFORMANCE.md, "The model").
        if serviceGroups.groups.count > 1 { serviceGroups = GroupSet(serviceGroups.sortedByName()) }
        for iname in svc.instanceOrder {
            // Read and written where it is (no copy of the instance).
            guard let at = svc.instances.position(of: iname) else { continue }
            var groups = serviceGroups
            for d in svc.instances.values[at].entity.dependencies {
                groups.set(group(d, origin: .instanceDependency, memo: &memo))
            }
            let service = svc.name
            let fmri = { instanceFMRI(service, iname) }
            for t in targeted where t.instance == nil || t.instance == iname {
                let (dService, dInstance, d) = dependents[t.index]
                let declarer = dInstance.map { instanceFMRI(dService, $0) } ?? "svc:/\(dService)"
                if let existing = groups.find(d.name) {
                    diagnostics.append(Diagnostic(.warning, .dependentNameClash,
                        "dependent '\(d.name)' of \(declarer) would add a group to \(fmri()), which already has a group of that name (\(existing.origin.kind) at \(existing.location.short)); svccfg refuses it (\"already exists\") and the existing group is kept",
                        at: d.location))
                    continue
                }
                // Built, not parsed: a templated declarer's name does not parse.
                let declFMRI: FMRI = dInstance.map { .instance(service: dService, instance: $0) } ?? .service(dService)
                groups.set(DependencyGroup(name: d.name, grouping: d.grouping, restartOn: d.restartOn, type: "service",
                                           entity: GroupEntity(fmri: declFMRI, location: d.location),
                                           origin: .dependent(declarer: declarer), location: d.location))
            }
            svc.instances.values[at].groups = groups.sortedByName()
            var restarter: (fmri: String, location: SourceLocation)?
            if let r = svc.instances.values[at].entity.restarter ?? svc.entity.restarter, let value = r.fmri,
               !value.trimmingWhitespace().isEmpty {
                switch FMRI(parsing: value) {
                case .instance(let s, let i)?:
                    let canonical = instanceFMRI(s, i)
                    if canonical != startdFMRI { restarter = (canonical, r.location) }
                default:
                    diagnostics.append(Diagnostic(.error, .restarterInvalid,
                        "the restarter of \(fmri()) is '\(value)', which does not name an instance; svc.startd refuses it (graph_change_restarter: EINVAL)",
                        at: r.location))
                }
            }
            svc.instances.values[at].restarter = restarter
        }
    }

    /// A template name defined in one file only gets its bare name back; one
    /// defined in several files keeps each file's service apart, as
    /// `NAME{FILE}`, with a warning at each later file naming the first.
    private mutating func settleTemplates() {
        var rename: [String: String] = [:]
        for name in templateOrder {
            let files = templateFiles[name] ?? []
            if files.count == 1, let f = files.first { rename[Self.templateKey(name, file: f)] = name; continue }
            let keys = files.map { "svc:/" + Self.templateKey(name, file: $0) }
            for (k, f) in files.enumerated().dropFirst() {
                guard let at = index[Self.templateKey(name, file: f)], let firstAt = index[Self.templateKey(name, file: files[0])] else { continue }
                diagnostics.append(Diagnostic(.warning, .templateConflict,
                    "svc:/\(name) is an unexpanded template name (\(placeholderList(name))) defined in \(files.count) files, first at \(list[firstAt].location.short); they are almost surely different services, so each file's is kept as its own: this one is \(keys[k]) (expand them with \(defineHint(name)) given per file or directory, --define PATH:NAME=VALUE)",
                    at: list[at].location))
            }
        }
        guard !rename.isEmpty else { return }
        for (from, to) in rename {
            guard let k = index.removeValue(forKey: from) else { continue }
            list[k].name = to
            for key in Array(list[k].instances.keys) { list[k].instances[key]?.service = to }
            index[to] = k
        }
        for k in dependents.indices {
            if let to = rename[dependents[k].service] { dependents[k].service = to }
        }
    }

    private mutating func applyLayers() {
        for layer in layerBundles {
            for bundle in layer.bundles {
                for s in bundle.allServices {
                    var decls = s.instances
                    if let cdi = s.createDefaultInstance {
                        decls.insert(InstanceDecl(name: "default", enabled: cdi.enabled, location: cdi.location), at: 0)
                    }
                    for d in decls {
                        guard let enabled = d.enabled else { continue }
                        guard let k = index[s.name], list[k].instances.position(of: d.name) != nil else {
                            diagnostics.append(Diagnostic(.note, .profileUnknownInstance,
                                "profile names svc:/\(s.name):\(d.name), which no manifest defines; ignored, as svccfg apply does",
                                at: d.location))
                            continue
                        }
                        list[k].instances[d.name]?.enabled = enabled
                        list[k].instances[d.name]?.enabledBy = d.location
                    }
                }
            }
        }
    }

    /// What `reportUnresolved` counts of the instances on its way.
    struct InstanceCounts: Sendable {
        var instances = 0, enabled = 0, methods = 0, propertyGroups = 0
    }

    /// Reports each group entity (and restarter) that names nothing. Each
    /// service's candidates are found on every core, in chunks; then, in
    /// service order, a place already reported is not reported again.
    /// Returns the counts of the instances (after the layers).
    private mutating func reportUnresolved() -> InstanceCounts {
        let list = self.list, index = self.index
        let chunks = inChunks(count: list.count) { range in
            var out: [Diagnostic] = []
            var counts = InstanceCounts()
            for k in range { Self.unresolved(in: list[k], list: list, index: index, into: &out, counts: &counts) }
            return (out, counts)
        }
        var reported = Set<SourceLocation>()
        var total = InstanceCounts()
        for (c, n) in chunks {
            for d in c where reported.insert(d.location).inserted { diagnostics.append(d) }
            total.instances += n.instances
            total.enabled += n.enabled
            total.methods += n.methods
            total.propertyGroups += n.propertyGroups
        }
        return total
    }

    private static func unresolved(in svc: Service, list: [Service], index: [String: Int], into out: inout [Diagnostic],
                                   counts: inout InstanceCounts) {
        counts.instances += svc.instances.count
        for at in svc.instances.values.indices {
            let inst = svc.instances.values[at]
            if inst.enabled { counts.enabled += 1 }
            counts.methods += inst.entity.methods.count
            counts.propertyGroups += inst.entity.propertyGroups.count
            func check(_ fmri: FMRI, _ location: SourceLocation, _ group: String, _ grouping: Grouping) {
                let problem: String?
                switch fmri {
                case .service(let s):
                    if let k = index[s] {
                        problem = list[k].instances.isEmpty ? "svc:/\(s), a service with no instance" : nil
                    } else {
                        problem = "svc:/\(s), which no manifest defines"
                    }
                case .instance(let s, let i):
                    if let k = index[s] {
                        problem = list[k].instances.position(of: i) == nil ? "svc:/\(s):\(i), an instance its service does not have" : nil
                    } else {
                        problem = "svc:/\(s):\(i), whose service no manifest defines"
                    }
                case .path:
                    problem = nil
                }
                guard let problem else { return }
                let severity: Severity = grouping.isHard ? .warning : .note
                let consequence = grouping.isHard
                    ? "it names nothing, so svc.startd would keep \(inst.fmri) offline unless another entity satisfies the group"
                    : "an absent optional dependency is satisfied, so this costs nothing"
                out.append(Diagnostic(severity, .unresolvedDependency,
                    "\(grouping.rawValue) group '\(group)' of \(svc.instances.count > 1 ? "svc:/\(svc.name)" : inst.fmri) names \(problem): \(consequence)",
                    at: location))
            }
            for g in inst.groups {
                g.forEachEntity { check($0.fmri, $0.location, g.name, g.grouping) }
            }
            if let r = inst.restarter, let f = FMRI(parsing: r.fmri) {
                check(f, r.location, "restarter", .requireAll)
            }
        }
    }
}

/// The composed groups of one instance as they are built: set by name (a
/// later one of the same name replaces the earlier), a scan of the few
/// groups an instance has, an index beyond.
private struct GroupSet {
    var groups: [DependencyGroup] = []
    var byName: [String: Int]?

    init() {}

    /// A set of these groups, whose names are unique.
    init(_ groups: [DependencyGroup]) {
        self.groups = groups
        if groups.count > 16 {
            var made: [String: Int] = [:]
            for (k, x) in groups.enumerated() { made[x.name] = k }
            byName = made
        }
    }

    func position(_ name: String) -> Int? {
        if let byName { return byName[name] }
        return groups.firstIndex { $0.name == name }
    }

    func find(_ name: String) -> DependencyGroup? { position(name).map { groups[$0] } }

    mutating func set(_ g: DependencyGroup) {
        if let k = position(g.name) {
            groups[k] = g
            return
        }
        groups.append(g)
        if byName != nil {
            byName?[g.name] = groups.count - 1
        } else if groups.count > 16 {
            var made: [String: Int] = [:]
            for (k, x) in groups.enumerated() { made[x.name] = k }
            byName = made
        }
    }

    /// The groups sorted by name (names are unique); already sorted, the
    /// same storage (the instances of a service share their groups).
    func sortedByName() -> [DependencyGroup] {
        for k in groups.indices.dropFirst() where !(groups[k - 1].name < groups[k].name) {
            return groups.sorted { $0.name < $1.name }
        }
        return groups
    }
}

extension EntityDecl {
    /// Nothing declared yet: a merge into it starts from nothing.
    fileprivate var isBlank: Bool {
        restarter == nil && dependencies.isEmpty && dependents.isEmpty && methodContext == nil
            && methods.isEmpty && propertyGroups.isEmpty && commonName == nil
    }

    /// Merged into a blank entity, these declarations come out unchanged:
    /// nothing is deleted and no name is given twice in a list.
    fileprivate var isMergedAsIs: Bool {
        !dependencies.contains(where: \.delete) && !dependents.contains(where: \.delete)
            && !methods.contains(where: \.delete) && !propertyGroups.contains(where: \.delete)
            && namesAreUnique(dependencies, \.name) && namesAreUnique(dependents, \.name)
            && namesAreUnique(methods, \.name) && namesAreUnique(propertyGroups, \.name)
    }
}

/// True when no two items have the same name: a scan of pairs for the few
/// items an entity holds, a set beyond.
private func namesAreUnique<T>(_ items: [T], _ name: (T) -> String) -> Bool {
    if items.count < 2 { return true }
    if items.count <= 12 {
        for i in 1..<items.count {
            let n = name(items[i])
            for j in 0..<i where name(items[j]) == n { return false }
        }
        return true
    }
    var seen = Set<String>()
    seen.reserveCapacity(items.count)
    for item in items where !seen.insert(name(item)).inserted { return false }
    return true
}

/// Each `service_fmri` value parsed once per chunk of the composition: the
/// same value (`svc:/milestone/network`) in a thousand services gives one
/// FMRI, whose names are shared by every group that holds it
/// (docs/PERFORMANCE.md, "The model").
private struct FMRIMemo {
    private var parsed: [String: FMRI?] = [:]
    let names: NameTexts

    init(names: NameTexts) { self.names = names }

    mutating func parse(_ value: String) -> FMRI? {
        // Swift's String equality is Unicode's: two paths written in two
        // normal forms would meet under one key. ASCII is compared as bytes.
        guard value.isASCII else { return FMRI(parsing: value) }
        if let known = parsed[value] { return known }
        let f = FMRI(parsing: value).map(names.sharing)
        parsed[value] = f
        return f
    }
}

/// The services' names, so that an entity naming a service holds the
/// service's own name, not a copy of its bytes (docs/PERFORMANCE.md, "The
/// seventh round"): at 100k the names parsed out of `service_fmri` values
/// were 12.6 MB of strings that the repository already held.
private struct NameTexts: Sendable {
    // Read only, from every core, while the composition runs.
    let names: [String]
    let index: [String: Int]

    /// `fmri` with its service name replaced by the repository's, when the
    /// repository has a service of exactly those bytes.
    func sharing(_ fmri: FMRI) -> FMRI {
        switch fmri {
        case .service(let s):
            if let k = index[s], names[k].hasSameBytes(as: s) { return .service(names[k]) }
        case .instance(let s, let i):
            if let k = index[s], names[k].hasSameBytes(as: s) { return .instance(service: names[k], instance: i) }
        case .path:
            break
        }
        return fmri
    }
}
