/// The plan (verdict, wanted methods, roles, ladder) as text and JSON.
public struct PlanReport: Sendable {
    public var input: PlanInput
    public var verdict: Verdict
    public var ladder: [Rung]

    /// With `--packages`: the closure's packages (`PackageView.section`), as JSON.
    public var packages: JSON?
    /// The proof of the configuration the verdict recommends (docs/BOOT.md).
    public var proof: PlanProof?

    public init(input: PlanInput, verdict: Verdict, ladder: [Rung]) {
        self.input = input
        self.verdict = verdict
        self.ladder = ladder
    }

    public var text: String {
        var o = "Verdict for \(tty(input.wanted.joined(separator: ", "))) in \(tty(verdict.ipType.aZone)): \(tty(verdict.choice.words))\n\n"
        o += "Why:\n" + verdict.reasons.map { "  - \(tty($0.words))\n" }.joined()
        o += "\nRisks:\n" + verdict.risks.map { "  - \(tty($0.words))\n" }.joined()
        o += "\nWanted services without SMF:\n"
        for m in verdict.methods {
            let can = m.canRunWithoutSMF.map { $0 ? "yes" : "no" } ?? "not known"
            o += "  \(tty(m.fmri)): can run without SMF: \(tty(can)); duration \(tty(m.duration.rawValue))"
                + (m.durationValue.map { " (startd/duration '\(tty($0))')" } ?? "") + "\n"
            if let e = m.exec { o += "    exec: \(tty(e))\n" }
            if let l = m.launchLine { o += "    launch: \(tty(l))\n" }
            o += "    program: " + Self.describe(m.script) + "\n"
            for c in m.carried { o += "    carried: \(tty(c))\n" }
            for r in m.reasons { o += "    reason: \(tty(r))\n" }
            for w in m.warnings { o += "    warning: \(tty(w))\n" }
        }
        o += "\nClosure members (\(tty(input.closure.count))) and what they do in \(tty(verdict.ipType.aZone)):\n"
        for r in verdict.roles {
            o += "  \(tty(r.fmri))  \(tty(r.role.words)): \(tty(r.note))\n"
            o += "      why: \(tty(input.reason(r.fmri)))\n"
        }
        if !verdict.blocked.isEmpty {
            o += "\nMembers that disable themselves or fail in the zone (as svcs -x would show):\n"
            for b in verdict.blocked {
                o += "  \(tty(b.fmri)) (\(tty(b.role.words))): \(tty(b.note))\n"
                o += "      keeps offline: " + (b.keepsOffline.isEmpty ? "nothing" : b.keepsOffline.joined(separator: ", ")) + "\n"
            }
        }
        o += "\nLegacy rc scripts (/etc/rcS.d, /etc/rc2.d, /etc/rc3.d):\n" + Self.legacyText(input, verdict: verdict)
        o += "\nWhat \(tty(verdict.choice == .blankZone ? "the blank zone" : "the trimmed profile")) turns off that you would notice:\n" + Self.giveUpText(verdict.giveUps)
        o += "\nThe ladder:\n"
        for r in ladder {
            o += "  \(tty(r.number)). \(tty(r.name)): \(tty(r.enabled.count)) enabled"
            if !r.launched.isEmpty { o += ", \(tty(r.launched.count)) launched without SMF" }
            o += ", \(tty(r.realWork)) doing real work, \(tty(r.longRunning.count)) long-running"
            o += r.longRunning.isEmpty ? "\n" : ": " + tty(r.longRunning.joined(separator: ", ")) + "\n"
            for w in r.works { o += "      works: \(tty(w))\n" }
            for n in r.doesNotWork { o += "      does not: \(tty(n))\n" }
        }
        if let proof {
            o += "\nThe plan, proved (docs/BOOT.md):\n" + PlanProofReport.indented(PlanProofReport.text(proof), line: { tty($0) })
            if !o.hasSuffix("\n") { o += "\n" }
        }
        o += "\nRule: \(tty(Verdict.rule))\n"
        return o
    }

    /// One line per rc directory, then the scripts a blank zone runs.
    public static func legacyText(_ input: PlanInput, verdict: Verdict) -> String {
        var o = ""
        for d in input.legacy.directories {
            o += "  \(tty(d.milestone.fmri)) ('\(tty(d.milestone.exec))'): \(tty(d.note))\n"
            for s in d.scripts { o += "      \(tty(s.path))\(tty(s.deliveredByIllumos ? " (illumos's own, not counted)" : "")): \(tty(s.commandLine))\n" }
        }
        for m in input.joinedForLegacy { o += "  \(tty(m)) joined the request: \(tty(input.reason(m)))\n" }
        return o
    }

    /// One line per thing turned off, with the flag that keeps it.
    public static func giveUpText(_ g: [GiveUp]) -> String {
        if g.isEmpty { return "  nothing enabled as shipped that a person would notice\n" }
        return g.map { "  \(tty($0.fmri)): \(tty($0.what))\n      keep it with: \(tty($0.keep))\n" }.joined()
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
        case .notInspected(let p, let why): "\(tty(p)): not inspected (\(tty(why)))"
        case .script(let p, let f): "\(tty(p)): shell script, \(tty(f.filter(\.needsSMF).count)) line(s) needing the repository"
        case .binary(let b): "\(tty(b.program)): ELF program, \(tty(b.objects.count)) object(s) read"
            + (b.libscfChain.map { ", loads libscf.so.1 (\(tty($0.joined(separator: " -> "))))" } ?? ", no libscf.so.1")
            + (b.notInspected.isEmpty ? "" : ", \(tty(b.notInspected.count)) librar\(tty(b.notInspected.count == 1 ? "y" : "ies")) not inspected")
        }
    }

    public var json: JSON {
        .object([
            ("wanted", .strings(input.wanted)),
            ("ipType", .string(verdict.ipType.rawValue)),
            ("verdict", .string(verdict.choice.rawValue)),
            ("rule", .string(Verdict.rule)),
            ("reasons", .strings(verdict.reasons.map(\.words))),
            ("risks", .strings(verdict.risks.map(\.words))),
            ("methods", .array(verdict.methods.map(Self.methodJSON))),
            ("closure", .array(verdict.roles.map { r in
                .object([("fmri", .string(r.fmri)), ("role", .string(r.role.rawValue)), ("note", .string(r.note)),
                         ("source", .opt(r.source)), ("reason", .string(input.reason(r.fmri))),
                         ("why", input.whyEdges[r.fmri]?.json ?? .null)])
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
            ("requiredFiles", .array(input.requiredFiles.map {
                .object([("instance", .string($0.instance)), ("path", .string($0.path)), ("group", .string($0.group))] + $0.location.jsonMembers)
            })),
            ("conflicts", .array(input.conflicts.map {
                .object([("instance", .string($0.instance)), ("group", .string($0.group)), ("excluded", .string($0.excluded))] + $0.location.jsonMembers)
            })),
            ("legacy", Self.legacyJSON(input, verdict: verdict)),
            ("giveUp", Self.giveUpJSON(verdict.giveUps)),
            ("ladder", .array(ladder.map { r in
                .object([("rung", .int(r.number)), ("name", .string(r.name)), ("enabled", .strings(r.enabled)),
                         ("launched", .strings(r.launched)), ("longRunning", .strings(r.longRunning)),
                         ("realWork", .int(r.realWork)), ("works", .strings(r.works)), ("doesNotWork", .strings(r.doesNotWork))])
            })),
        ] + (packages.map { [("packages", $0)] } ?? []) + (proof.map { [("proof", PlanProofReport.json($0))] } ?? []))
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
