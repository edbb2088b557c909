/// A `require_any` choice made by the closure (semantics.md section 5, step 3).
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
/// preference (semantics.md section 5, step 2b).
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

/// A path entity: a file that must exist for `instance` to start.
public struct RequiredFile: Sendable, Hashable, Comparable {
    public var instance: String
    public var group: String
    public var path: String
    public var location: SourceLocation

    public static func < (a: Self, b: Self) -> Bool {
        (a.instance, a.path, a.group) < (b.instance, b.path, b.group)
    }
}

/// An `exclude_all` group of a member whose entity is also a member.
public struct Conflict: Sendable, Hashable, Comparable {
    public var instance: String
    public var group: String
    public var excluded: String
    public var location: SourceLocation

    public static func < (a: Self, b: Self) -> Bool {
        (a.instance, a.group, a.excluded) < (b.instance, b.group, b.excluded)
    }
}

/// The minimal closure C(W) of a request W (semantics.md section 5).
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
    public var files: [RequiredFile]
    public var conflicts: [Conflict]

    /// True when the closure has no conflict and no unresolved entity.
    public var isClean: Bool { conflicts.isEmpty && unresolved.isEmpty }

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
    /// exactly as semantics.md section 5 orders it:
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
        let n = instanceCount
        var inC = [Bool](repeating: false, count: n)
        var serviceHasMember = [Bool](repeating: false, count: serviceCount)
        var order: [Int] = []        // members in the order added
        var work: [Int] = []         // added, not yet expanded (2a)
        var pendingServices = MinHeap()  // entity indices of require_all service entities (2b)
        var pendingAny = MinHeap()       // group indices of require_any groups (3)
        var unresolved = Set<UnresolvedEntity>()
        var files = Set<RequiredFile>()
        var choices: [Choice] = []
        var resolutions: [ServiceResolution] = []

        func add(_ i: Int) {
            guard i >= 0, i < n, !inC[i] else { return }
            inC[i] = true
            let s = Int(instanceService[i])
            if s >= 0 { serviceHasMember[s] = true }
            order.append(i)
            work.append(i)
        }

        // 2a for one new member: its forced additions and its records.
        func expand(_ i: Int) {
            for g in groupRange(ofInstance: i) {
                switch groupGrouping[g] {
                case .requireAll:
                    for e in entityRange(ofGroup: g) {
                        let t = Int(entityTarget[e])
                        switch entityKind[e] {
                        case .instance: add(t)
                        case .service: pendingServices.push(e)
                        case .file:
                            files.insert(RequiredFile(instance: instanceFMRIs[i], group: groupName[g],
                                                      path: self.files[t], location: entityLocation[e]))
                        case .unresolved:
                            unresolved.insert(UnresolvedEntity(instance: instanceFMRIs[i], group: groupName[g],
                                                               entity: unresolvedNames[t]))
                        }
                    }
                case .requireAny:
                    pendingAny.push(g)
                case .optionalAll, .excludeAll:
                    continue
                }
            }
        }

        func requiredPass() {
            while true {
                while let i = work.popLast() { expand(i) }  // 2a: a fixpoint, order-free as a set
                // 2b
                var added = false
                while let e = pendingServices.pop() {
                    let s = Int(entityTarget[e])
                    if serviceHasMember[s] { continue }
                    guard let chosen = preferredInstance(ofService: s) else { continue }
                    let g = group(ofEntity: e)
                    let ranked = preferenceOrder(ofService: s)
                    resolutions.append(ServiceResolution(
                        instance: instanceFMRIs[Int(groupOwner[g])], group: groupName[g], service: serviceFMRI(s),
                        chosen: instanceFMRIs[chosen], alternatives: ranked.filter { $0 != chosen }.map { instanceFMRIs[$0] }))
                    add(chosen)
                    added = true
                    break
                }
                if !added { return }
            }
        }

        for i in request { add(i) }
        let requested = order.sorted()
        while true {
            requiredPass()
            // 3: the first unsatisfied require_any group.
            var chose = false
            while let g = pendingAny.pop() {
                var satisfied = false
                var namesSomething = false
                var candidates: [(Int, Int)] = []
                for (pos, e) in entityRange(ofGroup: g).enumerated() {
                    let t = Int(entityTarget[e])
                    switch entityKind[e] {
                    case .instance:
                        namesSomething = true
                        if inC[t] { satisfied = true } else { candidates.append((t, pos)) }
                    case .service:
                        namesSomething = true
                        if serviceHasMember[t] { satisfied = true }
                        for k in instanceRange(ofService: t) { candidates.append((Int(serviceInstances[k]), pos)) }
                    case .file:
                        namesSomething = true
                        satisfied = true
                    case .unresolved:
                        continue
                    }
                }
                let owner = Int(groupOwner[g])
                // A path entity satisfies the group; the file is then required.
                for e in entityRange(ofGroup: g) where entityKind[e] == .file {
                    files.insert(RequiredFile(instance: instanceFMRIs[owner], group: groupName[g],
                                              path: self.files[Int(entityTarget[e])], location: entityLocation[e]))
                }
                if satisfied { continue }
                if !namesSomething {
                    for e in entityRange(ofGroup: g) {
                        unresolved.insert(UnresolvedEntity(instance: instanceFMRIs[owner], group: groupName[g],
                                                           entity: unresolvedNames[Int(entityTarget[e])]))
                    }
                    continue
                }
                let ranked = rank(candidates)
                guard let best = ranked.first else { continue }
                choices.append(Choice(instance: instanceFMRIs[owner], group: groupName[g], chosen: instanceFMRIs[best],
                                      alternatives: ranked.dropFirst().map { instanceFMRIs[$0] }))
                add(best)
                chose = true
                break
            }
            if !chose { break }
        }

        // 4: conflicts.
        var conflicts = Set<Conflict>()
        for i in order {
            for g in groupRange(ofInstance: i) where groupGrouping[g] == .excludeAll {
                for e in entityRange(ofGroup: g) {
                    for t in instancesNamed(byEntity: e) {
                        if inC[t] {
                            conflicts.insert(Conflict(instance: instanceFMRIs[i], group: groupName[g],
                                                      excluded: instanceFMRIs[t], location: entityLocation[e]))
                        }
                    }
                }
            }
        }

        let memberIDs = order.sorted()
        return Closure(requestedIDs: requested, memberIDs: memberIDs, isMember: inC,
                       requested: requested.map { instanceFMRIs[$0] }, members: memberIDs.map { instanceFMRIs[$0] },
                       choices: choices, resolutions: resolutions,
                       unresolved: unresolved.sorted(), files: files.sorted(), conflicts: conflicts.sorted())
    }
}
