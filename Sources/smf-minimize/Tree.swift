import ArgumentParser
import SMFKit

struct Tree: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, not derived from the type's name: deriving it costs
        // the runtime's reflection at every start (docs/PERFORMANCE.md).
        commandName: "tree",
        abstract: "Draw the closure of the wanted instances as a tree, every edge labelled with its grouping.",
        discussion: """
        Each wanted instance is a root. Below an instance come the closure members it needs \
        (its require_all, require_any and restarter edges, in group-name and manifest \
        order), the files its path dependencies need, and entities that name nothing. Each \
        instance is expanded once; a later occurrence says "(see above)", so shared \
        dependencies and cycles never repeat or loop.

        An instance met first at depth --max-depth (default \(Tree.defaultMaxDepth)) is not expanded: \
        a line "… N more edges below depth D not shown" stands for its children, later occurrences \
        say "(see above)" as usual, and a last line says how many closure members the tree left \
        out. --max-depth 0 draws every level (the text grows with the square of the depth: a chain \
        of n instances needs about 3n² bytes).

        JSON (docs/JSON.md): {"schemaVersion", "nodes": [{"depth", "parent", "kind" (instance | file | unresolved | truncated), \
        "name", "repeated", "edge"}]} in pre-order; "parent" is the index of the parent node (null \
        for a root) and "edge" the edge from it (see 'why --help' for its shape). A "truncated" \
        node stands for the children not drawn below its parent; its "name" says how many.

        Exit status as for 'closure'.

        Examples:
          smf-minimize tree usr/src --want network/ssh
          smf-minimize tree usr/src --want telnet --format json
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: ArgumentHelp("Expand instances down to this depth; 0 draws every level.", valueName: "n"))
    var maxDepth: Int = Tree.defaultMaxDepth
    @Option(help: "Output format.") var format: OutputFormat = .text

    /// Far deeper than the closures of real systems (the deepest tree of
    /// the illumos-gate and oi-userland manifests, multi-user-server's, is
    /// 9 deep), shallow enough that a chain of any length prints about
    /// 12 KB: 65 lines of at most 256 bytes of indentation.
    static let defaultMaxDepth = 64

    func validate() throws {
        if maxDepth < 0 { throw ValidationError("--max-depth: \(maxDepth) is negative; give a depth, or 0 for every level") }
    }

    // Checked in run(), not validate(): the argument parser runs validate()
    // before it reports an unknown option, so a misspelt '--wnat' would be
    // reported as a missing --want.
    func run() throws {
        let session = input.session(wanted: try request.graphRequest, detail: .structure)
        let closure = try session.closure()
        let nodes = try session.graph().tree(of: closure, maxDepth: maxDepth == 0 ? nil : maxDepth)
        let report = TreeReport(nodes)
        if format == .json {
            emit(report.json.versioned.render())
        } else {
            var text = report.text
            if nodes.contains(where: { $0.kind == .truncated }) {
                var shown = Set<String>()
                for n in nodes where n.kind == .instance { shown.insert(n.name) }
                let hidden = closure.members.count - shown.count
                text += "(depth limited to \(maxDepth): \(hidden) of \(closure.members.count) closure members not shown; "
                    + "--max-depth 0 draws every level)\n"
            }
            emit(text)
        }
        try finish(Outcome(try session.repository(), closure: closure))
    }
}
