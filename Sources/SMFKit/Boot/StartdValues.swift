// Values svccfg imports but svc.startd cannot use.
//
// svccfg checks each `service_fmri` with libscf's valid_fmri
// (usr/src/lib/libscf/common/scf_type.c), which accepts whatever
// scf_parse_fmri parses: a property-group FMRI (`svc:/a/b:i/:properties/pg`)
// and a `file:` FMRI in any dependency. svc.startd is stricter when it builds
// the graph (usr/src/cmd/svc/startd/graph.c, process_dependency_fmri):
//
//   - a `file:` value in a dependency whose type is not `path`, or any other
//     value in one whose type is not `service` ("is not allowed for the
//     dependency's type"; a type other than `service` or `path` is
//     unsupported, usr/src/cmd/svc/startd/libscf.c depgroup_read_scheme);
//   - a value that names a property group ("does not designate a service or
//     instance");
//
// each give EINVAL, and refresh_vertex / configure_vertex send
// RESTARTER_EVENT_TYPE_INVALID_DEPENDENCY: "Transitioning ... to maintenance
// due to misconfiguration". A restarter FMRI that names a service, not an
// instance, is EINVAL in graph_change_restarter ("restarter FMRI ... is
// invalid"), and the instance goes to maintenance too.
//
// A value svccfg itself refuses is different: the whole manifest does not
// import (DependencyGraph.refusedManifests).

/// One value svc.startd cannot use, and why.
public struct UnusableValue: Sendable, Hashable {
    public var value: String
    public var location: SourceLocation
    /// Why svc.startd refuses it.
    public var reason: String

    public init(value: String, location: SourceLocation, reason: String) {
        self.value = value
        self.location = location
        self.reason = reason
    }

    /// "svc.startd cannot use '...' at f:12: ... (graph.c ...)"
    public var text: String {
        "svc.startd cannot use the value '\(value)' at \(location.short): \(reason)"
    }

    /// True when `value` is an FMRI of a property group (or property) of a
    /// service or instance, which scf_parse_svc_fmri accepts: `SVC[:INST]/:properties/PG[/PROP]`.
    static func namesPropertyGroup(_ value: String) -> Bool {
        let text = value.trimmingWhitespace()
        guard let r = text.firstRange(of: "/:properties/") else { return false }
        guard let owner = FMRI(parsing: String(text[..<r.lowerBound])) else { return false }
        if case .path = owner { return false }
        let parts = text[r.upperBound...].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        return parts.allSatisfy { !$0.isEmpty && FMRI.isValidComponent(String($0)) }
    }

    /// The first entity of instance `i` that names a property group.
    static func propertyGroupEntity(_ g: DependencyGraph, instance i: Int) -> UnusableValue? {
        for grp in g.groupRange(ofInstance: i) {
            for e in g.entityRange(ofGroup: grp) where g.entityKind[e] == .unresolved {
                let t = Int(g.entityTarget[e])
                guard g.unresolvedIsInvalid[t], namesPropertyGroup(g.entityText(e)) else { continue }
                return UnusableValue(value: g.entityText(e), location: g.entityLocation(e),
                                     reason: "dependency '\(g.groupName(grp))' names a property group, not a service or instance "
                                        + "(graph.c process_dependency_fmri: svc.startd puts the instance in maintenance, misconfiguration)")
            }
        }
        return nil
    }
}

/// What the repository says about each instance that the graph does not
/// carry: its manifest (for the manifests svccfg refuses) and the values of
/// its declarations svc.startd cannot use.
public struct BootInstanceFacts: Sendable {
    /// The manifest of each instance, by graph id ("" when unknown).
    public var files: [String]
    /// Instances (graph ids) holding a value svc.startd cannot use.
    public var unusable: [Int: UnusableValue]

    public init(files: [String], unusable: [Int: UnusableValue] = [:]) {
        self.files = files
        self.unusable = unusable
    }

    public init(_ repo: Repository, _ graph: DependencyGraph) {
        var files: [String] = []
        files.reserveCapacity(graph.instanceCount)
        var unusable: [Int: UnusableValue] = [:]
        // By graph id: every graph instance is one of the repository's
        // (read in place, not copied out; the service only when the
        // instance names no restarter of its own).
        // A service's restarter counts (for its instances that name none)
        // only when it names a service: those few found once, so that no
        // instance looks its service up by name.
        var serviceRestarters: [String: RestarterDecl] = [:]
        let services = repo.services.values
        for k in services.indices {
            if let r = services[k].entity.restarter, let value = r.fmri, case .service? = FMRI(parsing: value) {
                serviceRestarters[repo.services.key(at: k)] = r
            }
        }
        graph.instanceValues.withUnsafeBufferPointer { instances in
            for i in instances.indices {
                files.append(instances[i].location.file)
                let own = instances[i].entity.restarter
                let inherited = own == nil && !serviceRestarters.isEmpty ? serviceRestarters[instances[i].service] : nil
                if let u = Self.unusable(groups: instances[i].groups, restarter: own ?? inherited) {
                    unusable[i] = u
                }
            }
        }
        self.files = files
        self.unusable = unusable
    }

    /// The first value of an instance svc.startd cannot use: an entity of
    /// one of its `groups` of the wrong type, or a restarter (the
    /// instance's, else its service's) that names a service.
    static func unusable(groups: [DependencyGroup], restarter: RestarterDecl?) -> UnusableValue? {
        var found: [UnusableValue] = []
        for k in groups.indices {
            // A group whose entities all fit its type (almost every one)
            // is read in place and makes nothing.
            guard let e = DependencyGroup.firstMisfit(in: groups, at: k) else { continue }
            let grp = groups[k]
            let isPath: Bool
            if case .path = e.fmri { isPath = true } else { isPath = false }
            let reason = grp.hasKnownType
                ? "dependency '\(grp.name)' is of type '\(grp.type)' and this value is a \(isPath ? "file" : "service") FMRI "
                    + "(graph.c process_dependency_fmri: not allowed for the dependency's type; svc.startd puts the instance in maintenance, misconfiguration)"
                : "dependency '\(grp.name)' has the type '\(grp.type)', which svc.startd does not support "
                    + "(libscf.c depgroup_read_scheme; graph.c process_dependency_fmri: svc.startd puts the instance in maintenance, misconfiguration)"
            found.append(UnusableValue(value: e.fmri.description, location: e.location, reason: reason))
        }
        if let r = restarter, let value = r.fmri,
           case .service? = FMRI(parsing: value) {
            found.append(UnusableValue(value: value, location: r.location,
                                       reason: "the restarter names a service, not an instance (graph.c graph_change_restarter: EINVAL; "
                                           + "svc.startd puts the instance in maintenance, \"restarter FMRI is invalid\")"))
        }
        return found.min { $0.location < $1.location }
    }
}
