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
    /// instance that needs it through hard edges, transitively.
    ///
    /// The rule, kept simple: an instance breaks when
    /// - one of its `require_all` groups (the restarter edge included) has
    ///   an entity naming a broken instance, or naming a service none of
    ///   whose *other* instances is baseline-enabled and unbroken;
    /// - or one of its `require_any` groups names a broken instance and has
    ///   no entity left that is satisfiable: a baseline-enabled unbroken
    ///   instance, a service with one, or a file.
    /// `optional_all` and `exclude_all` groups never break anything: a
    /// disabled optional dependency is satisfied. The target itself starts
    /// broken; instances not enabled in the baseline are not working anyway
    /// and are neither reported nor followed. Sorted by FMRI.
    public func dependents(of target: Int) -> [DependentEntry] {
        let n = instanceCount
        // Reverse index: entities naming each instance, directly or through its service.
        var byInstance = [[Int32]](repeating: [], count: n)
        var byService = [[Int32]](repeating: [], count: serviceCount)
        for e in 0..<entityKind.count {
            switch entityKind[e] {
            case .instance: byInstance[Int(entityTarget[e])].append(Int32(e))
            case .service: byService[Int(entityTarget[e])].append(Int32(e))
            case .file, .unresolved: continue
            }
        }
        var broken = [Bool](repeating: false, count: n)
        var depth = [Int](repeating: 0, count: n)
        var reason: [Int: Edge] = [:]
        broken[target] = true
        var queue = [target]
        var head = 0

        func alive(_ i: Int) -> Bool { instanceEnabled[i] && !broken[i] }
        func serviceAlive(_ s: Int) -> Bool {
            instanceRange(ofService: s).contains { alive(Int(serviceInstances[$0])) }
        }

        while head < queue.count {
            let b = queue[head]
            head += 1
            let s = Int(instanceService[b])
            let naming = byInstance[b] + (s >= 0 ? byService[s] : [])
            for e32 in naming.sorted() {
                let e = Int(e32)
                let g = group(ofEntity: e)
                let owner = Int(groupOwner[g])
                guard !broken[owner], instanceEnabled[owner] else { continue }
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
