/// The merged view of every bundle read, as svccfg import would build it
/// (docs/SEMANTICS.md, "Merging"; docs/SEMANTICS.md, "The baseline"): services keyed by name, their instances,
/// each instance's composed dependency groups, and the baseline enabled set.
public struct Repository: Sendable {
    /// Services by name (`network/ssh`). Changing it drops the sorted
    /// views (`serviceNames`, `instances`, `baseline`), which are rebuilt
    /// once on the next access.
    public var services: NamedTable<Service> {
        didSet {
            views = ComputedOnce()
            baselineView = ComputedOnce()
        }
    }
    /// `serviceNames`, `instances` and `instanceFMRIs`, computed once per value of `services`.
    private var views = ComputedOnce<SortedViews>()
    private var sortedViews: SortedViews { views.get { SortedViews(services) } }
    /// `baseline`, computed once per value of `services`, apart from the
    /// other views: only the inventory asks for it (a copy of every enabled
    /// instance, 7 MB at 100k).
    private var baselineView = ComputedOnce<[Instance]>()
    /// Every diagnostic from reading and merging, sorted for output.
    public var diagnostics: [Diagnostic]
    /// What was read, file by file, in reading order.
    public var files: [FileSummary]
    /// The profile layers applied to the baseline, in order.
    public var layers: [String]
    /// Counts of what was written in the files.
    public var counts: InventoryCounts

    public init(services: NamedTable<Service> = [:], diagnostics: [Diagnostic] = [], files: [FileSummary] = [],
                layers: [String] = [], counts: InventoryCounts = InventoryCounts()) {
        self.services = services
        self.diagnostics = diagnostics
        self.files = files
        self.layers = layers
        self.counts = counts
    }

    /// Service names in sorted order.
    ///
    /// - Complexity: O(*s* log *s*) on the first access after `services`
    ///   changed, O(1) after.
    public var serviceNames: [String] { sortedViews.serviceNames }

    /// Every instance, sorted by FMRI.
    ///
    /// - Complexity: O(*n* log *n*) on the first access after `services`
    ///   changed, O(1) after.
    public var instances: [Instance] { sortedViews.instances }

    /// The FMRI of each of `instances`, in the same order.
    ///
    /// - Complexity: as `instances`: computed with it, once.
    public var instanceFMRIs: [String] { sortedViews.instanceFMRIs }

    /// The position in `serviceNames` of each of `instances`' service.
    ///
    /// - Complexity: as `instances`: computed with it, once.
    var instanceServiceIDs: [Int32] { sortedViews.instanceServiceIDs }

    public func instance(_ service: String, _ name: String) -> Instance? {
        services[service]?.instances[name]
    }

    /// The instance an FMRI names; also one whose printed name does not
    /// parse (`svc:/network/http:nginx$(sVERSION)`, a templated service's
    /// `svc:/NAME{FILE}:i`), looked up as printed.
    public func instance(fmri: String) -> Instance? {
        if case .instance(let s, let i)? = FMRI(parsing: fmri) { return instance(s, i) }
        guard fmri.hasPrefix("svc:/"), let colon = fmri.lastIndex(of: ":"), colon > fmri.index(fmri.startIndex, offsetBy: 4) else { return nil }
        let s = String(fmri[fmri.index(fmri.startIndex, offsetBy: 5)..<colon])
        return instance(s, String(fmri[fmri.index(after: colon)...]))
    }

    /// Instances enabled in the baseline, sorted by FMRI.
    ///
    /// - Complexity: as `instances`: computed with it, once.
    public var baseline: [Instance] { baselineView.get { instances.filter(\.enabled) } }
}

/// The sorted views of a repository's services. The repository keeps them
/// in a `ComputedOnce` box, so that reading them from a `let` repository
/// (and from several tasks) makes them once; a copy of the repository
/// shares the box until its `services` change, which gives it a new one.
private struct SortedViews: Sendable {
    var serviceNames: [String]
    var instances: [Instance]
    var instanceFMRIs: [String]
    /// The position in `serviceNames` of each instance's service.
    var instanceServiceIDs: [Int32]

    /// The views of `services`.
    init(_ services: NamedTable<Service>) {
        // Each instance copied once, into a buffer of its own, and its
        // FMRI built once; the names and the FMRIs sorted side by side
        // (ascendingOrder: as bytes when ASCII); then the instances
        // moved, not copied, from the buffer into their sorted places.
        // The services read in place by position (iterating the table
        // copies each (name, Service) pair: a dozen reference counts each).
        let values = services.values
        var total = 0
        for k in values.indices { total += values[k].instances.count }
        var names: [String] = []
        names.reserveCapacity(services.count)
        let all = UnsafeMutablePointer<Instance>.allocate(capacity: max(total, 1))
        defer { all.deallocate() }
        var fmris: [String] = [], owner: [Int32] = []
        fmris.reserveCapacity(total)
        owner.reserveCapacity(total)
        var strays: [Int] = []
        for k in values.indices {
            let name = services.key(at: k)
            let instances = values[k].instances.values
            for j in instances.indices {
                if instances[j].service != name { strays.append(fmris.count) }
                owner.append(Int32(names.count))
                fmris.append(instances[j].fmri)
                (all + fmris.count - 1).initialize(to: instances[j])
            }
            names.append(name)
        }
        if !strays.isEmpty {
            // An instance whose `service` is not the name it is kept
            // under (a repository built by hand) belongs to the service
            // it names, or to none (-1).
            var position: [String: Int32] = [:]
            for (k, n) in names.enumerated() { position[n] = Int32(k) }
            for k in strays { owner[k] = position[all[k].service] ?? -1 }
        }
        let sortNames = names, sortFMRIs = fmris
        let (nameOrder, fmriOrder) = bothAtOnce({ ascendingOrder(of: sortNames) }, { ascendingOrder(of: sortFMRIs) })
        var rank = [Int32](repeating: 0, count: names.count)
        for (r, k) in nameOrder.enumerated() { rank[k] = Int32(r) }
        let instances = [Instance](unsafeUninitializedCapacity: total) { buf, count in
            for (r, k) in fmriOrder.enumerated() { (buf.baseAddress! + r).moveInitialize(from: all + k, count: 1) }
            count = total
        }
        serviceNames = nameOrder.map { names[$0] }
        self.instances = instances
        instanceFMRIs = fmriOrder.map { fmris[$0] }
        instanceServiceIDs = fmriOrder.map { owner[$0] < 0 ? -1 : rank[Int(owner[$0])] }
    }
}

/// One file that was read.
public struct FileSummary: Sendable, Hashable {
    public var path: String
    /// The top-level bundle's type, or nil when the file could not be read.
    public var bundleType: BundleType?
    public var bundleName: String?
    /// Number of errors found in this file.
    public var errors: Int
}

/// What the files hold, as written (`delete='true'` elements included).
public struct InventoryCounts: Sendable, Hashable, Codable {
    public var files = 0
    public var manifests = 0
    public var profiles = 0
    public var archives = 0
    public var otherBundles = 0
    public var unreadable = 0
    public var services = 0
    public var instances = 0
    public var dependencies = 0
    public var dependents = 0
    public var restarters = 0
    public var methods = 0
    public var propertyGroups = 0
    public var baselineEnabled = 0
    public var servicesWithoutInstances = 0

    public init() {}
}

/// A merged service.
public struct Service: Sendable, Hashable {
    public var name: String
    /// `service`, `restarter` or `milestone`, from the first definition read.
    public var type: String
    public var version: String
    /// Where it was first defined.
    public var location: SourceLocation
    /// Every place it was defined, in reading order. A single place (most
    /// services) is kept without an array of its own (docs/PERFORMANCE.md,
    /// "The seventh round").
    public var definitions: [SourceLocation] {
        get { definitionsHeld.array }
        set { definitionsHeld = OneOrMany(newValue) }
    }
    private var definitionsHeld: OneOrMany<SourceLocation>
    /// Service-level declarations, merged (first read wins).
    public var entity: EntityDecl
    /// Instances by name.
    public var instances: NamedTable<Instance>
    /// Instance names in the order they were first declared.
    public var instanceOrder: [String]

    public init(name: String, type: String, version: String, location: SourceLocation, definitions: [SourceLocation],
                entity: EntityDecl, instances: NamedTable<Instance>, instanceOrder: [String]) {
        self.name = name
        self.type = type
        self.version = version
        self.location = location
        self.definitionsHeld = OneOrMany(definitions)
        self.entity = entity
        self.instances = instances
        self.instanceOrder = instanceOrder
    }

    /// Adds a place where it is defined again.
    mutating func addDefinition(_ location: SourceLocation) {
        var all = definitionsHeld.array
        all.append(location)
        definitionsHeld = OneOrMany(all)
    }

    public var fmri: String { "svc:/\(name)" }

    /// The template's common name, from the service or its first instance.
    public var commonName: String? { entity.commonName }
}

/// A merged instance with its composed dependency groups.
public struct Instance: Sendable, Hashable {
    public var service: String
    public var name: String
    /// `enabled` as its manifest says (nil when a manifest left it out).
    public var manifestEnabled: Bool?
    /// Enabled in the baseline: the manifest, then each profile layer.
    public var enabled: Bool
    /// Where the baseline value was last set.
    public var enabledBy: SourceLocation?
    public var location: SourceLocation
    /// Instance-level declarations, merged (first read wins).
    public var entity: EntityDecl
    /// The composed dependency groups (docs/SEMANTICS.md, "Composition"), sorted by
    /// name, without the restarter (see `restarter`).
    public var groups: [DependencyGroup]
    /// The restarter instance FMRI when it is not svc.startd, with where it was declared.
    public var restarter: (fmri: String, location: SourceLocation)?

    public var fmri: String {
        var f = "svc:/"
        f.reserveCapacity(6 + service.utf8.count + name.utf8.count)
        f += service
        f += ":"
        f += name
        return f
    }

    public static func == (a: Instance, b: Instance) -> Bool {
        a.service == b.service && a.name == b.name && a.manifestEnabled == b.manifestEnabled
            && a.enabled == b.enabled && a.enabledBy == b.enabledBy && a.location == b.location
            && a.entity == b.entity && a.groups == b.groups
            && a.restarter?.fmri == b.restarter?.fmri && a.restarter?.location == b.restarter?.location
    }

    public func hash(into h: inout Hasher) {
        h.combine(service)
        h.combine(name)
    }
}

/// Where a composed dependency group came from: what the composition
/// (docs/SEMANTICS.md, "Composition") read it from.
///
/// Not the graph's `EdgeOrigin`, which is what an analysis reports of an
/// edge: this one tells a service-level `<dependency>` from an
/// instance-level one (the instance's overrides the service's of the same
/// name), which no analysis needs once composed; the graph's adds the
/// restarter edge, which the repository keeps apart (`Instance.restarter`),
/// never as a group. `edgeOrigin` maps one to the other.
public enum GroupOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A `<dependency>` of the service.
    case serviceDependency
    /// A `<dependency>` of the instance itself.
    case instanceDependency
    /// A `<dependent>` declared by another entity (its FMRI), inverted by svccfg.
    case dependent(declarer: String)

    public var description: String { edgeOrigin.kind }

    /// `dependency` or `dependent`, as JSON and the docs name them.
    public var kind: String { description }

    /// The origin of the graph's edges through this group.
    public var edgeOrigin: EdgeOrigin {
        switch self {
        case .serviceDependency, .instanceDependency: .dependency
        case .dependent(let declarer): .dependent(declarer: declarer)
        }
    }
}

/// A composed dependency group of one instance.
///
/// 104 bytes where its fields laid out plainly took 136 (docs/PERFORMANCE.md,
/// "The seventh round"; a 100k tree holds 680,000 groups): the type is a
/// byte for `service` and `path`, and what few groups have (entities that
/// do not parse, a type of another name) shares one optional reference.
public struct DependencyGroup: Sendable, Hashable {
    public var name: String
    public var origin: GroupOrigin
    /// `invalidEntities` and a type other than `service` or `path`, kept
    /// apart: almost no group has either.
    private var rare: CopyOnWrite<Rare>?
    private var held: OneOrMany<GroupEntity>
    public var grouping: Grouping
    public var restartOn: RestartOn
    /// `DependencyTypeCode`: `service`, `path`, or the text in `rare`.
    private var typeCode: UInt8
    public var location: SourceLocation

    private struct Rare: Sendable, Hashable {
        var invalidEntities: [InvalidEntity] = []
        var otherType: String?
    }

    /// `service` or `path` (svc.startd knows no other; the reader reports
    /// any other, which is kept as written).
    public var type: String {
        get { DependencyTypeCode.text(typeCode) ?? rare?.value.otherType ?? "" }
        set {
            typeCode = DependencyTypeCode.code(newValue)
            if typeCode == DependencyTypeCode.other {
                editRare { $0.otherType = newValue }
            } else if rare?.value.otherType != nil {
                editRare { $0.otherType = nil }
            }
        }
    }

    /// The entities in manifest order, without the invalid ones. A single
    /// entity (most groups) is kept without an array of its own
    /// (docs/PERFORMANCE.md, "The model"); `entityCount` and
    /// `forEachEntity` read them without making the list.
    public var entities: [GroupEntity] {
        get { held.array }
        set { held = OneOrMany(newValue) }
    }
    /// The `service_fmri` values that are not valid FMRIs (pkgsrc's
    /// `svc:/@SMF_PREFIX@/zookeeper`), in manifest order. svccfg refuses the
    /// manifest that holds one; here they name nothing, and a closure that
    /// reaches one reports it.
    public var invalidEntities: [InvalidEntity] {
        get { rare?.value.invalidEntities ?? [] }
        set {
            if !newValue.isEmpty || rare != nil { editRare { $0.invalidEntities = newValue } }
        }
    }

    /// Writes `rare`, and drops it when it holds nothing again (so that
    /// equal groups are equal values).
    private mutating func editRare(_ body: (inout Rare) -> Void) {
        var r = rare?.value ?? Rare()
        body(&r)
        rare = r.invalidEntities.isEmpty && r.otherType == nil ? nil : CopyOnWrite(r)
    }

    public init(name: String, grouping: Grouping, restartOn: RestartOn, type: String,
                entities: [GroupEntity], origin: GroupOrigin, location: SourceLocation) {
        self.init(name: name, grouping: grouping, restartOn: restartOn, type: type,
                  held: OneOrMany(entities), origin: origin, location: location)
    }

    /// A group of one entity, made without an array.
    init(name: String, grouping: Grouping, restartOn: RestartOn, type: String,
         entity: GroupEntity, origin: GroupOrigin, location: SourceLocation) {
        self.init(name: name, grouping: grouping, restartOn: restartOn, type: type,
                  held: .one(entity), origin: origin, location: location)
    }

    private init(name: String, grouping: Grouping, restartOn: RestartOn, type: String,
                 held: OneOrMany<GroupEntity>, origin: GroupOrigin, location: SourceLocation) {
        self.name = name
        self.origin = origin
        self.rare = nil
        self.held = held
        self.grouping = grouping
        self.restartOn = restartOn
        self.typeCode = 0
        self.location = location
        self.type = type
    }

    /// The number of `entities`.
    public var entityCount: Int { held.count }

    /// Whether `type` is one svc.startd knows (`service` or `path`), read
    /// without making the text.
    var hasKnownType: Bool { typeCode != DependencyTypeCode.other }

    /// The first entity of group `k` of `groups` whose kind its type does
    /// not allow (a file FMRI in a `service` group, a service or instance
    /// in a `path` one, any entity under another type), read from the
    /// group's fields in place: a method of the group, called on an
    /// element of the array, copies the whole group first.
    static func firstMisfit(in groups: [DependencyGroup], at k: Int) -> GroupEntity? {
        let code = groups[k].typeCode
        func misfits(_ e: GroupEntity) -> Bool {
            if case .path = e.fmri { return code != DependencyTypeCode.path }
            return code != DependencyTypeCode.service
        }
        switch groups[k].held {
        case .one(let e): return misfits(e) ? e : nil
        case .list(let list): return list.first(where: misfits)
        }
    }

    /// Each of `entities` in order, without making the list.
    public func forEachEntity(_ body: (GroupEntity) throws -> Void) rethrows { try held.forEach(body) }

    /// The location of the `k`th of `entities`, then of `invalidEntities`
    /// (the order of the graph's entities of the group).
    func entityLocation(at k: Int) -> SourceLocation {
        k < held.count ? held[k].location : invalidEntities[k - held.count].location
    }
}

/// One entity of a group: a parsed FMRI, with the place it was written.
public struct GroupEntity: Sendable, Hashable {
    public var fmri: FMRI
    public var location: SourceLocation
    public init(fmri: FMRI, location: SourceLocation) {
        self.fmri = fmri
        self.location = location
    }
}

/// A `service_fmri` value that does not parse, kept with its place.
public struct InvalidEntity: Sendable, Hashable {
    /// The value as written.
    public var value: String
    public var location: SourceLocation
    public init(value: String, location: SourceLocation) {
        self.value = value
        self.location = location
    }
}
