/// The layout the project computes itself when a drawing is past what
/// Graphviz's dot lays out in a few seconds (`PictureMaker`): nodes in
/// layers by their depth from the request (from the nodes nothing points at
/// when there is no request), left to right as dot's `rankdir=LR` draws
/// them, ordered within a layer by the barycentre of their neighbours
/// (a few sweeps down and up, ties by name), edges as curves. The SVG has
/// the same structure as Graphviz's (`g.node` and `g.edge` holding a
/// `title`), so the report page's script works on either.
public struct LayeredLayout: Sendable {
    public struct Placed: Sendable, Hashable {
        public var id: String
        public var layer: Int
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
    }

    public let drawing: DotGraph
    /// Every node, with its layer and box (top-left corner, in pt).
    public private(set) var placed: [Placed] = []
    public private(set) var width: Double = 0
    public private(set) var height: Double = 0

    static let fontSize = 10.0
    static let charWidth = 6.0
    static let rowGap = 10.0
    static let layerGap = 70.0
    static let margin = 20.0
    static let titleHeight = 28.0

    public init(_ drawing: DotGraph, sweeps: Int = 4) {
        self.drawing = drawing
        let ids = drawing.nodes.map(\.id).sorted()
        var index: [String: Int] = [:]
        for (k, id) in ids.enumerated() { index[id] = k }
        var succ = [[Int]](repeating: [], count: ids.count)
        var pred = [[Int]](repeating: [], count: ids.count)
        for e in drawing.edges {
            guard let f = index[e.from], let t = index[e.to], f != t else { continue }
            succ[f].append(t)
            pred[t].append(f)
        }
        // Depth by breadth-first search from the roots; what they do not reach
        // starts again from its first unreached node, one layer right of the deepest.
        let byID = Dictionary(drawing.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var roots = ids.indices.filter { byID[ids[$0]]?.role == .wanted }
        if roots.isEmpty { roots = ids.indices.filter { pred[$0].isEmpty } }
        var depth = [Int](repeating: -1, count: ids.count)
        var queue: [Int] = []
        func bfs(_ starts: [Int], at level: Int) {
            queue = []
            for s in starts where depth[s] < 0 { depth[s] = level; queue.append(s) }
            var head = 0
            while head < queue.count {
                let n = queue[head]; head += 1
                for t in succ[n] where depth[t] < 0 { depth[t] = depth[n] + 1; queue.append(t) }
            }
        }
        bfs(roots, at: 0)
        while let unreached = depth.firstIndex(of: -1) { bfs([unreached], at: 0) }
        let layerCount = (depth.max() ?? -1) + 1
        var layers = [[Int]](repeating: [], count: layerCount)
        for n in ids.indices { layers[depth[n]].append(n) }
        // Crossing reduction: order each layer by the mean position of its
        // neighbours in the layer before (down sweeps) or after (up sweeps).
        var position = [Double](repeating: 0, count: ids.count)
        func number() { for l in layers { for (k, n) in l.enumerated() { position[n] = Double(k) } } }
        number()
        func reorder(_ l: Int, by neighbours: [[Int]], in other: Int) {
            let keyed = layers[l].map { n -> (Double, Int) in
                let near = neighbours[n].filter { depth[$0] == other }
                let key = near.isEmpty ? position[n] : near.map { position[$0] }.reduce(0, +) / Double(near.count)
                return (key, n)
            }
            layers[l] = keyed.sorted { ($0.0, ids[$0.1]) < ($1.0, ids[$1.1]) }.map(\.1)
            for (k, n) in layers[l].enumerated() { position[n] = Double(k) }
        }
        for _ in 0..<sweeps {
            if layerCount > 1 {
                for l in 1..<layerCount { reorder(l, by: pred, in: l - 1) }
                for l in stride(from: layerCount - 2, through: 0, by: -1) { reorder(l, by: succ, in: l + 1) }
            }
        }
        // Boxes: one column per layer, each layer centred vertically.
        func size(_ n: Int) -> (Double, Double) {
            let node = byID[ids[n]]
            let lines = (node?.drawnLabel ?? ids[n]).split(separator: "\n", omittingEmptySubsequences: false)
            let longest = lines.map(\.count).max() ?? 1
            return (Double(longest) * Self.charWidth + 16, Double(lines.count) * 13 + 9)
        }
        var columnHeights: [Double] = []
        var columnWidths: [Double] = []
        for l in layers {
            columnWidths.append(l.map { size($0).0 }.max() ?? 0)
            columnHeights.append(l.map { size($0).1 + Self.rowGap }.reduce(0, +))
        }
        let tallest = columnHeights.max() ?? 0
        var x = Self.margin
        var out: [Placed] = []
        for (li, l) in layers.enumerated() {
            var y = Self.margin + Self.titleHeight + (tallest - columnHeights[li]) / 2
            for n in l {
                let (w, h) = size(n)
                out.append(Placed(id: ids[n], layer: li, x: x + (columnWidths[li] - w) / 2, y: y, width: w, height: h))
                y += h + Self.rowGap
            }
            x += columnWidths[li] + Self.layerGap
        }
        placed = out.sorted { $0.id < $1.id }
        width = max(x - Self.layerGap + Self.margin, 300)
        height = tallest + 2 * Self.margin + Self.titleHeight
    }

    /// The picture as SVG (1 unit = 1 pt, as Graphviz writes it).
    public func svg() -> String {
        let at = Dictionary(placed.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let byID = Dictionary(drawing.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let w = Int(width.rounded(.up)), h = Int(height.rounded(.up))
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
        out += "<svg width=\"\(w)pt\" height=\"\(h)pt\" viewBox=\"0.00 0.00 \(w).00 \(h).00\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
        out += "<!-- laid out by smf-minimize (layered by depth from the request): the drawing is past what dot lays out in seconds -->\n"
        out += "<defs>\n"
        for k in EdgeKind.allCases {
            out += "<marker id=\"arrow-\(k.rawValue)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\">"
            out += k == .excludeAll ? "<path d=\"M 8 0 L 8 10\" stroke=\"\(k.legendColor)\" stroke-width=\"2\"/>" : "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"\(k.legendColor)\"/>"
            out += "</marker>\n"
        }
        out += "</defs>\n"
        out += "<g id=\"graph0\" class=\"graph\">\n<title>smf</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"white\"/>\n"
        out += "<text x=\"\(Self.margin)\" y=\"\(Self.margin + 12)\" font-family=\"Helvetica,sans-Serif\" font-size=\"12.00\">\(Escape.xmlText(drawing.title))</text>\n"
        let edges = drawing.edges.sorted { ($0.from, $0.to, $0.kind.rawValue) < ($1.from, $1.to, $1.kind.rawValue) }
        for (k, e) in edges.enumerated() {
            guard let a = at[e.from], let b = at[e.to] else { continue }
            let forward = b.layer > a.layer
            let x1 = forward ? a.x + a.width : a.x + a.width / 2, y1 = forward ? a.y + a.height / 2 : a.y + a.height
            let x2 = forward ? b.x : b.x + b.width / 2, y2 = forward ? b.y + b.height / 2 : b.y
            let bend = forward ? (x2 - x1) / 2 : 40
            let c1 = forward ? "\(f(x1 + bend)),\(f(y1))" : "\(f(x1 + bend)),\(f(y1 + bend))"
            let c2 = forward ? "\(f(x2 - bend)),\(f(y2))" : "\(f(x2 + bend)),\(f(y2 - bend))"
            var style = "stroke=\"\(e.kind.legendColor)\" fill=\"none\""
            switch e.kind {
            case .dependency(.requireAny): style += " stroke-dasharray=\"5,2\""
            case .dependency(.optionalAll): style += " stroke-dasharray=\"1,3\""
            case .restarter: style += " stroke-width=\"2\""
            default: break
            }
            out += "<g id=\"edge\(k + 1)\" class=\"edge\"><title>\(Escape.xmlText(e.from + "->" + e.to))</title>"
            out += "<path \(style) marker-end=\"url(#arrow-\(e.kind.rawValue))\" d=\"M\(f(x1)),\(f(y1)) C\(c1) \(c2) \(f(x2)),\(f(y2))\"><title>\(Escape.xmlText(e.tooltip))</title></path></g>\n"
        }
        for (k, p) in placed.enumerated() {
            guard let n = byID[p.id] else { continue }
            let stroke = n.role == .excluded ? "#999999\" stroke-dasharray=\"4,2" : "#333333"
            out += "<g id=\"node\(k + 1)\" class=\"node\"><title>\(Escape.xmlText(n.id))</title>"
            out += "<rect x=\"\(f(p.x))\" y=\"\(f(p.y))\" width=\"\(f(p.width))\" height=\"\(f(p.height))\" rx=\"4\" fill=\"\(n.role.fill)\" stroke=\"\(stroke)\"\(n.role == .wanted ? " stroke-width=\"2\"" : "")><title>\(Escape.xmlText(n.tooltip))</title></rect>"
            let lines = n.drawnLabel.split(separator: "\n", omittingEmptySubsequences: false)
            for (li, line) in lines.enumerated() {
                let ty = p.y + 4 + Self.fontSize + Double(li) * 13
                out += "<text text-anchor=\"middle\" x=\"\(f(p.x + p.width / 2))\" y=\"\(f(ty))\" font-family=\"Helvetica,sans-Serif\" font-size=\"10.00\"\(n.role == .excluded ? " fill=\"#777777\"" : "")>\(Escape.xmlText(String(line)))</text>"
            }
            out += "</g>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }

    private func f(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

/// Where the picture of a drawing comes from: Graphviz's dot up to the size
/// it lays out in a few seconds, the project's `LayeredLayout` past it (or
/// when dot is missing or fails), nothing past `maxFallbackNodes`.
///
/// Measured with `time dot -Tsvg` on this machine (docs/PLAN.md, "Pictures"):
/// the whole illumos base, 201 nodes and 514 edges, 1.1 s; illumos and
/// oi-userland, 317 nodes and 880 edges, 3.6 s; a synthetic tree of 127
/// nodes and 594 edges 2.0 s, of 268 nodes and 1842 edges more than 60 s.
/// Edges cost dot more than nodes, so both are bounded.
public enum PictureMaker {
    public static let maxDotNodes = 400
    public static let maxDotEdges = 1000
    /// Past this the fallback SVG itself is too big to be worth drawing.
    public static let maxFallbackNodes = 5000
    public static let maxFallbackEdges = 50000

    public enum Source: String, Sendable { case graphviz, layered }

    /// The picture, where it came from, and a note saying why dot was not used (nil when it was).
    public struct Picture: Sendable {
        public var svg: String
        public var source: Source
        public var note: String?
    }

    /// True when dot is asked for this drawing.
    public static func fitsDot(_ g: DotGraph) -> Bool {
        g.nodes.count <= maxDotNodes && g.edges.count <= maxDotEdges
    }

    /// `dot` renders DOT text to SVG, or says why it could not.
    public static func picture(_ g: DotGraph, dotText: String, dot: (String) -> Result<String, PictureError>) -> Result<Picture, PictureError> {
        var why: String
        if fitsDot(g) {
            switch dot(dotText) {
            case .success(let s): return .success(Picture(svg: s, source: .graphviz, note: nil))
            case .failure(let e): why = e.description
            }
        } else {
            why = "the drawing has \(g.nodes.count) nodes and \(g.edges.count) edges, more than dot lays out in a few seconds (\(maxDotNodes) nodes, \(maxDotEdges) edges)"
        }
        guard g.nodes.count <= maxFallbackNodes && g.edges.count <= maxFallbackEdges else {
            return .failure(PictureError("\(why), and more than the project's own layout draws legibly (\(maxFallbackNodes) nodes, \(maxFallbackEdges) edges)"))
        }
        return .success(Picture(svg: LayeredLayout(g).svg(), source: .layered, note: why))
    }
}

public struct PictureError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
