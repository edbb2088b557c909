/// Everything a report says, computed once and rendered to the terminal,
/// Markdown and HTML from the same values.
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

    /// What one closure member costs: it and everything only it pulls in.
    public struct Cost: Sendable, Hashable {
        public var what: String
        public var removes: Int
        /// The members that would go with it (itself included), sorted.
        public var members: [String]
        public init(what: String, removes: Int, members: [String]) {
            self.what = what
            self.removes = removes
            self.members = members
        }
    }

    /// One step of a chain: the member, and the edge that led to it.
    public struct Step: Sendable, Hashable {
        public var fmri: String
        public var via: String?
        public init(fmri: String, via: String?) {
            self.fmri = fmri
            self.via = via
        }
    }

    /// One rung of the ladder of configurations.
    public struct Rung: Sendable, Hashable {
        public var number: Int
        public var name: String
        public var enabled: Int
        public var longRunning: [String]
        public var works: [String]
        public var doesNot: [String]
        public init(number: Int, name: String, enabled: Int, longRunning: [String], works: [String], doesNot: [String]) {
            self.number = number
            self.name = name
            self.enabled = enabled
            self.longRunning = longRunning
            self.works = works
            self.doesNot = doesNot
        }
    }

    public var title: String
    /// What was read, in words ("the bundled sample zone in manifests/").
    public var source: String
    /// How to regenerate this report.
    public var command: String
    public var counts: InventoryCounts
    public var ipType: String
    /// The requests as typed, and what each resolved to.
    public var requests: [String]
    public var requestNotes: [String]
    public var wanted: [String]
    public var baseline: [String]
    public var members: [Member]
    /// Baseline-enabled instances outside the closure: what trimming turns off.
    public var trimmed: [String]
    public var costlyServices: [Cost]
    public var costlyEdges: [Cost]
    public var longestChain: [Step]
    public var choices: [String]
    public var unresolved: [String]
    public var requiredFiles: [String]
    public var conflicts: [String]
    public var cycles: [[String]]
    /// Members that disable themselves or fail in a zone, each with what it keeps offline.
    public var blocked: [String]
    public var verdict: String
    public var verdictReasons: [String]
    public var risks: [String]
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
    public var invalid: [String] = []
    /// One line per rc directory (what it holds, or that it is not known),
    /// then the milestones that joined the request for their scripts.
    public var legacy: [String] = []
    /// With `--packages`: the packages delivering the closure, and what the zone view left out.
    public var packages: PackageSection?

    public init(title: String, source: String, command: String, counts: InventoryCounts, ipType: String,
                requests: [String], requestNotes: [String], wanted: [String], baseline: [String],
                members: [Member], trimmed: [String], costlyServices: [Cost], costlyEdges: [Cost],
                longestChain: [Step], choices: [String], unresolved: [String], requiredFiles: [String],
                conflicts: [String], cycles: [[String]], blocked: [String], verdict: String,
                verdictReasons: [String], risks: [String], ladder: [Rung],
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
        self.costlyServices = costlyServices
        self.costlyEdges = costlyEdges
        self.longestChain = longestChain
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

    /// Baseline instances per closure member: how much more a stock zone runs.
    public var bloatRatio: Double {
        members.isEmpty ? 0 : Double(baseline.count) / Double(members.count)
    }

    /// Closure members per requested instance.
    public var fanOut: Double {
        wanted.isEmpty ? 0 : Double(members.count) / Double(wanted.count)
    }

    /// Members by role, in the order roles are listed.
    public var roleCounts: [(NodeRole, Int)] {
        NodeRole.allCases.compactMap { r in
            let n = members.filter { $0.role == r }.count
            return n > 0 ? (r, n) : nil
        }
    }
}

extension NodeRole {
    /// A short name for tables.
    public var title: String {
        switch self {
        case .wanted: "requested"
        case .plumbing: "SMF plumbing"
        case .setup: "setup"
        case .daemon: "real work"
        case .noop: "no-op here"
        case .failing: "fails in a zone"
        case .excluded: "not in closure"
        }
    }
}
