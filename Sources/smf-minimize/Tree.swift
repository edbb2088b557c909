import ArgumentParser
import SMFKit

struct Tree: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the closure of the wanted instances as a tree, every edge labelled with its grouping.",
        discussion: """
        Each wanted instance is a root. Below an instance come the closure members it needs \
        (its require_all, require_any and restarter edges, in group-name and manifest \
        order), the files its path dependencies need, and entities that name nothing. Each \
        instance is expanded once; a later occurrence says "(see above)", so shared \
        dependencies and cycles never repeat or loop.

        JSON: {"nodes": [{"depth", "parent", "kind" (instance | file | unresolved), "name", \
        "repeated", "edge"}]} in pre-order; "parent" is the index of the parent node (null \
        for a root) and "edge" the edge from it (see 'why --help' for its shape).

        Exit status as for 'closure'.

        Examples:
          smf-minimize tree usr/src --want network/ssh
          smf-minimize tree usr/src --want telnet --format json
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: "Output format.") var format: OutputFormat = .text

    func validate() throws {
        if request.want.isEmpty { throw ValidationError("name at least one --want FMRI (e.g. --want network/ssh)") }
    }

    func run() throws {
        let (repo, graph, _, closure) = try loadClosure(input, wants: request.want)
        let report = TreeReport(graph.tree(of: closure))
        emit(format == .json ? report.json.render() : report.text)
        if inputUnreadable(repo) { throw Exit.unreadable }
        if !closure.isClean { throw Exit.findings }
    }
}
