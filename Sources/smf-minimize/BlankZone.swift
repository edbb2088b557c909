import ArgumentParser
import Foundation
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
        let a = try analyseRequest(input, wanted: request.want, methods: methods, ipType: ipType)
        let repo = a.loaded.repository
        let planInput = a.planInput
        let verdict = Plan.verdict(planInput, ipType: a.ipType, lookup: a.lookup)
        var options = BlankZoneOptions(mode: launch)
        if inittab == nil, let rootInittab = a.loaded.inittab {
            options.inittab = withoutTrailingEmptyLines(rootInittab.lines)
        }
        if let inittab {
            guard let data = FileManager.default.contents(atPath: inittab) else {
                throw ValidationError("--inittab \(inittab): cannot be read")
            }
            options.inittab = withoutTrailingEmptyLines(String(decoding: data, as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
        let findings = BlankZone.findings(planInput, verdict: verdict)
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
                ]).versioned.render())
            } else {
                emit(paths.map { "wrote \($0)\n" }.joined())
            }
            if verdict.choice != .blankZone {
                FileHandle.standardError.write(Data("smf-minimize: note: the verdict for this request is a trimmed profile; see NOTES.md or 'smf-minimize plan'\n".utf8))
            }
        } catch let e as BlankZone.BlankZoneError {
            FileHandle.standardError.write(Data("smf-minimize: \(e.description)\n".utf8))
            throw stoppedByFinding(repo)
        } catch let e as ArtefactWriter.WriteError {
            FileHandle.standardError.write(Data("smf-minimize: \(e.description)\n".utf8))
            throw stoppedByFinding(repo)
        }
        for d in findings { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
        try finish(Outcome(repo, closure: a.analysis.closure, findings: !findings.isEmpty))
    }
}

/// Inittab lines without the empty lines at the end (the blank zone's
/// lines follow the zone's own).
func withoutTrailingEmptyLines(_ lines: [String]) -> [String] {
    Array(lines.reversed().drop { $0.isEmpty }.reversed())
}
