/// The terminal summary of a report: what a person takes in at a glance.
public struct ReportText: Sendable {
    public let data: ReportData
    public let style: TextStyle

    public init(_ data: ReportData, style: TextStyle) {
        self.data = data
        self.style = style
    }

    public func render(outputDirectory: String? = nil) -> String {
        let s = style
        // Every value from input escaped once (Escape.terminal): no control
        // character reaches the terminal, no value starts a line of its own.
        let d = data.escapedForTerminal()
        var out: [String] = []
        out.append(s.wrap(s.bold("smf-minimize report") + " — " + d.source, indent: "  ", first: ""))
        for note in d.requestNotes { out.append(s.wrap(note, indent: "    ", first: "  ")) }
        out.append("")

        let labelWidth = 30
        func row(_ label: String, _ value: String) -> String {
            "  " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + value
        }
        // "  label" + "NNN instances  " + the bar; no bar when it would not fit.
        let barCells = min(40, s.width - labelWidth - 2 - 16)
        let total = max(1, d.baseline.count)
        out.append(row("As shipped, the zone runs", s.bold(String(d.baseline.count)) + " instances" + (barCells >= 6 ? "  " + s.dim(s.bar(1, cells: barCells)) : "")))
        let needFraction = Double(d.members.count) / Double(max(total, d.members.count))
        out.append(row("The request needs", s.bold(String(d.members.count)) + " instances" + (barCells >= 6 ? "  " + s.green(s.bar(needFraction, cells: barCells)) : "")))
        let ratio = String(format1(d.bloatRatio))
        out.append(s.wrap(s.bold(ratio + "×") + " what is needed; \(d.trimmed.count) enabled instance\(d.trimmed.count == 1 ? "" : "s") can be turned off",
                          indent: String(repeating: " ", count: labelWidth + 2), first: row("Bloat", "")))
        if !d.roleCounts.isEmpty {
            let roles = d.roleCounts.map { "\($0.0.title) \($0.1)" }.joined(separator: " · ")
            out.append(s.wrap(roles, indent: String(repeating: " ", count: labelWidth + 2), first: row("Closure by role", "")))
        }
        out.append("")

        let headline = d.verdict.headline.title.uppercased()
        let rest = " — " + d.verdict.headline.meaning
        out.append(s.wrap(s.bold("Verdict: ") + (d.conflicts.isEmpty ? s.cyan(s.bold(headline)) : s.red(s.bold(headline))) + rest, indent: "  ", first: ""))
        for r in d.verdictReasons { out.append(s.wrap(tty(r.words), indent: "    ", first: "  • ")) }
        if !d.risks.isEmpty {
            out.append(s.yellow("Risks:"))
            for r in d.risks { out.append(s.wrap(r.words, indent: "    ", first: "  ! ")) }
        }
        if !d.blocked.isEmpty {
            out.append(s.red("Would stay offline in a zone (as svcs -x would say):"))
            for b in d.blocked { out.append(s.wrap(tty(b.reportWords), indent: "    ", first: "  ✗ ")) }
        }
        // Every plan proves itself (docs/BOOT.md): ✓ holds, ✗ a defect, - the
        // configuration the verdict did not choose, with its reason.
        for p in d.proofs {
            let mark = p.ok ? s.green("✓ ") : p.isDefect ? s.red("✗ ") : s.yellow("- ")
            out.append(s.wrap(mark + tty(PlanProofReport.line(p)), indent: "    ", first: "  "))
            guard !p.ok else { continue }
            out.append((p.isDefect ? s.red : s.yellow)("  " + PlanProofReport.defectHeader(p)))
            for f in p.failures { out.append(s.wrap(tty(PlanProofReport.reason(f)), indent: "      ", first: "    ✗ ")) }
        }
        if !d.giveUps.isEmpty {
            out.append(s.yellow("What you give up (keep one with its --want):"))
            for g in d.giveUps { out.append(s.wrap("\(g.what) [\(g.keep)]", indent: "    ", first: "  - ")) }
        }
        if d.hasLegacy {
            out.append("Legacy rc scripts:")
            let lines = d.legacyDirectories.map(\.reportWords) + d.joinedForLegacy.map(\.words)
            for l in lines { out.append(s.wrap(tty(l), indent: "    ", first: "  - ")) }
        }
        out.append("")

        if !d.ladder.isEmpty {
            out.append(s.wrap(s.bold("Ladder of configurations") + " " + s.dim("(enabled instances, long-running processes)"), indent: "  ", first: ""))
            let nameWidth = min(34, (d.ladder.map { "\($0.number). \($0.name)".count }.max() ?? 20) + 1)
            for r in d.ladder {
                let name = "\(r.number). \(r.name)".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                let count = String(r.started).leftPad(4)
                let shown = r.longRunning.prefix(4).map(shortLabel)
                let more = r.longRunning.count > 4 ? ", +\(r.longRunning.count - 4) more" : ""
                let lr = r.longRunning.isEmpty ? s.dim("none") : shown.joined(separator: ", ") + more
                out.append(s.wrap(lr, indent: String(repeating: " ", count: nameWidth + 8), first: "  " + name + count + "  "))
            }
            out.append("")
        }

        if !d.costlyServices.isEmpty {
            out.append(s.wrap(s.bold("Costliest members") + " " + s.dim("(not needing it would drop this many members)"), indent: "  ", first: ""))
            for c in d.costlyServices.prefix(5) {
                out.append("  " + String(c.removes).leftPad(4) + "  " + shortLabel(c.fmri))
            }
        }
        if d.longestChain.count > 1 {
            let chain = d.longestChain.map { shortLabel($0.fmri) }.joined(separator: " → ")
            out.append(s.wrap(chain, indent: "    ", first: s.bold("Longest chain") + " (\(d.longestChain.count - 1) edges): "))
        }
        var problems: [String] = []
        if !d.conflicts.isEmpty { problems.append(s.red("\(d.conflicts.count) conflict\(d.conflicts.count == 1 ? "" : "s")")) }
        if !d.cycles.isEmpty { problems.append(s.red("\(d.cycles.count) cycle\(d.cycles.count == 1 ? "" : "s")")) }
        if !d.unresolved.isEmpty { problems.append(s.yellow("\(d.unresolved.count) unresolved dependenc\(d.unresolved.count == 1 ? "y" : "ies")")) }
        let missing = d.missingFiles
        if !missing.isEmpty {
            problems.append(s.red("\(missing.count) required file\(missing.count == 1 ? "" : "s") missing from the root"))
        } else if !d.requiredFiles.isEmpty && !d.requiredFiles.allSatisfy({ $0.state == .present }) {
            problems.append("\(d.requiredFiles.count) required file\(d.requiredFiles.count == 1 ? "" : "s") to provide")
        }
        if !d.invalid.isEmpty { problems.append(s.yellow("\(d.invalid.count) invalid dependenc\(d.invalid.count == 1 ? "y" : "ies")")) }
        if d.errors > 0 { problems.append(s.red("\(d.errors) input error\(d.errors == 1 ? "" : "s") (see lint)")) }
        if d.warnings > 0 { problems.append(s.yellow("\(d.warnings) lint warning\(d.warnings == 1 ? "" : "s") (see lint)")) }
        out.append(s.bold("Problems: ") + (problems.isEmpty ? s.green("none") : problems.joined(separator: ", ")))
        for c in d.conflicts { out.append(s.wrap(tty(c.reportWords), indent: "    ", first: "  ✗ ")) }
        for u in d.unresolved.prefix(5) { out.append(s.wrap(tty(u.reportWords), indent: "    ", first: "  ? ")) }
        for u in d.invalid.prefix(5) { out.append(s.wrap(tty(u.reportWords), indent: "    ", first: "  ? ")) }
        for m in missing { out.append(s.wrap(tty(m.words), indent: "    ", first: "  ✗ ")) }
        out.append("")
        if let dir = outputDirectory {
            out.append(s.bold("Wrote") + " to \(Escape.terminal(dir))/:")
            for a in d.artefacts { out.append(s.wrap(a.what, indent: String(repeating: " ", count: 24), first: "  " + a.name.padding(toLength: 22, withPad: " ", startingAt: 0))) }
        } else {
            out.append(s.wrap(s.dim("The whole report (Markdown, HTML with the graph, the profile and the blank-zone files): add -o DIR. Why is X there? smf-minimize why --want ... --target X."), indent: ""))
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension ReportData {
    /// A copy whose text fields that the summary prints as they are
    /// (names, FMRIs, notes) are escaped for a terminal (`Escape.terminal`);
    /// the facts it words (verdict reasons, blocked members, required files,
    /// conflicts, unresolved and invalid names, legacy lines) are escaped
    /// as sentences where they are written.
    func escapedForTerminal() -> ReportData {
        let t = Escape.terminal
        var d = self
        d.title = t(title)
        d.source = t(source)
        d.command = t(command)
        d.requests = requests.map(t)
        d.requestNotes = requestNotes.map(t)
        d.wanted = wanted.map(t)
        d.baseline = baseline.map(t)
        d.members = members.map {
            Member(fmri: t($0.fmri), role: $0.role, roleNote: t($0.roleNote), reason: t($0.reason),
                   depth: $0.depth, enabledInBaseline: $0.enabledInBaseline)
        }
        d.trimmed = trimmed.map(t)
        d.costlyServices = costlyServices.map { ClosureCosts.Member(fmri: t($0.fmri), removes: $0.removes, members: $0.members.map(t)) }
        d.longestChain = longestChain.map { var s = $0; s.fmri = t(s.fmri); return s }
        d.ladder = ladder.map {
            var r = $0
            r.name = t(r.name)
            r.longRunning = r.longRunning.map(t)
            return r
        }
        d.artefacts = artefacts.map { (t($0.name), t($0.what)) }
        d.giveUps = giveUps.map { var g = $0; g.fmri = t(g.fmri); g.what = t(g.what); g.keep = t(g.keep); return g }
        return d
    }
}

/// One decimal place, without Foundation.
func format1(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
