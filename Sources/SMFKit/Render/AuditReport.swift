/// `audit` as text and JSON (shape in docs/BOOT.md).
public struct AuditReport: Sendable {
    public var result: AuditResult
    public init(_ result: AuditResult) { self.result = result }

    public var text: String {
        let r = result
        var out = "Configuration: \(r.kind.rawValue)\n"
        for n in r.notes { out += "  \(n)\n" }
        for d in r.diagnostics { out += d.description + "\n" }
        if !r.wanted.isEmpty {
            out += "\nRequest: \(r.wanted.joined(separator: ", ")) (closure of \(r.closureSize) instances)\n"
            out += "Bloat: \(r.bloat.count) instances enabled that the request does not need\n"
            for f in r.bloat { out += "  \(f)\n" }
            if r.breakage.isEmpty {
                out += "Breakage: none; the configuration enables every instance the request needs\n"
            } else {
                out += "Breakage: \(r.breakage.count == 1 ? "1 instance the request needs is" : "\(r.breakage.count) instances the request needs are") \(Set(r.breakage.map(\.how)).sorted().joined(separator: " or ")) in the configuration\n"
                for b in r.breakage {
                    out += "  \(b.fmri) (\(b.how))\n"
                    for e in b.chain { out += "    " + EdgeWords.chainStep(e) + "\n" }
                }
            }
        }
        if r.kind == .capture {
            out += "\nObserved versus predicted: \(r.differences.count) differences\n"
            for d in r.differences {
                out += "  \(d.fmri): observed \(d.observed), predicted \(d.predicted): \(d.verdict.rawValue): \(d.note)\n"
            }
        }
        out += "\nPredicted boot: \(r.prediction.summary)\n"
        if !r.prediction.explanations.isEmpty {
            out += "\n" + r.prediction.explanations.map(BootReport.text).joined(separator: "\n")
        }
        return out
    }

    static func edgeJSON(_ e: Edge) -> JSON {
        .object([("from", .string(e.from)), ("to", .string(e.to)), ("entity", .string(e.entity)), ("group", .string(e.group)),
                 ("grouping", .string(e.origin == .restarter ? "restarter" : e.grouping.rawValue))]
                + e.location.jsonMembers)
    }

    public var json: JSON {
        let r = result
        return .object([
            ("kind", .string(r.kind.rawValue)),
            ("notes", .strings(r.notes)),
            ("diagnostics", .array(r.diagnostics.map { .object($0.location.jsonMembers + [
                                                                 ("severity", .string($0.severity.rawValue)), ("code", .string($0.code.rawValue)),
                                                                 ("message", .string($0.message))]) })),
            ("wanted", .strings(r.wanted)),
            ("closureSize", .int(r.closureSize)),
            ("bloat", .object([("count", .int(r.bloat.count)), ("instances", .strings(r.bloat))])),
            ("breakage", .array(r.breakage.map { .object([("fmri", .string($0.fmri)), ("how", .string($0.how)),
                                                           ("chain", .array($0.chain.map(Self.edgeJSON)))]) })),
            ("differences", .array(r.differences.map { .object([("fmri", .string($0.fmri)), ("observed", .string($0.observed)),
                                                                 ("predicted", .string($0.predicted)), ("verdict", .string($0.verdict.rawValue)),
                                                                 ("note", .string($0.note)), ("line", .int($0.line))]) })),
            ("boot", BootReport(r.prediction).json),
        ])
    }
}
