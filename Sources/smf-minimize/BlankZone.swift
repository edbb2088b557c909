import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

struct BlankZoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blank-zone",
        abstract: "Write the files of a blank zone: an inittab without svc.startd, an rc script (--launch rc) and NOTES.md.",
        discussion: """
        The inittab keeps the zone's lines (the stock illumos zone inittab unless --inittab FILE) \
        and adds one sysinit line per setup step. With --launch rc (the default) the smf line runs \
        /etc/smf-minimize.rc, which starts the wanted services and sleeps; with --launch inittab each \
        service gets its own sysinit line and the smf line only sleeps. Every inittab command is one \
        simple command, correct after the 'exec ' that init puts before it. NOTES.md lists what must \
        still be done by hand and what a blank zone gives up. Files are written whole; existing ones \
        are kept unless --force.

        JSON (docs/JSON.md): the files are still written, and the output says what was: \
        {"schemaVersion", "output", "verdict", "launch", "written": [path...], "artefacts": [{"name", \
        "content", "executable"}], "findings": [diagnostic...]}.

        Example:
          smf-minimize blank-zone /zone/lib/svc/manifest --want svc:/site/app:default --methods /zone/lib/svc/method -o out/
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Directory to write into.", valueName: "dir"))
    var output: String = "blank-zone"
    @Option(help: "How services are launched: rc (one script run as the smf command, the default) or inittab (one sysinit line each).") var launch: LaunchMode = .rc
    @Option(help: "The zone's IP type (zonecfg ip-type): shared or exclusive (default: from --zonecfg, else shared).") var ipType: IPType?
    @Option(help: ArgumentHelp("Read method scripts here: /lib/svc/method/X is DIR/X.", valueName: "dir"))
    var methods: String?
    @Option(help: ArgumentHelp("The zone's current /etc/inittab (default: the root's etc/inittab with --root, else the stock illumos one).", valueName: "file"))
    var inittab: String?
    @Flag(help: "Replace existing files.") var force = false
    @Option(help: "Output format: text (the paths written) or json (what was written, see docs/JSON.md).") var format: OutputFormat = .text

    func run() throws {
        let session = input.session(wanted: request.want, methods: methods, ipType: ipType)
        let planInput = try session.planInput()
        let repo = try session.repository()
        let verdict = try session.verdict()
        let options = try session.blankZoneOptions(mode: launch, inittabFile: inittab)
        let findings = BlankZone.findings(planInput, verdict: verdict)
        let proof = try session.blankZoneProof()
        do {
            let arts = try BlankZone.artefacts(planInput, verdict: verdict, options: options)
            let paths = try ArtefactWriter.write(arts, to: output, force: force)
            if format == .json {
                emit(JSON.object([
                    ("output", .string(output)),
                    ("verdict", .string(verdict.choice.rawValue)),
                    ("launch", .string(launch.rawValue)),
                    ("written", .strings(paths)),
                    ("artefacts", .array(arts.map(\.json))),
                    ("findings", .array(findings.map(\.json))),
                    ("proof", PlanProofReport.json(proof)),
                ]).versioned.render())
            } else {
                emit(paths.map { "wrote \($0)\n" }.joined())
            }
            if verdict.choice != .blankZone {
                printError("smf-minimize: note: the verdict for this request is a trimmed profile; see NOTES.md or 'smf-minimize plan'")
            }
        } catch let e as BlankZone.BlankZoneError {
            printError("smf-minimize: \(e.description)")
            throw stoppedByFinding(repo)
        } catch let e as ArtefactWriter.WriteError {
            printError("smf-minimize: \(e.description)")
            throw stoppedByFinding(repo)
        }
        for d in findings { printError(d.description) }
        // Every plan proves itself (docs/BOOT.md): what init starts against what the wanted services need.
        printError("smf-minimize: " + PlanProofReport.line(proof))
        let defect = reportDefect(proof)
        try finish(Outcome(repo, closure: try session.analysis().closure, findings: !findings.isEmpty || defect))
    }
}
