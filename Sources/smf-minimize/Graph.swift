import ArgumentParser
import SMFKit

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, not derived from the type's name: deriving it costs
        // the runtime's reflection at every start (docs/PERFORMANCE.md).
        commandName: "graph",
        abstract: "Draw the dependency graph as Graphviz DOT.",
        discussion: """
        Prints DOT for the whole repository, or with --want for the closure of a request with \
        its nearest excluded neighbours (dashed), nodes coloured by what they do in the zone \
        (requested, SMF plumbing, setup, real work, no-op, failing; for the whole repository by \
        the role table, docs/PLAN.md), ranked in bands by milestone and clustered by input path \
        (docs/PLAN.md, "Pictures"). With --svg it prints the picture: Graphviz's dot up to 400 \
        nodes and 1,000 edges, past that a layered layout of its own. Edges go from an instance to what it needs and \
        are styled by grouping: require_all solid, require_any dashed blue, optional_all dotted \
        grey, exclude_all red with a bar, the restarter edge thick purple; an edge that a \
        <dependent> of the target created has a circle at its tail. Each node and edge has a \
        tooltip with the group name, restart_on and file:line (visible in SVG).

        JSON (docs/JSON.md): {"schemaVersion", "title", "nodes": [{"id", "label", "role", "colour", \
        "tooltip"}], "edges": [{"from", "to", "grouping", "group", "origin", "declarer", "viaDependent", \
        "file", "line"}]}, the same nodes and edges as the DOT.

        Examples:
          smf-minimize graph manifests/lib/svc/manifest --svg > graph.svg
          smf-minimize graph --root /zones/web/root --want nginx | dot -Tsvg > nginx.svg
          smf-minimize graph --to 'svc:/milestone/*' --grouping require_all /usr/src
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: ArgumentHelp("Keep only edges from these instances, named as --want names them: FMRI, glob or abbreviation (repeatable); a name that matches nothing is an error.", valueName: "name"))
    var from: [String] = []
    @Option(help: ArgumentHelp("Keep only edges to these instances, named as --want names them (repeatable); a name that matches nothing is an error.", valueName: "name"))
    var to: [String] = []
    @Option(help: ArgumentHelp("Draw only these edge kinds, comma-separated: require_all, require_any, optional_all, exclude_all, restarter.",
                               valueName: "kinds"))
    var grouping: String?
    @Flag(help: "Leave the legend out.") var noLegend = false
    @Flag(help: "Print the picture as SVG instead of DOT: Graphviz's dot while it lays the drawing out in seconds, past that smf-minimize's own layered layout.")
    var svg = false
    @Option(name: .customLong("want"), help: ArgumentHelp("Draw the closure of these instances or services (repeatable).", valueName: "fmri"))
    var wants: [String] = []
    @Option(help: "The zone's IP type, for the node colours of a closure (default: from --zonecfg, else shared).")
    var ipType: IPType?
    @Option(help: "Output format: text (Graphviz DOT) or json (the same nodes and edges, see docs/JSON.md).") var format: OutputFormat = .text

    func run() throws {
        var drawing = RepositoryDrawing()
        if let grouping {
            var kinds = Set<EdgeKind>()
            for raw in grouping.split(separator: ",") {
                guard let k = EdgeKind(rawValue: String(raw)) else {
                    throw ValidationError("--grouping: '\(raw)' is not one of \(EdgeKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kinds.insert(k)
            }
            drawing.groupings = kinds
        }
        let session = input.session(wanted: wants, ipType: ipType)
        if !wants.isEmpty {
            let analysis = try session.analysis()
            drawing.from = try session.instanceSet(from, option: "--from")
            drawing.to = try session.instanceSet(to, option: "--to")
            // The roles only: colouring nodes needs no method analysis.
            let roles = try session.nodeRoles()
            drawing.neighbours = from.isEmpty && to.isEmpty
            let title = "What \(wants.joined(separator: ", ")) needs: \(analysis.closure.members.count) instances"
            let g = drawing.draw(analysis.repo, graph: analysis.graph, members: Set(analysis.closure.members), title: title) { roles[$0]?.0 ?? .daemon }
            try output(g)
            try finish(Outcome(analysis.repo, closure: analysis.closure))
            return
        }
        let repo = try session.repository()
        let graph = try session.graph()
        if !from.isEmpty || !to.isEmpty {
            drawing.from = try session.instanceSet(from, option: "--from")
            drawing.to = try session.instanceSet(to, option: "--to")
        }
        drawing.corpora = input.paths.map { ($0, $0) }
        let zoneIP = try session.ipType()
        let g = drawing.draw(repo, graph: graph, members: nil,
                             title: "SMF dependency graph: \(repo.counts.instances) instances, coloured by role in a \(zoneIP.rawValue)-IP zone") {
            RepositoryDrawing.zoneRole($0, ipType: zoneIP)
        }
        try output(g)
        try finish(Outcome(repo))
    }

    private func output(_ g: DotGraph) throws {
        if format == .json { emit(g.json.versioned.render()); return }
        guard svg else { g.render(legend: !noLegend) { emit($0) }; return }
        switch PictureMaker.picture(g, dotText: g.render(legend: !noLegend), dot: { Graphviz.svg($0).mapError { PictureError($0.description) } }) {
        case .success(let p): emit(p.svg)
        case .failure(let why): throw ValidationError("no picture: \(why); draw a part with --want, --from or --to")
        }
    }
}
