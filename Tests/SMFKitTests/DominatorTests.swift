import Testing
@testable import SMFKit

@Suite("Dominators and chains")
struct DominatorTests {
    /// 0 -> 1 -> 3, 0 -> 2 -> 3, 3 -> 4, 4 -> 5, 1 -> 6
    let succ: [[Int]] = [[1, 2], [3, 6], [3], [4], [5], [], []]

    @Test("immediate dominators and dominated counts of a diamond with a tail")
    func diamond() {
        let t = DominatorTree(count: 7, roots: [0], successors: succ)
        #expect(t.idom == [nil, 0, 0, 0, 3, 4, 1])
        #expect(t.dominatedCount == [7, 2, 1, 3, 2, 1, 1])
        #expect(t.dominates(3, 5))
        #expect(!t.dominates(1, 3))
    }

    @Test("several roots hang under a virtual root; unreachable nodes count nothing")
    func severalRoots() {
        let s: [[Int]] = [[2], [2], [3], [], [3]]
        let t = DominatorTree(count: 5, roots: [0, 1], successors: s)
        #expect(t.idom == [nil, nil, nil, 2, nil])
        #expect(t.reachable == [true, true, true, true, false])
        #expect(t.dominatedCount == [1, 1, 2, 1, 0])
    }

    @Test("costly edges: each edge into a node it dominates removes that node's subtree")
    func edges() {
        let t = DominatorTree(count: 7, roots: [0], successors: succ)
        let e = DominatorTree.costlyEdges(count: 7, roots: [0], successors: succ, tree: t)
        #expect(e.map { "\($0.from)>\($0.to):\($0.removes)" } == ["0>1:2", "3>4:2", "0>2:1", "1>6:1", "4>5:1"])
    }

    @Test("the longest chain, cycles cut")
    func chain() {
        #expect(longestChain(count: 7, roots: [0], successors: succ) == [0, 1, 3, 4, 5])
        let cyc: [[Int]] = [[1], [2], [0, 3], []]
        #expect(longestChain(count: 4, roots: [0], successors: cyc) == [0, 1, 2, 3])
    }

    @Test("a deep chain does not overflow the stack")
    func deep() {
        let n = 200_000
        let s: [[Int]] = (0..<n).map { $0 + 1 < n ? [$0 + 1] : [] }
        let t = DominatorTree(count: n, roots: [0], successors: s)
        #expect(t.dominatedCount[0] == n)
        #expect(longestChain(count: n, roots: [0], successors: s).count == n)
    }

    @Test("costly edges equal a brute force (cut each edge, count what becomes unreachable) on random graphs")
    func costlyEdgesAgainstBruteForce() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let n = Int.random(in: 2...14, using: &rng)
            var succ = [[Int]](repeating: [], count: n)
            for u in 0..<n {
                var seen = Set<Int>()
                for _ in 0..<Int.random(in: 0...3, using: &rng) {
                    let v = Int.random(in: 0..<n, using: &rng)
                    if v != u && seen.insert(v).inserted { succ[u].append(v) }
                }
            }
            let roots = [0] + (n > 5 && Bool.random(using: &rng) ? [n - 1] : [])
            let tree = DominatorTree(count: n, roots: roots, successors: succ)
            func reachable(without cut: (Int, Int)?) -> Int {
                var seen = [Bool](repeating: false, count: n)
                var queue = roots
                for r in roots { seen[r] = true }
                var head = 0
                while head < queue.count {
                    let x = queue[head]; head += 1
                    for y in succ[x] where !seen[y] && !(cut.map { $0.0 == x && $0.1 == y } ?? false) {
                        seen[y] = true
                        queue.append(y)
                    }
                }
                return queue.count
            }
            let all = reachable(without: nil)
            var expected: [String] = []
            for u in 0..<n where tree.reachable[u] {
                for v in succ[u] where !roots.contains(v) {
                    let lost = all - reachable(without: (u, v))
                    if lost > 0 { expected.append("\(u)>\(v):\(lost)") }
                }
            }
            let got = DominatorTree.costlyEdges(count: n, roots: roots, successors: succ, tree: tree)
                .map { "\($0.from)>\($0.to):\($0.removes)" }
            #expect(got.sorted() == expected.sorted(), "graph \(succ) roots \(roots)")
        }
    }
}
