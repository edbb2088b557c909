import ArgumentParser
import SMFKit

struct Inventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here, not derived from the type's name: deriving it costs
        // the runtime's reflection at every start (docs/PERFORMANCE.md).
        commandName: "inventory",
        abstract: "Count what the manifests hold: files, bundles, services, instances, dependencies.",
        discussion: """
        Reads every PATH and prints what was found. Services and instances are those that \
        manifests and archives define; profiles only change 'enabled'. Dependencies and \
        dependents are counted as written, delete='true' ones included.

        JSON (docs/JSON.md): {"schemaVersion", "counts": {"files", "manifests", "profiles", "archives", "services", \
        "instances", "dependencies", "dependents", "restarters", "baselineEnabled", ...}, \
        "files": [...], "services": [...], "diagnostics": {"errors", "warnings", "notes"}}

        Example:
          smf-minimize inventory /usr/src --format json
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let loaded = try input.session(detail: .structure).input()
        let repo = loaded.repository
        let report = InventoryReport(repo, packages: loaded.packages)
        emit(format == .json ? report.json.versioned.render() : report.text)
        if inputUnreadable(repo) { throw Exit.unreadable }
    }
}
