/// The words for one edge (`Edge`), one spelling per form, so that every
/// output names an edge the same way:
///
/// - `label`: the short form, for a table cell or a picture (`require_all
///   'net'`, `restarter`, `require_all 'fs' (via a dependent)`);
/// - `sentence`: the form that names the owner and the place it was
///   written, for reasons and explanations (`require_all group 'net' of
///   svc:/a:default (dependency, file:line)`);
/// - `detail` and `arrow`: every attribute of the edge, for `why`, `tree`,
///   `dependents` and `cycles` (`require_all group 'fs', restart_on none,
///   dependency, at file:line`; `from -> to  (detail)`), escaped for a
///   terminal;
/// - `cycleStep`: one step of an SMF050 diagnostic;
/// - `chainStep`: one step of a chain down to a cause (`audit`).
///
/// Text for a terminal goes through `tty` at the caller, as every other
/// value does.
public enum EdgeWords {
    /// `require_all 'net'`; `restarter`; ` (via a dependent)` added for an
    /// edge svccfg made from a `<dependent>`.
    public static func label(_ e: Edge) -> String {
        if e.origin == .restarter { return "restarter" }
        return "\(e.grouping.rawValue) '\(e.group)'" + (e.origin.declarer != nil ? " (via a dependent)" : "")
    }

    /// `require_all group 'net' of svc:/a:default (dependency, file:line)`;
    /// `... (dependent declared by svc:/d, file:line)`; `restarter of
    /// svc:/a:default (file:line)`.
    public static func sentence(_ e: Edge) -> String {
        if e.origin == .restarter {
            return "restarter of \(e.from) (\(e.location.short))"
        }
        let kind: String
        if let declarer = e.origin.declarer {
            kind = "dependent declared by \(declarer)"
        } else {
            kind = e.origin.kind
        }
        return "\(e.grouping.rawValue) group '\(e.group)' of \(e.from) (\(kind), \(e.location.short))"
    }

    /// `require_all group 'fs-local', restart_on none, dependency, at file:line`
    /// (names escaped for a terminal).
    public static func detail(_ e: Edge) -> String {
        var s: String
        switch e.origin {
        case .restarter:
            s = "restarter edge"
        case .dependency:
            s = "\(e.grouping.rawValue) group '\(tty(e.group))', restart_on \(e.restartOn.rawValue), dependency"
        case .dependent(let declarer):
            s = "\(e.grouping.rawValue) group '\(tty(e.group))', restart_on \(e.restartOn.rawValue), dependent declared by \(tty(declarer))"
        }
        if e.entity != e.to && !e.to.hasPrefix("/") { s += ", through \(tty(e.entity))" }
        return s + ", at \(e.location.short)"
    }

    /// `from -> to  (detail)`
    public static func arrow(_ e: Edge) -> String { "\(tty(e.from)) -> \(tty(e.to))  (\(detail(e)))" }

    /// `from -> to ('group', grouping, origin)`: a step of a cycle's diagnostic.
    public static func cycleStep(_ e: Edge) -> String {
        "\(e.from) -> \(e.to) ('\(e.group)', \(e.grouping.rawValue), \(e.origin.kind))"
    }

    /// `from group 'g' (grouping) -> to  file:line`: a step of a chain down to a cause.
    public static func chainStep(_ e: Edge) -> String {
        step(from: e.from, group: e.group, grouping: e.origin == .restarter ? "restarter" : e.grouping.rawValue,
             to: e.to, state: nil, location: e.location)
    }

    /// One step of a chain, with the state of `to` when it is known
    /// (`from group 'g' (grouping) -> to (state)  file:line`): `chainStep`
    /// and the boot explanations' steps (`PlanProofReport.stepText`).
    public static func step(from: String, group: String, grouping: String, to: String, state: String?,
                            location: SourceLocation) -> String {
        "\(from) group '\(group)' (\(grouping)) -> \(to)" + (state.map { " (\($0))" } ?? "") + "  \(location.short)"
    }
}
