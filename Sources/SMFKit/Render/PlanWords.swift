/// The words `plan`'s text output uses for its identifiers; the JSON keeps
/// the stable identifiers (`noopInZone`, `trimmed-profile`, docs/PLAN.md).
extension ZoneRole {
    public var words: String {
        switch self {
        case .plumbing: "SMF plumbing"
        case .noopInZone: "exits at once in a zone"
        case .noopSharedIP: "exits at once in a shared-IP zone"
        case .disablesInZone: "disables itself in a zone"
        case .failsInZone: "fails in a zone"
        case .setup: "setup work"
        case .daemon: "long-running daemon"
        case .legacyScripts: "runs the site's rc scripts"
        case .unknownWork: "unknown role"
        }
    }
}

extension Verdict.Choice {
    public var words: String {
        switch self {
        case .blankZone: "blank zone (no SMF)"
        case .trimmedProfile: "trimmed SMF profile"
        }
    }
}
