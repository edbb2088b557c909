/// What the parts of a closure cost, over the closure's own edges
/// (`Analysis.memberGraph`): the members that dominate others (not needing
/// one drops all it dominates), the single edges whose cut drops members,
/// and the longest chain from a request. Values only; the report renders
/// them (Render/ReportWords.swift).
public struct ClosureCosts: Sendable {
    /// A member and everything only it pulls in.
    public struct Member: Sendable, Hashable {
        public var fmri: String
        /// How many members not needing it drops (itself included).
        public var removes: Int
        /// Those members, sorted.
        public var members: [String]
    }

    /// The edge from one member to another, as the graph holds it.
    public struct Link: Sendable, Hashable {
        public var from: String
        public var to: String
        /// The first require_all / require_any (or restarter) edge from
        /// `from` to `to`; nil when none is found.
        public var edge: Edge?
        /// False when `from` or `to` is not an instance of the graph.
        public var inGraph: Bool
    }

    /// A single edge whose cut would drop members.
    public struct EdgeCost: Sendable, Hashable {
        public var link: Link
        public var removes: Int
        /// The members it drops (the subtree of the dominator tree at `link.to`), sorted.
        public var members: [String]
    }

    /// One step of a chain: the member, and the link that led to it (nil for the first).
    public struct Step: Sendable, Hashable {
        public var fmri: String
        public var via: Link?
    }

    /// Members dominating at least two others, most first (then by FMRI), at most `memberLimit`.
    public var members: [Member]
    /// Edges whose cut drops at least two members, most first, at most `edgeLimit`.
    public var edges: [EdgeCost]
    /// The longest chain of edges from a requested member.
    public var longestChain: [Step]

    public static let memberLimit = 12
    public static let edgeLimit = 10

    /// The costs of `a`'s closure.
    ///
    /// - Complexity: a dominator tree over the closure's members and edges
    ///   (near-linear), plus one scan of a member's edges per link named.
    public init(_ a: Analysis) {
        let mg = a.memberGraph()
        let tree = DominatorTree(count: mg.members.count, roots: mg.roots, successors: mg.successors)
        var children = [[Int]](repeating: [], count: mg.members.count)
        for (i, d) in tree.idom.enumerated() { if let d { children[d].append(i) } }
        func subtree(_ i: Int) -> [String] {
            var out: [String] = []
            var stack = [i]
            while let n = stack.popLast() {
                out.append(mg.members[n])
                stack.append(contentsOf: children[n])
            }
            return out.sorted()
        }
        let rootSet = Set(mg.roots)
        members = (0..<mg.members.count)
            .filter { !rootSet.contains($0) && tree.dominatedCount[$0] >= 2 }
            .sorted { (tree.dominatedCount[$0], mg.members[$1]) > (tree.dominatedCount[$1], mg.members[$0]) }
            .prefix(Self.memberLimit)
            .map { Member(fmri: mg.members[$0], removes: tree.dominatedCount[$0], members: subtree($0)) }

        func link(_ from: String, _ to: String) -> Link {
            guard let f = a.graph.instanceID(from), let t = a.graph.instanceID(to) else {
                return Link(from: from, to: to, edge: nil, inGraph: false)
            }
            var found: Edge?
            a.graph.forEachInstanceEdge(from: f, groupings: [.requireAll, .requireAny]) { e, g, target in
                if found == nil && target == t { found = a.graph.edge(entity: e, group: g, to: target) }
            }
            return Link(from: from, to: to, edge: found, inGraph: true)
        }
        edges = DominatorTree.costlyEdges(count: mg.members.count, roots: mg.roots, successors: mg.successors, tree: tree)
            .filter { $0.removes >= 2 }
            .prefix(Self.edgeLimit)
            .map { e in
                EdgeCost(link: link(mg.members[e.from], mg.members[e.to]), removes: e.removes, members: subtree(e.to))
            }
        let chainIDs = SMFKit.longestChain(count: mg.members.count, roots: mg.roots, successors: mg.successors)
        longestChain = chainIDs.enumerated().map { i, n in
            Step(fmri: mg.members[n], via: i == 0 ? nil : link(mg.members[chainIDs[i - 1]], mg.members[n]))
        }
    }
}
