/// The check a plan makes of itself (docs/BOOT.md, "Every plan proves
/// itself"): the configuration it writes, and what is wrong with it. A value
/// only: every word is in Render/BootReport.swift.
///
/// - A trimmed profile is booted with the prediction (every other instance
///   disabled, in the zone of `--root` and its IP type): every instance it
///   enables, the wanted ones and every closure member, must come online.
/// - A blank zone has no svc.startd: what init starts (the setup steps, the
///   legacy scripts, the services; `BlankZone.steps`) is checked against what
///   each wanted service needs: every member of its closure that does work
///   in this kind of zone must be started by init, and every path dependency
///   of the closure must exist under the root.
public struct PlanProof: Sendable {
    public enum Kind: String, Sendable, Hashable {
        case trimmedProfile = "trimmed-profile"
        case blankZone = "blank-zone"
    }

    /// The summary counts.
    public enum Summary: Sendable {
        /// A trimmed profile: instances per predicted state, in `svcs` order.
        case boot([(BootState, Int)])
        /// A blank zone: the instances init starts, the needs of the wanted
        /// services checked (members with work, and files), the unmet ones.
        case blankZone(started: Int, needs: Int, unmet: Int, unknown: Int)
    }

    /// One thing the plan gets wrong.
    public struct Failure: Sendable, Hashable {
        public enum Cause: Sendable, Hashable {
            /// The profile enables it and it does not come online (the explanation, as `svcs -x`).
            case doesNotBoot(BootExplanation)
            /// A member with work in this zone that init does not start (no
            /// step for it, a step left commented out, or work by hand).
            case notStarted(member: String, role: ZoneRole, note: String, step: StepStatus)
            /// A path dependency of the closure that the root does not hold.
            case fileMissing(path: String)
        }
        /// Why init does not start a member.
        public enum StepStatus: String, Sendable, Hashable {
            /// No command of the blank zone stands for it.
            case none
            /// Its command is written commented out (it cannot run without SMF).
            case commentedOut = "commented-out"
            /// Its work is left to the administrator.
            case byHand = "by-hand"
        }
        /// The instance that fails (a trimmed profile), or the wanted
        /// instance whose need is unmet (a blank zone).
        public var fmri: String
        public var cause: Cause
        /// From `fmri` down to the cause, each step with its group and file:line.
        public var chain: [BootStep]
    }

    public var kind: Kind
    /// The wanted instances.
    public var wanted: [String]
    /// The configuration checked: the instances the profile enables (every
    /// other one disabled), or the instances init starts, in FMRI order.
    public var configuration: [String]
    public var summary: Summary
    public var failures: [Failure]
    /// Blank zone: members init does not start whose work is not known (not
    /// in the role table, assumed to do real work): the tool cannot tell
    /// whether the wanted service needs them, so they are listed, not failed.
    public var unknown: [Failure] = []
    /// True when there was no root, and every path dependency was assumed present.
    public var filesAssumed: Bool
    /// The predicted boot of a trimmed profile (nil for a blank zone).
    public var prediction: BootPrediction?

    public var ok: Bool { failures.isEmpty }
    /// Whether the verdict recommends this configuration for the request
    /// (set from the verdict the proof is made with). A recommended configuration
    /// that fails is a defect of the tool; the other one may fail, and its
    /// failures say why the verdict did not choose it.
    public var recommended = true
    /// A failure the tool must own: exit 1 and DEFECT (docs/BOOT.md).
    public var isDefect: Bool { !ok && recommended }

    /// The explanations of the instances a trimmed profile enables that do not come online.
    public var explanations: [BootExplanation] {
        failures.compactMap { if case .doesNotBoot(let x) = $0.cause { x } else { nil } }
    }

    /// The proof of a trimmed profile: `enable` (FMRIs) enabled, every other
    /// instance disabled, booted in the zone of `root` / `ipType`; every one
    /// of them must come online.
    public init(graph: DependencyGraph, repo: Repository, enable: [String], root: RootFS?, ipType: IPType, legacy: LegacyRC,
                wanted: [String] = []) {
        let set = Set(enable)
        // By id: each FMRI of `enable` looked up once (those the graph lacks enable nothing).
        var enabled = [Bool](repeating: false, count: graph.instanceCount)
        for id in graph.instanceIDs(enable) { enabled[id] = true }
        let p = graph.predictBoot(BootConfiguration(enabled: enabled, root: root, ipType: ipType, legacy: legacy),
                                  instanceFiles: BootPredictor.instanceFiles(repo, graph))
        kind = .trimmedProfile
        self.wanted = wanted
        configuration = graph.instanceFMRIs.indices.filter { enabled[$0] }.map { graph.instanceFMRIs[$0] }
        summary = .boot(p.counts)
        failures = p.explanations.filter { set.contains($0.fmri) }
            .map { Failure(fmri: $0.fmri, cause: .doesNotBoot($0), chain: $0.chain) }
        filesAssumed = p.filesAssumed
        prediction = p
    }

    /// How many members of unknown work get their chain in a blank zone's proof.
    static let chainedUnknown = 50

    /// The proof of a trimmed profile for a plan's closure; `verdict`, when
    /// given, says whether it is the configuration the verdict chose.
    public static func trimmedProfile(graph: DependencyGraph, input: PlanInput, root: RootFS?, ipType: IPType,
                                      verdict: Verdict? = nil) -> PlanProof {
        var p = PlanProof(graph: graph, repo: input.repo, enable: input.closure, root: root, ipType: ipType, legacy: input.legacy,
                          wanted: input.wanted)
        p.recommended = verdict.map { $0.choice == .trimmedProfile } ?? true
        return p
    }

    /// The proof of a blank zone: what init starts (`BlankZone.steps` of
    /// `input` and `verdict`) against what each wanted instance needs.
    public static func blankZone(graph: DependencyGraph, input: PlanInput, verdict: Verdict, root: RootFS?) -> PlanProof {
        // What init starts, and the members it leaves out on purpose.
        var started = Set<String>()
        var status: [String: Failure.StepStatus] = [:]
        var legacySteps = 0, legacyActive = 0
        for s in BlankZone.steps(input, verdict: verdict) {
            switch s {
            case .legacy(_, let runnable):
                legacySteps += 1
                if runnable { legacyActive += 1 }
            case .setup(_, let fmris, _):
                started.formUnion(fmris)
            case .byHand(_, let fmris):
                for f in fmris { status[f] = .byHand }
            case .service(let fmri, _, let canRun, _):
                if canRun != false { started.insert(fmri) } else { status[fmri] = .commentedOut }
            case .leftOut:
                break
            }
        }
        let legacyRun = legacySteps > 0 && legacyActive == legacySteps
        let roles = Dictionary(verdict.roles.map { ($0.fmri, $0) }, uniquingKeysWith: { a, _ in a })
        var failures: [Failure] = [], unknown: [Failure] = []
        var needs = 0
        var assumed = false
        for w in input.wanted {
            guard let wid = graph.instanceID(w) else { continue }
            let c = graph.closure(of: [wid])
            let tree = graph.bfs(from: [wid], follow: graph.isClosureGroup, admit: { c.isMember[$0] })
            func chain(to m: Int) -> [BootStep] {
                (tree.reached[m] ? graph.chain(in: tree, to: m) : graph.why(m, in: c).chain).map(Self.step)
            }
            for m in c.memberIDs {
                let f = graph.instanceFMRIs[m]
                guard let r = roles[f], r.role.doesRealWork else { continue }
                needs += 1
                let provided = r.role == .legacyScripts ? legacyRun : started.contains(f)
                if provided { continue }
                let st: Failure.StepStatus = r.role == .legacyScripts ? (legacySteps > 0 ? .commentedOut : .none) : status[f] ?? .none
                // Members whose work is not known can be every member of a
                // closure, and a chain each is quadratic on a deep one
                // (Tests/SMFKitTests/DeepGraphTests.swift): the first
                // `chainedUnknown` get their chain, the rest none.
                let unknownWork = r.role == .unknownWork
                let chained = !unknownWork || unknown.count < Self.chainedUnknown
                let x = Failure(fmri: w, cause: .notStarted(member: f, role: r.role, note: r.note, step: st), chain: chained ? chain(to: m) : [])
                if unknownWork { unknown.append(x) } else { failures.append(x) }
            }
            for file in c.files {
                needs += 1
                guard let root else { assumed = true; continue }
                if root.exists(file.path) { continue }
                var steps = graph.instanceID(file.instance).map(chain) ?? []
                steps.append(BootStep(from: file.instance, group: file.group, grouping: Self.grouping(graph, file.instance, file.group),
                                      entity: FMRI.path(file.path).description,
                                      to: file.path, toState: "missing", location: file.location))
                failures.append(Failure(fmri: w, cause: .fileMissing(path: file.path), chain: steps))
            }
        }
        var proof = PlanProof(kind: .blankZone, wanted: input.wanted, configuration: started.sorted(),
                              summary: .blankZone(started: started.count, needs: needs, unmet: failures.count, unknown: unknown.count),
                              failures: failures, filesAssumed: assumed, prediction: nil)
        proof.unknown = unknown
        proof.recommended = verdict.choice == .blankZone
        return proof
    }

    init(kind: Kind, wanted: [String], configuration: [String], summary: Summary, failures: [Failure],
         filesAssumed: Bool, prediction: BootPrediction?) {
        self.kind = kind
        self.wanted = wanted
        self.configuration = configuration
        self.summary = summary
        self.failures = failures
        self.filesAssumed = filesAssumed
        self.prediction = prediction
    }

    /// A closure edge as a step of a chain (the state of `to` is not predicted: "member").
    static func step(_ e: Edge) -> BootStep {
        BootStep(from: e.from, group: e.group, grouping: e.origin == .restarter ? "restarter" : e.grouping.rawValue,
                 entity: e.entity, to: e.to, toState: "member", location: e.location)
    }

    /// The grouping of group `name` of `instance`.
    static func grouping(_ g: DependencyGraph, _ instance: String, _ name: String) -> String {
        guard let i = g.instanceID(instance) else { return Grouping.requireAll.rawValue }
        for grp in g.groupRange(ofInstance: i) where g.groupName(grp) == name { return g.groupGrouping[grp].rawValue }
        return Grouping.requireAll.rawValue
    }
}

/// The name this check had before it became a value.
