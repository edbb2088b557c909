import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Answer \"what does my zone really need, and why is it so much?\": the closure, the bloat, the verdict and the ladder.",
        discussion: """
        Reads the manifests (a zone root with --root, PATHs, or with neither the bundled sample \
        zone, with the request \(ReportCommand.sampleRequest.joined(separator: " ")) unless you give --want), computes \
        the minimal closure of the request, what each member does in this kind of zone, and \
        prints a summary: what the zone runs as shipped, what the request needs, the bloat ratio, \
        the verdict (blank zone or trimmed profile) with its reasons, and the ladder of \
        configurations from only init to everything SMF ships.

        With -o DIR it also writes the whole report:
          report.md, report.html  the same report; the HTML self-contained, with the picture
                                  (pan, zoom, search, details) and the ladder and cost charts
          graph.dot, graph.svg    the closure, its excluded neighbours counted (drawn with --neighbours)
          closure.json, plan.json the closure and the plan, for scripts
          site-profile.xml        the trimmed profile (install under /etc/svc/profile/site/ before first boot)
          svcadm.sh               the same decision for a zone that has already booted
          blank-zone/             inittab and NOTES.md for a blank zone

        Examples:
          smf-minimize report
          smf-minimize report --root /zones/web/root --want nginx --zonecfg web.zonecfg -o web-report
          smf-minimize report usr/src --want ssh --want cron --format json
        """
    )

    /// What the sample is asked when no --want is given: its web server.
    static let sampleRequest = ["network/http:nginx"]

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: "The zone's IP type (zonecfg ip-type): shared or exclusive (default: from --zonecfg, else shared).")
    var ipType: IPType?
    @Option(help: ArgumentHelp("Read method scripts here: /lib/svc/method/X is DIR/X (default: the root's).", valueName: "dir"))
    var methods: String?
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Also write the whole report into this directory.", valueName: "dir"))
    var output: String?
    @Flag(help: "Replace files that already exist in the output directory.") var force = false
    @Flag(help: "Draw the closure's excluded neighbours in the picture (default: a count on each member).") var neighbours = false
    @Option(help: "Output format of the summary.") var format: OutputFormat = .text
    @Option(help: "Colour: auto (on a terminal), always or never.") var color: ColorChoice = .auto

    enum ColorChoice: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    func run() throws {
        var wanted = request.want
        var usedDefault = false
        if wanted.isEmpty {
            guard input.usesSample else {
                throw ValidationError("name what the zone must run with --want (e.g. --want nginx --want cron)")
            }
            wanted = Self.sampleRequest
            usedDefault = true
        }
        let session = input.session(wanted: wanted, methods: methods, ipType: ipType)
        let run = try session.report(files: output != nil, usedDefault: usedDefault, arguments: Array(CommandLine.arguments.dropFirst()),
                                     neighbours: neighbours)
        let repo = try session.repository()
        let paths = run.paths
        if let output, let artefacts = run.artefacts {
            do {
                _ = try ArtefactWriter.write(artefacts.files, to: output, force: force)
            } catch {
                printError("smf-minimize: \(error.description)")
                throw stoppedByFinding(repo)
            }
            for p in artefacts.partsNotWritten { printError("smf-minimize: error: \(Escape.terminal(p))") }
        }
        if format == .json {
            emit(paths.clean(run.data.json.versioned.render()))
        } else {
            var style = TextStyle.detect()
            switch color {
            case .always: style.color = true
            case .never: style.color = false
            case .auto: break
            }
            emit(paths.clean(ReportText(run.data, style: style).render(outputDirectory: output)))
        }
        for d in run.leftOut { printError(d.description) }
        let notWritten = !(run.artefacts?.partsNotWritten.isEmpty ?? true)
        let defect = run.data.proofs.map(reportDefect).contains(true)
        try finish(Outcome(repo, closure: try session.analysis().closure, findings: notWritten || !run.leftOut.isEmpty || defect))
    }
}
