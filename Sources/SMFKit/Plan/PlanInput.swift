/// What the plan stage needs from the analysis: the repository, the request,
/// its closure (docs/SEMANTICS.md, "The closure") and what the closure found.
///
/// The graph module's closure result is adapted into this value; the plan
/// pieces (profile, method analysis, verdict, ladder, blank-zone artefacts)
/// depend on nothing else.
public struct PlanInput: Sendable {
    /// The merged repository the closure was computed on.
    public var repo: Repository
    /// The requested instances W, as instance FMRIs (`svc:/a/b:i`).
    public var wanted: [String]
    /// C(W): the sorted instance FMRIs of the closure.
    public var closure: [String]
    /// For each closure member, the first step of its why-chain, in words
    /// (e.g. "required by svc:/x:default (require_all group 'net', dependency
    /// at file:line)"). Wanted instances may be absent: they read "requested".
    public var reasons: [String: String]
    /// Rung 4's extension O: baseline-enabled instances reached from C(W) by
    /// optional_all edges (docs/SEMANTICS.md, "The ladder"), sorted.
    public var optionalExtension: [String]
    /// Files that path dependencies of closure members require.
    public var requiredFiles: [PlanRequiredFile]
    /// exclude_all conflicts inside the closure.
    public var conflicts: [PlanConflict]
    /// What the zone's rc directories hold (`LegacyRC.read(root)`); not
    /// known unless a root was read.
    public var legacy: LegacyRC = .notKnown
    /// Milestones that joined the request for their legacy scripts: in the
    /// closure (so the profile enables them), not in `wanted`.
    public var joinedForLegacy: [String] = []
    /// For each closure member, the last edge of one shortest chain from a
    /// wanted instance (the one that brought it in; absent for a wanted
    /// instance or when not known): the JSON `why`. Following `from` member
    /// to member gives the whole chain, and the table stays linear in size.
    public var whyEdges: [String: Edge] = [:]

    public init(repo: Repository, wanted: [String], closure: [String], reasons: [String: String] = [:],
                optionalExtension: [String] = [], requiredFiles: [PlanRequiredFile] = [], conflicts: [PlanConflict] = []) {
        self.repo = repo
        self.wanted = wanted
        self.closure = closure.sorted()
        self.reasons = reasons
        self.optionalExtension = optionalExtension.sorted()
        self.requiredFiles = requiredFiles
        self.conflicts = conflicts
    }

    /// Why a member is in the closure, in words.
    public func reason(_ fmri: String) -> String {
        if let r = reasons[fmri] { return r }
        if wanted.contains(fmri) { return "requested" }
        if fmri == startdFMRI { return "svc.startd itself: always enabled" }
        return "in the closure"
    }
}

/// A file a path dependency requires, with the instance that needs it.
public struct PlanRequiredFile: Sendable, Hashable {
    public var instance: String
    public var path: String
    public init(instance: String, path: String) {
        self.instance = instance
        self.path = path
    }
}

/// An exclude_all conflict: `instance`'s group `group` excludes `excluded`,
/// and both are in the closure.
public struct PlanConflict: Sendable, Hashable, CustomStringConvertible {
    public var instance: String
    public var group: String
    public var excluded: String
    public init(instance: String, group: String, excluded: String) {
        self.instance = instance
        self.group = group
        self.excluded = excluded
    }
    public var description: String {
        "\(instance) excludes \(excluded) (exclude_all group '\(group)'), and both are in the closure"
    }
}

/// The zone's IP type (zonecfg `ip-type`).
public enum IPType: String, Sendable, Hashable, CaseIterable {
    case shared, exclusive
}

extension IPType {
    /// "a shared-IP zone" or "an exclusive-IP zone", for sentences.
    public var aZone: String { self == .shared ? "a shared-IP zone" : "an exclusive-IP zone" }
}

/// "a, b and c", or at most `limit - 1` items and "and N more": a sentence
/// never lists a long closure (the full lists are in the JSON).
func listed(_ items: [String], limit: Int = 5) -> String {
    if items.count <= limit { return Plan.joinedAnd(items) }
    return items.prefix(limit - 1).joined(separator: ", ") + " and \(items.count - (limit - 1)) more"
}
