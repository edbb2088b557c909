/// Builds a `DotGraph` from a repository: the instances of `members` (all
/// instances when nil), optionally with their nearest neighbours outside the
/// set, every edge labelled with its grouping and origin. Instances are looked
/// up through the graph index (`DependencyGraph`), never by parsing FMRIs.
public struct RepositoryDrawing: Sendable {
    public var groupings: Set<EdgeKind> = Set(EdgeKind.allCases)
    /// Keep only edges whose source is one of these instances (full FMRIs,
    /// as `RequestResolver` resolved them); empty keeps every source.
    public var from: Set<String> = []
    /// Keep only edges whose target is one of these instances.
    public var to: Set<String> = []
    /// Add the instances one edge away from the members, drawn as excluded.
    public var neighbours = false
    /// Without `neighbours`: count each member's excluded neighbours into its
    /// label (`+3 not needed`, listed in its tooltip) instead of leaving them out.
    public var foldNeighbours = false
    /// Rank the nodes in bands by milestone (`MilestoneBand`).
    public var rankByMilestone = true
    /// Cluster the nodes by the corpus their manifest was read from: the
    /// first entry whose `prefix` starts the manifest's path names the
    /// cluster. Fewer than two entries: no clusters.
    public var corpora: [(name: String, prefix: String)] = []
    /// Cluster by package instead (manifest path → package name), with --packages.
    public var packageOf: [String: String] = [:]

    public init() {}

    public func draw(_ repo: Repository, graph: DependencyGraph, members: Set<String>?, title: String,
                     role: (String) -> NodeRole = { _ in .daemon }) -> DotGraph {
        let inSet: (String) -> Bool = { members?.contains($0) ?? true }
        var edges: [DotEdge] = []
        var nodeIDs = Set<String>()
        var folded: [String: Set<String>] = [:]
        for inst in repo.instances where inSet(inst.fmri) {
            nodeIDs.insert(inst.fmri)
            var outgoing: [(String, EdgeKind, Bool, String, DependencyGroup?)] = []
            for g in inst.groups where g.type == "service" {
                let kind = EdgeKind(g.grouping)
                guard groupings.contains(kind) else { continue }
                let viaDependent: Bool = if case .dependent = g.origin { true } else { false }
                // One tooltip per group, shared by its edges (a group may name thousands).
                let tip = "\(g.grouping.rawValue)/\(g.restartOn.rawValue) group '\(g.name)' (\(g.origin.kind) at \(g.location.short))"
                for e in g.entities {
                    for target in targets(of: e.fmri, in: graph, preferring: members) {
                        outgoing.append((target, kind, viaDependent, tip, g))
                    }
                }
            }
            if let r = inst.restarter, groupings.contains(.restarter), graph.instanceID(r.fmri) != nil {
                outgoing.append((r.fmri, .restarter, false, "restarter (declared at \(r.location.short))", nil))
            }
            for (target, kind, via, tip, g) in outgoing {
                let targetIn = inSet(target)
                if !from.isEmpty && !from.contains(inst.fmri) { continue }
                if !to.isEmpty && !to.contains(target) { continue }
                if !targetIn && !neighbours {
                    if foldNeighbours && kind != .excludeAll { folded[inst.fmri, default: []].insert(target) }
                    continue
                }
                edges.append(DotEdge(from: inst.fmri, to: target, kind: kind, viaDependent: via, tooltip: tip,
                                      group: g?.name ?? "", origin: g?.origin.kind ?? "restarter", declarer: { if case .dependent(let d)? = g?.origin { d } else { nil } }(),
                                      location: g?.location ?? inst.restarter?.location))
                nodeIDs.insert(target)
            }
        }
        // Neighbours that need members (reverse edges) are not drawn: a closure
        // drawing shows what the members need, plus what they could have pulled in.
        if !from.isEmpty || !to.isEmpty {
            nodeIDs = Set(edges.flatMap { [$0.from, $0.to] })
        }
        var seen = Set<DotEdge>()
        edges = edges.filter { seen.insert($0).inserted }
        let bands = rankByMilestone ? Self.bands(graph) : [:]
        let clusterOf = clusterFunction(repo, graph: graph)
        let nodes = nodeIDs.sorted().map { id -> DotNode in
            let r: NodeRole = inSet(id) ? role(id) : .excluded
            var tip = id
            var cluster: String?
            if let i = graph.instanceID(id) {
                let service = graph.serviceNames[Int(graph.instanceService[i])]
                if let svc = repo.services[service] {
                    if let name = svc.commonName { tip += " — " + name }
                    cluster = clusterOf(svc.instances[graph.instanceNames[i]]?.location.file ?? svc.location.file)
                }
                tip += graph.instanceEnabled[i] ? " (enabled in the baseline)" : " (disabled in the baseline)"
            }
            let hidden = (folded[id] ?? []).sorted()
            if !hidden.isEmpty {
                tip += "; also names, not needed by the request: " + hidden.map(shortLabel).joined(separator: ", ")
            }
            return DotNode(id: id, label: shortLabel(id), role: r, tooltip: tip,
                           band: bands.isEmpty ? nil : (bands[id] ?? .aboveMultiUser), cluster: cluster, folded: hidden)
        }
        return DotGraph(title: title, nodes: nodes, edges: edges)
    }

    /// The band of every instance that single-user or multi-user needs
    /// through hard edges (require_all, require_any, restarter), empty when
    /// the repository has neither milestone.
    public static func bands(_ graph: DependencyGraph) -> [String: MilestoneBand] {
        var out: [String: MilestoneBand] = [:]
        for (fmri, band) in [("svc:/milestone/single-user:default", MilestoneBand.belowSingleUser),
                             ("svc:/milestone/multi-user:default", .singleToMultiUser)] {
            guard let start = graph.instanceID(fmri) else { continue }
            var seen: Set<Int> = [start]
            var stack = [start]
            while let i = stack.popLast() {
                if out[graph.instanceFMRIs[i]] == nil { out[graph.instanceFMRIs[i]] = band }
                graph.forEachInstanceEdge(from: i, groupings: [.requireAll, .requireAny]) { _, _, t in
                    if seen.insert(t).inserted { stack.append(t) }
                }
            }
        }
        return out
    }

    /// The cluster of a manifest path: its package, or its corpus.
    private func clusterFunction(_ repo: Repository, graph: DependencyGraph) -> (String) -> String? {
        if !packageOf.isEmpty {
            return { packageOf[$0] }
        }
        guard corpora.count > 1 else { return { _ in nil } }
        // The corpus that delivers single-user is the base system.
        let baseFile = repo.services["milestone/single-user"]?.location.file
        let named = corpora.map { c -> (String, String) in
            let isBase = baseFile.map { Self.isUnder($0, c.prefix) } ?? false
            return (isBase ? "base system: \(c.name)" : c.name, c.prefix)
        }
        return { file in named.first { Self.isUnder(file, $0.1) }?.0 }
    }

    /// True when `file` is `dir` or lies under it.
    static func isUnder(_ file: String, _ dir: String) -> Bool {
        let d = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        return file == d || file.hasPrefix(d + "/")
    }

    /// The instances an entity names: the instance itself, or for a service
    /// those of its instances in `members` when any is, else all of them.
    private func targets(of fmri: FMRI, in graph: DependencyGraph, preferring members: Set<String>?) -> [String] {
        switch fmri {
        case .instance(let s, let i):
            let id = instanceFMRI(s, i)
            return graph.instanceID(id) != nil ? [id] : []
        case .service(let s):
            guard let sid = graph.serviceID(s) else { return [] }
            let all = graph.instances(ofService: sid).map { graph.instanceFMRIs[$0] }
            if let members {
                let chosen = all.filter { members.contains($0) }
                if !chosen.isEmpty { return chosen }
            }
            return all
        case .path:
            return []
        }
    }
}

extension RepositoryDrawing {
    /// The role of any instance in a zone of `ipType`, from the role table
    /// (`ZoneRoles.classify`): how `graph` without `--want` colours the whole
    /// repository. The milestones that run rc scripts (single-user,
    /// multi-user, multi-user-server) count as real work, since without a
    /// zone root nothing is known of their rc directories (`LegacyRC.notKnown`).
    public static func zoneRole(_ fmri: String, ipType: IPType) -> NodeRole {
        ReportBuilder.nodeRole(ZoneRoles.classify(fmri, ipType: ipType).role)
    }
}
