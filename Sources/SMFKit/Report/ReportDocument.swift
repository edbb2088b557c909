/// The whole report as Markdown and as a self-contained HTML page, from the
/// same data and in the same order of sections.
public struct ReportDocument: Sendable {
    public let data: ReportData
    /// The closure drawing as SVG, embedded in the HTML when present.
    public let svg: String?
    /// Why there is no picture, when there is none; with a picture, how it
    /// was laid out when Graphviz did not (`PictureMaker`).
    public let svgNote: String?
    /// The drawing the picture shows: the page's search and details read it (Render/ReportPage.swift).
    public let drawing: DotGraph?

    public init(_ data: ReportData, svg: String?, svgNote: String?, drawing: DotGraph? = nil) {
        self.data = data
        self.svg = svg
        self.svgNote = svgNote
        self.drawing = drawing
    }

    // MARK: - Sections, as data

    private struct Table {
        var header: [String]
        var rows: [[MarkupLine]]
    }

    /// Blocks hold `MarkupLine`s: the value of every span is escaped when
    /// written (Render/Escape.swift), so input text cannot make markup.
    private enum Block {
        /// The verdict, as its headline: bold in Markdown, the `verdict` box in HTML.
        case verdict(String)
        case paragraph(MarkupLine)
        case bullets([MarkupLine])
        case table(Table)
        case code(String)
        case picture
    }

    private struct Section {
        var title: String
        var blocks: [Block]
    }

    private var sections: [Section] {
        let d = data
        var out: [Section] = []

        var summary: [Block] = [
            .paragraph("Source: \(d.source). Requested: \(codeList(d.requests)) (\(d.ipType.rawValue)-IP zone)."),
        ]
        if !d.requestNotes.isEmpty { summary.append(.bullets(d.requestNotes.map(MarkupLine.init(text:)))) }
        summary.append(.table(Table(header: ["", "instances"], rows: [
            ["enabled as shipped (the baseline)", "\(d.baseline.count)"],
            ["needed by the request (the closure)", "\(d.members.count)"],
            ["enabled as shipped but not needed", "\(d.trimmed.count)"],
            ["baseline per closure member (bloat)", "\(format1(d.bloatRatio))×"],
            ["closure members per requested instance", "\(format1(d.fanOut))"],
        ])))
        summary.append(.picture)
        summary.append(.paragraph("Read \(d.counts.files) files: \(d.counts.manifests) manifests, \(d.counts.profiles) profiles, \(d.counts.archives) archives; \(d.counts.services) services, \(d.counts.instances) instances, \(d.counts.dependencies) dependency and \(d.counts.dependents) dependent elements. Input diagnostics: \(d.errors) errors, \(d.warnings) warnings."))
        out.append(Section(title: "Summary", blocks: summary))

        var verdict: [Block] = [.verdict(d.verdict.sentence)]
        if !d.verdictReasons.isEmpty { verdict.append(.bullets(d.verdictReasons.map { MarkupLine(text: $0.words) })) }
        if !d.risks.isEmpty {
            verdict.append(.paragraph("Risks:"))
            verdict.append(.bullets(d.risks.map { MarkupLine(text: $0.words) }))
        }
        if !d.blocked.isEmpty {
            verdict.append(.paragraph("Members that disable themselves or fail in a zone, and what they keep offline:"))
            verdict.append(.bullets(d.blocked.map { MarkupLine(text: $0.reportWords) }))
        }
        out.append(Section(title: "Verdict", blocks: verdict))

        if !d.proofs.isEmpty {
            var proof: [Block] = [.paragraph("Every plan proves itself (docs/BOOT.md): the trimmed profile is booted as svc.startd would settle it, and the blank zone's lines are checked against what each wanted service needs.")]
            for p in d.proofs {
                proof.append(.paragraph(MarkupLine(text: PlanProofReport.line(p))))
                if !p.ok {
                    proof.append(.paragraph(MarkupLine(text: PlanProofReport.defectHeader(p))))
                    proof.append(.bullets(p.failures.map { MarkupLine(text: PlanProofReport.reason($0)) }))
                    proof.append(.code(p.failures.flatMap(\.chain).map(PlanProofReport.stepText).joined(separator: "\n")))
                }
            }
            out.append(Section(title: "Predicted boot", blocks: proof))
        }

        if !d.giveUps.isEmpty || d.hasLegacy {
            var gave: [Block] = []
            if !d.giveUps.isEmpty {
                gave.append(.paragraph("Enabled as shipped, not run by this configuration, and visible to a person (docs/PLAN.md, \"What you give up\"). Each is kept by adding its flag to the request."))
                gave.append(.table(Table(header: ["instance", "what stops", "keep it with"], rows: d.giveUps.map { ["\(code: $0.fmri)", MarkupLine(text: $0.what), "\(code: $0.keep)"] })))
            }
            if d.hasLegacy {
                gave.append(.paragraph("Legacy rc scripts (docs/PLAN.md, \"Legacy rc scripts\"):"))
                gave.append(.bullets((d.legacyDirectories.map(\.reportWords) + d.joinedForLegacy.map(\.words)).map(MarkupLine.init(text:))))
            }
            out.append(Section(title: "What this configuration turns off", blocks: gave))
        }

        if !d.ladder.isEmpty {
            out.append(Section(title: "Ladder of configurations", blocks: [
                .paragraph("From only init to everything SMF ships; each rung is a zone you can build."),
                .table(Table(header: ["rung", "enabled", "long-running", "works", "does not"], rows: d.ladder.map { r in
                    ["\(r.number). \(r.name)", "\(r.started)",
                     r.longRunning.isEmpty ? "none" : MarkupLine(text: r.longRunning.map(shortLabel).joined(separator: ", ")),
                     MarkupLine(text: r.works.joined(separator: "; ")), MarkupLine(text: r.doesNotWork.joined(separator: "; "))]
                })),
            ]))
        }

        out.append(Section(title: "The closure, and why each member is there", blocks: [
            .table(Table(header: ["instance", "role", "depth", "why"], rows: d.members.map { m in
                ["\(code: m.fmri)", MarkupLine(text: m.role.title + (m.roleNote.isEmpty ? "" : ": " + m.roleNote)), "\(m.depth)",
                 MarkupLine(text: m.reason)]
            })),
        ]))

        var cost: [Block] = []
        if d.costlyServices.isEmpty {
            cost.append(.paragraph("No member pulls in anything on its own: every member is needed by more than one path or is requested."))
        } else {
            cost.append(.paragraph("A member dominates another when every chain of dependencies from the request to the other passes through it: not needing it would drop them all. Computed with a dominator tree over the closure."))
            cost.append(.table(Table(header: ["member", "drops", "with it"], rows: d.costlyServices.map { c in
                ["\(code: c.fmri)", "\(c.removes)", MarkupLine(text: c.members.filter { $0 != c.fmri }.map(shortLabel).joined(separator: ", "))]
            })))
        }
        if !d.costlyEdges.isEmpty {
            cost.append(.paragraph("Single edges that, if cut, would drop members:"))
            cost.append(.table(Table(header: ["edge", "drops", "members"], rows: d.costlyEdges.map { c in
                [c.markup, "\(c.removes)", MarkupLine(text: c.members.map(shortLabel).joined(separator: ", "))]
            })))
        }
        if d.longestChain.count > 1 {
            cost.append(.paragraph("The longest chain (\(d.longestChain.count - 1) edges):"))
            cost.append(.code(d.longestChain.map { step in
                // One line per step: a value's newline is shown as \n.
                step.via.map { "  └─ \(Escape.terminal($0.words)) → \(Escape.terminal(step.fmri))" } ?? Escape.terminal(step.fmri)
            }.joined(separator: "\n")))
        }
        out.append(Section(title: "What costs the most", blocks: cost))

        var problems: [Block] = []
        func list(_ title: String, _ items: [MarkupLine]) {
            problems.append(.paragraph("\(title): \(items.isEmpty ? "none." : "")"))
            if !items.isEmpty { problems.append(.bullets(items)) }
        }
        func list(_ title: String, _ items: [String]) { list(title, items.map(MarkupLine.init(text:))) }
        list("Conflicts (exclude_all)", d.conflicts.map(\.reportWords))
        list("Cycles", d.cycles.map { $0.joined(separator: " → ") })
        list("Unresolved dependencies", d.unresolved.map(\.reportWords))
        if !d.invalid.isEmpty { list("Invalid dependencies (not an FMRI)", d.invalid.map(\.reportWords)) }
        list("Required files (path dependencies)", d.requiredFiles.map(\.markup))
        list("Choices made (require_any)", d.choices.map(\.words))
        out.append(Section(title: "Choices, conflicts, cycles and unresolved names", blocks: problems))

        out.append(Section(title: "Turned off by the trimmed profile", blocks: [
            .paragraph(d.trimmed.isEmpty ? "Nothing: the baseline is the closure."
                       : "\(d.trimmed.count) instances enabled as shipped that the request does not need:"),
            .paragraph(codeList(d.trimmed.map(shortLabel))),
        ]))

        if !d.artefacts.isEmpty {
            out.append(Section(title: "Artefacts", blocks: [
                .table(Table(header: ["file", "what it is"], rows: d.artefacts.map { ["\(code: $0.name)", MarkupLine(text: $0.what)] })),
            ]))
        }
        if let p = d.packages { out.append(packageSection(p)) }
        out.append(Section(title: "Regenerate", blocks: [.code(Escape.terminal(d.command))]))
        return out
    }

    /// The packages delivering the closure (docs/INPUTS.md, "Package manifests").
    private func packageSection(_ p: PackageSection) -> Section {
        let count = "\(p.packages.count) package\(p.packages.count == 1 ? "" : "s")"
        var blocks: [Block] = [.paragraph("The packages that deliver the closure's manifests and method scripts, read from the package manifests in \(code: p.directory) for \(p.arch)\(p.zoneView ? ", as a non-global zone gets them" : ""): the minimal package set of the zone's SMF layer (\(count)).")]
        blocks.append(.table(Table(header: ["package", "delivers"], rows: p.packages.map { pkg in
            ["\(code: pkg.package)", codeList(pkg.paths)]
        })))
        if p.zoneView {
            let left = "\(p.excludedCount) manifest\(p.excludedCount == 1 ? "" : "s")"
            blocks.append(.paragraph("The zone view left out \(left) that a non-global zone does not get. Those that would otherwise join the closure (a dependent on a member, or a member's dependency, directly or through another of them) are:"))
            blocks.append(.bullets(p.relevantExclusions.isEmpty ? ["none"] : p.relevantExclusions.map { e in
                "\(codeList(e.services))\(": " + e.note)"
            }))
        }
        return Section(title: "Packages", blocks: blocks)
    }

    /// Values as code spans separated by commas (`a`, `b`).
    private func codeList(_ values: [String]) -> MarkupLine {
        MarkupLine.joined(values.map { "\(code: $0)" }, separator: ", ")
    }

    // MARK: - Markdown

    public func markdown() -> String {
        var out = Escape.markdownHeading(data.title, level: 1) + "\n\n"
        for section in sections {
            out += Escape.markdownHeading(section.title, level: 2) + "\n\n"
            for block in section.blocks {
                switch block {
                case .verdict(let v):
                    out += MarkupLine("\(bold: v)").markdown(atBlockStart: true) + "\n\n"
                case .paragraph(let p):
                    if !p.isEmpty { out += p.markdown(atBlockStart: true) + "\n\n" }
                case .bullets(let items):
                    out += items.map { "- " + $0.markdown(atBlockStart: true) }.joined(separator: "\n") + "\n\n"
                case .table(let t):
                    out += "| " + t.header.map { Escape.markdownText($0) }.joined(separator: " | ") + " |\n"
                    out += "|" + t.header.map { _ in " --- |" }.joined() + "\n"
                    for r in t.rows { out += "| " + r.map { $0.markdown(inTable: true) }.joined(separator: " | ") + " |\n" }
                    out += "\n"
                case .code(let c):
                    out += Escape.markdownCodeBlock(c) + "\n"
                case .picture:
                    if svg != nil {
                        out += "![The closure and its nearest excluded neighbours](graph.svg)\n\n"
                    } else if let note = svgNote {
                        out += MarkupLine("\(emphasis: note)").markdown() + "\n\n"
                    }
                }
            }
        }
        return out
    }

    // MARK: - HTML

    public func html() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(htmlEscape(data.title))</title>
        <style>
        body { font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
        main { max-width: 1400px; margin: 0 auto; padding: 1.5em 2em 4em; background: #fff; }
        h1 { font-size: 1.6em; margin-top: 0.2em; }
        h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
        table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.92em; }
        th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        code, pre { font-family: "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; }
        pre { background: #f6f8fa; padding: 0.8em; overflow-x: auto; }
        .verdict { font-size: 1.25em; padding: 0.5em 0.8em; background: #eef6fc; border-left: 5px solid #2171b5; }
        \(ReportPage.styles)
        .note { color: #666; font-style: italic; }
        nav { font-size: 0.9em; color: #555; }
        nav a { margin-right: 0.8em; }
        </style>
        </head>
        <body>
        <main>
        <h1>\(htmlEscape(data.title))</h1>

        """
        out += "<nav>" + sections.enumerated().map { i, s in "<a href=\"#s\(i)\">\(htmlEscape(s.title))</a>" }.joined() + "</nav>\n"
        for (i, section) in sections.enumerated() {
            out += "<h2 id=\"s\(i)\">\(htmlEscape(section.title))</h2>\n"
            for block in section.blocks {
                switch block {
                case .verdict(let v):
                    out += "<p class=\"verdict\">\(htmlEscape(v))</p>\n"
                case .paragraph(let p):
                    if p.isEmpty { continue }
                    out += "<p>\(p.html())</p>\n"
                case .bullets(let items):
                    out += "<ul>\n" + items.map { "<li>\($0.html())</li>\n" }.joined() + "</ul>\n"
                case .table(let t):
                    out += "<table>\n<tr>" + t.header.map { "<th>\(htmlEscape($0))</th>" }.joined() + "</tr>\n"
                    for r in t.rows { out += "<tr>" + r.map { "<td>\($0.html())</td>" }.joined() + "</tr>\n" }
                    out += "</table>\n"
                case .code(let c):
                    out += "<pre>\(htmlEscape(c))</pre>\n"
                case .picture:
                    if let svg {
                        out += ReportPage.picture(svg: svg, data: data, drawing: drawing, note: svgNote)
                    } else if let note = svgNote {
                        out += "<p class=\"note\">\(htmlEscape(note))</p>\n"
                    }
                    out += ReportPage.charts(data)
                }
            }
        }
        out += "</main>\n"
        if svg != nil { out += "<script>\n" + ReportPage.script + "\n</script>\n" }
        out += "</body>\n</html>\n"
        return out
    }
}
