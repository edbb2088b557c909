/// How a node is drawn: its role in the zone (see docs/PLAN.md), or
/// `excluded` for a neighbour outside the closure.
public enum NodeRole: String, Sendable, Hashable, CaseIterable {
    case wanted
    case plumbing
    case setup
    case daemon
    case noop
    case failing
    case excluded

    var fill: String {
        switch self {
        case .wanted: "#f4a742"
        case .plumbing: "#d9d9d9"
        case .setup: "#9ecae1"
        case .daemon: "#a1d99b"
        case .noop: "#f0f0f0"
        case .failing: "#fb6a4a"
        case .excluded: "#ffffff"
        }
    }

    var legend: String {
        switch self {
        case .wanted: "requested"
        case .plumbing: "SMF plumbing (milestones, restarters, import)"
        case .setup: "setup a blank zone must replace"
        case .daemon: "does real work (daemon or unknown)"
        case .noop: "no-op in this kind of zone"
        case .failing: "disables itself or fails in a zone"
        case .excluded: "not in the closure (neighbour)"
        }
    }
}

/// What kind of edge: a grouping, or the restarter edge.
public enum EdgeKind: String, Sendable, Hashable, CaseIterable {
    case requireAll = "require_all"
    case requireAny = "require_any"
    case optionalAll = "optional_all"
    case excludeAll = "exclude_all"
    case restarter

    public init(_ g: Grouping) {
        switch g {
        case .requireAll: self = .requireAll
        case .requireAny: self = .requireAny
        case .optionalAll: self = .optionalAll
        case .excludeAll: self = .excludeAll
        }
    }

    var attributes: String {
        switch self {
        case .requireAll: "color=\"#333333\""
        case .requireAny: "color=\"#2171b5\", style=dashed"
        case .optionalAll: "color=\"#999999\", style=dotted"
        case .excludeAll: "color=\"#cb181d\", arrowhead=tee"
        case .restarter: "color=\"#6a51a3\", penwidth=2"
        }
    }
}

/// A node of a drawing.
public struct DotNode: Sendable, Hashable {
    public var id: String
    public var label: String
    public var role: NodeRole
    public var tooltip: String
    public init(id: String, label: String, role: NodeRole, tooltip: String) {
        self.id = id
        self.label = label
        self.role = role
        self.tooltip = tooltip
    }
}

/// An edge of a drawing, from the dependent to its dependency.
public struct DotEdge: Sendable, Hashable {
    public var from: String
    public var to: String
    public var kind: EdgeKind
    /// True when the edge comes from a `<dependent>` of the target (svccfg inverts it).
    public var viaDependent: Bool
    public var tooltip: String
    public init(from: String, to: String, kind: EdgeKind, viaDependent: Bool, tooltip: String) {
        self.from = from
        self.to = to
        self.kind = kind
        self.viaDependent = viaDependent
        self.tooltip = tooltip
    }
}

/// Renders nodes and edges as Graphviz DOT, with a legend. Output is
/// deterministic: nodes and edges sorted.
public struct DotGraph: Sendable {
    public var title: String
    public var nodes: [DotNode]
    public var edges: [DotEdge]

    public init(title: String, nodes: [DotNode], edges: [DotEdge]) {
        self.title = title
        self.nodes = nodes
        self.edges = edges
    }

    public func render(legend: Bool = true) -> String {
        var out = "digraph smf {\n"
        out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=\(quote(title)), nodesep=0.15, ranksep=0.6];\n"
        out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, height=0.3];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.6];\n"
        for n in nodes.sorted(by: { $0.id < $1.id }) {
            var attrs = "label=\(quote(n.label)), fillcolor=\"\(n.role.fill)\", tooltip=\(quote(n.tooltip))"
            if n.role == .excluded { attrs += ", style=\"rounded,dashed\", fontcolor=\"#777777\", color=\"#999999\"" }
            if n.role == .wanted { attrs += ", penwidth=2" }
            out += "  \(quote(n.id)) [\(attrs)];\n"
        }
        let sortedEdges = edges.sorted { ($0.from, $0.to, $0.kind.rawValue) < ($1.from, $1.to, $1.kind.rawValue) }
        for e in sortedEdges {
            var attrs = e.kind.attributes + ", tooltip=\(quote(e.tooltip))"
            if e.viaDependent { attrs += ", arrowtail=odot, dir=both" }
            out += "  \(quote(e.from)) -> \(quote(e.to)) [\(attrs)];\n"
        }
        if legend {
            let roles = NodeRole.allCases.filter { r in nodes.contains { $0.role == r } }
            let kinds = EdgeKind.allCases.filter { k in edges.contains { $0.kind == k } }
            out += "  subgraph cluster_legend {\n"
            out += "    label=\"legend\"; fontsize=10; style=rounded; color=\"#bbbbbb\";\n"
            for r in roles {
                var attrs = "label=\(quote(r.legend)), fillcolor=\"\(r.fill)\""
                if r == .excluded { attrs += ", style=\"rounded,dashed\"" }
                out += "    \"legend_\(r.rawValue)\" [\(attrs)];\n"
            }
            for (i, k) in kinds.enumerated() {
                let a = "legend_edge_\(i)_a", b = "legend_edge_\(i)_b"
                out += "    \"\(a)\" [label=\"\", shape=point, width=0.05];\n"
                out += "    \"\(b)\" [label=\"\", shape=point, width=0.05];\n"
                out += "    \"\(a)\" -> \"\(b)\" [\(k.attributes), label=\"\(k.rawValue)\"];\n"
            }
            if edges.contains(where: \.viaDependent) {
                out += "    \"legend_dep_a\" [label=\"\", shape=point, width=0.05];\n"
                out += "    \"legend_dep_b\" [label=\"\", shape=point, width=0.05];\n"
                out += "    \"legend_dep_a\" -> \"legend_dep_b\" [color=\"#333333\", arrowtail=odot, dir=both, label=\"declared by a <dependent>\"];\n"
            }
            out += "  }\n"
        }
        out += "}\n"
        return out
    }

    private func quote(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}

/// A short label for an instance FMRI: `network/ssh` for `svc:/network/ssh:default`.
public func shortLabel(_ fmri: String) -> String {
    var s = fmri.hasPrefix("svc:/") ? String(fmri.dropFirst(5)) : fmri
    if s.hasSuffix(":default") { s = String(s.dropLast(8)) }
    return s
}
