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
        for s in x.chain {
            out += "   \(s.from) group '\(s.group)' (\(s.grouping)) -> \(s.to) (\(s.toState))  \(s.location.short)\n"
        }
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
