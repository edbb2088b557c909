import ArgumentParser
import SMFKit

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the dependency graph as Graphviz DOT.",
        discussion: """
        Prints DOT for the whole repository. Edges go from an instance to what it needs and \
        are styled by grouping: require_all solid, require_any dashed blue, optional_all dotted \
        grey, exclude_all red with a bar, the restarter edge thick purple; an edge that a \
        <dependent> of the target created has a circle at its tail. Each node and edge has a \
        tooltip with the group name, restart_on and file:line (visible in SVG).

        Examples:
          smf-minimize graph manifests/lib/svc/manifest | dot -Tsvg > graph.svg
          smf-minimize graph --to 'svc:/milestone/*' --grouping require_all /usr/src
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: ArgumentHelp("Keep only edges whose source FMRI matches this glob (repeatable).", valueName: "glob"))
    var from: [String] = []
    @Option(help: ArgumentHelp("Keep only edges whose target FMRI matches this glob (repeatable).", valueName: "glob"))
    var to: [String] = []
    @Option(help: ArgumentHelp("Draw only these edge kinds, comma-separated: require_all, require_any, optional_all, exclude_all, restarter.",
                               valueName: "kinds"))
    var grouping: String?
    @Flag(help: "Leave the legend out.") var noLegend = false

    func run() throws {
        var drawing = RepositoryDrawing()
        drawing.from = from
        drawing.to = to
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
        let repo = try input.load()
        let g = drawing.draw(repo, members: nil, title: "SMF dependency graph: \(repo.counts.instances) instances")
        emit(g.render(legend: !noLegend))
        if inputUnreadable(repo) { throw Exit.unreadable }
    }
}
