/// Dominators over a directed graph given as integer adjacency lists, with
/// several roots joined under a virtual root (Cooper, Harvey and Kennedy,
/// "A Simple, Fast Dominance Algorithm", iterative over reverse postorder).
///
/// In a closure, member `d` dominates member `m` when every chain of
/// dependencies from the request to `m` passes through `d`: cutting `d`
/// (not needing it) would remove `m` too. The size of `d`'s dominator
/// subtree is therefore what `d` costs.
public struct DominatorTree: Sendable {
    /// The immediate dominator of each node; `nil` for the roots (dominated
    /// only by the virtual root) and for nodes not reachable from any root.
    public let idom: [Int?]
    /// Whether each node is reachable from a root.
    public let reachable: [Bool]
    /// The number of nodes each node dominates, itself included (0 when unreachable).
    public let dominatedCount: [Int]

    public init(count: Int, roots: [Int], successors: [[Int]]) {
        let virtual = count
        // Reverse postorder from the virtual root, iteratively.
        var order: [Int] = []
        var visited = [Bool](repeating: false, count: count + 1)
        var stack: [(node: Int, next: Int)] = [(virtual, 0)]
        visited[virtual] = true
        func succ(_ n: Int) -> [Int] { n == virtual ? roots : successors[n] }
        while !stack.isEmpty {
            let top = stack.count - 1
            let (n, i) = stack[top]
            let s = succ(n)
            if i < s.count {
                stack[top].next += 1
                let m = s[i]
                if m >= 0, m < count, !visited[m] {
                    visited[m] = true
                    stack.append((m, 0))
                }
            } else {
                order.append(n)
                stack.removeLast()
            }
        }
        let rpo = Array(order.reversed())
        var rpoIndex = [Int](repeating: -1, count: count + 1)
        for (i, n) in rpo.enumerated() { rpoIndex[n] = i }
        var preds = [[Int]](repeating: [], count: count + 1)
        for n in rpo {
            for m in succ(n) where m >= 0 && m < count && visited[m] { preds[m].append(n) }
        }
        var dom = [Int](repeating: -1, count: count + 1)
        dom[virtual] = virtual
        func intersect(_ a: Int, _ b: Int) -> Int {
            var f1 = a, f2 = b
            while f1 != f2 {
                while rpoIndex[f1] > rpoIndex[f2] { f1 = dom[f1] }
                while rpoIndex[f2] > rpoIndex[f1] { f2 = dom[f2] }
            }
            return f1
        }
        var changed = true
        while changed {
            changed = false
            for n in rpo where n != virtual {
                var newIdom = -1
                for p in preds[n] where dom[p] != -1 {
                    newIdom = newIdom == -1 ? p : intersect(p, newIdom)
                }
                if newIdom != -1 && dom[n] != newIdom {
                    dom[n] = newIdom
                    changed = true
                }
            }
        }
        var idom = [Int?](repeating: nil, count: count)
        for n in 0..<count where visited[n] && dom[n] != virtual && dom[n] >= 0 { idom[n] = dom[n] }
        // Subtree sizes: children before parents, i.e. reverse RPO.
        var sizes = [Int](repeating: 0, count: count + 1)
        for n in rpo.reversed() where n != virtual {
            sizes[n] += 1
            let d = dom[n]
            if d >= 0 { sizes[d] += sizes[n] }
        }
        self.idom = idom
        self.reachable = Array(visited[0..<count])
        self.dominatedCount = Array(sizes[0..<count])
    }

    /// True when `a` dominates `b` (every node dominates itself).
    public func dominates(_ a: Int, _ b: Int) -> Bool {
        guard reachable[a], reachable[b] else { return false }
        var x: Int? = b
        while let n = x {
            if n == a { return true }
            x = idom[n]
        }
        return false
    }

    /// For every edge `(u, v)` such that cutting it alone would make nodes
    /// unreachable: the edge and how many nodes it would remove.
    ///
    /// Cutting `u -> v` removes something only if `v` can no longer be
    /// reached, and then it removes exactly the nodes `v` dominates. `v` stays
    /// reachable when some other predecessor `p` of `v` is reachable without
    /// passing through `v` (that is, `v` does not dominate `p`): a path to `p`
    /// avoids `v`, so it avoids the edge. Hence the edge disconnects `v` iff
    /// `idom(v) == u` and `v` dominates every other reachable predecessor.
    /// With dominance answered in O(1) from a numbering of the dominator tree,
    /// this is linear in the number of edges.
    public static func costlyEdges(count: Int, roots: [Int], successors: [[Int]], tree: DominatorTree) -> [(from: Int, to: Int, removes: Int)] {
        // Pre/post numbers of the dominator tree (children of the virtual root first).
        var children = [[Int]](repeating: [], count: count)
        var tops: [Int] = []
        for n in 0..<count where tree.reachable[n] {
            if let d = tree.idom[n] { children[d].append(n) } else { tops.append(n) }
        }
        var pre = [Int](repeating: -1, count: count), post = [Int](repeating: -1, count: count)
        var clock = 0
        for t in tops {
            var stack: [(Int, Int)] = [(t, 0)]
            pre[t] = clock; clock += 1
            while !stack.isEmpty {
                let top = stack.count - 1
                let (n, i) = stack[top]
                if i < children[n].count {
                    stack[top].1 += 1
                    let c = children[n][i]
                    pre[c] = clock; clock += 1
                    stack.append((c, 0))
                } else {
                    post[n] = clock; clock += 1
                    stack.removeLast()
                }
            }
        }
        func dominates(_ a: Int, _ b: Int) -> Bool { pre[a] <= pre[b] && post[b] <= post[a] }
        var preds = [[Int]](repeating: [], count: count)
        for u in 0..<count where tree.reachable[u] {
            for v in successors[u] where v >= 0 && v < count { preds[v].append(u) }
        }
        let rootSet = Set(roots)
        var out: [(Int, Int, Int)] = []
        for v in 0..<count where tree.reachable[v] && !rootSet.contains(v) {
            guard let u = tree.idom[v] else { continue }
            let viaU = preds[v].filter { $0 == u }.count
            guard viaU == 1 else { continue }
            if preds[v].allSatisfy({ $0 == u || dominates(v, $0) }) {
                out.append((u, v, tree.dominatedCount[v]))
            }
        }
        return out.sorted { ($0.2, $1.0, $1.1) > ($1.2, $0.0, $0.1) }
    }
}

/// The longest chain of dependencies from a root in an acyclic graph (nodes
/// on cycles are cut at their first visit): the path with the most edges.
public func longestChain(count: Int, roots: [Int], successors: [[Int]]) -> [Int] {
    // Iterative DFS postorder, then DP over it.
    var state = [UInt8](repeating: 0, count: count) // 0 new, 1 on stack, 2 done
    var best = [Int](repeating: 0, count: count)
    var next = [Int](repeating: -1, count: count)
    for r in roots where r >= 0 && r < count && state[r] == 0 {
        var stack: [(Int, Int)] = [(r, 0)]
        state[r] = 1
        while !stack.isEmpty {
            let top = stack.count - 1
            let (n, i) = stack[top]
            if i < successors[n].count {
                stack[top].1 += 1
                let m = successors[n][i]
                guard m >= 0, m < count else { continue }
                if state[m] == 0 {
                    state[m] = 1
                    stack.append((m, 0))
                }
            } else {
                for m in successors[n] where m >= 0 && m < count && state[m] == 2 {
                    if best[m] + 1 > best[n] || (best[m] + 1 == best[n] && next[n] > m) {
                        best[n] = best[m] + 1
                        next[n] = m
                    }
                }
                state[n] = 2
                stack.removeLast()
            }
        }
    }
    guard var n = roots.filter({ $0 >= 0 && $0 < count }).max(by: { (best[$0], -$0) < (best[$1], -$1) }) else { return [] }
    var chain = [n]
    while next[n] >= 0 {
        n = next[n]
        chain.append(n)
    }
    return chain
}
