/// One request analysed end to end: the graph, the resolved request, the
/// closure C(W), the optional extension O of docs/SEMANTICS.md, "The ladder", the
/// why-chain of every member, and what plan and report need from them.
public struct Analysis: Sendable {
    public let repo: Repository
    public let graph: DependencyGraph
    public let requests: [ResolvedRequest]
    /// C(W).
    public let closure: Closure
    /// O: baseline-enabled instances reached from the closure by
    /// `optional_all` edges, repeated until nothing changes (sorted).
    public let optional: [String]
    /// C(W ∪ O): rung 4 of the ladder.
    public let extended: Closure
    /// For every member, the edges of one shortest chain from the request
    /// (empty for requested instances), held as parent pointers.
    public let chains: MemberChains

    /// Resolves `requests` (svcs-style names) and computes everything.
    public init(repo: Repository, requests: [String]) throws(RequestError) {
        let graph = DependencyGraph(repo)
        let resolved = try RequestResolver.resolve(requests, in: graph)
        self.init(repo: repo, graph: graph, requests: resolved)
    }

    /// `extendingOptional: false` leaves the optional extension out
    /// (`optional` empty, `extended` the closure, and so an empty
    /// `planInput().optionalExtension`): the Session computes it on its own,
    /// beside the proofs, since only the ladder reads it
    /// (`Analysis.optionalExtension(graph:closure:)`).
    public init(repo: Repository, graph: DependencyGraph, requests: [ResolvedRequest], extendingOptional: Bool = true) {
        self.repo = repo
        self.graph = graph
        self.requests = requests
        var wanted = Set<Int>()
        for r in requests { wanted.formUnion(r.instanceIDs) }
        let closure = graph.closure(of: wanted.sorted())
        self.closure = closure
        if extendingOptional {
            (self.optional, self.extended) = Self.optionalExtension(graph: graph, closure: closure)
        } else {
            (self.optional, self.extended) = ([], closure)
        }

        // One BFS over the closure's own edges gives every member's chain.
        let tree = graph.bfs(from: closure.requestedIDs, follow: graph.isClosureGroup, admit: { closure.isMember[$0] })
        self.chains = MemberChains(graph: graph, closure: closure, tree: tree)
    }

    /// O, closed, and C(W ∪ O): an enabled optional dependency that cannot
    /// come online blocks its dependent, so each addition brings its own
    /// closure, computed again from the request (docs/CLOSURE.md orders
    /// the choices from the request, so a closure is not extended in place).
    /// W is `closure`'s request.
    ///
    /// - Complexity: one closure of members only per round of additions,
    ///   and one whole closure of W ∪ O at the end.
    public static func optionalExtension(graph: DependencyGraph, closure: Closure) -> (optional: [String], extended: Closure) {
        let rounds = extensionRounds(graph: graph, closure: closure)
        let extended = rounds.optional.isEmpty ? closure
            : graph.closure(of: Set(closure.requestedIDs).union(rounds.optional).sorted())
        return (rounds.optional.map { graph.instanceFMRIs[$0] }.sorted(), extended)
    }

    /// C(W ∪ O) less C(W), sorted: what `planInput` calls the optional
    /// extension, and what the ladder's rung 4 adds. Only the members of
    /// each round are computed (`DependencyGraph.closureMembers(of:)`).
    static func extensionMembers(graph: DependencyGraph, closure: Closure) -> [String] {
        members(extensionRounds(graph: graph, closure: closure).memberIDs, beyond: closure, graph: graph)
    }

    /// The rounds of the optional extension: O as instance ids, and the
    /// members of C(W ∪ O). A round adds every baseline-enabled
    /// `optional_all` target of a member that is neither a member nor in
    /// O yet; the members are then those of W ∪ O's closure, from the start.
    private static func extensionRounds(graph: DependencyGraph, closure: Closure) -> (optional: Set<Int>, memberIDs: [Int]) {
        let wanted = Set(closure.requestedIDs)
        var optional = Set<Int>()
        var memberIDs = closure.memberIDs, isMember = closure.isMember
        while true {
            var found = Set<Int>()
            for m in memberIDs {
                graph.forEachInstanceEdge(from: m, groupings: [.optionalAll]) { _, _, target in
                    if graph.instanceEnabled[target] && !isMember[target] && !optional.contains(target) {
                        found.insert(target)
                    }
                }
            }
            if found.isEmpty { break }
            optional.formUnion(found)
            (memberIDs, isMember) = graph.closureMembers(of: wanted.union(optional).sorted())
        }
        return (optional, memberIDs)
    }

    /// C(W ∪ O) less C(W), sorted: what `planInput` calls the optional extension.
    public static func extensionMembers(of extended: Closure, beyond closure: Closure, graph: DependencyGraph) -> [String] {
        members(extended.memberIDs, beyond: closure, graph: graph)
    }

    /// The FMRIs of `memberIDs` that `closure` does not hold, sorted.
    private static func members(_ memberIDs: [Int], beyond closure: Closure, graph: DependencyGraph) -> [String] {
        memberIDs.filter { !closure.contains($0) }.map { graph.instanceFMRIs[$0] }.sorted()
    }

    /// The wanted instances, sorted.
    ///
    /// - Complexity: O(1) (held by the closure).
    public var wanted: [String] { closure.requested }

    /// The first step of a member's why-chain, in words.
    public func reason(_ fmri: String) -> String {
        guard let last = chains.lastEdge(fmri) else {
            return closure.requested.contains(fmri) ? "requested" : "in the closure"
        }
        return EdgeWords.sentence(last)
    }

    /// What the plan is built on (`optionalExtension` is C(W ∪ O) less C(W)).
    public func planInput() -> PlanInput {
        var reasons: [String: String] = [:]
        var whyEdges: [String: Edge] = [:]
        for m in closure.members {
            reasons[m] = reason(m)
            whyEdges[m] = chains.lastEdge(m)
        }
        var input = PlanInput(repo: repo, wanted: closure.requested, closure: closure.members, reasons: reasons,
                         optionalExtension: Self.extensionMembers(of: extended, beyond: closure, graph: graph),
                         requiredFiles: closure.files, conflicts: closure.conflicts, graph: graph)
        input.whyEdges = whyEdges
        return input
    }

    /// The closure as a graph over member indices (positions in
    /// `closure.members`): the edges the closure follows between members
    /// (require_all, require_any, restarter). Roots are the requested ones.
    public func memberGraph() -> (members: [String], roots: [Int], successors: [[Int]]) {
        let ids = closure.memberIDs
        var position = [Int: Int]()
        for (i, id) in ids.enumerated() { position[id] = i }
        var succ = [[Int]](repeating: [], count: ids.count)
        for (i, id) in ids.enumerated() {
            var seen = Set<Int>()
            graph.forEachInstanceEdge(from: id, groupings: [.requireAll, .requireAny]) { _, _, target in
                if let p = position[target], p != i, seen.insert(p).inserted { succ[i].append(p) }
            }
        }
        let roots = closure.requestedIDs.compactMap { position[$0] }
        return (ids.map { graph.instanceFMRIs[$0] }, roots, succ)
    }
}

/// Every member's why-chain as the parent pointers of one breadth-first
/// search over the closure's own edges: memory linear in the instances
/// whatever the depth (a chain of n members would otherwise hold n²/2
/// copied edges). A chain is built only when asked for.
public struct MemberChains: Sendable {
    let graph: DependencyGraph
    let isMember: [Bool]
    let tree: DependencyGraph.BFSTree

    init(graph: DependencyGraph, closure: Closure, tree: DependencyGraph.BFSTree) {
        self.graph = graph
        self.isMember = closure.isMember
        self.tree = tree
    }

    private func member(_ fmri: String) -> Int? {
        guard let id = graph.instanceID(fmri), isMember[id] else { return nil }
        return id
    }

    /// The edges of one shortest chain from a requested instance to `fmri`
    /// (empty for a requested instance); nil for a non-member.
    public subscript(fmri: String) -> [Edge]? {
        guard let id = member(fmri) else { return nil }
        return tree.reached[id] ? graph.chain(in: tree, to: id) : []
    }

    /// The length of that chain in edges (0 for a requested instance); nil for a non-member.
    public func depth(_ fmri: String) -> Int? {
        guard let id = member(fmri) else { return nil }
        return tree.reached[id] ? Int(tree.depth[id]) : 0
    }

    /// The last edge of that chain (the one that brought `fmri` in); nil
    /// for a requested instance and a non-member.
    public func lastEdge(_ fmri: String) -> Edge? {
        guard let id = member(fmri), tree.reached[id], tree.parentInstance[id] >= 0 else { return nil }
        return graph.edge(entity: Int(tree.parentEntity[id]), group: Int(tree.parentGroup[id]), to: id)
    }
}
