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

    var legendColor: String {
        switch self {
        case .requireAll: "#333333"
        case .requireAny: "#2171b5"
        case .optionalAll: "#999999"
        case .excludeAll: "#cb181d"
        case .restarter: "#6a51a3"
        }
    }

    var legendGlyph: String {
        switch self {
        case .requireAll: "───▶"
        case .requireAny: "- - ▶"
        case .optionalAll: "····▶"
        case .excludeAll: "───┤"
        case .restarter: "━━━▶"
        }
    }

    var legendText: String {
        switch self {
        case .requireAll: "require_all: needs every entity"
        case .requireAny: "require_any: needs one of them"
        case .optionalAll: "optional_all: used when enabled"
        case .excludeAll: "exclude_all: must not run"
        case .restarter: "restarter: delegated to it"
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
    /// The dependency group's name ("" for the restarter edge).
    public var group: String
    /// dependency, dependent or restarter.
    public var origin: String
    /// The service whose `<dependent>` made the edge.
    public var declarer: String?
    /// Where the group (or the restarter) was declared.
    public var location: SourceLocation?
    public init(from: String, to: String, kind: EdgeKind, viaDependent: Bool, tooltip: String,
                group: String = "", origin: String = "dependency", declarer: String? = nil, location: SourceLocation? = nil) {
        self.from = from
        self.to = to
        self.kind = kind
        self.viaDependent = viaDependent
        self.tooltip = tooltip
        self.group = group
        self.origin = origin
        self.declarer = declarer
        self.location = location
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
        var whole = ""
        render(legend: legend) { whole += $0 }
        return whole
    }

    /// The same text handed to `write` in pieces of about 1 MiB, so that a
    /// drawing of millions of edges is never held whole in memory.
    public func render(legend: Bool = true, to write: (String) -> Void) {
        var out = "digraph smf {\n"
        out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=\(quote(title)), nodesep=0.15, ranksep=0.6];\n"
        out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, height=0.3];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.6];\n"
        for n in nodesInOrder {
            var attrs = "label=\(quote(n.label)), fillcolor=\"\(n.role.fill)\", tooltip=\(quote(n.tooltip))"
            if n.role == .excluded { attrs += ", style=\"rounded,dashed\", fontcolor=\"#777777\", color=\"#999999\"" }
            if n.role == .wanted { attrs += ", penwidth=2" }
            out += "  \(quote(n.id)) [\(attrs)];\n"
            if out.utf8.count >= Self.chunk { write(out); out = "" }
        }
        for e in edgesInOrder {
            var attrs = e.kind.attributes + ", tooltip=\(quote(e.tooltip))"
            if e.viaDependent { attrs += ", arrowtail=odot, dir=both" }
            out += "  \(quote(e.from)) -> \(quote(e.to)) [\(attrs)];\n"
            if out.utf8.count >= Self.chunk { write(out); out = "" }
        }
        if legend {
            let roles = NodeRole.allCases.filter { r in nodes.contains { $0.role == r } }
            let kinds = EdgeKind.allCases.filter { k in edges.contains { $0.kind == k } }
            var rows = "<TR><TD COLSPAN=\"2\"><B>legend</B></TD></TR>"
            for r in roles {
                let border = r == .excluded ? " STYLE=\"dashed\"" : ""
                rows += "<TR><TD BGCOLOR=\"\(r.fill)\"\(border) WIDTH=\"28\"> </TD><TD ALIGN=\"LEFT\">\(r.legend)</TD></TR>"
            }
            for k in kinds {
                rows += "<TR><TD><FONT COLOR=\"\(k.legendColor)\">\(k.legendGlyph)</FONT></TD><TD ALIGN=\"LEFT\">\(k.legendText)</TD></TR>"
            }
            if edges.contains(where: \.viaDependent) {
                rows += "<TR><TD>o──▶</TD><TD ALIGN=\"LEFT\">edge made by a &lt;dependent&gt; of the target</TD></TR>"
            }
            out += "  legend [shape=plaintext, style=\"\", fontsize=9, label=<<TABLE BORDER=\"1\" COLOR=\"#bbbbbb\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">\(rows)</TABLE>>];\n"
        }
        out += "}\n"
        write(out)
    }

    private static let chunk = 1 << 20

    /// The order the DOT text and the JSON list nodes and edges in.
    private var nodesInOrder: [DotNode] { nodes.sorted(by: { $0.id < $1.id }) }
    private var edgesInOrder: [DotEdge] { edges.sorted { ($0.from, $0.to, $0.kind.rawValue) < ($1.from, $1.to, $1.kind.rawValue) } }

    /// The drawing as JSON (docs/JSON.md): `{"title", "nodes": [{"id", "label", "role",
    /// "colour", "tooltip"}], "edges": [{"from", "to", "grouping", "group", "origin",
    /// "declarer", "viaDependent", "file", "line"}]}`, in the order the DOT text uses.
    public var json: JSON {
        .object([
            ("title", .string(title)),
            ("nodes", .array(nodesInOrder.map { n in
                .object([("id", .string(n.id)), ("label", .string(n.label)), ("role", .string(n.role.rawValue)),
                         ("colour", .string(n.role.fill)), ("tooltip", .string(n.tooltip))])
            })),
            ("edges", .array(edgesInOrder.map { e in
                .object([("from", .string(e.from)), ("to", .string(e.to)), ("grouping", .string(e.kind.rawValue)),
                         ("group", .string(e.group)), ("origin", .string(e.origin)), ("declarer", .opt(e.declarer)),
                         ("viaDependent", .bool(e.viaDependent)),
                         ("file", .opt(e.location?.file)), ("line", e.location.map { .int($0.line) } ?? .null)])
            })),
        ])
    }

    private func quote(_ s: String) -> String {
        // Most names need no escape: copy them whole.
        if !s.utf8.contains(where: { $0 == 0x22 || $0 == 0x5c || $0 == 0x0a }) { return "\"" + s + "\"" }
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
