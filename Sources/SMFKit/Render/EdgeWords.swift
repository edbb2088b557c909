/// The words for one edge (`Edge`), one spelling per form, so that every
/// output names an edge the same way:
///
/// - `label`: the short form, for a table cell or a picture (`require_all
///   'net'`, `restarter`, `require_all 'fs' (via a dependent)`);
/// - `sentence`: the form that names the owner and the place it was
///   written, for reasons and explanations (`require_all group 'net' of
///   svc:/a:default (dependency, file:line)`).
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
}
