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
        var o = "Verdict for \(tty(input.wanted.joined(separator: ", "))) in \(tty(verdict.ipType.aZone)): \(tty(verdict.choice.rawValue))\n\n"
        o += "Why:\n" + verdict.reasons.map { "  - \(tty($0))\n" }.joined()
        o += "\nRisks:\n" + verdict.risks.map { "  - \(tty($0))\n" }.joined()
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
            o += "  \(tty(r.fmri))  \(tty(r.role.rawValue)): \(tty(r.note))\n"
            o += "      why: \(tty(input.reason(r.fmri)))\n"
        }
        if !verdict.blocked.isEmpty {
            o += "\nMembers that disable themselves or fail in the zone (as svcs -x would show):\n"
            for b in verdict.blocked {
                o += "  \(tty(b.fmri)) (\(tty(b.role.rawValue))): \(tty(b.note))\n"
                o += "      keeps offline: " + (b.keepsOffline.isEmpty ? "nothing" : b.keepsOffline.joined(separator: ", ")) + "\n"
            }
        }
        o += "\nThe ladder:\n"
        for r in ladder {
            o += "  \(tty(r.number)). \(tty(r.name)): \(tty(r.enabled.count)) enabled"
            if !r.launched.isEmpty { o += ", \(tty(r.launched.count)) launched without SMF" }
            o += ", \(tty(r.realWork)) doing real work, \(tty(r.longRunning.count)) long-running"
            o += r.longRunning.isEmpty ? "\n" : ": " + tty(r.longRunning.joined(separator: ", ")) + "\n"
            for w in r.works { o += "      works: \(tty(w))\n" }
            for n in r.doesNotWork { o += "      does not: \(tty(n))\n" }
        }
        o += "\nRule: \(tty(Verdict.rule))\n"
        return o
    }

    static func describe(_ s: ScriptInspection) -> String {
        switch s {
        case .notApplicable: "nothing to inspect"
        case .notInspected(let p, let why): "\(tty(p)): not inspected (\(tty(why)))"
        case .script(let p, let f): "\(tty(p)): shell script, \(tty(f.filter(\.needsSMF).count)) line(s) needing the repository"
        case .binary(let p, let l): "\(tty(p)): binary" + (l ? ", links libscf.so" : "")
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
                         ("why", .string(input.reason(r.fmri)))])
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
        case .binary(let p, let l): .object([("kind", .string("binary")), ("program", .string(p)), ("linksLibscf", .bool(l))])
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
