/// A dependency cycle: a strongly connected component of more than one
/// instance, or one instance with an edge to itself.
public struct Cycle: Sendable, Hashable {
    /// The members, sorted by FMRI.
    public var members: [String]
    /// Every edge between members, sorted by (from, to, group, entity).
    public var edges: [Edge]
}

extension DependencyGraph {
    /// Every cycle of the full graph (docs/SEMANTICS.md, "Cycles"): edges of every
    /// grouping but exclude_all, dependents and restarters included, an
    /// entity naming a service giving an edge to each of its instances.
    /// Tarjan's algorithm with an explicit stack (no recursion, so deep
    /// graphs cannot overflow the thread's stack). Sorted by first member.
    ///
    /// - Complexity: O(V + E) on the first call, O(1) after (the graph keeps them).
    public func cycles() -> [Cycle] {
        cycleCache.get { computeCycles() }
    }

    private func computeCycles() -> [Cycle] {
        let n = instanceCount
        // Adjacency in compressed rows: target, entity, group.
        var start = [Int](repeating: 0, count: n + 1)
        var target: [Int32] = [], viaEntity: [Int32] = [], viaGroup: [Int32] = []
        for u in 0..<n {
            forEachInstanceEdge(from: u, groupings: Self.followedGroupings) { e, g, v in
                target.append(Int32(v))
                viaEntity.append(Int32(e))
                viaGroup.append(Int32(g))
            }
            start[u + 1] = target.count
        }

        var index = [Int](repeating: -1, count: n)
        var low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        // The strongly connected components that hold a cycle: those of
        // two instances or more, and a single instance with an edge to itself.
        var cyclic: [[Int]] = []
        var next = 0
        // Call frames: (vertex, position in its adjacency row).
        var frames: [(v: Int, k: Int)] = []
        for root in 0..<n where index[root] < 0 {
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            frames.append((root, start[root]))
            while let top = frames.last {
                let v = top.v
                if top.k < start[v + 1] {
                    let w = Int(target[top.k])
                    frames[frames.count - 1].k += 1
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        frames.append((w, start[w]))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last { low[parent.v] = min(low[parent.v], low[v]) }
                guard low[v] == index[v] else { continue }
                if stack.last == v {
                    // A component of one instance (almost every one), kept
                    // without an array unless its edge to itself makes it a cycle.
                    stack.removeLast()
                    onStack[v] = false
                    if (start[v]..<start[v + 1]).contains(where: { Int(target[$0]) == v }) { cyclic.append([v]) }
                    continue
                }
                var comp: [Int] = []
                while let w = stack.popLast() {
                    onStack[w] = false
                    comp.append(w)
                    if w == v { break }
                }
                cyclic.append(comp)
            }
        }

        var cycles: [Cycle] = []
        var member = [Bool](repeating: false, count: n)
        for comp in cyclic {
            for v in comp { member[v] = true }
            var edges: [Edge] = []
            for v in comp.sorted() {
                for k in start[v]..<start[v + 1] where member[Int(target[k])] {
                    edges.append(edge(entity: Int(viaEntity[k]), group: Int(viaGroup[k]), to: Int(target[k])))
                }
            }
            for v in comp { member[v] = false }
            edges.sort { ($0.from, $0.to, $0.group, $0.entity) < ($1.from, $1.to, $1.group, $1.entity) }
            cycles.append(Cycle(members: comp.sorted().map { instanceFMRIs[$0] }, edges: edges))
        }
        return cycles.sorted { $0.members.lexicographicallyPrecedes($1.members) }
    }
}
