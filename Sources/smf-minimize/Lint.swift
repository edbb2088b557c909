import ArgumentParser
import SMFKit

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, not derived from the type's name: deriving it costs
        // the runtime's reflection at every start (docs/PERFORMANCE.md).
        commandName: "lint",
        abstract: "Report every problem in the manifests, one per line, as file:line:column: severity: CODE: message.",
        discussion: """
        Finds malformed XML, missing or invalid attributes, unknown groupings, invalid FMRIs, \
        dependencies that name nothing, dependents whose target is absent, duplicate \
        definitions, and (with --dtd) everything the DTD rejects. Profiles are not validated \
        against the DTD, as svccfg apply does not validate them. Codes are stable; see \
        docs/DIAGNOSTICS.md.

        Exit status: 0 when there is no error, 1 when there is (or a warning, with --strict), \
        2 when an input could not be read.

        Examples:
          smf-minimize lint --dtd usr/src/cmd/svc/dtd/service_bundle.dtd.1 usr/src
          smf-minimize lint manifests/ --format json --severity warning
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: "Output format.") var format: OutputFormat = .text
    @Option(help: "Show only diagnostics at least this severe (error, warning, note).")
    var severity: String = "note"
    @Flag(help: "Exit 1 on warnings too.") var strict = false

    func run() throws {
        guard let floor = Severity(rawValue: severity) else {
            throw ValidationError("--severity must be error, warning or note, not '\(severity)'")
        }
        // With the dependency cycles (SMF050), which only the graph sees.
        let repo = try input.session(detail: .structure).linted()
        let shown = repo.diagnostics.filter { $0.severity <= floor }
        if format == .json {
            emit(JSON.object([("diagnostics", .array(shown.map(\.json)))]).versioned.render())
        } else {
            emit(shown.map { $0.description + "\n" }.joined())
        }
        try finish(Outcome(repo, findings: strict && repo.diagnostics.contains { $0.severity == .warning }))
    }
}
