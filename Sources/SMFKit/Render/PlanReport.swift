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
