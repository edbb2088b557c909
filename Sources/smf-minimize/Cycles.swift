import ArgumentParser
import SMFKit

struct Cycles: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, not derived from the type's name: deriving it costs
        // the runtime's reflection at every start (docs/PERFORMANCE.md).
        commandName: "cycles",
        abstract: "Find dependency cycles: groups of instances that depend on each other.",
        discussion: """
        Looks at the full graph: every grouping but exclude_all, dependents and restarter \
        edges included, and an entity naming a service giving an edge to each of its \
        instances (as svc.startd does). Every strongly connected component of more than one \
        instance, and every instance with an edge to itself, is a cycle. svc.startd refuses \
        the edge that would close a cycle and puts the instance in maintenance, so a cycle \
        is an error of the manifests ('lint' reports each one as SMF050).

        JSON (docs/JSON.md): {"schemaVersion", "cycles": [[member FMRIs, sorted], ...], "edges": [[edge, ...], ...]} where \
        edges[k] are the edges between the members of cycles[k] (see 'why --help' for the \
        shape of an edge). Cycles are sorted by their first member.

        Exit status: 0 no cycle; 1 cycles found; 2 an input could not be read.

        Examples:
          smf-minimize cycles usr/src
          smf-minimize cycles /zone/root/lib/svc/manifest --format json
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let session = input.session(detail: .structure)
        let repo = try session.repository()
        let report = CyclesReport(try session.graph().cycles())
        emit(format == .json ? report.json.versioned.render() : report.text)
        try finish(Outcome(repo, findings: !report.cycles.isEmpty))
    }
}
