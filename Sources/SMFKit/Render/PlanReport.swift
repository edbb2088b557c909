/// The plan (verdict, wanted methods, roles, ladder) as text and JSON.
public struct PlanReport: Sendable {
    public var input: PlanInput
    public var verdict: Verdict
    public var ladder: [Rung]

    public init(input: PlanInput, verdict: Verdict, ladder: [Rung]) {
        self.input = input
        self.verdict = verdict
        self.ladder = ladder
    }

    public var text: String {
        var o = "Verdict for \(input.wanted.joined(separator: ", ")) in \(verdict.ipType.aZone): \(verdict.choice.rawValue)\n\n"
        o += "Why:\n" + verdict.reasons.map { "  - \($0)\n" }.joined()
        o += "\nRisks:\n" + verdict.risks.map { "  - \($0)\n" }.joined()
        o += "\nWanted services without SMF:\n"
        for m in verdict.methods {
            let can = m.canRunWithoutSMF.map { $0 ? "yes" : "no" } ?? "not known"
            o += "  \(m.fmri): can run without SMF: \(can); duration \(m.duration.rawValue)"
                + (m.durationValue.map { " (startd/duration '\($0)')" } ?? "") + "\n"
            if let e = m.exec { o += "    exec: \(e)\n" }
            if let l = m.launchLine { o += "    launch: \(l)\n" }
            o += "    program: " + Self.describe(m.script) + "\n"
            for c in m.carried { o += "    carried: \(c)\n" }
            for r in m.reasons { o += "    reason: \(r)\n" }
            for w in m.warnings { o += "    warning: \(w)\n" }
        }
        o += "\nClosure members (\(input.closure.count)) and what they do in \(verdict.ipType.aZone):\n"
        for r in verdict.roles {
            o += "  \(r.fmri)  \(r.role.rawValue): \(r.note)\n"
            o += "      why: \(input.reason(r.fmri))\n"
        }
        if !verdict.blocked.isEmpty {
            o += "\nMembers that disable themselves or fail in the zone (as svcs -x would show):\n"
            for b in verdict.blocked {
                o += "  \(b.fmri) (\(b.role.rawValue)): \(b.note)\n"
                o += "      keeps offline: " + (b.keepsOffline.isEmpty ? "nothing" : b.keepsOffline.joined(separator: ", ")) + "\n"
            }
        }
        o += "\nLegacy rc scripts (/etc/rcS.d, /etc/rc2.d, /etc/rc3.d):\n" + Self.legacyText(input, verdict: verdict)
        o += "\nWhat \(verdict.choice == .blankZone ? "the blank zone" : "the trimmed profile") turns off that you would notice:\n" + Self.giveUpText(verdict.giveUps)
        o += "\nThe ladder:\n"
        for r in ladder {
            o += "  \(r.number). \(r.name): \(r.enabled.count) enabled"
            if !r.launched.isEmpty { o += ", \(r.launched.count) launched without SMF" }
            o += ", \(r.realWork) doing real work, \(r.longRunning.count) long-running"
            o += r.longRunning.isEmpty ? "\n" : ": " + r.longRunning.joined(separator: ", ") + "\n"
            for w in r.works { o += "      works: \(w)\n" }
            for n in r.doesNotWork { o += "      does not: \(n)\n" }
        }
        o += "\nRule: \(Verdict.rule)\n"
        return o
    }

    /// One line per rc directory, then the scripts a blank zone runs.
    public static func legacyText(_ input: PlanInput, verdict: Verdict) -> String {
        var o = ""
        for d in input.legacy.directories {
            o += "  \(d.milestone.fmri) ('\(d.milestone.exec)'): \(d.note)\n"
            for s in d.scripts { o += "      \(s.path)\(s.deliveredByIllumos ? " (illumos's own, not counted)" : ""): \(s.commandLine)\n" }
        }
        for m in input.joinedForLegacy { o += "  \(m) joined the request: \(input.reason(m))\n" }
        return o
    }

    /// One line per thing turned off, with the flag that keeps it.
    public static func giveUpText(_ g: [GiveUp]) -> String {
        if g.isEmpty { return "  nothing enabled as shipped that a person would notice\n" }
        return g.map { "  \($0.fmri): \($0.what)\n      keep it with: \($0.keep)\n" }.joined()
    }

    /// `legacy` of the JSON.
    public static func legacyJSON(_ input: PlanInput, verdict: Verdict) -> JSON {
        .object([
            ("known", .bool(input.legacy.known)),
            ("directories", .array(input.legacy.directories.map { d in
                .object([("milestone", .string(d.milestone.fmri)), ("exec", .string(d.milestone.exec)),
                         ("directory", .string(d.milestone.directory)), ("source", .string(d.milestone.source)),
                         ("known", .bool(d.known)), ("note", .string(d.note)),
                         ("scripts", .array(d.scripts.map { s in
                             .object([("path", .string(s.path)), ("deliveredByIllumos", .bool(s.deliveredByIllumos)), ("argv", .strings(s.argv))])
                         }))])
            })),
            ("joined", .strings(input.joinedForLegacy)),
            ("run", .array(verdict.legacyScripts.map { s in
                .object([("milestone", .string(s.milestone)), ("path", .string(s.path)), ("argv", .strings(s.argv)),
                         ("command", .string(s.commandLine))])
            })),
        ])
    }

    /// `giveUp` of the JSON.
    public static func giveUpJSON(_ g: [GiveUp]) -> JSON {
        .array(g.map { .object([("kind", .string($0.kind.rawValue)), ("fmri", .string($0.fmri)), ("what", .string($0.what)), ("keep", .string($0.keep))]) })
    }

    static func describe(_ s: ScriptInspection) -> String {
        switch s {
        case .notApplicable: "nothing to inspect"
        case .notInspected(let p, let why): "\(p): not inspected (\(why))"
        case .script(let p, let f): "\(p): shell script, \(f.filter(\.needsSMF).count) line(s) needing the repository"
        case .binary(let b): "\(b.program): ELF program, \(b.objects.count) object(s) read"
            + (b.libscfChain.map { ", loads libscf.so.1 (\($0.joined(separator: " -> ")))" } ?? ", no libscf.so.1")
            + (b.notInspected.isEmpty ? "" : ", \(b.notInspected.count) librar\(b.notInspected.count == 1 ? "y" : "ies") not inspected")
        }
    }

    public var json: JSON {
        .object([
            ("wanted", .strings(input.wanted)),
            ("ipType", .string(verdict.ipType.rawValue)),
            ("verdict", .string(verdict.choice.rawValue)),
            ("rule", .string(Verdict.rule)),
            ("reasons", .strings(verdict.reasons)),
            ("risks", .strings(verdict.risks)),
            ("methods", .array(verdict.methods.map(Self.methodJSON))),
            ("closure", .array(verdict.roles.map { r in
                .object([("fmri", .string(r.fmri)), ("role", .string(r.role.rawValue)), ("note", .string(r.note)),
                         ("source", .opt(r.source)), ("why", .string(input.reason(r.fmri)))])
            })),
            ("setup", .array(verdict.setupSteps.map { s in
                switch s.replacement {
                case .command(let c): .object([("fmri", .string(s.fmri)), ("command", .string(c)), ("byHand", .null)])
                case .byHand(let h): .object([("fmri", .string(s.fmri)), ("command", .null), ("byHand", .string(h))])
                }
            })),
            ("blocked", .array(verdict.blocked.map { b in
                .object([("fmri", .string(b.fmri)), ("role", .string(b.role.rawValue)), ("note", .string(b.note)),
                         ("keepsOffline", .strings(b.keepsOffline))])
            })),
            ("requiredFiles", .array(input.requiredFiles.map { .object([("instance", .string($0.instance)), ("path", .string($0.path))]) })),
            ("conflicts", .array(input.conflicts.map {
                .object([("instance", .string($0.instance)), ("group", .string($0.group)), ("excluded", .string($0.excluded))])
            })),
            ("legacy", Self.legacyJSON(input, verdict: verdict)),
            ("giveUp", Self.giveUpJSON(verdict.giveUps)),
            ("ladder", .array(ladder.map { r in
                .object([("rung", .int(r.number)), ("name", .string(r.name)), ("enabled", .strings(r.enabled)),
                         ("launched", .strings(r.launched)), ("longRunning", .strings(r.longRunning)),
                         ("realWork", .int(r.realWork)), ("works", .strings(r.works)), ("doesNotWork", .strings(r.doesNotWork))])
            })),
        ])
    }

    static func methodJSON(_ m: MethodAnalysis) -> JSON {
        let script: JSON = switch m.script {
        case .notApplicable: .object([("kind", .string("none"))])
        case .notInspected(let p, let why): .object([("kind", .string("not-inspected")), ("program", .string(p)), ("why", .string(why))])
        case .script(let p, let f): .object([("kind", .string("script")), ("program", .string(p)), ("findings", .array(f.map {
            .object([("script", .string($0.script)), ("line", .int($0.line)), ("what", .string($0.what)),
                     ("needsSMF", .bool($0.needsSMF)), ("text", .string($0.text))])
        }))])
        case .binary(let b): .object([("kind", .string("binary")), ("program", .string(b.program)), ("linksLibscf", .bool(b.linksLibscf)),
                                      ("libscfChain", b.libscfChain.map { .array($0.map { .string($0) }) } ?? .null),
                                      ("objects", .array(b.objects.map { .string($0) })),
                                      ("notInspected", .array(b.notInspected.map { .string($0) }))])
        }
        return .object([
            ("fmri", .string(m.fmri)),
            ("canRunWithoutSMF", m.canRunWithoutSMF.map { .bool($0) } ?? .null),
            ("exec", .opt(m.exec)),
            ("keyword", .opt(m.keyword)),
            ("expanded", .opt(m.expanded)),
            ("duration", .string(m.duration.rawValue)),
            ("durationValue", .opt(m.durationValue)),
            ("longRunning", .bool(m.longRunning)),
            ("launchLine", .opt(m.launchLine)),
            ("program", script),
            ("carried", .strings(m.carried)),
            ("notCarried", .strings(m.notCarried)),
            ("reasons", .strings(m.reasons)),
            ("warnings", .strings(m.warnings)),
        ])
    }
}
