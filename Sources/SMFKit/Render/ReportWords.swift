/// The words of a report (Report/ReportData.swift): one sentence per fact,
/// shared by the terminal summary, the Markdown and HTML documents and the
/// JSON. Values from input are not escaped here; each renderer escapes the
/// sentence for its language.

extension ClosureCosts.Link {
    /// The edge in words (`EdgeWords.label`: "require_all 'x'",
    /// "restarter", with " (via a dependent)" for an edge a `<dependent>`
    /// made); "a → b" when no such edge is found.
    public var words: String {
        guard inGraph else { return "\(from) → \(to)" }
        guard let e = edge else { return "\(shortLabel(from)) → \(shortLabel(to))" }
        return EdgeWords.label(e)
    }
}

extension ClosureCosts.EdgeCost {
    /// "`from` → `to`: require_all group 'x'" as a line of spans.
    public var markup: MarkupLine {
        MarkupLine(spans: [.code(shortLabel(link.from)), .text(" → "), .code(shortLabel(link.to)), .text(": " + link.words)])
    }

    /// The same with the backticks written out (the JSON `edge`).
    public var markedText: String {
        "`\(shortLabel(link.from))` → `\(shortLabel(link.to))`: " + link.words
    }
}

extension ReportData.ClosureChoice {
    public var words: String {
        switch self {
        case .group(let c):
            "\(c.instance) group '\(c.group)': chose \(c.chosen)" + (c.alternatives.isEmpty ? "" : " over \(c.alternatives.joined(separator: ", "))")
        case .service(let r):
            "\(r.instance) group '\(r.group)': \(r.service) resolved to \(r.chosen) over \(r.alternatives.joined(separator: ", "))"
        }
    }
}

extension UnresolvedEntity {
    /// "X group 'g' names E, which names nothing".
    public var reportWords: String { "\(instance) group '\(group)' names \(entity), which names nothing" }
}

extension InvalidEntityUse {
    public var reportWords: String { "\(instance) group '\(group)' names '\(value)', which is not an FMRI (\(location.short))" }
}

extension Conflict {
    public var reportWords: String {
        "\(instance) excludes \(excluded) (exclude_all group '\(group)', \(location.short)), and both are in the closure"
    }
}

extension BlockedMember {
    /// "X: note; keeps offline a, b".
    public var reportWords: String {
        "\(fmri): \(note)" + (keepsOffline.isEmpty ? "" : "; keeps offline \(keepsOffline.joined(separator: ", "))")
    }
}

extension ReportData.RequiredFileState {
    /// What the file is and who needs it: "PATH, needed by X (group 'g', file:line)".
    public var what: String { "\(file.path), needed by \(file.instance) (group '\(file.group)', \(file.location.short))" }

    /// The state after `what`, its first words the part shown in bold.
    public var stateWords: (bold: String, rest: String)? {
        switch state {
        case .notChecked: nil
        case .present: ("", ": present in the root")
        case .missing: ("missing from the root", ": svc.startd would keep \(file.instance) offline")
        }
    }

    /// The line as plain text.
    public var words: String {
        guard let s = stateWords else { return what }
        return s.bold.isEmpty ? what + s.rest : what + ": " + s.bold + s.rest
    }

    /// The line with its bold part between `**` (the JSON `requiredFiles`).
    public var markedText: String {
        guard let s = stateWords else { return what }
        return s.bold.isEmpty ? what + s.rest : what + ": **" + s.bold + "**" + s.rest
    }

    /// The line as spans.
    public var markup: MarkupLine {
        guard let s = stateWords, !s.bold.isEmpty else { return MarkupLine(text: words) }
        return MarkupLine(spans: [.text(what + ": "), .bold(s.bold), .text(s.rest)])
    }
}

extension LegacyDirectory {
    /// "MILESTONE runs 'EXEC': note".
    public var reportWords: String { "\(milestone.fmri) runs '\(milestone.exec)': \(note)" }
}

extension ReportData.JoinedMilestone {
    public var words: String { "\(fmri) joined the request: \(reason)" }
}

extension Verdict.Choice {
    /// The verdict as a headline and what it means.
    public var headline: (title: String, meaning: String) {
        switch self {
        case .blankZone: ("Blank zone", "drop SMF and launch the wanted services from inittab")
        case .trimmedProfile: ("Trimmed profile", "keep SMF, enable the closure and disable the rest")
        }
    }

    /// "Blank zone: drop SMF and ...".
    public var sentence: String { headline.title + ": " + headline.meaning }
}

extension NodeRole {
    /// A short name for tables.
    public var title: String {
        switch self {
        case .wanted: "requested"
        case .plumbing: "SMF plumbing"
        case .setup: "setup"
        case .daemon: "real work"
        case .noop: "no-op here"
        case .failing: "fails in a zone"
        case .excluded: "not in closure"
        }
    }
}
