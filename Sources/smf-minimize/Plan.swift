import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

extension IPType: ExpressibleByArgument {}
extension LaunchMode: ExpressibleByArgument {}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Say whether to run the wanted services in a blank zone or with a trimmed SMF profile, and why.",
        discussion: """
        Analyses the start method of each wanted instance (can it run without SMF?), the role of \
        every closure member in this kind of zone (plumbing, no-op, setup, daemon, disables itself, \
        fails), and prints the verdict with its reasons, the risks, and the ladder of five \
        configurations from init only to the baseline. See docs/PLAN.md for the rule.

        --methods DIR reads the method scripts: /lib/svc/method/X is read as DIR/X. Without it the \
        scripts are "not inspected" and the verdict cannot be a blank zone.

        With --root, the rc directories /etc/rcS.d, /etc/rc2.d and /etc/rc3.d are read: a milestone \
        whose directory holds legacy scripts of the site joins the request ("wanted for its legacy \
        scripts"). The plan lists what the configuration turns off that a person would notice \
        (console login, logging, name services, cron, ...), each with the --want that keeps it.

        JSON (docs/JSON.md): {"schemaVersion", "wanted", "ipType", "verdict", "rule", "reasons", "risks", "methods", "closure", \
        "setup", "blocked", "requiredFiles", "conflicts", "legacy", "giveUp", "ladder"}; each closure \
        member's "why" is the edge that brought it in (null for a wanted instance), "reason" the same in words.

        Example:
          smf-minimize plan /zone/lib/svc/manifest --want svc:/network/ssh:default --ip-type exclusive --methods /zone/lib/svc/method
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: "The zone's IP type (zonecfg ip-type): shared or exclusive (default: from --zonecfg, else shared).") var ipType: IPType?
    @Option(help: ArgumentHelp("Read method scripts here: /lib/svc/method/X is DIR/X.", valueName: "dir"))
    var methods: String?
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let session = input.session(wanted: request.want, methods: methods, ipType: ipType)
        let (report, section) = try session.planReport()
        emit(format == .json ? report.json.versioned.render() : report.text + (section.map { $0.textLines.joined(separator: "\n") + "\n" } ?? ""))
        // Every plan proves itself (docs/BOOT.md): a failed proof is a defect of the tool.
        let defect = report.proof.map(reportDefect) ?? false
        try finish(Outcome(try session.repository(), closure: try session.analysis().closure, findings: defect))
    }
}
