// The dependency graph: the repository indexed for analysis.
//
// This follows the model of illumos `usr/src/cmd/svc/startd/graph.c`, whose
// opening comment describes svc.startd's own graph, flattened into integer
// arrays so that a closure over 100,000 services takes milliseconds.
//
// Vertices. There are three kinds, each numbered from 0 in its own space:
//
//   - instances (`svc:/a/b:i`), numbered in FMRI order: instance id order
//     *is* FMRI order, so every "in FMRI order" of docs/CLOSURE.md is a plain
//     integer order here. They are the only vertices that can be enabled,
//     and the only members of a closure;
//   - services (`svc:/a/b`), numbered in name order. A service vertex stands
//     for "any one of my instances", as svc.startd's GVT_SVC vertex does; a
//     service with no instance names nothing;
//   - files (`/p`), numbered in path order: the `file:` entities of path
//     dependencies. They are never enabled; they must exist.
//
//   An entity that names nothing (an absent service, an absent instance, a
//   service with no instance) points at an *unresolved* name instead. So
//   does an *invalid* entity, a `service_fmri` value that is not an FMRI
//   at all (`svc:/@SMF_PREFIX@/zookeeper`): its name is the value as
//   written, flagged in `unresolvedIsInvalid`, and it comes after the
//   group's valid entities (it is never a candidate, so positions of the
//   others are those of the manifest without it).
//
// Edges. svc.startd puts a GROUP vertex between an instance and the
// entities of each dependency property group. Here a group is a record
// (owner instance, name, grouping, restart_on, origin, place) and each of
// its entities is one labelled edge, owner -> entity, that knows its group.
// A group's origin says why the owner has it:
//
//   - `dependency`: a `<dependency>` of the service or of the instance (an
//     instance group overrides a service group of the same name: the
//     composition svc.startd reads, docs/SEMANTICS.md, "Composition");
//   - `dependent`: a `<dependent>` declared by another entity, which svccfg
//     turned into a group of this one with a single entity, the declarer;
//   - `restarter`: the instance's delegated restarter (in practice
//     `svc:/network/inetd:default`). It is one more group, named
//     `restarter`, grouping require_all, with the restarter instance as its
//     only entity; svc.startd itself (`svc:/system/svc/restarter:default`)
//     is no edge at all.
//
// An instance's groups are stored contiguously, sorted by group name, with
// the restarter group (if any) last; groups are stored in instance order.
// So the flat group index orders groups by (instance FMRI, group name), and
// the flat entity index orders entities by (instance FMRI, group name,
// entity order in the group): the orders the closure rules are written in.
//
// Reverse edges are stored too, as compressed rows: for each instance the
// entities of kind `instance` that name it, for each service those of kind
// `service`, each row ascending; and each entity knows its group. So "who
// needs X" (the dependents walk) costs the edges into X, not a scan.
// `checkInvariants()` (Invariants.swift) states what the analyses assume
// of these arrays; debug builds check it at the end of `init`.
//
// When a vertex is satisfied (what svc.startd checks before starting an
// instance, `instance_satisfied`; usr/src/cmd/svc/startd/graph.c):
//
//   - an instance: every one of its groups is satisfied (the restarter
//     group included: the restarter must be online);
//   - a require_all group: every entity is satisfied;
//   - a require_any group: at least one entity is satisfied;
//   - an optional_all group: every entity is online, disabled, absent or
//     unable ever to come online (so leaving it disabled costs nothing);
//   - an exclude_all group: no entity is online or on its way;
//   - a service entity: any one of its instances is online;
//   - a file entity: the file exists.
//
// The analyses built on this graph (closure, why, dependents, tree,
// cycles) live in the files beside this one. None of them prints.

/// What an entity (one edge of a group) names.
public enum EntityKind: UInt8, Sendable, Hashable {
    /// An instance id.
    case instance
    /// A service id (that has at least one instance).
    case service
    /// A file id.
    case file
    /// An index into `unresolvedNames`: the entity names nothing.
    case unresolved
}

/// Why an instance has a group (the kind of edge), as analyses report it.
///
/// The repository's `GroupOrigin` says more of a dependency (service- or
/// instance-level, which only the composition needs) and knows no
/// restarter group: the restarter edge exists only here.
public enum EdgeOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A `<dependency>` of the instance or of its service.
    case dependency
    /// A `<dependent>` declared by another entity (its FMRI), inverted by svccfg.
    case dependent(declarer: String)
    /// The instance's restarter, when it is not svc.startd.
    case restarter

    /// `dependency`, `dependent` or `restarter`.
    public var kind: String {
        switch self {
        case .dependency: "dependency"
        case .dependent: "dependent"
        case .restarter: "restarter"
        }
    }

    public var description: String { kind }

    /// The declarer of a dependent, nil otherwise.
    public var declarer: String? {
        if case .dependent(let d) = self { return d }
        return nil
    }
}

/// One labelled edge, as analyses report it: from an instance, through one
/// entity of one of its groups, to an instance (or a file).
public struct Edge: Sendable, Hashable {
    /// The instance that has the group.
    public var from: String
    /// The instance reached (for a service entity, the instance of that
    /// service the analysis went to), or the path of a file.
    public var to: String
    /// The entity as written, canonical (`svc:/a/b`, `svc:/a/b:i`, `file://localhost/p`).
    public var entity: String
    public var group: String
    public var grouping: Grouping
    /// Restarter edges have no restart_on of their own; they say `none`.
    public var restartOn: RestartOn
    public var origin: EdgeOrigin
    /// Where the entity was written (the `service_fmri`, `<dependent>` or `<restarter>`).
    public var location: SourceLocation

    public init(from: String, to: String, entity: String, group: String, grouping: Grouping,
                restartOn: RestartOn, origin: EdgeOrigin, location: SourceLocation) {
        self.from = from
        self.to = to
        self.entity = entity
        self.group = group
        self.grouping = grouping
        self.restartOn = restartOn
        self.origin = origin
        self.location = location
    }
}

/// The repository as a graph over integer ids (see the comment at the top
/// of this file). Built once; every analysis is a method that returns a value.
public struct DependencyGraph: Sendable {
    // MARK: Instances (id order = FMRI order)

    /// `svc:/a/b:i` by instance id.
    /// (Settable inside the module for GraphInvariantTests' broken graphs;
    /// a change drops the cycles kept.)
    public internal(set) var instanceFMRIs: [String] {
        didSet { cycleCache = ComputedOnce() }
    }
    /// `cycles()`, computed on first use and kept (a box shared by the
    /// graph's copies: the report, both proofs and `cycles` ask for it).
    var cycleCache = ComputedOnce<[Cycle]>()
    /// The repository's instance by instance id (`instance(_:)`).
    let instanceValues: [Instance]
    /// The instance's own name (`default`) by instance id.
    public let instanceNames: [String]
    /// The service id of each instance.
    public let instanceService: [Int32]
    /// Enabled in the baseline, by instance id.
    public let instanceEnabled: [Bool]
    /// True for instances named `default`.
    let instanceIsDefault: [Bool]

    // MARK: Services (id order = name order)

    /// Service names without `svc:/`, by service id.
    public let serviceNames: [String]
    /// `serviceInstances[serviceInstanceStart[s] ..< serviceInstanceStart[s+1]]`
    /// are the instance ids of service `s`, in FMRI order.
    var serviceInstanceStart: [Int32]
    var serviceInstances: [Int32]
    /// The instance of each service chosen by preference (baseline-enabled,
    /// then `default`, then FMRI order), -1 for a service with no instance.
    var servicePreferred: [Int32]

    // MARK: Files and unresolved names

    /// Paths of file entities, sorted.
    public let files: [String]
    /// Canonical FMRIs of entities that name nothing, and the values of
    /// invalid entities as written, sorted.
    public let unresolvedNames: [String]
    /// True for the unresolved names that are invalid values (not FMRIs).
    public let unresolvedIsInvalid: [Bool]

    // MARK: Groups (flat; by instance, then group name, restarter last)

    /// `instanceGroupStart[i] ..< instanceGroupStart[i+1]`: the groups of instance `i`.
    var instanceGroupStart: [Int32]
    var groupOwner: [Int32]
    // A group's name, origin and location and an entity's location are
    // read from the repository's groups, and an entity's text from its
    // target (`groupName(_:)`, `entityText(_:)` and the others below), not
    // kept as columns of their own: at 100k they were 47 MB
    // (docs/PERFORMANCE.md, "The seventh round").
    var groupGrouping: [Grouping]
    let groupRestartOn: [RestartOn]
    /// `groupEntityStart[g] ..< groupEntityStart[g+1]`: the entities of group `g`.
    var groupEntityStart: [Int32]

    // MARK: Entities (flat; by group, in manifest order)

    var entityKind: [EntityKind]
    var entityTarget: [Int32]
    /// The text of each service that has instances (`svc:/NAME`), by
    /// service id: an entity naming the service reads it (`entityText(_:)`).
    let serviceTexts: [String]
    /// The entities whose text is not the one their target gives (a name
    /// written in another normal form than the one kept): few or none.
    let entityTextExceptions: [Int32: String]
    /// The group of each entity (`groupEntityStart` inverted).
    var entityGroup: [Int32]

    // MARK: Reverse edges (who names a vertex)

    /// `instanceNamedBy[instanceNamedByStart[i] ..< instanceNamedByStart[i+1]]`:
    /// the entities of kind `instance` that name instance `i`, ascending.
    var instanceNamedByStart: [Int32]
    var instanceNamedBy: [Int32]
    /// The same for the entities of kind `service` naming service `s`.
    var serviceNamedByStart: [Int32]
    var serviceNamedBy: [Int32]

    // MARK: Lookup

    let instanceIndex: [String: Int32]
    let serviceIndex: [String: Int32]

    /// Indexes `repo`: every instance, its composed groups and its restarter.
    public init(_ repo: Repository) {
        // Every instance, sorted by FMRI (the repository sorts them once).
        let instances = repo.instances
        let instanceFMRIs = repo.instanceFMRIs
        let names = repo.serviceNames
        var serviceIndex: [String: Int32] = [:]
        serviceIndex.reserveCapacity(names.count)
        for (i, n) in names.enumerated() { serviceIndex[n] = Int32(i) }
        var instanceIndex: [String: Int32] = [:]
        instanceIndex.reserveCapacity(instances.count)
        for (i, f) in instanceFMRIs.enumerated() { instanceIndex[f] = Int32(i) }

        // Each service's instances, in compressed rows (a count, then a fill
        // in instance order, so each row is in FMRI order).
        let instanceService = repo.instanceServiceIDs
        var serviceInstanceStart = [Int32](repeating: 0, count: names.count + 1)
        for s in instanceService where s >= 0 { serviceInstanceStart[Int(s) + 1] += 1 }
        for s in 0..<names.count { serviceInstanceStart[s + 1] += serviceInstanceStart[s] }
        var serviceInstances = [Int32](repeating: 0, count: Int(serviceInstanceStart[names.count]))
        do {
            var fill = serviceInstanceStart
            for (i, s) in instanceService.enumerated() where s >= 0 {
                serviceInstances[Int(fill[Int(s)])] = Int32(i)
                fill[Int(s)] += 1
            }
        }
        var servicePreferred: [Int32] = []
        servicePreferred.reserveCapacity(names.count)
        for s in 0..<names.count {
            // Preference without group context: enabled, then `default`, then FMRI order.
            var best: Int32 = -1
            for c in serviceInstances[Int(serviceInstanceStart[s])..<Int(serviceInstanceStart[s + 1])] {
                if best < 0 { best = c; continue }
                let a = instances[Int(c)], b = instances[Int(best)]
                if a.enabled != b.enabled { if a.enabled { best = c }; continue }
                if (a.name == "default") != (b.name == "default") { if a.name == "default" { best = c }; continue }
            }
            servicePreferred.append(best)
        }

        // The groups and entities of each instance, written where they
        // belong: a counting pass sizes every column, then chunks of
        // instances fill their own rows on every core. No part is built and
        // joined, so each column exists once (docs/PERFORMANCE.md, "The model").
        let serviceHasInstances = (0..<names.count).map { serviceInstanceStart[$0 + 1] > serviceInstanceStart[$0] }
        var instanceGroupStart = [Int32](repeating: 0, count: instances.count + 1)
        var instanceEntityStart = [Int32](repeating: 0, count: instances.count + 1)
        for i in instances.indices {
            var groups = instances[i].groups.count, entities = 0
            for g in instances[i].groups { entities += g.entityCount + g.invalidEntities.count }
            if instances[i].restarter != nil { groups += 1; entities += 1 }
            instanceGroupStart[i + 1] = instanceGroupStart[i] + Int32(groups)
            instanceEntityStart[i + 1] = instanceEntityStart[i] + Int32(entities)
        }
        let columns = GraphColumns(groups: Int(instanceGroupStart[instances.count]),
                                   entities: Int(instanceEntityStart[instances.count]))
        let groupStarts = instanceGroupStart, entityStarts = instanceEntityStart
        let byFMRI = instanceIndex, byName = serviceIndex
        // The text of each service that has instances ("svc:/NAME"), made
        // once and shared by every entity that names it (entities naming a
        // service are most of them; each had a String of its own).
        let serviceTexts = inChunks(count: names.count, minimumChunk: 4096) { range in
            range.map { serviceHasInstances[$0] ? "svc:/" + names[$0] : "" }
        }.flatMap { $0 }
        let named = inChunks(count: instances.count, minimumChunk: 1024) { range in
            columns.fill(range, instances: instances, fmris: instanceFMRIs, groupStarts: groupStarts,
                         entityStarts: entityStarts, instanceIndex: byFMRI, serviceIndex: byName,
                         serviceHasInstances: serviceHasInstances, serviceNames: names, serviceTexts: serviceTexts)
        }

        // Files and names that resolve to nothing, numbered in sorted order.
        var fileSet = Set<String>()
        var unresolvedSet = Set<String>()
        var invalidSet = Set<String>()
        for n in named {
            for (_, p) in n.files { fileSet.insert(p) }
            for (_, t) in n.unresolved { unresolvedSet.insert(t) }
            invalidSet.formUnion(n.invalid)
        }
        let files = fileSet.sorted()
        let unresolvedNames = unresolvedSet.sorted()
        var fileIndex: [String: Int32] = [:]
        for (i, f) in files.enumerated() { fileIndex[f] = Int32(i) }
        var unresolvedIndex: [String: Int32] = [:]
        for (i, u) in unresolvedNames.enumerated() { unresolvedIndex[u] = Int32(i) }
        // A text that is not its target's bytes (a dictionary lookup also
        // finds a canonically equal name) is kept as an exception.
        var textExceptions: [Int32: String] = [:]
        for n in named {
            for (e, p) in n.files {
                let t = fileIndex[p] ?? 0
                columns.entityTarget[Int(e)] = t
                if !files[Int(t)].hasSameBytes(as: p) { textExceptions[e] = FMRI.path(p).description }
            }
            for (e, text) in n.unresolved {
                let t = unresolvedIndex[text] ?? 0
                columns.entityTarget[Int(e)] = t
                if !unresolvedNames[Int(t)].hasSameBytes(as: text) { textExceptions[e] = text }
            }
            for (e, text) in n.texts { textExceptions[e] = text }
        }
        // Each column moved out of its buffer in turn.
        let groupOwner = columns.groupOwner.take()
        let groupGrouping = columns.groupGrouping.take()
        let groupRestartOn = columns.groupRestartOn.take()
        let groupEntityStart = columns.groupEntityStart.take()
        let entityKind = columns.entityKind.take()
        let entityTarget = columns.entityTarget.take()
        let entityGroup = columns.entityGroup.take()

        // Reverse edges, in compressed rows: a counting pass, then a fill in
        // entity order (so each row is ascending).
        func reverse(_ kind: EntityKind, count: Int) -> (start: [Int32], list: [Int32]) {
            var start = [Int32](repeating: 0, count: count + 1)
            for e in entityKind.indices where entityKind[e] == kind { start[Int(entityTarget[e]) + 1] += 1 }
            for v in 0..<count { start[v + 1] += start[v] }
            var fill = start
            var list = [Int32](repeating: 0, count: Int(start[count]))
            for e in entityKind.indices where entityKind[e] == kind {
                let v = Int(entityTarget[e])
                list[Int(fill[v])] = Int32(e)
                fill[v] += 1
            }
            return (start, list)
        }
        let byInstance = reverse(.instance, count: instances.count)
        let byService = reverse(.service, count: names.count)

        self.instanceFMRIs = instanceFMRIs
        self.instanceValues = instances
        self.instanceNames = instances.map(\.name)
        self.instanceService = instanceService
        self.instanceEnabled = instances.map(\.enabled)
        self.instanceIsDefault = instances.map { $0.name == "default" }
        self.serviceNames = names
        self.serviceInstanceStart = serviceInstanceStart
        self.serviceInstances = serviceInstances
        self.servicePreferred = servicePreferred
        self.files = files
        self.unresolvedNames = unresolvedNames
        self.unresolvedIsInvalid = unresolvedNames.map { invalidSet.contains($0) }
        self.instanceGroupStart = instanceGroupStart
        self.groupOwner = groupOwner
        self.groupGrouping = groupGrouping
        self.groupRestartOn = groupRestartOn
        self.groupEntityStart = groupEntityStart
        self.entityKind = entityKind
        self.entityTarget = entityTarget
        self.serviceTexts = serviceTexts
        self.entityTextExceptions = textExceptions
        self.instanceIndex = instanceIndex
        self.serviceIndex = serviceIndex
        self.entityGroup = entityGroup
        self.instanceNamedByStart = byInstance.start
        self.instanceNamedBy = byInstance.list
        self.serviceNamedByStart = byService.start
        self.serviceNamedBy = byService.list
        #if DEBUG
        let violations = checkInvariants()
        assert(violations.isEmpty, "DependencyGraph invariants: " + violations.prefix(5).joined(separator: "; "))
        #endif
    }

    // MARK: - Sizes and lookup

    public var instanceCount: Int { instanceFMRIs.count }
    public var serviceCount: Int { serviceNames.count }
    public var groupCount: Int { groupOwner.count }
    public var edgeCount: Int { entityKind.count }

    // MARK: - Read from the repository's groups

    /// Graph group `g` as its instance holds it: the instance id and the
    /// group's position among the instance's composed groups (the position
    /// after the last is the restarter's group).
    @inline(__always)
    private func declared(_ g: Int) -> (instance: Int, k: Int) {
        let i = Int(groupOwner[g])
        return (i, g - Int(instanceGroupStart[i]))
    }

    /// The name of group `g` (`restarter` for the restarter's).
    func groupName(_ g: Int) -> String {
        let (i, k) = declared(g)
        return k < instanceValues[i].groups.count ? instanceValues[i].groups[k].name : "restarter"
    }

    /// Why group `g` exists.
    func groupOrigin(_ g: Int) -> EdgeOrigin {
        let (i, k) = declared(g)
        return k < instanceValues[i].groups.count ? instanceValues[i].groups[k].origin.edgeOrigin : .restarter
    }

    /// True for an instance's restarter group.
    func groupIsRestarter(_ g: Int) -> Bool {
        let (i, k) = declared(g)
        return k >= instanceValues[i].groups.count
    }

    /// Where group `g` was declared (the `<dependency>`, `<dependent>` or `<restarter>`).
    func groupLocation(_ g: Int) -> SourceLocation {
        let (i, k) = declared(g)
        return k < instanceValues[i].groups.count ? instanceValues[i].groups[k].location : instanceValues[i].restarter!.location
    }

    /// The canonical text of entity `e` as written (`svc:/a/b`, `svc:/a/b:i`,
    /// `file://localhost/p`, or an invalid value as written): its target's.
    func entityText(_ e: Int) -> String {
        if !entityTextExceptions.isEmpty, let text = entityTextExceptions[Int32(e)] { return text }
        let t = Int(entityTarget[e])
        switch entityKind[e] {
        case .instance: return instanceFMRIs[t]
        case .service: return serviceTexts[t]
        case .file: return FMRI.path(files[t]).description
        case .unresolved: return unresolvedNames[t]
        }
    }

    /// Where entity `e` was written (the `service_fmri`, `<dependent>` or `<restarter>`).
    func entityLocation(_ e: Int) -> SourceLocation {
        let g = Int(entityGroup[e])
        let (i, k) = declared(g)
        guard k < instanceValues[i].groups.count else { return instanceValues[i].restarter!.location }
        return instanceValues[i].groups[k].entityLocation(at: e - Int(groupEntityStart[g]))
    }

    /// The id of an instance given by its canonical FMRI (`svc:/a/b:i`).
    ///
    /// - Complexity: one hash of `fmri` (no parsing).
    public func instanceID(_ fmri: String) -> Int? { instanceIndex[fmri].map(Int.init) }

    /// The repository's instance `id` (its groups, methods, property
    /// groups), as the graph was built from it.
    ///
    /// - Complexity: O(1).
    public func instance(_ id: Int) -> Instance { instanceValues[id] }

    /// The ids of `fmris` that name instances of the graph, in the order
    /// given (an FMRI that names none is left out).
    ///
    /// - Complexity: O(*k*), one hash per FMRI.
    public func instanceIDs(_ fmris: [String]) -> [Int] { fmris.compactMap(instanceID) }

    /// The id of a service given by its name (`a/b`, without `svc:/`).
    public func serviceID(_ name: String) -> Int? { serviceIndex[name].map(Int.init) }

    /// The instance ids of service `s`, in FMRI order.
    ///
    /// - Complexity: O(*k*) for *k* instances (a new array).
    public func instances(ofService s: Int) -> [Int] {
        (Int(serviceInstanceStart[s])..<Int(serviceInstanceStart[s + 1])).map { Int(serviceInstances[$0]) }
    }

    func instanceRange(ofService s: Int) -> Range<Int> {
        Int(serviceInstanceStart[s])..<Int(serviceInstanceStart[s + 1])
    }

    /// `svc:/a/b` for service `s`.
    public func serviceFMRI(_ s: Int) -> String { "svc:/" + serviceNames[s] }

    /// The instance of service `s` that preference picks with no group
    /// context (baseline-enabled, then `default`, then FMRI order).
    public func preferredInstance(ofService s: Int) -> Int? {
        let p = servicePreferred[s]
        return p < 0 ? nil : Int(p)
    }

    /// The instances of service `s` in preference order.
    ///
    /// - Complexity: O(*k* log *k*) for *k* instances.
    public func preferenceOrder(ofService s: Int) -> [Int] {
        rank(instances(ofService: s).map { ($0, 0) })
    }

    /// Ranks candidates `(instance, entity position)` by preference
    /// (docs/CLOSURE.md): baseline-enabled first, then the entity
    /// listed first, then the instance named `default`, then FMRI order.
    /// An instance listed twice keeps its first position.
    func rank(_ candidates: [(Int, Int)]) -> [Int] {
        // Keep each instance's first position (lists are short: a linear scan).
        var unique: [(id: Int, pos: Int)] = []
        unique.reserveCapacity(candidates.count)
        for (i, p) in candidates {
            if let k = unique.firstIndex(where: { $0.id == i }) {
                if p < unique[k].pos { unique[k].pos = p }
            } else {
                unique.append((i, p))
            }
        }
        if unique.count < 2 { return unique.map(\.id) }
        // Capture two arrays, not `self` (copying the graph retains every array).
        let enabled = instanceEnabled, isDefault = instanceIsDefault
        unique.sort { a, b in
            if enabled[a.id] != enabled[b.id] { return enabled[a.id] }
            if a.pos != b.pos { return a.pos < b.pos }
            if isDefault[a.id] != isDefault[b.id] { return isDefault[a.id] }
            return a.id < b.id
        }
        return unique.map(\.id)
    }

    func groupRange(ofInstance i: Int) -> Range<Int> {
        Int(instanceGroupStart[i])..<Int(instanceGroupStart[i + 1])
    }

    func entityRange(ofGroup g: Int) -> Range<Int> {
        Int(groupEntityStart[g])..<Int(groupEntityStart[g + 1])
    }

    /// The edge of entity `e`, going to `target` (an instance id reached
    /// through it), or to the entity itself when `target` is nil.
    func edge(entity e: Int, group g: Int, to target: Int? = nil) -> Edge {
        let to: String
        if let target {
            to = instanceFMRIs[target]
        } else {
            switch entityKind[e] {
            case .instance: to = instanceFMRIs[Int(entityTarget[e])]
            case .service: to = serviceFMRI(Int(entityTarget[e]))
            case .file: to = files[Int(entityTarget[e])]
            case .unresolved: to = unresolvedNames[Int(entityTarget[e])]
            }
        }
        return Edge(from: instanceFMRIs[Int(groupOwner[g])], to: to, entity: entityText(e), group: groupName(g),
                    grouping: groupGrouping[g], restartOn: groupRestartOn[g], origin: groupOrigin(g),
                    location: entityLocation(e))
    }

    /// The group that holds entity `e`.
    ///
    /// - Complexity: O(1).
    func group(ofEntity e: Int) -> Int { Int(entityGroup[e]) }

    /// The entities of kind `instance` naming instance `i`, ascending.
    func entities(namingInstance i: Int) -> ArraySlice<Int32> {
        instanceNamedBy[Int(instanceNamedByStart[i])..<Int(instanceNamedByStart[i + 1])]
    }

    /// The entities of kind `service` naming service `s`, ascending.
    func entities(namingService s: Int) -> ArraySlice<Int32> {
        serviceNamedBy[Int(serviceNamedByStart[s])..<Int(serviceNamedByStart[s + 1])]
    }

    /// Every instance an entity names: itself, or each instance of a service.
    func instancesNamed(byEntity e: Int) -> [Int] {
        switch entityKind[e] {
        case .instance: [Int(entityTarget[e])]
        case .service: instanceRange(ofService: Int(entityTarget[e])).map { Int(serviceInstances[$0]) }
        case .file, .unresolved: []
        }
    }

    /// Calls `body(entity, group, target)` for every edge from instance `i`
    /// to an instance, in (group, entity) order, with service entities
    /// expanded to each of their instances. Groupings not in `groupings`
    /// are skipped.
    ///
    /// `groupings` is a mask of bits, not a Set: the walks call this once
    /// per instance, and a Set literal there was built and hashed every time.
    func forEachInstanceEdge(from i: Int, groupings: GroupingMask, _ body: (Int, Int, Int) -> Void) {
        for g in groupRange(ofInstance: i) where groupings.contains(GroupingMask(groupGrouping[g])) {
            for e in entityRange(ofGroup: g) {
                switch entityKind[e] {
                case .instance:
                    body(e, g, Int(entityTarget[e]))
                case .service:
                    for k in instanceRange(ofService: Int(entityTarget[e])) { body(e, g, Int(serviceInstances[k])) }
                case .file, .unresolved:
                    continue
                }
            }
        }
    }

    /// The groupings svc.startd follows for cycles: all but exclude_all.
    static let followedGroupings: GroupingMask = [.requireAll, .requireAny, .optionalAll]
}

/// A set of groupings as bits, for the graph's walks (`forEachInstanceEdge`).
struct GroupingMask: OptionSet, Sendable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let requireAll = GroupingMask(rawValue: 1)
    static let requireAny = GroupingMask(rawValue: 2)
    static let optionalAll = GroupingMask(rawValue: 4)
    static let excludeAll = GroupingMask(rawValue: 8)

    /// The one grouping `g`.
    init(_ g: Grouping) {
        switch g {
        case .requireAll: self = .requireAll
        case .requireAny: self = .requireAny
        case .optionalAll: self = .optionalAll
        case .excludeAll: self = .excludeAll
        }
    }
}

/// One column of the graph while it is filled: a buffer of fixed size that
/// chunks of instances write at their own rows from several threads (each
/// row is written by one chunk only), then moved into an Array.
private final class ColumnBuffer<T>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<T>?
    private let count: Int

    init(_ count: Int, _ value: T) {
        self.count = count
        let b = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        b.initialize(repeating: value, count: count)
        base = b
    }

    subscript(i: Int) -> T {
        get { base![i] }
        set { base![i] = newValue }
    }

    /// The column as an Array; the buffer is empty after.
    func take() -> [T] {
        guard let b = base else { return [] }
        base = nil
        defer { b.deallocate() }
        guard count > 0 else { return [] }
        return Array(unsafeUninitializedCapacity: count) { buf, n in
            buf.baseAddress!.moveInitialize(from: b, count: count)
            n = count
        }
    }

    deinit {
        if let b = base {
            b.deinitialize(count: count)
            b.deallocate()
        }
    }
}

/// The graph's group and entity columns while `DependencyGraph.init`
/// fills them, and what a chunk leaves to number once every chunk is done.
private final class GraphColumns: Sendable {
    let groupOwner: ColumnBuffer<Int32>
    let groupGrouping: ColumnBuffer<Grouping>
    let groupRestartOn: ColumnBuffer<RestartOn>
    let groupEntityStart: ColumnBuffer<Int32>
    let entityKind: ColumnBuffer<EntityKind>
    let entityTarget: ColumnBuffer<Int32>
    let entityGroup: ColumnBuffer<Int32>

    /// The entities of a chunk that name a file or nothing (by entity id),
    /// numbered when all are known; the invalid values among the names.
    struct Named: Sendable {
        var files: [(Int32, String)] = []
        var unresolved: [(Int32, String)] = []
        var invalid = Set<String>()
        /// Service entities whose text is not their service's (`serviceTexts`).
        var texts: [(Int32, String)] = []
    }

    init(groups: Int, entities: Int) {
        groupOwner = ColumnBuffer(groups, 0)
        groupGrouping = ColumnBuffer(groups, .requireAll)
        groupRestartOn = ColumnBuffer(groups, .none)
        groupEntityStart = ColumnBuffer(groups + 1, 0)
        entityKind = ColumnBuffer(entities, .instance)
        entityTarget = ColumnBuffer(entities, 0)
        entityGroup = ColumnBuffer(entities, 0)
    }

    /// Writes the rows of the instances in `range`: their groups from
    /// `groupStarts[i]`, their entities from `entityStarts[i]`.
    func fill(_ range: Range<Int>, instances: [Instance], fmris: [String], groupStarts: [Int32],
              entityStarts: [Int32], instanceIndex: [String: Int32], serviceIndex: [String: Int32],
              serviceHasInstances: [Bool], serviceNames: [String], serviceTexts: [String]) -> Named {
        var named = Named()
        for i in range {
            var g = Int(groupStarts[i]), e = Int(entityStarts[i])
            func entity(_ f: FMRI, at location: SourceLocation) {
                entityGroup[e] = Int32(g)
                switch f {
                case .instance:
                    // The canonical text is the instance's key (`instanceFMRI`),
                    // and the instance's FMRI String is shared.
                    if let id = instanceIndex[f.description] {
                        entityKind[e] = .instance
                        entityTarget[e] = id
                        e += 1
                        return
                    }
                case .service(let s):
                    if let id = serviceIndex[s], serviceHasInstances[Int(id)] {
                        entityKind[e] = .service
                        entityTarget[e] = id
                        // The shared text when the name is the service's
                        // own bytes (a lookup also finds a canonically
                        // equal name written otherwise, whose text is its own).
                        if !serviceNames[Int(id)].hasSameBytes(as: s) { named.texts.append((Int32(e), f.description)) }
                        e += 1
                        return
                    }
                case .path(let p):
                    entityKind[e] = .file
                    named.files.append((Int32(e), p))
                    e += 1
                    return
                }
                let text = f.description
                entityKind[e] = .unresolved
                named.unresolved.append((Int32(e), text))
                e += 1
            }
            for group in instances[i].groups {
                groupOwner[g] = Int32(i)
                groupGrouping[g] = group.grouping
                groupRestartOn[g] = group.restartOn
                group.forEachEntity { entity($0.fmri, at: $0.location) }
                for x in group.invalidEntities {
                    named.invalid.insert(x.value)
                    entityGroup[e] = Int32(g)
                    entityKind[e] = .unresolved
                    named.unresolved.append((Int32(e), x.value))
                    e += 1
                }
                groupEntityStart[g + 1] = Int32(e)
                g += 1
            }
            if let r = instances[i].restarter {
                groupOwner[g] = Int32(i)
                groupGrouping[g] = .requireAll
                groupRestartOn[g] = .none
                entity(FMRI(parsing: r.fmri) ?? .service(r.fmri), at: r.location)
                groupEntityStart[g + 1] = Int32(e)
                g += 1
            }
        }
        return named
    }
}
