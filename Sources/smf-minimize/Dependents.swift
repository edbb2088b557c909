import ArgumentParser
import SMFKit

struct Dependents: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, not derived from the type's name: deriving it costs
        // the runtime's reflection at every start (docs/PERFORMANCE.md).
        commandName: "dependents",
        abstract: "What stops working if an instance is disabled: every baseline-enabled instance that needs it.",
        discussion: """
        Starts from --target and follows hard edges backwards, transitively. An instance \
        enabled in the baseline breaks when one of its require_all groups (or its restarter \
        edge) names a broken instance, or names a service none of whose other instances is \
        enabled and unbroken; or when one of its require_any groups has no satisfiable entity \
        left (an enabled unbroken instance, a service with one, or a file). optional_all and \
        exclude_all groups never break anything. Dependents declared by other services count \
        as dependencies of their target, as svccfg makes them.

        JSON (docs/JSON.md): {"schemaVersion", "target", "dependents": [{"instance", "depth", "edge"}]}, sorted by instance; \
        "edge" ({"from", "to", "entity", "group", "grouping", "restart_on", "origin", \
        "declarer", "file", "line"}) is the edge through which the instance breaks, and \
        "depth" is 1 for a direct dependent.

        Examples:
          smf-minimize dependents usr/src --target network/npiv_config
          smf-minimize dependents usr/src --target svc:/network/inetd:default --format json
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: ArgumentHelp("The instance that would be disabled.", valueName: "fmri")) var target: String
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let session = input.session(detail: .structure)
        let graph = try session.graph()
        let (_, id) = try session.resolveSingle(target, option: "--target")
        let report = DependentsReport(target: graph.instanceFMRIs[id], dependents: graph.dependents(of: id))
        emit(format == .json ? report.json.versioned.render() : report.text)
        try finish(Outcome(try session.repository()))
    }
}
