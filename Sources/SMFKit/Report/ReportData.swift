/// Everything a report says, as values computed once (closure, costs,
/// verdict, ladder, required-file states): the terminal summary
/// (ReportText), the Markdown and HTML (ReportDocument) and the JSON word
/// them (Render/ReportWords.swift, Render/VerdictWords.swift); no renderer
/// reads a sentence back.
public struct ReportData: Sendable {
    /// One closure member with the reason it is there.
    public struct Member: Sendable, Hashable {
        public var fmri: String
        public var role: NodeRole
        /// What the role means for this member in this zone (e.g. "no-op in a shared-IP zone").
        public var roleNote: String
        /// The first step of its why-chain, in words ("requested", "require_all group 'x' of svc:/y:default").
        public var reason: String
        /// Number of edges from the request.
        public var depth: Int
        public var enabledInBaseline: Bool
        /// The last edge of that chain (nil for a requested instance): the JSON `why`.
        public var whyEdge: Edge?

        public init(fmri: String, role: NodeRole, roleNote: String, reason: String, depth: Int, enabledInBaseline: Bool,
                    whyEdge: Edge? = nil) {
            self.whyEdge = whyEdge
            self.fmri = fmri
            self.role = role
            self.roleNote = roleNote
            self.reason = reason
            self.depth = depth
            self.enabledInBaseline = enabledInBaseline
        }
    }

    /// A file a path dependency of a member requires, and whether the zone
    /// root read holds it.
    public struct RequiredFileState: Sendable, Hashable {
        public enum State: Sendable, Hashable {
            /// No zone root was read.
            case notChecked
            case present
            /// svc.startd would keep the instance offline.
            case missing
        }
        public var file: RequiredFile
        public var state: State
        public init(file: RequiredFile, state: State) {
            self.file = file
            self.state = state
        }
    }

    /// A choice the closure made: a require_any group's member, or the
    /// instance a service entity resolved to among several.
    public enum ClosureChoice: Sendable, Hashable {
        case group(Choice)
        case service(ServiceResolution)
    }

    /// A milestone that joined the request for its legacy scripts, and why.
    public struct JoinedMilestone: Sendable, Hashable {
        public var fmri: String
        public var reason: String
    }

    public var title: String
    /// What was read, in words ("the bundled sample zone in manifests/").
    public var source: String
    /// How to regenerate this report.
    public var command: String
    public var counts: InventoryCounts
    public var ipType: IPType
    /// The requests as typed, and what each resolved to.
    public var requests: [String]
    public var requestNotes: [String]
    public var wanted: [String]
    public var baseline: [String]
    public var members: [Member]
    /// Baseline-enabled instances outside the closure: what trimming turns off.
    public var trimmed: [String]
    public var costlyServices: [ClosureCosts.Member]
    public var costlyEdges: [ClosureCosts.EdgeCost]
    public var longestChain: [ClosureCosts.Step]
    public var choices: [ClosureChoice]
    public var unresolved: [UnresolvedEntity]
    public var requiredFiles: [RequiredFileState]
    public var conflicts: [Conflict]
    public var cycles: [[String]]
    /// Members that disable themselves or fail in a zone, each with what it keeps offline.
    public var blocked: [BlockedMember]
    public var verdict: Verdict.Choice
    public var verdictReasons: [VerdictReason]
    public var risks: [Risk]
    public var ladder: [Rung]
    /// Files the report wrote, with what each is.
    public var artefacts: [(name: String, what: String)]
    /// Diagnostics counts from reading.
    public var errors: Int
    public var warnings: Int
    /// What the chosen configuration turns off that a person would notice,
    /// each with the flag that keeps it (docs/PLAN.md, "What you give up").
    public var giveUps: [GiveUp] = []
    /// Dependencies whose value is not a valid FMRI (`closure.invalid`).
    public var invalid: [InvalidEntityUse] = []
    /// The rc directories (what each holds, or that it is not known), and
    /// the milestones that joined the request for their scripts.
    public var legacyDirectories: [LegacyDirectory] = []
    public var joinedForLegacy: [JoinedMilestone] = []
    /// With `--packages`: the packages delivering the closure, and what the zone view left out.
    public var packages: PackageSection?
    /// Every plan proves itself (docs/BOOT.md): the trimmed profile booted,
    /// and the blank zone checked.
    public var proofs: [PlanProof] = []

    public init(title: String, source: String, command: String, counts: InventoryCounts, ipType: IPType,
                requests: [String], requestNotes: [String], wanted: [String], baseline: [String],
                members: [Member], trimmed: [String], costs: ClosureCosts,
                choices: [ClosureChoice], unresolved: [UnresolvedEntity], requiredFiles: [RequiredFileState],
                conflicts: [Conflict], cycles: [[String]], blocked: [BlockedMember], verdict: Verdict.Choice,
                verdictReasons: [VerdictReason], risks: [Risk], ladder: [Rung],
                artefacts: [(name: String, what: String)], errors: Int, warnings: Int) {
        self.title = title
        self.source = source
        self.command = command
        self.counts = counts
        self.ipType = ipType
        self.requests = requests
        self.requestNotes = requestNotes
        self.wanted = wanted
        self.baseline = baseline
        self.members = members
        self.trimmed = trimmed
        self.costlyServices = costs.members
        self.costlyEdges = costs.edges
        self.longestChain = costs.longestChain
        self.choices = choices
        self.unresolved = unresolved
        self.requiredFiles = requiredFiles
        self.conflicts = conflicts
        self.cycles = cycles
        self.blocked = blocked
        self.verdict = verdict
        self.verdictReasons = verdictReasons
        self.risks = risks
        self.ladder = ladder
        self.artefacts = artefacts
        self.errors = errors
        self.warnings = warnings
    }

    /// Whether there is anything to say about legacy rc scripts.
    public var hasLegacy: Bool { !legacyDirectories.isEmpty || !joinedForLegacy.isEmpty }

    /// The required files missing from the zone root read.
    public var missingFiles: [RequiredFileState] { requiredFiles.filter { $0.state == .missing } }

    /// Baseline instances per closure member: how much more a stock zone runs.
    public var bloatRatio: Double {
        members.isEmpty ? 0 : Double(baseline.count) / Double(members.count)
    }

    /// Closure members per requested instance.
    public var fanOut: Double {
        wanted.isEmpty ? 0 : Double(members.count) / Double(wanted.count)
    }

    /// Members by role, in the order roles are listed.
    ///
    /// - Complexity: one pass over the members.
    public var roleCounts: [(NodeRole, Int)] {
        var count: [NodeRole: Int] = [:]
        for m in members { count[m.role, default: 0] += 1 }
        return NodeRole.allCases.compactMap { r in count[r].map { (r, $0) } }
    }
}

extension Rung {
    /// The instances the rung starts: those launched without SMF for the
    /// blank zone (rung 2), those enabled in SMF otherwise.
    public var started: Int { number == 2 ? launched.count : enabled.count }
}
