/// Builds a `DotGraph` from a repository: the instances of `members` (all
/// instances when nil), optionally with their nearest neighbours outside the
/// set, every edge labelled with its grouping and origin.
public struct RepositoryDrawing: Sendable {
    public var groupings: Set<EdgeKind> = Set(EdgeKind.allCases)
    /// Keep only edges whose source is one of these instances (full FMRIs,
    /// as `RequestResolver` resolved them); empty keeps every source.
    public var from: Set<String> = []
    /// Keep only edges whose target is one of these instances.
    public var to: Set<String> = []
    /// Add the instances one edge away from the members, drawn as excluded.
    public var neighbours = false

    public init() {}

    public func draw(_ repo: Repository, members: Set<String>?, title: String,
                     role: (String) -> NodeRole = { _ in .daemon }) -> DotGraph {
        let inSet: (String) -> Bool = { members?.contains($0) ?? true }
        var edges: [DotEdge] = []
        var nodeIDs = Set<String>()
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
                    for target in targets(of: e.fmri, in: repo, preferring: members) {
                        outgoing.append((target, kind, viaDependent, tip, g))
                    }
                }
            }
            if let r = inst.restarter, groupings.contains(.restarter), repo.instance(fmri: r.fmri) != nil {
                outgoing.append((r.fmri, .restarter, false, "restarter (declared at \(r.location.short))", nil))
            }
            for (target, kind, via, tip, g) in outgoing {
                let targetIn = inSet(target)
                if !targetIn && !neighbours { continue }
                if !from.isEmpty && !from.contains(inst.fmri) { continue }
                if !to.isEmpty && !to.contains(target) { continue }
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
        let nodes = nodeIDs.sorted().map { id -> DotNode in
            let r: NodeRole = inSet(id) ? role(id) : .excluded
            let inst = repo.instance(fmri: id)
            let name = inst.flatMap { repo.services[$0.service]?.commonName }
            var tip = id
            if let name { tip += " — " + name }
            if let inst { tip += inst.enabled ? " (enabled in the baseline)" : " (disabled in the baseline)" }
            return DotNode(id: id, label: shortLabel(id), role: r, tooltip: tip)
        }
        return DotGraph(title: title, nodes: nodes, edges: edges)
    }

    /// The instances an entity names: the instance itself, or for a service
    /// those of its instances in `members` when any is, else all of them.
    private func targets(of fmri: FMRI, in repo: Repository, preferring members: Set<String>?) -> [String] {
        switch fmri {
        case .instance(let s, let i):
            return repo.instance(s, i) != nil ? [instanceFMRI(s, i)] : []
        case .service(let s):
            guard let svc = repo.services[s] else { return [] }
            let all = svc.instanceOrder.map { instanceFMRI(s, $0) }
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
