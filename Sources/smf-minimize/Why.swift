import ArgumentParser
import SMFKit

struct Why: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, not derived from the type's name: deriving it costs
        // the runtime's reflection at every start (docs/PERFORMANCE.md).
        commandName: "why",
        abstract: "Explain why an instance is in the closure: one shortest chain of edges from a wanted instance.",
        discussion: """
        Computes the closure of the --want instances (see 'closure --help'), then prints one \
        shortest chain (breadth-first, deterministic: requested instances in FMRI order, edges \
        in group-name and manifest order) from a wanted instance to --target. Each step names \
        the group, its grouping, restart_on, whether it is a dependency, a dependent declared \
        by another service or the restarter edge, and the file:line it was written at.

        When the target is not in the closure, it says so, and shows the shortest way from \
        the closure to it over the edges the closure does not follow (optional_all groups, \
        alternatives of require_any groups), marking the edge that leaves the closure, plus \
        every edge from a member straight to the target.

        JSON (docs/JSON.md): {"schemaVersion", "target", "status" (requested | inClosure | reachable | unreachable), \
        "inClosure", "requested": [FMRI...], "chain": [edge...], "leavesClosureAt": int or \
        null, "directEdges": [edge...]}, where an edge is {"from", "to", "entity", "group", \
        "grouping", "restart_on", "origin", "declarer", "file", "line"}.

        Exit status: 0 the target is in the closure; 1 it is not; 2 an input could not be \
        read; 64 bad usage.

        Examples:
          smf-minimize why usr/src --want network/ssh --target system/filesystem/local
          smf-minimize why usr/src --want ssh --target network/physical:nwam --format json
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: ArgumentHelp("The instance to explain.", valueName: "fmri")) var target: String
    @Option(help: "Output format.") var format: OutputFormat = .text

    // Checked in run(), not validate(): the argument parser runs validate()
    // before it reports an unknown option, so a misspelt '--wnat' would be
    // reported as a missing --want.
    func run() throws {
        let session = input.session(wanted: try request.graphRequest, detail: .structure)
        let closure = try session.closure()
        let (_, targetID) = try session.resolveSingle(target, option: "--target")
        let answer = try session.graph().why(targetID, in: closure)
        let report = WhyReport(answer, closure: closure, requests: try session.requests())
        emit(format == .json ? report.json.versioned.render() : report.text)
        try finish(Outcome(try session.repository(), closure: closure, findings: answer.status != .inClosure && answer.status != .requested))
    }
}
