/// A `require_any` choice made by the closure (docs/CLOSURE.md, step 3).
public struct Choice: Sendable, Hashable {
    /// The instance whose group was unsatisfied.
    public var instance: String
    public var group: String
    /// The candidate added.
    public var chosen: String
    /// The other candidates, in preference order.
    public var alternatives: [String]
}

/// A `require_all` entity naming a service, resolved to one instance by
/// preference (docs/CLOSURE.md, step 2b).
public struct ServiceResolution: Sendable, Hashable {
    public var instance: String
    public var group: String
    /// `svc:/a/b`
    public var service: String
    public var chosen: String
    /// The service's other instances, in preference order.
    public var alternatives: [String]
}

/// An entity that names nothing, with the instance and group that need it.
public struct UnresolvedEntity: Sendable, Hashable, Comparable {
    public var instance: String
    public var group: String
    public var entity: String

    public static func < (a: Self, b: Self) -> Bool {
        (a.instance, a.group, a.entity) < (b.instance, b.group, b.entity)
    }
}

/// A `service_fmri` value of a member's group that is not a valid FMRI
/// (any grouping): svccfg import refuses the manifest that holds it, so on
/// illumos the services of that file would be absent.
public struct InvalidEntityUse: Sendable, Hashable, Comparable {
    public var instance: String
    public var group: String
    /// The value as written.
    public var value: String
    public var location: SourceLocation

    public static func < (a: Self, b: Self) -> Bool {
        (a.instance, a.group, a.location) < (b.instance, b.group, b.location)
    }
}

/// A path entity: a file that must exist for `instance` to start.
public struct RequiredFile: Sendable, Hashable, Comparable {
    public var instance: String
    public var group: String
    public var path: String
    public var location: SourceLocation

    public init(instance: String, group: String, path: String, location: SourceLocation) {
        self.instance = instance
        self.group = group
        self.path = path
        self.location = location
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.instance, a.path, a.group) < (b.instance, b.path, b.group)
    }
}

/// An `exclude_all` group of a member whose entity is also a member.
public struct Conflict: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var instance: String
    public var group: String
    public var excluded: String
    public var location: SourceLocation

    public init(instance: String, group: String, excluded: String, location: SourceLocation) {
        self.instance = instance
        self.group = group
        self.excluded = excluded
        self.location = location
    }

    /// The conflict in words, as the plan's reasons give it.
    public var description: String {
        "\(instance) excludes \(excluded) (exclude_all group '\(group)'), and both are in the closure"
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.instance, a.group, a.excluded) < (b.instance, b.group, b.excluded)
    }
}

/// The minimal closure C(W) of a request W (docs/CLOSURE.md).
public struct Closure: Sendable {
    /// The requested instance ids (W), in FMRI order.
    public var requestedIDs: [Int]
    /// The member ids, in FMRI order.
    public var memberIDs: [Int]
    /// Membership by instance id.
    public var isMember: [Bool]
    /// The requested instances, sorted.
    public var requested: [String]
    /// The members, sorted.
    public var members: [String]
    /// `require_any` choices, in the order made.
    public var choices: [Choice]
    /// Service entities of `require_all` groups resolved by preference, in the order made.
    public var resolutions: [ServiceResolution]
    public var unresolved: [UnresolvedEntity]
    /// Invalid values in the groups of members, sorted.
    public var invalid: [InvalidEntityUse] = []
    public var files: [RequiredFile]
    public var conflicts: [Conflict]

    /// True when the closure has no conflict, no unresolved and no invalid entity.
    public var isClean: Bool { conflicts.isEmpty && unresolved.isEmpty && invalid.isEmpty }

    public func contains(_ id: Int) -> Bool { id >= 0 && id < isMember.count && isMember[id] }
}

/// A binary min-heap of integers (flat group or entity indices).
struct MinHeap {
    private var items: [Int] = []
    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ x: Int) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= items[i] { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return first }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && items[l] < items[m] { m = l }
            if r < items.count && items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(m, i)
            i = m
        }
        return first
    }
}

extension DependencyGraph {
    /// The minimal closure of the instances `request` (ids), computed
    /// exactly as docs/CLOSURE.md orders it:
    ///
    /// 1. C = W.
    /// 2. a. Forced additions until nothing changes: every instance entity of
    ///       a `require_all` group and every restarter; path entities are
    ///       recorded as required files, entities naming nothing as unresolved.
    ///    b. The first `require_all` entity, by (instance FMRI, group name,
    ///       entity order), naming a service with no instance in C adds that
    ///       service's preferred instance; then back to 2a.
    /// 3. The first unsatisfied `require_any` group, by (instance FMRI, group
    ///    name), adds its best candidate (a recorded choice); back to 2.
    /// 4. `exclude_all` entities in C are conflicts.
    ///
    /// Instance ids are in FMRI order and the flat group and entity indices
    /// in (instance, group name, entity) order, so "the first" of 2b and 3 is
    /// the smallest index in a min-heap of pending entities or groups; an
    /// item found satisfied when popped stays satisfied, since C only grows.
    public func closure(of request: some Sequence<Int>) -> Closure {
        var state = ClosureState(graph: self)
        for i in request { state.add(i) }
        let requested = state.order.sorted()
        state.run()
        let conflicts = state.conflicts()
        let memberIDs = state.order.sorted()
        return Closure(requestedIDs: requested, memberIDs: memberIDs, isMember: state.inC,
                       requested: requested.map { instanceFMRIs[$0] }, members: memberIDs.map { instanceFMRIs[$0] },
                       choices: state.choices, resolutions: state.resolutions,
                       unresolved: state.unresolved.sorted(), invalid: state.invalid.sorted(),
                       files: state.files.sorted(), conflicts: conflicts)
    }

    /// The members of `closure(of: request)` and nothing else: the same
    /// additions in the same order (docs/CLOSURE.md), without the records
    /// (choices, resolutions, files, unresolved and invalid entities,
    /// conflicts), which never decide what is added. What the optional
    /// extension's rounds read (`Analysis.optionalExtension`).
    func closureMembers(of request: some Sequence<Int>) -> (memberIDs: [Int], isMember: [Bool]) {
        var state = ClosureState(graph: self, records: false)
        for i in request { state.add(i) }
        state.run()
        return (state.order.sorted(), state.inC)
    }
}

/// The working state of one closure computation (a struct with mutating
/// methods rather than closures over local variables, so the hot loops
/// touch plain arrays).
private struct ClosureState {
    let graph: DependencyGraph
    var inC: [Bool]
    var serviceHasMember: [Bool]
    /// Members in the order added.
    var order: [Int] = []
    /// Added, not yet expanded (step 2a).
    var work: [Int] = []
    /// Entity indices of require_all service entities (step 2b).
    var pendingServices = MinHeap()
    /// Group indices of require_any groups (step 3).
    var pendingAny = MinHeap()
    var unresolved = Set<UnresolvedEntity>()
    var invalid = Set<InvalidEntityUse>()
    var files = Set<RequiredFile>()
    var choices: [Choice] = []
    var resolutions: [ServiceResolution] = []
    /// False when only the members are wanted: nothing above the members'
    /// own fields is recorded (`closureMembers(of:)`).
    let records: Bool

    init(graph: DependencyGraph, records: Bool = true) {
        self.graph = graph
        self.records = records
        inC = [Bool](repeating: false, count: graph.instanceCount)
        serviceHasMember = [Bool](repeating: false, count: graph.serviceCount)
    }

    mutating func add(_ i: Int) {
        guard i >= 0, i < inC.count, !inC[i] else { return }
        inC[i] = true
        let s = Int(graph.instanceService[i])
        if s >= 0 { serviceHasMember[s] = true }
        order.append(i)
        work.append(i)
    }

    /// Records entity `e` of group `g` when it is an invalid value.
    mutating func recordInvalid(_ e: Int, group g: Int, owner i: Int) {
        guard graph.entityKind[e] == .unresolved, graph.unresolvedIsInvalid[Int(graph.entityTarget[e])] else { return }
        invalid.insert(InvalidEntityUse(instance: graph.instanceFMRIs[i], group: graph.groupName(g),
                                        value: graph.unresolvedNames[Int(graph.entityTarget[e])],
                                        location: graph.entityLocation(e)))
    }

    /// Steps 2 and 3 from the request added: until no group is unsatisfied.
    mutating func run() {
        while true {
            requiredPass()
            if !choosePass() { break }
        }
    }

    /// Step 2a for one new member: its forced additions and its records.
    mutating func expand(_ i: Int) {
        for g in graph.groupRange(ofInstance: i) {
            // An invalid value counts whatever the grouping: svccfg refuses its whole manifest.
            if records { for e in graph.entityRange(ofGroup: g) { recordInvalid(e, group: g, owner: i) } }
            switch graph.groupGrouping[g] {
            case .requireAll:
                for e in graph.entityRange(ofGroup: g) {
                    let t = Int(graph.entityTarget[e])
                    switch graph.entityKind[e] {
                    case .instance: add(t)
                    case .service: if !serviceHasMember[t] { pendingServices.push(e) }
                    case _ where !records: continue
                    case .file:
                        files.insert(RequiredFile(instance: graph.instanceFMRIs[i], group: graph.groupName(g),
                                                  path: graph.files[t], location: graph.entityLocation(e)))
                    case .unresolved:
                        if graph.unresolvedIsInvalid[t] { continue } // recorded above
                        unresolved.insert(UnresolvedEntity(instance: graph.instanceFMRIs[i], group: graph.groupName(g),
                                                           entity: graph.unresolvedNames[t]))
                    }
                }
            case .requireAny:
                pendingAny.push(g)
            case .optionalAll, .excludeAll:
                continue
            }
        }
    }

    /// Step 2: forced additions to a fixpoint (a set, whatever the order),
    /// then the first unsatisfied service entity, and again.
    mutating func requiredPass() {
        while true {
            while let i = work.popLast() { expand(i) }
            var added = false
            while let e = pendingServices.pop() {
                let s = Int(graph.entityTarget[e])
                if serviceHasMember[s] { continue }
                guard let chosen = graph.preferredInstance(ofService: s) else { continue }
                if records {
                    let g = graph.group(ofEntity: e)
                    let others = graph.instanceRange(ofService: s).count < 2 ? []
                        : graph.preferenceOrder(ofService: s).filter { $0 != chosen }
                    resolutions.append(ServiceResolution(
                        instance: graph.instanceFMRIs[Int(graph.groupOwner[g])], group: graph.groupName(g),
                        service: graph.serviceFMRI(s), chosen: graph.instanceFMRIs[chosen],
                        alternatives: others.map { graph.instanceFMRIs[$0] }))
                }
                add(chosen)
                added = true
                break
            }
            if !added { return }
        }
    }

    /// Step 3: the first unsatisfied require_any group gets its best
    /// candidate. Returns false when no group is unsatisfied.
    mutating func choosePass() -> Bool {
        while let g = pendingAny.pop() {
            let owner = Int(graph.groupOwner[g])
            let entities = graph.entityRange(ofGroup: g)
            // First, without allocating: is the group satisfied, does it name anything?
            var satisfied = false
            var namesSomething = false
            for e in entities {
                let t = Int(graph.entityTarget[e])
                switch graph.entityKind[e] {
                case .instance:
                    namesSomething = true
                    if inC[t] { satisfied = true }
                case .service:
                    namesSomething = true
                    if serviceHasMember[t] { satisfied = true }
                case .file:
                    // A path entity satisfies the group; the file is then required.
                    namesSomething = true
                    satisfied = true
                    guard records else { continue }
                    files.insert(RequiredFile(instance: graph.instanceFMRIs[owner], group: graph.groupName(g),
                                              path: graph.files[t], location: graph.entityLocation(e)))
                case .unresolved:
                    continue
                }
            }
            if satisfied { continue }
            if !namesSomething {
                guard records else { continue }
                for e in entities where !graph.unresolvedIsInvalid[Int(graph.entityTarget[e])] {
                    unresolved.insert(UnresolvedEntity(instance: graph.instanceFMRIs[owner], group: graph.groupName(g),
                                                       entity: graph.unresolvedNames[Int(graph.entityTarget[e])]))
                }
                continue
            }
            // Unsatisfied: rank every instance its entities name.
            var candidates: [(Int, Int)] = []
            for (pos, e) in entities.enumerated() {
                let t = Int(graph.entityTarget[e])
                switch graph.entityKind[e] {
                case .instance: candidates.append((t, pos))
                case .service:
                    for k in graph.instanceRange(ofService: t) { candidates.append((Int(graph.serviceInstances[k]), pos)) }
                case .file, .unresolved: continue
                }
            }
            let ranked = graph.rank(candidates)
            guard let best = ranked.first else { continue }
            if records {
                choices.append(Choice(instance: graph.instanceFMRIs[owner], group: graph.groupName(g),
                                      chosen: graph.instanceFMRIs[best],
                                      alternatives: ranked.count < 2 ? [] : ranked.dropFirst().map { graph.instanceFMRIs[$0] }))
            }
            add(best)
            return true
        }
        return false
    }

    /// Step 4: exclude_all entities inside the closure.
    func conflicts() -> [Conflict] {
        var out = Set<Conflict>()
        for i in order {
            for g in graph.groupRange(ofInstance: i) where graph.groupGrouping[g] == .excludeAll {
                for e in graph.entityRange(ofGroup: g) {
                    for t in graph.instancesNamed(byEntity: e) where inC[t] {
                        out.insert(Conflict(instance: graph.instanceFMRIs[i], group: graph.groupName(g),
                                            excluded: graph.instanceFMRIs[t], location: graph.entityLocation(e)))
                    }
                }
            }
        }
        return out.sorted()
    }
}
