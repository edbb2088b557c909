/// What the plan stage needs from the analysis: the repository, the request,
/// its closure (docs/SEMANTICS.md, "The closure") and what the closure found.
///
/// The graph module's closure result is adapted into this value; the plan
/// pieces (profile, method analysis, verdict, ladder, blank-zone artefacts)
/// depend on nothing else.
public struct PlanInput: Sendable {
    /// The merged repository the closure was computed on.
    public var repo: Repository {
        didSet { longRunningFlags = ComputedOnce() }
    }
    /// `MethodAnalyzer.isLongRunning` of every graph instance, made once on
    /// the first `isLongRunning(_:)`, on every core, and shared by the
    /// copies of this input (the give-ups and the ladder each ask it of
    /// every enabled instance).
    private var longRunningFlags = ComputedOnce<[Bool]>()
    /// `DependencyGraph(repo)`: the plan pieces look instances up by its ids.
    public let graph: DependencyGraph
    /// The requested instances W, as instance FMRIs (`svc:/a/b:i`).
    public var wanted: [String]
    /// C(W): the sorted instance FMRIs of the closure.
    public private(set) var closure: [String]
    /// The graph ids of `closure`, ascending (the same order).
    public let closureIDs: [Int]
    /// For each closure member, the first step of its why-chain, in words
    /// (e.g. "required by svc:/x:default (require_all group 'net', dependency
    /// at file:line)"). Wanted instances may be absent: they read "requested".
    public var reasons: [String: String]
    /// Rung 4's extension O: baseline-enabled instances reached from C(W) by
    /// optional_all edges (docs/SEMANTICS.md, "The ladder"), sorted.
    public var optionalExtension: [String]
    /// Files that path dependencies of closure members require.
    public var requiredFiles: [RequiredFile]
    /// exclude_all conflicts inside the closure.
    public var conflicts: [Conflict]
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
                optionalExtension: [String] = [], requiredFiles: [RequiredFile] = [], conflicts: [Conflict] = [],
                graph: DependencyGraph? = nil) {
        self.repo = repo
        let graph = graph ?? DependencyGraph(repo)
        self.graph = graph
        self.wanted = wanted
        self.closure = closure.sorted()
        self.closureIDs = graph.instanceIDs(self.closure)
        self.reasons = reasons
        self.optionalExtension = optionalExtension.sorted()
        self.requiredFiles = requiredFiles
        self.conflicts = conflicts
    }

    /// Whether graph instance `id` is a long-running service
    /// (`MethodAnalyzer.isLongRunning`).
    ///
    /// - Complexity: O(1) after the first call, which decides every
    ///   instance of the graph once.
    public func isLongRunning(_ id: Int) -> Bool { longRunningByID[id] }

    /// `isLongRunning` of every graph instance, by id: what a loop over
    /// many instances reads once, rather than taking the lock of the
    /// shared value for each (the give-ups' chunks on two cores would
    /// contend for it).
    var longRunningByID: [Bool] {
        let graph = graph, repo = repo
        return longRunningFlags.get {
            inChunks(count: graph.instanceCount, minimumChunk: 1024) { range in
                range.map { MethodAnalyzer.isLongRunning($0, graph: graph, repo: repo) }
            }.flatMap { $0 }
        }
    }

    /// The graph ids of `wanted`, in request order.
    ///
    /// - Complexity: O(*k*), one hash per wanted FMRI.
    public var wantedIDs: [Int] { graph.instanceIDs(wanted) }

    /// Why a member is in the closure, in words.
    public func reason(_ fmri: String) -> String {
        if let r = reasons[fmri] { return r }
        if wanted.contains(fmri) { return "requested" }
        if fmri == startdFMRI { return "svc.startd itself: always enabled" }
        return "in the closure"
    }
}

/// The zone's IP type (zonecfg `ip-type`, `ZoneConfig.ipType`), which
/// decides the role of the network services (docs/PLAN.md, role table).
public enum IPType: String, Sendable, Hashable, CaseIterable {
    /// Shares the global zone's IP stack: the network services of the
    /// zone have nothing to configure (the method scripts of usr/src/cmd/svc/milestone).
    case shared
    /// Has its own IP stack (a VNIC), configured inside the zone.
    case exclusive
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
