import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit
#if canImport(Glibc)
import Glibc
private let processExit = Glibc.exit
#elseif canImport(Darwin)
import Darwin
private let processExit = Darwin.exit
#endif

@main
struct SMFMinimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smf-minimize",
        abstract: "Find the smallest set of SMF services an illumos zone needs, and say whether to trim SMF or drop it.",
        discussion: """
        smf-minimize reads illumos SMF service manifests and profiles (XML service_bundle files) \
        offline, on any host, builds the dependency graph that svc.startd would build, and \
        computes the minimal closure of the services you want.

        Inputs: PATHs are manifest files or directories searched for *.xml; --root DIR reads a \
        zone's root (manifests, profile layers, inittab). With no PATH and no --root the \
        commands read the bundled sample zone in manifests/ as a root and say so. See docs/INPUTS.md.

        Start with:
          smf-minimize inventory /path/to/manifests
          smf-minimize lint --dtd service_bundle.dtd.1 /path/to/manifests

        Exit status: 0 success; 1 findings (errors, or warnings with --strict); \
        2 an input could not be read; 64 bad usage. See docs/EXIT-CODES.md.
        """,
        version: "0.1.0",
        subcommands: [Inventory.self, Lint.self, ClosureCommand.self, Why.self, Dependents.self, Tree.self, Cycles.self, Graph.self, ReportCommand.self, PlanCommand.self, ProfileCommand.self, BlankZoneCommand.self, CollectCommand.self, BootCommand.self, AuditCommand.self]
    )

    /// The arguments as the kernel passed them: a PATH holding bytes that
    /// are not UTF-8 (`a\xff.xml`) reaches the open call unchanged.
    ///
    /// An error thrown while a subcommand runs (a bad `--want`, say) is
    /// reported with that subcommand's usage line, not the root's.
    static func main() {
        let arguments = Array(PathName.commandLineArguments().dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            let error = worded(error)
            let sub = type(of: command)
            guard exitCode(for: error) == .validationFailure, sub != SMFMinimize.self,
                  let name = sub.configuration.commandName else { exit(withError: error) }
            let usage = "smf-minimize " + sub.usageString()
            StandardStream.error("Error: \(message(for: error))\nUsage: \(usage)\n"
                + "  See 'smf-minimize \(name) --help' for more information.\n")
            processExit(ExitCode.validationFailure.rawValue)
        }
    }

    /// A session's error as the command line reports it: a usage error is
    /// a `ValidationError` (64, with the subcommand's usage line); the
    /// others are printed here and exit 2 (docs/EXIT-CODES.md).
    static func worded(_ error: any Error) -> any Error {
        guard let e = error as? SessionError else { return error }
        switch e {
        case .usage(let message):
            return ValidationError(message)
        case .nothingRead(let message):
            printError("smf-minimize: error: \(message)")
        case .unresolvedAmidUnreadable(let option, let unreadable, let error):
            for d in unreadable { printError(d.description) }
            printError("smf-minimize: \(option): \(Escape.terminalLines(error.description))")
        case .cannotRead(let option, let path):
            printError("smf-minimize: error: cannot read \(option) \(path)")
        }
        return Exit.unreadable
    }
}
