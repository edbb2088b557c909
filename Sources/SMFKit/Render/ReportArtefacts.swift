/// The files of `report -o DIR`, made before anything is written: the
/// drawing and its picture, closure.json, plan.json, the trimmed profile,
/// svcadm.sh and the blank zone's files, then report.md and report.html
/// (which list the others). A part that cannot be made is a named failure
/// (NOT-WRITTEN.txt in its place, listed, exit 1), never a silent omission
/// (docs/RELIABILITY.md).
public struct ReportArtefacts: Sendable {
    /// What was computed, that the artefacts are made from.
    public struct Inputs: Sendable {
        public var analysis: Analysis
        public var planInput: PlanInput
        public var verdict: Verdict
        public var ladder: [Rung]
        public var decision: ProfileWriter.Decision
        public var packages: PackageSection?
        /// The root's /etc/inittab, whose lines the blank zone keeps.
        public var inittab: Inittab?
        public var title: String
        public var paths: DisplayPaths

        public init(analysis: Analysis, planInput: PlanInput, verdict: Verdict, ladder: [Rung], decision: ProfileWriter.Decision,
                    packages: PackageSection?, inittab: Inittab?, title: String, paths: DisplayPaths) {
            self.analysis = analysis
            self.planInput = planInput
            self.verdict = verdict
            self.ladder = ladder
            self.decision = decision
            self.packages = packages
            self.inittab = inittab
            self.title = title
            self.paths = paths
        }
    }

    /// The files, in the order they are written (report.md and report.html first once `addDocuments` ran).
    public var files: [Artefact] = []
    /// Each file or folder with what it holds, as the report lists them.
    public var listed: [(name: String, what: String)] = [
        ("report.md", "this report in Markdown"),
        ("report.html", "this report as one self-contained page, with the picture"),
        ("graph.dot", "the closure and its nearest excluded neighbours, Graphviz"),
    ]
    /// "PART not written: WHY", one for each part that could not be made.
    public var partsNotWritten: [String] = []
    /// The picture, when Graphviz drew it.
    public var svg: String?
    /// Why there is no picture.
    public var svgNote: String?

    /// Every file but report.md and report.html.
    public init(_ i: Inputs) {
        let paths = i.paths
        let drawing = ReportBuilder.drawing(i.analysis, verdict: i.verdict, title: i.title)
        let dot = paths.clean(drawing.render())
        if drawing.nodes.count > Graphviz.maxNodes {
            svgNote = "No picture: the drawing has \(drawing.nodes.count) nodes, more than dot lays out in reasonable time (\(Graphviz.maxNodes)). graph.dot holds it; draw a part with 'smf-minimize graph --want ... --to GLOB', or try 'sfdp -Tsvg graph.dot'."
        } else {
            switch Graphviz.svg(dot) {
            case .success(let s):
                svg = s
                listed.append(("graph.svg", "the picture, rendered by Graphviz's dot"))
            case .failure(let why):
                svgNote = "No picture: \(why). graph.dot holds the drawing; render it with 'dot -Tsvg graph.dot > graph.svg'."
            }
        }
        files.append(Artefact(name: "graph.dot", content: dot))
        if let svg { files.append(Artefact(name: "graph.svg", content: svg)) }
        files.append(Artefact(name: "closure.json", content: paths.clean(ClosureReport(i.analysis.closure, requests: i.analysis.requests,
                                                                                   packages: i.packages?.json).json.versioned.render())))
        listed.append(("closure.json", "the closure, choices, unresolved names, required files and conflicts"))
        var planReport = PlanReport(input: i.planInput, verdict: i.verdict, ladder: i.ladder)
        planReport.packages = i.packages?.json
        files.append(Artefact(name: "plan.json", content: paths.clean(planReport.json.versioned.render())))
        listed.append(("plan.json", "the verdict, method analysis, roles and ladder"))
        do {
            let profile = try ProfileWriter.xml(i.planInput, name: "smf-minimize", decision: i.decision)
            files.append(Artefact(name: "site-profile.xml", content: paths.clean(profile)))
            listed.append(("site-profile.xml", "the trimmed profile: copy to /etc/svc/profile/site/ before the zone's first boot"))
        } catch {
            notWritten("site-profile.xml", paths.clean(error.description))
        }
        do {
            let script = try ProfileWriter.svcadmScript(i.planInput, decision: i.decision)
            files.append(Artefact(name: "svcadm.sh", content: paths.clean(script), executable: true))
            listed.append(("svcadm.sh", "the same decision as svcadm commands, for a zone that has already booted"))
        } catch {
            notWritten("svcadm.sh", paths.clean(error.description))
        }
        var options = BlankZoneOptions()
        if let rootInittab = i.inittab { options.inittab = BlankZoneOptions.withoutTrailingEmptyLines(rootInittab.lines) }
        do {
            let blank = try BlankZone.artefacts(i.planInput, verdict: i.verdict, options: options)
            for f in blank { files.append(Artefact(name: "blank-zone/" + f.name, content: paths.clean(f.content), executable: f.executable)) }
            listed.append(("blank-zone/", "the files of a blank zone (\(blank.map(\.name).joined(separator: ", ")))"))
        } catch {
            notWritten("blank-zone/", paths.clean(error.description))
        }
    }

    private mutating func notWritten(_ part: String, _ why: String) {
        let name = (part.hasSuffix("/") ? part : part + ".") + ArtefactWriter.failureFileName
        files.append(Artefact(name: name, content: "smf-minimize did not write \(part): \(why)\n"))
        listed.append((part, "NOT WRITTEN: \(why) (see \(name))"))
        partsNotWritten.append("\(part) not written: \(why)")
    }

    /// report.md and report.html of `data` (built with `listed`), first.
    public mutating func addDocuments(_ data: ReportData, paths: DisplayPaths) {
        let doc = ReportDocument(data, svg: svg, svgNote: svgNote)
        files.insert(Artefact(name: "report.md", content: paths.clean(doc.markdown())), at: 0)
        files.insert(Artefact(name: "report.html", content: paths.clean(doc.html())), at: 1)
    }
}

extension BlankZoneOptions {
    /// Inittab lines without the empty lines at the end (the blank zone's
    /// lines follow the zone's own).
    public static func withoutTrailingEmptyLines(_ lines: [String]) -> [String] {
        Array(lines.reversed().drop { $0.isEmpty }.reversed())
    }
}
