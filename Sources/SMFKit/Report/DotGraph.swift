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

/// What kind of edge: a dependency of one `Grouping` (the model's type, so
/// that a grouping has one name everywhere), or the restarter edge, which is
/// not a dependency group and has no grouping.
public enum EdgeKind: Sendable, Hashable, CaseIterable, RawRepresentable {
    case dependency(Grouping)
    case restarter

    public static let requireAll = EdgeKind.dependency(.requireAll)
    public static let requireAny = EdgeKind.dependency(.requireAny)
    public static let optionalAll = EdgeKind.dependency(.optionalAll)
    public static let excludeAll = EdgeKind.dependency(.excludeAll)

    public static var allCases: [EdgeKind] { Grouping.allCases.map { .dependency($0) } + [.restarter] }

    public init(_ g: Grouping) { self = .dependency(g) }

    /// `require_all` ... `exclude_all`, or `restarter`.
    public init?(rawValue: String) {
        if rawValue == "restarter" { self = .restarter; return }
        guard let g = Grouping(rawValue: rawValue) else { return nil }
        self = .dependency(g)
    }

    public var rawValue: String {
        switch self {
        case .dependency(let g): g.rawValue
        case .restarter: "restarter"
        }
    }

    var legendColor: String {
        switch self {
        case .dependency(.requireAll): "#333333"
        case .dependency(.requireAny): "#2171b5"
        case .dependency(.optionalAll): "#999999"
        case .dependency(.excludeAll): "#cb181d"
        case .restarter: "#6a51a3"
        }
    }

    var legendGlyph: String {
        switch self {
        case .dependency(.requireAll): "───▶"
        case .dependency(.requireAny): "- - ▶"
        case .dependency(.optionalAll): "····▶"
        case .dependency(.excludeAll): "───┤"
        case .restarter: "━━━▶"
        }
    }

    var legendText: String {
        switch self {
        case .dependency(.requireAll): "require_all: needs every entity"
        case .dependency(.requireAny): "require_any: needs one of them"
        case .dependency(.optionalAll): "optional_all: used when enabled"
        case .dependency(.excludeAll): "exclude_all: must not run"
        case .restarter: "restarter: delegated to it"
        }
    }

    var attributes: String {
        switch self {
        case .dependency(.requireAll): "color=\"#333333\""
        case .dependency(.requireAny): "color=\"#2171b5\", style=dashed"
        case .dependency(.optionalAll): "color=\"#999999\", style=dotted"
        case .dependency(.excludeAll): "color=\"#cb181d\", arrowhead=tee"
        case .restarter: "color=\"#6a51a3\", penwidth=2"
        }
    }
}

/// Where an instance stands against the two milestones a zone boots
/// through (usr/src/cmd/svc/milestone/single-user.xml, multi-user.xml): the
/// drawing ranks the bands apart, so a picture reads from the request down
/// to what single-user already needs.
public enum MilestoneBand: Int, Sendable, Hashable, CaseIterable, Comparable {
    /// Needed by milestone/single-user (and single-user itself).
    case belowSingleUser
    /// Needed by milestone/multi-user but not by single-user.
    case singleToMultiUser
    /// Neither: above multi-user.
    case aboveMultiUser

    public static func < (a: MilestoneBand, b: MilestoneBand) -> Bool { a.rawValue < b.rawValue }

    public var title: String {
        switch self {
        case .belowSingleUser: "below single-user"
        case .singleToMultiUser: "between single-user and multi-user"
        case .aboveMultiUser: "above multi-user"
        }
    }

    var fill: String {
        switch self {
        case .belowSingleUser: "#f7f7f2"
        case .singleToMultiUser: "#f2f6fa"
        case .aboveMultiUser: "#fbf6f1"
        }
    }
}

/// A node of a drawing.
public struct DotNode: Sendable, Hashable {
    public var id: String
    public var label: String
    public var role: NodeRole
    public var tooltip: String
    /// Its milestone band, when the drawing ranks by milestone.
    public var band: MilestoneBand?
    /// The corpus or package it comes from, when the drawing clusters by one.
    public var cluster: String?
    /// The excluded neighbours folded into this node's label (`+3 not needed`).
    public var folded: [String]
    public init(id: String, label: String, role: NodeRole, tooltip: String,
                band: MilestoneBand? = nil, cluster: String? = nil, folded: [String] = []) {
        self.id = id
        self.label = label
        self.role = role
        self.tooltip = tooltip
        self.band = band
        self.cluster = cluster
        self.folded = folded
    }

    /// The label as drawn: with the count of folded neighbours on a second line.
    public var drawnLabel: String {
        folded.isEmpty ? label : label + "\n+\(folded.count) not needed"
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
        let bands = Set(nodes.compactMap(\.band))
        let clusters = Set(nodes.compactMap(\.cluster))
        if bands.count > 1 || clusters.count > 1 {
            // Bands are outer clusters, corpora (or packages) inner ones.
            for (b, band) in ([nil] + MilestoneBand.allCases.map { Optional($0) }).enumerated() {
                let inBand = nodesInOrder.filter { bands.count > 1 ? $0.band == band : band == nil }
                if inBand.isEmpty { continue }
                var indent = "  "
                if let band, bands.count > 1 {
                    out += "  subgraph cluster_b\(b) {\n    label=\(quote(band.title)); style=filled; fillcolor=\"\(band.fill)\"; color=\"#cccccc\"; fontsize=11; labeljust=l;\n"
                    indent = "    "
                }
                let names = clusters.count > 1 ? ([nil] + clusters.sorted().map { Optional($0) }) : [nil]
                for (c, name) in names.enumerated() {
                    let part = inBand.filter { clusters.count > 1 ? $0.cluster == name : true }
                    if part.isEmpty { continue }
                    var inner = indent
                    if let name {
                        out += "\(indent)subgraph cluster_b\(b)_c\(c) {\n\(indent)  label=\(quote(name)); style=\"rounded,dashed\"; color=\"#aaaaaa\"; fontsize=10; labeljust=l;\n"
                        inner = indent + "  "
                    }
                    for n in part { nodeLine(n, indent: inner, into: &out); if out.utf8.count >= Self.chunk { write(out); out = "" } }
                    if name != nil { out += "\(indent)}\n" }
                }
                if band != nil && bands.count > 1 { out += "  }\n" }
            }
            // Bands left to right from the request: an invisible edge from each
            // band's first node to the next band's keeps dot's ranks in that order.
            let firsts = MilestoneBand.allCases.reversed().compactMap { b in nodesInOrder.first { $0.band == b } }
            if bands.count > 1 {
                for (a, b) in zip(firsts, firsts.dropFirst()) { out += "  \(quote(a.id)) -> \(quote(b.id)) [style=invis];\n" }
            }
        } else {
            for n in nodesInOrder {
                nodeLine(n, indent: "  ", into: &out)
                if out.utf8.count >= Self.chunk { write(out); out = "" }
            }
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

    private func nodeLine(_ n: DotNode, indent: String, into out: inout String) {
        var attrs = "label=\(quote(n.drawnLabel)), fillcolor=\"\(n.role.fill)\", tooltip=\(quote(n.tooltip))"
        if n.role == .excluded { attrs += ", style=\"rounded,dashed\", fontcolor=\"#777777\", color=\"#999999\"" }
        if n.role == .wanted { attrs += ", penwidth=2" }
        out += "\(indent)\(quote(n.id)) [\(attrs)];\n"
    }

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
