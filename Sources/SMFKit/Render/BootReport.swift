/// The predicted boot as `svcs -a` and `svcs -x` print it, and as JSON
/// (shape in docs/BOOT.md).
public struct BootReport: Sendable {
    public var prediction: BootPrediction

    public init(_ prediction: BootPrediction) { self.prediction = prediction }

    static let stateOrder: [BootState] = [.online, .degraded, .offline, .uninitialized, .maintenance, .disabled]

    /// Present instances sorted by state (in `stateOrder`), then FMRI.
    var rows: [(BootState, String)] {
        let p = prediction
        var rows: [(BootState, String)] = []
        for (i, s) in p.states.enumerated() where s != .absent { rows.append((s, p.fmris[i])) }
        let rank = Dictionary(uniqueKeysWithValues: Self.stateOrder.enumerated().map { ($1, $0) })
        rows.sort { a, b in
            let ra = rank[a.0] ?? 9, rb = rank[b.0] ?? 9
            return ra != rb ? ra < rb : a.1 < b.1
        }
        return rows
    }

    /// Absent instances with the reason.
    var absent: [(String, String)] {
        var out: [(String, String)] = []
        for (i, s) in prediction.states.enumerated() where s == .absent {
            switch prediction.causes[i] {
            case .manifestRefused(let file, let value, let loc)?:
                out.append((prediction.fmris[i], "svccfg import refuses \(file) as a whole: '\(value)' at \(loc.short) is not an FMRI"))
            case .removed(let why)?: out.append((prediction.fmris[i], why))
            default: out.append((prediction.fmris[i], "absent"))
            }
        }
        return out
    }

    /// One explanation as `svcs -x` lays it out.
    public static func text(_ x: BootExplanation) -> String {
        var out = "\(x.fmri) (\(x.state.rawValue))\n"
        if x.causeInstance != x.fmri && !x.cause.contains(x.causeInstance) {
            out += " Reason: \(x.causeInstance) is \(x.cause)\n"
        } else {
            out += " Reason: \(x.cause)\n"
        }
        for s in x.chain { out += "   " + PlanProofReport.stepText(s) + "\n" }
        return out
    }

    public var text: String {
        let p = prediction
        var out = "STATE          FMRI\n"
        for (s, f) in rows { out += s.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) + " " + f + "\n" }
        out += "\n" + p.summary + "\n"
        let missing = p.files.filter { !$0.exists }
        if p.filesAssumed, !p.files.isEmpty {
            out += "Path dependencies: no --root given; the \(p.files.count) files they name are assumed present\n"
        } else if !missing.isEmpty {
            out += "Path dependencies: \(missing.count) of \(p.files.count) files missing from the root: "
                + missing.map(\.path).joined(separator: ", ") + "\n"
        }
        let absent = self.absent
        if !absent.isEmpty {
            out += "Absent from the repository (svcs would not list them):\n"
            for (f, why) in absent { out += "  \(f): \(why)\n" }
        }
        if !p.exclusionLoop.isEmpty {
            out += "Decided with an exclude_all loop broken in FMRI order: \(p.exclusionLoop.joined(separator: ", "))\n"
        }
        if p.explanations.isEmpty {
            out += "Every enabled instance comes online.\n"
        } else {
            out += "\n" + (p.explanations.count == 1 ? "1 enabled instance does not" : "\(p.explanations.count) enabled instances do not") + " come online:\n\n"
            out += p.explanations.map(Self.text).joined(separator: "\n")
        }
        return out
    }

    static func stepJSON(_ s: BootStep) -> JSON {
        .object([("from", .string(s.from)), ("group", .string(s.group)), ("grouping", .string(s.grouping)),
                 ("entity", .string(s.entity)), ("to", .string(s.to)), ("state", .string(s.toState))]
                + s.location.jsonMembers)
    }

    public static func explanationJSON(_ x: BootExplanation) -> JSON {
        .object([("fmri", .string(x.fmri)), ("state", .string(x.state.rawValue)), ("cause", .string(x.cause)),
                 ("causeInstance", .string(x.causeInstance)), ("chain", .array(x.chain.map(stepJSON)))])
    }

    public var json: JSON {
        let p = prediction
        return .object([
            ("summary", .object(p.counts.map { ($0.0.rawValue, .int($0.1)) })),
            ("allEnabledOnline", .bool(p.allEnabledOnline)),
            ("states", .array(rows.map { .object([("fmri", .string($0.1)), ("state", .string($0.0.rawValue))]) })),
            ("absent", .array(absent.map { .object([("fmri", .string($0.0)), ("reason", .string($0.1))]) })),
            ("files", .object([("assumedPresent", .bool(p.filesAssumed)),
                               ("missing", .strings(p.files.filter { !$0.exists }.map(\.path)))])),
            ("exclusionLoop", .strings(p.exclusionLoop)),
            ("explanations", .array(p.explanations.map(Self.explanationJSON))),
        ])
    }
}

/// A plan's proof (Boot/PlanProof.swift) in words: the one line for text,
/// the details of each failure, a Markdown section and a JSON object
/// (shape in docs/BOOT.md).
public enum PlanProofReport {
    /// The one line: "predicted boot: 21 online, 0 degraded, 0 offline, ..."
    /// for a trimmed profile; for a blank zone what init starts and how many
    /// needs of the wanted services it meets.
    public static func line(_ p: PlanProof) -> String {
        switch p.summary {
        case .boot(let counts):
            return "predicted boot: " + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
        case .blankZone(let started, let needs, let unmet, let unknown):
            return "blank zone check: init starts \(count(started, "instance")); \(count(needs, "need")) of the wanted services checked, \(unmet) unmet"
                + (unknown > 0 ? ", \(unknown) not known" : "")
                + (p.filesAssumed ? " (no --root: path dependencies assumed present)" : "")
        }
    }

    static func count(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

    /// The header of the details when the proof fails.
    public static func defectHeader(_ p: PlanProof) -> String {
        let n = p.failures.count
        if !p.recommended {
            switch p.kind {
            case .trimmedProfile:
                return "Would not come online under a trimmed profile (\(n == 1 ? "1 instance" : "\(n) instances")); the verdict is a blank zone, for this reason (docs/BOOT.md):"
            case .blankZone:
                return "Not met by a blank zone (\(n == 1 ? "1 need" : "\(n) needs")); the verdict is a trimmed profile, for this reason (docs/BOOT.md):"
            }
        }
        switch p.kind {
        case .trimmedProfile:
            return "DEFECT: \(n == 1 ? "1 instance" : "\(n) instances") this profile enables would not come online (docs/BOOT.md):"
        case .blankZone:
            return "DEFECT: \(n == 1 ? "1 need" : "\(n) needs") of the wanted services would not be met by what init starts (docs/BOOT.md):"
        }
    }

    /// What is wrong, in one sentence (without the chain).
    public static func reason(_ f: PlanProof.Failure) -> String {
        switch f.cause {
        case .doesNotBoot(let x): return x.cause
        case .notStarted(let member, let role, let note, let step):
            let why: String
            switch step {
            case .none: why = "no line of the blank zone starts it"
            case .commentedOut: why = "its line is written commented out (it cannot run without SMF, see NOTES.md)"
            case .byHand: why = "its work is left to be written by hand (see NOTES.md)"
            }
            if role == .unknownWork {
                return "\(f.fmri) may need \(member) (\(note)), which init does not start: \(why); what it does in a zone is not known, so this is not counted as unmet"
            }
            return "\(f.fmri) needs \(member) (\(role.rawValue): \(note)), which init does not start: \(why)"
        case .fileMissing(let path): return "\(f.fmri) needs the file \(path), which the root does not hold"
        }
    }

    /// One failure as `svcs -x` lays it out.
    public static func text(_ f: PlanProof.Failure) -> String {
        if case .doesNotBoot(let x) = f.cause { return BootReport.text(x) }
        var out = "\(f.fmri)\n Reason: \(reason(f))\n"
        for s in f.chain { out += "   " + stepText(s) + "\n" }
        return out
    }

    static func stepText(_ s: BootStep) -> String {
        EdgeWords.step(from: s.from, group: s.group, grouping: s.grouping, to: s.to, state: s.toState, location: s.location)
    }

    /// `text` with every non-empty line indented by two spaces, each line
    /// passed through `line` first (the plan's text escapes it for a terminal).
    static func indented(_ text: String, line: (String) -> String = { $0 }) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + line(String($0)) }.joined(separator: "\n")
    }

    /// The line, then on failure the header and each failure (what `profile`
    /// prints on stderr), then the needs that are not known.
    public static func text(_ p: PlanProof) -> String {
        var out = line(p) + "\n"
        if !p.failures.isEmpty {
            out += defectHeader(p) + "\n\n"
            out += p.failures.map(text).joined(separator: "\n")
        }
        if !p.unknown.isEmpty {
            out += (p.failures.isEmpty ? "" : "\n") + unknownHeader(p) + "\n\n"
            out += p.unknown.map(text).joined(separator: "\n")
        }
        return out
    }

    static func unknownHeader(_ p: PlanProof) -> String {
        "Not known: \(p.unknown.count == 1 ? "1 member" : "\(p.unknown.count) members") init does not start, whose work in a zone is not known:"
    }

    /// A Markdown section ("## Predicted boot"), `level` its heading level.
    public static func markdown(_ p: PlanProof, level: Int = 2) -> String {
        var out = Escape.markdownHeading(p.kind == .trimmedProfile ? "Predicted boot" : "Blank-zone check", level: level) + "\n\n"
        out += Escape.markdownText(line(p), atBlockStart: true) + "\n\n"
        switch p.kind {
        case .trimmedProfile:
            out += Escape.markdownText("The profile enables \(count(p.configuration.count, "instance")) and disables every other one; the boot is predicted as svc.startd would settle it (docs/BOOT.md).", atBlockStart: true) + "\n\n"
        case .blankZone:
            out += Escape.markdownText("init starts \(count(p.configuration.count, "instance")) (setup steps and services); each wanted service's closure members with work in this zone, and its path dependencies, are checked against them (docs/BOOT.md).", atBlockStart: true) + "\n\n"
        }
        if p.failures.isEmpty {
            out += Escape.markdownText(p.kind == .trimmedProfile ? "Every instance the profile enables comes online." : "Every known need of the wanted services is met.", atBlockStart: true) + "\n"
        } else {
            out += Escape.markdownText(defectHeader(p), atBlockStart: true) + "\n\n" + bullets(p.failures)
        }
        if !p.unknown.isEmpty {
            out += "\n" + Escape.markdownText(unknownHeader(p), atBlockStart: true) + "\n\n" + bullets(p.unknown)
        }
        return out
    }

    static func bullets(_ failures: [PlanProof.Failure]) -> String {
        var out = ""
        for f in failures {
            out += Escape.markdownBullet(reason(f)) + "\n"
            if !f.chain.isEmpty {
                out += "\n" + indented(Escape.markdownCodeBlock(f.chain.map(stepText).joined(separator: "\n")))
            }
            out += "\n"
        }
        return out
    }

    public static func json(_ p: PlanProof) -> JSON {
        let summary: JSON
        switch p.summary {
        case .boot(let counts): summary = .object(counts.map { ($0.0.rawValue, .int($0.1)) })
        case .blankZone(let started, let needs, let unmet, let unknown):
            summary = .object([("started", .int(started)), ("needs", .int(needs)), ("unmet", .int(unmet)), ("unknown", .int(unknown))])
        }
        return .object([
            ("kind", .string(p.kind.rawValue)),
            ("ok", .bool(p.ok)),
            ("line", .string(line(p))),
            ("wanted", .strings(p.wanted)),
            ("configuration", .strings(p.configuration)),
            ("summary", summary),
            ("filesAssumed", .bool(p.filesAssumed)),
            ("failures", .array(p.failures.map(failureJSON))),
            ("unknown", .array(p.unknown.map(failureJSON))),
        ])
    }

    static func failureJSON(_ f: PlanProof.Failure) -> JSON {
        var members: [(String, JSON)] = [("fmri", .string(f.fmri))]
        switch f.cause {
        case .doesNotBoot(let x):
            members += [("cause", .string("does-not-boot")), ("state", .string(x.state.rawValue)), ("causeInstance", .string(x.causeInstance))]
        case .notStarted(let member, let role, _, let step):
            members += [("cause", .string("not-started")), ("member", .string(member)), ("role", .string(role.rawValue)), ("step", .string(step.rawValue))]
        case .fileMissing(let path):
            members += [("cause", .string("file-missing")), ("path", .string(path))]
        }
        members += [("reason", .string(reason(f))), ("chain", .array(f.chain.map(BootReport.stepJSON)))]
        return .object(members)
    }
}

extension PlanProof {
    /// `PlanProofReport.text`: the line and, on failure, each failure.
    public var text: String { PlanProofReport.text(self) }
}
