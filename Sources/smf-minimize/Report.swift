import ArgumentParser
import Foundation
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
        let a = try analyseRequest(input, wanted: wanted, methods: methods, ipType: ipType)
        let repo = a.loaded.repository
        let verdict = Plan.verdict(a.planInput, ipType: a.ipType, lookup: a.lookup)
        let ladder = Ladder.rungs(a.planInput, verdict: verdict)

        let paths = DisplayPaths(input: input, root: a.loaded.root?.displayRoot)
        let source = paths.source(input: input, repo: repo) + (usedDefault ? "; default request \(wanted.joined(separator: " ")) (choose with --want)" : "")
        let title = "What \(wanted.joined(separator: ", ")) needs in a \(a.ipType.rawValue)-IP zone"
        let command = paths.commandLine()

        let packageSection = a.loaded.packages?.section(closure: a.analysis.closure.members, in: repo)
        // The artefacts, computed before anything is written.
        var files: [Artefact] = []
        var partsNotWritten: [String] = []
        var listed: [(name: String, what: String)] = [
            ("report.md", "this report in Markdown"),
            ("report.html", "this report as one self-contained page, with the picture"),
            ("graph.dot", neighbours ? "the closure and its nearest excluded neighbours, Graphviz"
                                     : "the closure, each member's excluded neighbours counted on its label, Graphviz"),
        ]
        // The files are made only when they are written.
        let corpora = input.paths.map { (paths.clean($0), $0) }
        let drawing = output == nil ? nil : ReportBuilder.drawing(a.analysis, verdict: verdict, title: title, neighbours: neighbours, corpora: corpora,
                                                                        packageOf: a.loaded.packages?.deliveryOfFile.mapValues(\.package) ?? [:])
        let dot = drawing.map { paths.clean($0.render()) } ?? ""
        var svg: String?
        var svgNote: String?
        if let drawing {
            // Graphviz while it lays the drawing out in seconds, the project's own layout past that.
            let made = PictureMaker.picture(drawing, dotText: dot) { Graphviz.svg($0).mapError { PictureError($0.description) } }
            switch made {
            case .success(let p):
                svg = p.source == .graphviz ? p.svg : paths.clean(p.svg)
                if let why = p.note { svgNote = "Laid out by smf-minimize, layered by depth from the request: \(why)." }
                listed.append(("graph.svg", p.source == .graphviz ? "the picture, rendered by Graphviz's dot" : "the picture, laid out by smf-minimize (layered by depth)"))
            case .failure(let why):
                svgNote = "No picture: \(why). graph.dot holds the drawing; draw a part with 'smf-minimize graph --want ... --to GLOB'."
            }
        }
        if output != nil {
            files.append(Artefact(name: "graph.dot", content: dot))
            if let svg { files.append(Artefact(name: "graph.svg", content: svg)) }
            files.append(Artefact(name: "closure.json", content: paths.clean(ClosureReport(a.analysis.closure, requests: a.analysis.requests,
                                                                                       packages: packageSection?.json).json.versioned.render())))
            listed.append(("closure.json", "the closure, choices, unresolved names, required files and conflicts"))
            var planReport = PlanReport(input: a.planInput, verdict: verdict, ladder: ladder)
            planReport.packages = packageSection?.json
            files.append(Artefact(name: "plan.json", content: paths.clean(planReport.json.versioned.render())))
            listed.append(("plan.json", "the verdict, method analysis, roles and ladder"))
            // A part that cannot be made is a named failure (NOT-WRITTEN.txt in
            // its place, listed, exit 1), never a silent omission (docs/RELIABILITY.md).
            func notWritten(_ part: String, _ why: String) {
                let name = (part.hasSuffix("/") ? part : part + ".") + ArtefactWriter.failureFileName
                files.append(Artefact(name: name, content: "smf-minimize did not write \(part): \(why)\n"))
                listed.append((part, "NOT WRITTEN: \(why) (see \(name))"))
                partsNotWritten.append("\(part) not written: \(why)")
            }
            do {
                let profile = try ProfileWriter.xml(a.planInput, name: "smf-minimize")
                files.append(Artefact(name: "site-profile.xml", content: paths.clean(profile)))
                listed.append(("site-profile.xml", "the trimmed profile: copy to /etc/svc/profile/site/ before the zone's first boot"))
            } catch {
                notWritten("site-profile.xml", paths.clean(error.description))
            }
            do {
                let script = try ProfileWriter.svcadmScript(a.planInput)
                files.append(Artefact(name: "svcadm.sh", content: paths.clean(script), executable: true))
                listed.append(("svcadm.sh", "the same decision as svcadm commands, for a zone that has already booted"))
            } catch {
                notWritten("svcadm.sh", paths.clean(error.description))
            }
            var options = BlankZoneOptions()
            if let rootInittab = a.loaded.inittab { options.inittab = withoutTrailingEmptyLines(rootInittab.lines) }
            do {
                let blank = try BlankZone.artefacts(a.planInput, verdict: verdict, options: options)
                for f in blank { files.append(Artefact(name: "blank-zone/" + f.name, content: paths.clean(f.content), executable: f.executable)) }
                listed.append(("blank-zone/", "the files of a blank zone (\(blank.map(\.name).joined(separator: ", ")))"))
            } catch {
                notWritten("blank-zone/", paths.clean(error.description))
            }
        }

        var data = ReportBuilder.build(analysis: a.analysis, verdict: verdict, ladder: ladder, title: title,
                                       source: source, command: command, requests: wanted,
                                       artefacts: output == nil ? [] : listed,
                                       missingFiles: a.loaded.root.map { fs in Set(fs.missing(a.analysis.closure.files.map(\.path))) },
                                       legacy: a.planInput)
        data.packages = packageSection
        if let output {
            let doc = ReportDocument(data, svg: svg, svgNote: svgNote, drawing: drawing)
            files.insert(Artefact(name: "report.md", content: paths.clean(doc.markdown())), at: 0)
            files.insert(Artefact(name: "report.html", content: paths.clean(doc.html())), at: 1)
            do {
                _ = try ArtefactWriter.write(files, to: output, force: force)
            } catch {
                FileHandle.standardError.write(Data("smf-minimize: \(error.description)\n".utf8))
                throw stoppedByFinding(repo)
            }
            for p in partsNotWritten { FileHandle.standardError.write(Data("smf-minimize: error: \(Escape.terminal(p))\n".utf8)) }
        }
        if format == .json {
            emit(paths.clean(data.json.versioned.render()))
        } else {
            var style = TextStyle.detect()
            switch color {
            case .always: style.color = true
            case .never: style.color = false
            case .auto: break
            }
            emit(paths.clean(ReportText(data, style: style).render(outputDirectory: output)))
        }
        // Instances the profile and svcadm.sh leave out (Render/ArtefactNames.swift).
        let leftOut = output == nil ? [] : ProfileWriter.findings(a.planInput)
        for d in leftOut { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
        try finish(Outcome(repo, closure: a.analysis.closure, findings: !partsNotWritten.isEmpty || !leftOut.isEmpty))
    }
}

/// Paths as a report shows them: the bundled sample as `manifests/`, and
/// anything under the working directory relative to it, so that reports do
/// not depend on where the checkout lives.
struct DisplayPaths {
    var replacements: [(String, String)] = []

    init(input: InputOptions, root: String?) {
        if input.usesSample, let sample = BundledSample.locate() {
            let abs = URL(fileURLWithPath: sample.root).standardizedFileURL.path
            replacements.append((abs + "/", "manifests/"))
            replacements.append((abs, "manifests"))
        }
        let cwd = FileManager.default.currentDirectoryPath
        if cwd != "/" { replacements.append((cwd + "/", "")) }
    }

    func clean(_ s: String) -> String {
        var out = s
        for (from, to) in replacements { out = out.replacingOccurrences(of: from, with: to) }
        return out
    }

    func source(input: InputOptions, repo: Repository) -> String {
        if input.usesSample { return "the bundled sample zone (manifests/)" }
        var parts: [String] = []
        if let root = input.root { parts.append("the zone root \(clean(root))") }
        if !input.paths.isEmpty { parts.append(input.paths.map(clean).joined(separator: ", ")) }
        return parts.joined(separator: " and ")
    }

    /// The command line that regenerates this report, as typed, with the
    /// output directory written `DIR` (so that the text does not depend on
    /// where the report was written) and without `--force`/`--color`.
    func commandLine() -> String {
        var args: [String] = []
        var hadOutput = false
        var it = CommandLine.arguments.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "-o", "--output":
                _ = it.next()
                hadOutput = true
            case "--force":
                continue
            case "--color":
                _ = it.next()
            default:
                if a.hasPrefix("--output=") { hadOutput = true; continue }
                if a.hasPrefix("--color=") { continue }
                let c = clean(a)
                args.append(c.contains(" ") || c.isEmpty ? "'\(c)'" : c)
            }
        }
        if hadOutput { args += ["-o", "DIR"] }
        return (["smf-minimize"] + args).joined(separator: " ")
    }
}

/// Graphviz's `dot`, when it is installed.
enum Graphviz {
    /// A guard: dot is stopped after this long (PictureMaker sends it only drawings it lays out in seconds).
    static let timeoutSeconds = 60.0

    static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/dot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func svg(_ dot: String) -> Result<String, GraphvizError> {
        guard let exe = find() else { return .failure(GraphvizError("Graphviz's dot is not installed (apt-get install graphviz)")) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        do { try p.run() } catch { return .failure(GraphvizError("dot could not be started: \(error)")) }
        // Write and read concurrently so that neither pipe fills up.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(dot.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        if p.terminationReason == .uncaughtSignal {
            return .failure(GraphvizError("dot did not finish within \(Int(timeoutSeconds)) s"))
        }
        guard p.terminationStatus == 0 else { return .failure(GraphvizError("dot failed with status \(p.terminationStatus)")) }
        return .success(String(decoding: data, as: UTF8.self))
    }
}

struct GraphvizError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
