import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

struct BootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Predict the state every instance settles in when the zone boots, and explain each enabled one that does not come online.",
        discussion: """
        Applies svc.startd's rules (usr/src/cmd/svc/startd/graph.c; docs/BOOT.md) to the \
        configuration: the manifests, the root's profile layers and --profile files, or \
        --enable-list FILE (one FMRI a line, everything else disabled). Prints the states as \
        'svcs -a' names them, a summary line, and for every enabled instance that is not \
        online an explanation in the shape of 'svcs -x': the first unsatisfied group and the \
        chain down to the cause, each step with its file:line. Path dependencies are looked \
        up under --root; without one every file is assumed present, and the output says so. \
        Instances that disable themselves or fail in a non-global zone (the role table of \
        docs/PLAN.md) end disabled or in maintenance; --global-zone turns that off.

        JSON: docs/BOOT.md.

        Exit status: 0 every enabled instance comes online; 1 one does not; 2 an input could \
        not be read; 64 bad usage.

        Examples:
          smf-minimize boot
          smf-minimize boot --root /zones/web/root --profile site.xml
          smf-minimize boot usr/src --enable-list enabled.txt --format json
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: ArgumentHelp("Enable exactly the FMRIs of this file (one a line, # comments); every other instance is disabled.", valueName: "file"))
    var enableList: String?
    @Option(help: "The zone's IP type for the role table: shared or exclusive (default: the zonecfg's, else shared).")
    var ipType: IPType?
    @Flag(help: "Predict a global zone: apply no role of the non-global-zone table.") var globalZone = false
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let session = input.session(ipType: ipType)
        let repo = try session.repository()
        let list = try enableList.map { (text: try Session.readFile($0, option: "--enable-list"), file: $0) }
        let (prediction, problems) = try session.bootPrediction(enableList: list, globalZone: globalZone)
        for d in problems { printError(d.description) }
        let report = BootReport(prediction)
        emit(format == .json ? report.json.versioned.render() : report.text)
        try finish(Outcome(repo, findings: !prediction.allEnabledOnline))
    }
}
