/// One instance that stops working when the target is disabled.
public struct DependentEntry: Sendable, Hashable {
    public var instance: String
    /// The edge through which it breaks: from `instance` to an instance that
    /// broke before it (the target or another dependent).
    public var edge: Edge
    /// 1 for a direct dependent of the target, 2 for a dependent of one of those, ...
    public var depth: Int
}

extension DependencyGraph {
    /// What stops working if `target` is disabled: every baseline-enabled
    /// instance that needs it through hard edges, transitively
    /// (`dependents(of:running:)` over the baseline).
    public func dependents(of target: Int) -> [DependentEntry] {
        dependents(of: target, running: instanceEnabled)
    }

    /// What stops working if `target` does not come online, when the
    /// instances `running[i]` are the enabled ones: the one "what goes down"
    /// walk of the tool (`dependents`, the plan's blocked members and the
    /// ladder's offline lists all come from it).
    ///
    /// The rule is svc.startd's (`require_all_satisfied`,
    /// `require_any_satisfied`, `optional_all_satisfied` in
    /// usr/src/cmd/svc/startd/graph.c): an enabled instance breaks when
    /// - one of its `require_all` groups (the restarter edge included) has
    ///   an entity naming a broken instance, or naming a service none of
    ///   whose *other* instances is enabled and unbroken;
    /// - or one of its `require_any` groups names a broken instance and has
    ///   no entity left that is satisfiable: an enabled unbroken instance,
    ///   a service with one, or a file (assumed present).
    /// `optional_all` and `exclude_all` groups never break anything: an
    /// optional dependency that is disabled or can never come online is
    /// satisfied. Every group is followed whatever its `type` property
    /// says: svc.startd reads the scheme of each entity (`svc:` or
    /// `file:`), not the group's type. The target itself starts broken;
    /// instances not enabled are not working anyway and are neither
    /// reported nor followed. Sorted by FMRI.
    ///
    /// - Complexity: O(*V* + *E*′·*d*), *E*′ the edges into broken
    ///   instances and *d* the size of the groups they are in.
    public func dependents(of target: Int, running: [Bool]) -> [DependentEntry] {
        let n = instanceCount
        precondition(running.count == n, "one running flag per instance")
        var broken = [Bool](repeating: false, count: n)
        var depth = [Int](repeating: 0, count: n)
        var reason: [Int: Edge] = [:]
        broken[target] = true
        var queue = [target]
        var head = 0

        func alive(_ i: Int) -> Bool { running[i] && !broken[i] }
        func serviceAlive(_ s: Int) -> Bool {
            instanceRange(ofService: s).contains { alive(Int(serviceInstances[$0])) }
        }

        while head < queue.count {
            let b = queue[head]
            head += 1
            let s = Int(instanceService[b])
            // Both rows are ascending; merged, the entities come in (owner, group, position) order.
            var naming = Array(entities(namingInstance: b))
            if s >= 0 { naming += entities(namingService: s); naming.sort() }
            for e32 in naming {
                let e = Int(e32)
                let g = group(ofEntity: e)
                let owner = Int(groupOwner[g])
                guard !broken[owner], running[owner] else { continue }
                let breaks: Bool
                switch groupGrouping[g] {
                case .requireAll:
                    breaks = entityKind[e] == .instance || !serviceAlive(Int(entityTarget[e]))
                case .requireAny:
                    breaks = !entityRange(ofGroup: g).contains { x in
                        switch entityKind[x] {
                        case .instance: alive(Int(entityTarget[x]))
                        case .service: serviceAlive(Int(entityTarget[x]))
                        case .file: true
                        case .unresolved: false
                        }
                    }
                case .optionalAll, .excludeAll:
                    breaks = false
                }
                guard breaks else { continue }
                broken[owner] = true
                depth[owner] = depth[b] + 1
                reason[owner] = edge(entity: e, group: g, to: b)
                queue.append(owner)
            }
        }
        return queue.dropFirst().sorted().compactMap { i in
            reason[i].map { DependentEntry(instance: instanceFMRIs[i], edge: $0, depth: depth[i]) }
        }
    }
}
