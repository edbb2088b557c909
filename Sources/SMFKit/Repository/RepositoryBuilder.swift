/// Merges bundles into a `Repository` the way svccfg import and apply would
/// (docs/SEMANTICS.md, "Merging"; docs/SEMANTICS.md, "Composition"; docs/SEMANTICS.md, "The baseline").
public struct RepositoryBuilder {
    private var services: [String: Service] = [:]
    private var serviceOrder: [String] = []
    private var diagnostics: [Diagnostic] = []
    private var files: [FileSummary] = []
    private var counts = InventoryCounts()
    /// Every `<dependent>` in reading order, with its declarer (service key
    /// and instance name: a templated key is not a parseable FMRI).
    private var dependents: [(service: String, instance: String?, decl: DependentDecl)] = []
    /// Each unexpanded template name, with the files that define it in reading order.
    private var templateFiles: [String: [String]] = [:]
    private var templateOrder: [String] = []
    private var layerBundles: [(name: String, bundles: [ServiceBundle])] = []
    private var instanceFMRIs = Set<String>()

    public init() {}

    /// Adds one file read from the PATHs (manifests, archives; profiles are
    /// linted but are not layers).
    public mutating func addSource(_ result: ReadResult) {
        diagnostics += result.diagnostics
        counts.files += 1
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        files.append(FileSummary(path: result.path, bundleType: result.bundle?.type,
                                 bundleName: result.bundle?.name, errors: errors))
        guard let bundle = result.bundle else {
            counts.unreadable += 1
            return
        }
        addBundle(bundle)
    }

    private mutating func addBundle(_ bundle: ServiceBundle) {
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
            checkImportable(bundle)
            for s in bundle.services { merge(s) }
        } else if bundle.type == .profile {
            noteUnmodelled(bundle)
        }
        for n in bundle.nested { addBundle(n) }
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
        if var existing = services[name] {
            existing.definitions.append(decl.location)
            if existing.type != decl.type {
                diagnostics.append(Diagnostic(.warning, .duplicateService,
                    "svc:/\(name) is defined again with type '\(decl.type)'; the first definition, type '\(existing.type)' at \(existing.location.short), is kept",
                    at: decl.location))
            }
            existing.entity = mergeEntity(existing.entity, decl.entity, owner: "svc:/\(name)")
            for inst in instanceDecls(of: decl) { addInstance(inst, to: &existing) }
            services[name] = existing
        } else {
            var svc = Service(name: name, type: decl.type, version: decl.version, location: decl.location,
                              definitions: [decl.location], entity: mergeEntity(EntityDecl(), decl.entity, owner: "svc:/\(name)"),
                              instances: [:], instanceOrder: [])
            for inst in instanceDecls(of: decl) { addInstance(inst, to: &svc) }
            services[name] = svc
            serviceOrder.append(name)
        }
        for d in decl.entity.dependents where !d.delete { dependents.append((name, nil, d)) }
        for i in decl.instances {
            for d in i.entity.dependents where !d.delete { dependents.append((name, i.name, d)) }
        }
    }

    /// `create_default_instance` becomes instance `default`, then the `<instance>` elements.
    private func instanceDecls(of decl: ServiceDecl) -> [InstanceDecl] {
        var out: [InstanceDecl] = []
        if let cdi = decl.createDefaultInstance {
            out.append(InstanceDecl(name: "default", enabled: cdi.enabled, location: cdi.location))
        }
        return out + decl.instances
    }

    /// An instance defined again (two packages delivering the same
    /// service) follows the rule of the service level: its groups, methods
    /// and property groups are united by name, the first read of each name
    /// wins (each clash is SMF042, naming both places); `enabled` and the
    /// restarter are the first definition's, unless it left them out.
    private mutating func addInstance(_ decl: InstanceDecl, to svc: inout Service) {
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
            existing.entity = mergeEntity(existing.entity, decl.entity, owner: owner)
            let first = kept.isEmpty ? "" : "; the first definition's \(kept.joined(separator: " and ")) \(kept.count == 1 ? "is" : "are") kept"
            diagnostics.append(Diagnostic(.warning, .duplicateInstance,
                "instance \(owner) is defined again; first at \(existing.location.short). Its dependencies, methods and property groups are united with the first definition's by name (the first of each name wins)\(first)",
                at: decl.location))
            svc.instances[decl.name] = existing
            return
        }
        let entity = mergeEntity(EntityDecl(), decl.entity, owner: "svc:/\(svc.name):\(decl.name)")
        svc.instances[decl.name] = Instance(service: svc.name, name: decl.name, manifestEnabled: decl.enabled,
                                            enabled: decl.enabled ?? false,
                                            enabledBy: decl.enabled == nil ? nil : decl.location,
                                            location: decl.location, entity: entity, groups: [], restarter: nil)
        svc.instanceOrder.append(decl.name)
    }

    /// Adds `new`'s declarations to `base`: a name already present keeps the
    /// first one, and the second is a warning naming both places.
    private mutating func mergeEntity(_ base: EntityDecl, _ new: EntityDecl, owner: String) -> EntityDecl {
        var out = base
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
        return out
    }

    // MARK: - Composition and baseline

    /// Composes every instance's groups, applies the profile layers, and
    /// returns the repository.
    public consuming func build() -> Repository {
        settleTemplates()
        compose()
        applyLayers()
        reportUnresolved()
        var repo = Repository(services: services, diagnostics: [], files: files,
                              layers: layerBundles.map(\.name), counts: counts)
        repo.counts.services = services.count
        repo.counts.instances = services.values.reduce(0) { $0 + $1.instances.count }
        repo.counts.restarters = services.values.filter { $0.type == "restarter" }.count
        repo.counts.baselineEnabled = services.values.reduce(0) { $0 + $1.instances.values.filter(\.enabled).count }
        repo.counts.servicesWithoutInstances = services.values.filter { $0.instances.isEmpty }.count
        repo.counts.methods = services.values.reduce(0) { acc, s in
            acc + s.entity.methods.count + s.instances.values.reduce(0) { $0 + $1.entity.methods.count }
        }
        repo.counts.propertyGroups = services.values.reduce(0) { acc, s in
            acc + s.entity.propertyGroups.count + s.instances.values.reduce(0) { $0 + $1.entity.propertyGroups.count }
        }
        for s in services.values where s.instances.isEmpty {
            diagnostics.append(Diagnostic(.note, .serviceWithoutInstance,
                "svc:/\(s.name) has no instance: nothing can depend on it successfully until one is created (libdladm creates some at run time)",
                at: s.location))
        }
        var seen = Set<Diagnostic>()
        repo.diagnostics = diagnostics.filter { seen.insert($0).inserted }.sortedForOutput()
        return repo
    }

    /// The entities of a dependency: those that parse, and those that do
    /// not (kept, so that a closure reaching them can say so).
    private func entities(of d: DependencyDecl) -> (valid: [GroupEntity], invalid: [InvalidEntity]) {
        var valid: [GroupEntity] = [], invalid: [InvalidEntity] = []
        for e in d.entities {
            if let f = FMRI(parsing: e.value) {
                valid.append(GroupEntity(fmri: f, location: e.location))
            } else {
                invalid.append(InvalidEntity(value: e.value, location: e.location))
            }
        }
        return (valid, invalid)
    }

    private func group(_ d: DependencyDecl, origin: GroupOrigin) -> DependencyGroup {
        let (valid, invalid) = entities(of: d)
        var g = DependencyGroup(name: d.name, grouping: d.grouping, restartOn: d.restartOn, type: d.type,
                                entities: valid, origin: origin, location: d.location)
        g.invalidEntities = invalid
        return g
    }

    /// svccfg reads a whole bundle into memory before importing any of it
    /// (usr/src/cmd/svc/svccfg/svccfg_xml.c, lxml_get_bundle_file), and
    /// that reading checks every name and every `service_fmri` value
    /// (lxml_get_dependency: scf_value_set_from_string, libscf scf_type.c
    /// valid_fmri): one name it refuses, or one value that is not a valid
    /// FMRI, and nothing of the file is imported. The analysis keeps the file's services (and says
    /// so); a closure that reaches an invalid value reports it.
    private mutating func checkImportable(_ bundle: ServiceBundle) {
        var first: (what: String, location: SourceLocation, value: String)?
        func note(_ what: String, _ value: String, _ location: SourceLocation) {
            if let f = first, f.location <= location { return }
            first = (what, location, value)
        }
        for s in bundle.services {
            if !FMRI.isValidServiceName(s.name) { note("the service name", s.name, s.location) }
            for i in s.instances where !FMRI.isValidComponent(i.name) {
                note("the instance name", i.name, i.location)
            }
            let entities = [(s.name, s.entity)] + s.instances.map { ("\(s.name):\($0.name)", $0.entity) }
            for (owner, e) in entities {
                for d in e.dependencies where !d.delete {
                    for v in d.entities where FMRI(parsing: v.value) == nil {
                        note("a value of dependency '\(d.name)' of svc:/\(owner)", v.value, v.location)
                    }
                }
                for d in e.dependents where !d.delete {
                    if let t = d.target, FMRI(parsing: t.value) == nil {
                        note("the target of dependent '\(d.name)' of svc:/\(owner)", t.value, t.location)
                    }
                }
            }
        }
        guard let first else { return }
        let names = bundle.services.map { "svc:/\($0.name)" }
        let listed = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        let hint = containsPlaceholder(first.value) ? "; expand the placeholders before reading with \(defineHint(first.value))" : ""
        diagnostics.append(Diagnostic(.warning, .bundleNotImportable,
            "svccfg import would refuse this whole manifest, because \(first.what), '\(first.value)', is not valid (svccfg checks every name and service_fmri value before it imports anything): on illumos \(listed) would be absent. smf-minimize keeps the file's services and reports an invalid value when a closure reaches it\(hint)",
            at: first.location))
    }

    private mutating func compose() {
        // Dependents by target: service name -> [(index, instance or nil)].
        var targeted: [String: [(index: Int, instance: String?)]] = [:]
        for (i, (service, instance, d)) in dependents.enumerated() {
            let declarer = instance.map { instanceFMRI(service, $0) } ?? "svc:/\(service)"
            guard let target = d.target, let fmri = FMRI(parsing: target.value) else { continue }
            switch fmri {
            case .service(let s):
                if services[s] == nil {
                    diagnostics.append(Diagnostic(.warning, .dependentTargetAbsent,
                        "dependent '\(d.name)' of \(declarer) targets svc:/\(s), which no manifest defines; svccfg would create an empty service for it",
                        at: target.location))
                }
                targeted[s, default: []].append((i, nil))
            case .instance(let s, let inst):
                if services[s]?.instances[inst] == nil {
                    diagnostics.append(Diagnostic(.warning, .dependentTargetAbsent,
                        "dependent '\(d.name)' of \(declarer) targets svc:/\(s):\(inst), which no manifest defines; svccfg would create it, but it has no 'enabled' and is never started",
                        at: target.location))
                }
                targeted[s, default: []].append((i, inst))
            case .path:
                continue
            }
        }
        for name in serviceOrder {
            guard var svc = services[name] else { continue }
            // The service-level groups, built once for all its instances.
            var serviceGroups: [String: DependencyGroup] = [:]
            for d in svc.entity.dependencies {
                serviceGroups[d.name] = group(d, origin: .serviceDependency)
            }
            for iname in svc.instanceOrder {
                guard var inst = svc.instances[iname] else { continue }
                var groups = serviceGroups
                for d in inst.entity.dependencies {
                    groups[d.name] = group(d, origin: .instanceDependency)
                }
                for t in targeted[name] ?? [] where t.instance == nil || t.instance == iname {
                    let (dService, dInstance, d) = dependents[t.index]
                    let declarer = dInstance.map { instanceFMRI(dService, $0) } ?? "svc:/\(dService)"
                    if let existing = groups[d.name] {
                        diagnostics.append(Diagnostic(.warning, .dependentNameClash,
                            "dependent '\(d.name)' of \(declarer) would add a group to \(inst.fmri), which already has a group of that name (\(existing.origin.kind) at \(existing.location.short)); svccfg refuses it (\"already exists\") and the existing group is kept",
                            at: d.location))
                        continue
                    }
                    // Built, not parsed: a templated declarer's name does not parse.
                    let declFMRI: FMRI = dInstance.map { .instance(service: dService, instance: $0) } ?? .service(dService)
                    groups[d.name] = DependencyGroup(name: d.name, grouping: d.grouping, restartOn: d.restartOn, type: "service",
                                                     entities: [GroupEntity(fmri: declFMRI, location: d.location)],
                                                     origin: .dependent(declarer: declarer), location: d.location)
                }
                inst.groups = groups.values.sorted { $0.name < $1.name }
                let r = inst.entity.restarter ?? svc.entity.restarter
                inst.restarter = nil
                if let r, let value = r.fmri, !value.trimmingWhitespace().isEmpty {
                    switch FMRI(parsing: value) {
                    case .instance(let s, let i)?:
                        let canonical = instanceFMRI(s, i)
                        if canonical != startdFMRI { inst.restarter = (canonical, r.location) }
                    default:
                        diagnostics.append(Diagnostic(.error, .restarterInvalid,
                            "the restarter of \(inst.fmri) is '\(value)', which does not name an instance; svc.startd refuses it (graph_change_restarter: EINVAL)",
                            at: r.location))
                    }
                }
                svc.instances[iname] = inst
            }
            services[name] = svc
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
                guard let svc = services[Self.templateKey(name, file: f)], let firstSvc = services[Self.templateKey(name, file: files[0])] else { continue }
                diagnostics.append(Diagnostic(.warning, .templateConflict,
                    "svc:/\(name) is an unexpanded template name (\(placeholderList(name))) defined in \(files.count) files, first at \(firstSvc.location.short); they are almost surely different services, so each file's is kept as its own: this one is \(keys[k]) (expand them with \(defineHint(name)) given per file or directory, --define PATH:NAME=VALUE)",
                    at: svc.location))
            }
        }
        guard !rename.isEmpty else { return }
        for (from, to) in rename {
            guard var svc = services.removeValue(forKey: from) else { continue }
            svc.name = to
            for (k, var inst) in svc.instances {
                inst.service = to
                svc.instances[k] = inst
            }
            services[to] = svc
        }
        serviceOrder = serviceOrder.map { rename[$0] ?? $0 }
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
                        guard var inst = services[s.name]?.instances[d.name] else {
                            diagnostics.append(Diagnostic(.note, .profileUnknownInstance,
                                "profile names svc:/\(s.name):\(d.name), which no manifest defines; ignored, as svccfg apply does",
                                at: d.location))
                            continue
                        }
                        inst.enabled = enabled
                        inst.enabledBy = d.location
                        services[s.name]?.instances[d.name] = inst
                    }
                }
            }
        }
    }

    private mutating func reportUnresolved() {
        var reported = Set<SourceLocation>()
        for name in serviceOrder {
            guard let svc = services[name] else { continue }
            for inst in svc.instances.values {
                var targets: [(GroupEntity, String, Grouping)] = inst.groups.flatMap { g in g.entities.map { ($0, g.name, g.grouping) } }
                if let r = inst.restarter, let f = FMRI(parsing: r.fmri) {
                    targets.append((GroupEntity(fmri: f, location: r.location), "restarter", .requireAll))
                }
                for (e, group, grouping) in targets {
                    let problem: String?
                    switch e.fmri {
                    case .service(let s):
                        if let target = services[s] {
                            problem = target.instances.isEmpty ? "svc:/\(s), a service with no instance" : nil
                        } else {
                            problem = "svc:/\(s), which no manifest defines"
                        }
                    case .instance(let s, let i):
                        if services[s]?.instances[i] == nil {
                            problem = services[s] == nil ? "svc:/\(s):\(i), whose service no manifest defines"
                                : "svc:/\(s):\(i), an instance its service does not have"
                        } else {
                            problem = nil
                        }
                    case .path:
                        problem = nil
                    }
                    guard let problem, reported.insert(e.location).inserted else { continue }
                    let severity: Severity = grouping.isHard ? .warning : .note
                    let consequence = grouping.isHard
                        ? "it names nothing, so svc.startd would keep \(inst.fmri) offline unless another entity satisfies the group"
                        : "an absent optional dependency is satisfied, so this costs nothing"
                    diagnostics.append(Diagnostic(severity, .unresolvedDependency,
                        "\(grouping.rawValue) group '\(group)' of \(svc.instances.count > 1 ? "svc:/\(name)" : inst.fmri) names \(problem): \(consequence)",
                        at: e.location))
                }
            }
        }
    }
}
