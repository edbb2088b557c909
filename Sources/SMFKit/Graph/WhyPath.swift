/// Why an instance is (or is not) in a closure.
public struct WhyAnswer: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// The target was requested itself.
        case requested
        /// The target is a member; `chain` leads to it from a requested instance.
        case inClosure
        /// Not a member, but reachable from a member by edges the closure
        /// does not follow (optional_all, or require_any alternatives).
        case reachable
        /// Not a member, and no edge from the closure leads to it.
        case unreachable
    }

    public var target: String
    public var status: Status
    /// One shortest chain of edges. For `inClosure`, from a requested
    /// instance through members only (BFS over the edges the closure
    /// follows: require_all, restarter and require_any edges between
    /// members). For `reachable`, the why-chain of the nearest member
    /// followed by the shortest path beyond the closure (every grouping but
    /// exclude_all).
    public var chain: [Edge]
    /// For `reachable`: the index in `chain` of the first edge that leaves
    /// the closure (the optional edge that would have reached the target).
    public var leavesClosureAt: Int?
    /// For a non-member: every edge from a member straight to the target
    /// (any grouping but exclude_all), sorted.
    public var directEdges: [Edge]
}

extension DependencyGraph {
    /// Parent pointers of a breadth-first search: for each reached instance,
    /// the (entity, group, from) of the edge that reached it first, and its
    /// distance from the sources in edges. O(instances) whatever the depth:
    /// a chain is read back from the pointers only when asked for.
    struct BFSTree {
        var parentEntity: [Int32]
        var parentGroup: [Int32]
        var parentInstance: [Int32]
        var depth: [Int32]
        var reached: [Bool]
    }

    /// BFS from `sources` (in the given order), following from each instance
    /// its edges in (group, entity, instance) order. `follow(group)` decides
    /// which groups are followed and `admit(instance)` which instances may be entered.
    func bfs(from sources: [Int], follow: (Int) -> Bool, admit: (Int) -> Bool, stopAt: Int? = nil) -> BFSTree {
        let n = instanceCount
        var t = BFSTree(parentEntity: .init(repeating: -1, count: n), parentGroup: .init(repeating: -1, count: n),
                        parentInstance: .init(repeating: -1, count: n), depth: .init(repeating: 0, count: n),
                        reached: .init(repeating: false, count: n))
        var queue: [Int] = []
        for s in sources where !t.reached[s] {
            t.reached[s] = true
            queue.append(s)
        }
        var head = 0
        while head < queue.count {
            let u = queue[head]
            head += 1
            if u == stopAt { break }
            for g in groupRange(ofInstance: u) where follow(g) {
                for e in entityRange(ofGroup: g) {
                    for v in instancesNamed(byEntity: e) where !t.reached[v] && admit(v) {
                        t.reached[v] = true
                        t.parentEntity[v] = Int32(e)
                        t.parentGroup[v] = Int32(g)
                        t.parentInstance[v] = Int32(u)
                        t.depth[v] = t.depth[u] + 1
                        queue.append(v)
                    }
                }
            }
        }
        return t
    }

    func chain(in tree: BFSTree, to target: Int) -> [Edge] {
        var edges: [Edge] = []
        edges.reserveCapacity(Int(tree.depth[target]))
        var v = target
        while tree.parentInstance[v] >= 0 {
            edges.append(edge(entity: Int(tree.parentEntity[v]), group: Int(tree.parentGroup[v]), to: v))
            v = Int(tree.parentInstance[v])
        }
        return edges.reversed()
    }

    /// True for the groups the closure follows between members.
    func isClosureGroup(_ g: Int) -> Bool {
        groupGrouping[g] == .requireAll || groupGrouping[g] == .requireAny
    }

    /// Why `target` is in `closure`, or what would have brought it in.
    public func why(_ target: Int, in closure: Closure) -> WhyAnswer {
        let fmri = instanceFMRIs[target]
        if closure.requestedIDs.contains(target) {
            return WhyAnswer(target: fmri, status: .requested, chain: [], leavesClosureAt: nil, directEdges: [])
        }
        let inside = bfs(from: closure.requestedIDs, follow: isClosureGroup, admit: { closure.isMember[$0] },
                         stopAt: closure.isMember[target] ? target : nil)
        if closure.isMember[target] && inside.reached[target] {
            return WhyAnswer(target: fmri, status: .inClosure, chain: chain(in: inside, to: target),
                             leavesClosureAt: nil, directEdges: [])
        }
        // Not a member: edges from members straight to it, and the shortest
        // way out of the closure to it.
        var direct: [Edge] = []
        for m in closure.memberIDs {
            for g in groupRange(ofInstance: m) where groupGrouping[g] != .excludeAll {
                for e in entityRange(ofGroup: g) where instancesNamed(byEntity: e).contains(target) {
                    direct.append(edge(entity: e, group: g, to: target))
                }
            }
        }
        direct.sort { ($0.from, $0.group, $0.entity) < ($1.from, $1.group, $1.entity) }
        let outside = bfs(from: closure.memberIDs, follow: { self.groupGrouping[$0] != .excludeAll },
                          admit: { _ in true }, stopAt: target)
        guard outside.reached[target] else {
            return WhyAnswer(target: fmri, status: .unreachable, chain: [], leavesClosureAt: nil, directEdges: direct)
        }
        let tail = chain(in: outside, to: target)
        let start = tail.first.flatMap { instanceID($0.from) } ?? target
        let head = closure.requestedIDs.contains(start) ? [] : chain(in: inside, to: start)
        return WhyAnswer(target: fmri, status: .reachable, chain: head + tail, leavesClosureAt: head.count,
                         directEdges: direct)
    }
}
