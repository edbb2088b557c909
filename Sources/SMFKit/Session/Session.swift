import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One run of the pipeline over one input: the entry point of SMFKit for a
/// program that wants what the `smf-minimize` commands print.
///
/// A session reads the input named by its `SessionOptions` (XML → Input →
/// Repository), builds the dependency graph, resolves the request, and
/// from there computes the closure, the plan input, the roles, the verdict,
/// the ladder and the baseline, each when it is first asked for and never
/// again: every accessor returns the value the first call computed
/// (`evaluations` counts the computations, for the tests). A command asks
/// only for what it prints: `graph --want` asks for the roles and never
/// runs the verdict's method analysis.
///
///     var options = SessionOptions()
///     options.root = "/zones/web/root"
///     options.wanted = ["nginx"]
///     let session = Session(options)
///     let verdict = try session.verdict()
///     let ladder = try session.ladder()
///
/// Errors are `SessionError` values (the command line words them and maps
/// them to exit codes, docs/EXIT-CODES.md); what the session says while it
/// reads goes to `noticeConsumer`. A session is used from one thread (it
/// uses every core itself where stages do not depend on each other:
/// `prepareAfterVerdict`).
/// docs/ARCHITECTURE.md draws the stages.
public final class Session {
    /// The computations a session memoises, for `evaluations`.
    public enum Stage: String, Sendable, CaseIterable {
        case input, graph, requests, closure, legacy, analysis, planInput, roles, verdict, ladder, baseline, profileDecision, profileProof, blankZoneProof
    }

    public let options: SessionOptions
    private let noticeConsumer: (SessionNotice) -> Void
    /// How many times each stage was computed (at most once each).
    public private(set) var evaluations: [Stage: Int] = [:]

    /// What the session computed, each stage once; `Cache()` is nothing yet.
    private struct Cache {
        var input: LoadedInput?
        var graph: DependencyGraph?
        var requests: [ResolvedRequest]?
        var closure: Closure?
        var legacy: LegacyRC?
        var analysis: (analysis: Analysis, joined: [String])?
        var planInput: PlanInput?
        /// The plan input without the optional extension (what the verdict and
        /// the roles read), and the extension on its own (only the ladder reads it).
        var coreInput: PlanInput?
        var roles: [RoleAssignment]?
        var verdict: Verdict?
        var ladder: [Rung]?
        var baseline: [String]?
        var decision: ProfileWriter.Decision?
        var profileProof: PlanProof?
        var blankZoneProof: PlanProof?
    }
    private var cache = Cache()
    /// What the input read keeps: `options.detail` until a stage needs
    /// more (`needDetail`).
    private var detail: ReadDetail

    /// A session over `options`; nothing is read until a result is asked for.
    public init(_ options: SessionOptions, noticeConsumer: @escaping (SessionNotice) -> Void = { _ in }) {
        self.options = options
        self.noticeConsumer = noticeConsumer
        // The package report names the packages of the methods' executables,
        // which a structure reading leaves out: a session with packages reads
        // everything from the start.
        self.detail = options.packagesDirectory == nil ? options.detail : .full
    }

    private func counted(_ stage: Stage) { evaluations[stage, default: 0] += 1 }

    // MARK: Input, repository, graph

    /// The input read and merged, with what a root holds besides manifests
    /// (inittab, method scripts, the zonecfg file, the package view).
    /// Throws `.nothingRead` when no manifest was read and no input was
    /// unreadable (an unreadable input is the command's exit 2 to report).
    public func input() throws(SessionError) -> LoadedInput {
        if let v = cache.input { return v }
        var spec = try options.spec()
        // What this reading keeps: the options' detail, or all of it once a stage needed more.
        spec.detail = detail
        if options.usesSample, let root = spec.root { noticeConsumer(.readingSample(root: root)) }
        if let root = spec.root, let warning = RootCheck.zonepathWarning(root: root) {
            noticeConsumer(.zonepathWarning(warning))
        }
        let loaded = Loader.loadInput(spec)
        if !Session.inputUnreadable(loaded.repository), let error = RootCheck.nothingRead(spec, loaded.repository) {
            throw .nothingRead(error)
        }
        counted(.input)
        cache.input = loaded
        return loaded
    }

    /// Makes sure what the stages after it read was read: a session whose
    /// options left detail out (`ReadDetail.structure`) reads its input
    /// again, whole, and forgets every stage computed from the first
    /// reading, which are computed again when asked. Called where a stage
    /// that reads property values, method contexts or the boot's facts
    /// begins, before it holds any stage's value.
    func needDetail() {
        guard detail != .full else { return }
        detail = .full
        cache = Cache()
    }

    /// The merged repository (the baseline composed with the root's layers and the profiles).
    public func repository() throws(SessionError) -> Repository { try input().repository }

    /// The dependency graph of the repository.
    public func graph() throws(SessionError) -> DependencyGraph {
        if let v = cache.graph { return v }
        let g = DependencyGraph(try repository())
        counted(.graph)
        cache.graph = g
        return g
    }

    /// The instances enabled in the baseline, sorted by FMRI.
    /// - Complexity: O(n log n) in the instances on the first call, O(1) after.
    public func baseline() throws(SessionError) -> [String] {
        if let v = cache.baseline { return v }
        let b = try repository().baseline.map(\.fmri)
        counted(.baseline)
        cache.baseline = b
        return b
    }

    /// The site's legacy rc scripts (`/etc/rc?.d` under the root; not known without one).
    public func legacy() throws(SessionError) -> LegacyRC {
        if let v = cache.legacy { return v }
        let l = LegacyRC.read(try input().root)
        counted(.legacy)
        cache.legacy = l
        return l
    }

    /// Method scripts: `options.methods`, else the root's `/lib/svc/method`, else none.
    public func lookup() throws(SessionError) -> ScriptLookup {
        if let methods = options.methods { return .methodsDir(methods) }
        if let fs = try input().root { return .root(fs) }
        return .unavailable
    }

    /// The zone's IP type: `options.ipType`, else the zonecfg's ip-type, else shared.
    public func ipType() throws(SessionError) -> IPType {
        if let ip = options.ipType { return ip }
        return try input().zoneConfig?.ipType ?? .shared
    }

    // MARK: Requests

    /// Resolves names as svcs does (`option` names them in errors): a name
    /// that does not resolve is `.usage`, or `.unresolvedAmidUnreadable`
    /// when an input could not be read.
    public func resolve(_ names: [String], option: String) throws(SessionError) -> [ResolvedRequest] {
        let graph = try graph()
        do {
            return try RequestResolver.resolve(names, in: graph)
        } catch {
            let repo = try repository()
            if Session.inputUnreadable(repo) {
                throw .unresolvedAmidUnreadable(option: option, unreadable: Session.unreadableInputs(repo), error: error)
            }
            throw .usage("\(option): \(Escape.terminalLines(error.description))")
        }
    }

    /// A name that must stand for exactly one instance: the request and the instance's id.
    public func resolveSingle(_ name: String, option: String) throws(SessionError) -> (ResolvedRequest, Int) {
        let r = try resolve([name], option: option)[0]
        guard r.instanceIDs.count == 1, let id = r.instanceIDs.first else {
            throw .usage("\(option): '\(Escape.terminal(name))' matches \(r.instances.count) instances (\(Escape.terminal(r.instances.joined(separator: ", ")))); name exactly one")
        }
        return (r, id)
    }

    /// Names given to an option that filters by instance (`graph --from`,
    /// `--to`), resolved by the `--want` matcher to the instance FMRIs they name.
    public func instanceSet(_ names: [String], option: String) throws(SessionError) -> Set<String> {
        Set(try resolve(names, option: option).flatMap(\.instances))
    }

    /// `options.wanted` resolved (at least one name; with the zone view, a
    /// service the zone does not get is a usage error that says why).
    public func requests() throws(SessionError) -> [ResolvedRequest] {
        if let v = cache.requests { return v }
        guard !options.wanted.isEmpty else {
            throw .usage("name at least one instance or service with --want (e.g. --want network/ssh)")
        }
        let loaded = try input()
        try checkZoneAbsent(options.wanted, loaded.packages, repo: loaded.repository, option: "--want")
        let r = try resolve(options.wanted, option: "--want")
        counted(.requests)
        cache.requests = r
        return r
    }

    private func checkZoneAbsent(_ names: [String], _ packages: PackageView?, repo: Repository, option: String) throws(SessionError) {
        guard let packages, packages.options.zoneView else { return }
        for name in names {
            let service = PackageView.serviceName(name)
            // The exact name, else a last part (`sysevent`) that no service read still has.
            var hit = packages.exclusion(ofService: service)
            if hit == nil, !service.contains("/"), !repo.services.keys.contains(where: { $0 == service || $0.hasSuffix("/" + service) }) {
                hit = packages.excluded.first { $0.services.contains { $0.hasSuffix("/" + service) } }
            }
            if let e = hit {
                let full = e.services.first { $0 == service || $0.hasSuffix("/" + service) } ?? service
                throw .usage("\(option) \(name): \(full) is \(PackageView.absentNote(e)); a non-global zone does not get it")
            }
        }
    }

    // MARK: Closure, analysis, plan

    /// C(W) of the request as given (what `closure`, `tree` and `why` print).
    public func closure() throws(SessionError) -> Closure {
        if let v = cache.closure { return v }
        let ids = try requests().flatMap(\.instanceIDs)
        let c = try graph().closure(of: ids)
        counted(.closure)
        cache.closure = c
        return c
    }

    /// The request analysed for a plan: the milestones whose rc directories
    /// hold the site's legacy scripts join the request, so that the profile
    /// is the closure of the enlarged request (docs/PLAN.md, "Legacy rc
    /// scripts"); with the optional extension and every member's chain.
    public func analysis() throws(SessionError) -> Analysis {
        try enlargedAnalysis().analysis
    }

    private func enlargedAnalysis() throws(SessionError) -> (analysis: Analysis, joined: [String]) {
        if let v = cache.analysis { return v }
        let requests = try requests()
        let graph = try graph()
        let enlarged = try legacy().joined(requests, graph: graph)
        let a = (Analysis(repo: try repository(), graph: graph, requests: enlarged.requests, extendingOptional: false),
                 enlarged.joined)
        counted(.analysis)
        cache.analysis = a
        return a
    }

    /// What plan, profile, blank-zone, collect and report are built on:
    /// the core input with the optional extension (docs/PLAN.md, "The
    /// ladder": rung 4).
    public func planInput() throws(SessionError) -> PlanInput {
        if let v = cache.planInput { return v }
        let p = Self.withExtension(try coreInput(), try analysis())
        counted(.planInput)
        cache.planInput = p
        return p
    }

    /// The plan input less the optional extension: everything the verdict,
    /// the roles, the proofs and the profile's decision read (none of them
    /// reads `optionalExtension`).
    private func coreInput() throws(SessionError) -> PlanInput {
        if let v = cache.planInput { return v }
        if let v = cache.coreInput { return v }
        needDetail()
        let (analysis, joined) = try enlargedAnalysis()
        var p = analysis.planInput()
        p.attach(try legacy(), joined: joined)
        cache.coreInput = p
        return p
    }

    /// `input` with the optional extension of `analysis`'s closure.
    private static func withExtension(_ input: PlanInput, _ analysis: Analysis) -> PlanInput {
        var p = input
        p.optionalExtension = Analysis.extensionMembers(graph: analysis.graph, closure: analysis.closure)
        return p
    }

    /// Every closure member's role in this kind of zone, sorted by FMRI:
    /// the verdict's own when the verdict was computed, else classified
    /// without the verdict's method analysis.
    public func roles() throws(SessionError) -> [RoleAssignment] {
        if let v = cache.verdict { return v.roles }
        if let v = cache.roles { return v }
        let p = try coreInput()
        let r = ZoneRoles.roles(p.closureIDs, ipType: try ipType(), graph: p.graph, repo: p.repo, legacy: p.legacy)
        counted(.roles)
        cache.roles = r
        return r
    }

    /// The roles as a drawing colours them (the wanted instances as `.wanted`), with their notes.
    public func nodeRoles() throws(SessionError) -> [String: (NodeRole, String)] {
        var out: [String: (NodeRole, String)] = [:]
        for r in try roles() { out[r.fmri] = (ReportBuilder.nodeRole(r.role), r.note) }
        for w in try analysis().wanted { out[w] = (.wanted, out[w]?.1 ?? "") }
        return out
    }

    /// Blank zone or trimmed profile, with the method analysis of every wanted instance.
    public func verdict() throws(SessionError) -> Verdict {
        if let v = cache.verdict { return v }
        let v = Plan.verdict(try coreInput(), ipType: try ipType(), lookup: try lookup())
        counted(.verdict)
        cache.verdict = v
        return v
    }

    /// The trimmed profile booted (docs/BOOT.md, "Every plan proves
    /// itself"): the closure enabled, every other instance disabled; every
    /// member and wanted instance must come online.
    public func profileProof() throws(SessionError) -> PlanProof {
        if let v = cache.profileProof { return v }
        try prepareAfterVerdict([.profileProof])
        guard let v = cache.profileProof else { preconditionFailure("prepareAfterVerdict computes every stage it is asked for") }
        return v
    }

    /// The blank zone checked (docs/BOOT.md): what init starts against what
    /// each wanted instance needs.
    public func blankZoneProof() throws(SessionError) -> PlanProof {
        if let v = cache.blankZoneProof { return v }
        try prepareAfterVerdict([.blankZoneProof])
        guard let v = cache.blankZoneProof else { preconditionFailure("prepareAfterVerdict computes every stage it is asked for") }
        return v
    }

    /// The proof of the configuration the verdict recommends.
    public func recommendedProof() throws(SessionError) -> PlanProof {
        try verdict().choice == .blankZone ? try blankZoneProof() : try profileProof()
    }

    /// The five configurations from init only to the baseline.
    public func ladder() throws(SessionError) -> [Rung] {
        if let v = cache.ladder { return v }
        try prepareAfterVerdict([.ladder])
        guard let v = cache.ladder else { preconditionFailure("prepareAfterVerdict computes every stage it is asked for") }
        return v
    }

    /// The `stages` asked for among the ladder (with the plan input's
    /// optional extension, its only reader), the proof of each
    /// configuration and the profile's decision, computed side by side on
    /// every core: each is a function of the verdict and the values before
    /// it, and none reads another. The one place the ladder and the proofs
    /// are computed (`ladder()`, `profileProof()`, `blankZoneProof()` ask
    /// for their own stage alone; `report` for all); the caches are filled
    /// here, on the session's thread. A stage already computed is not
    /// computed again.
    func prepareAfterVerdict(_ stages: Set<Stage>) throws(SessionError) {
        let verdict = try verdict(), analysis = try analysis(), graph = analysis.graph
        let input = try coreInput()
        let needLadder = stages.contains(.ladder) && cache.ladder == nil
        let needInput = needLadder && cache.planInput == nil
        let root = try self.input().root, ipType = try ipType()
        let results = AfterVerdict()
        let needProfile = stages.contains(.profileProof) && cache.profileProof == nil
        let needBlank = stages.contains(.blankZoneProof) && cache.blankZoneProof == nil
        let needDecision = stages.contains(.profileDecision) && cache.decision == nil
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            switch k {
            case 0 where needLadder:
                // The optional extension first: only the ladder reads it.
                let full = needInput ? Self.withExtension(input, analysis) : input
                if needInput { results.planInput = full }
                results.ladder = Ladder.rungs(full, verdict: verdict)
            case 1 where needProfile:
                results.profileProof = PlanProof.trimmedProfile(graph: graph, input: input, root: root, ipType: ipType, verdict: verdict)
            case 2 where needBlank: results.blankZoneProof = PlanProof.blankZone(graph: graph, input: input, verdict: verdict, root: root)
            case 3 where needDecision: results.decision = ProfileWriter.decision(input)
            default: break
            }
        }
        if let p = results.planInput { cache.planInput = p; counted(.planInput) }
        if let l = results.ladder { cache.ladder = l; counted(.ladder) }
        if let p = results.profileProof { cache.profileProof = p; counted(.profileProof) }
        if let p = results.blankZoneProof { cache.blankZoneProof = p; counted(.blankZoneProof) }
        if let d = results.decision { cache.decision = d; counted(.profileDecision) }
    }

    /// The two stages of `report` that read neither the verdict nor each
    /// other, begun on another core while the verdict is made (which, on
    /// a small tree, runs on one): the optional extension (the ladder's
    /// input) and the trimmed profile's boot, its proof less whether the
    /// verdict recommends it. `finishExtension` and `finishProof` keep them.
    func beginBeforeVerdict(_ stages: Set<Stage>) throws(SessionError) -> EarlyStages {
        let analysis = try analysis(), input = try coreInput()
        let root = try self.input().root, ipType = try ipType()
        let wantInput = stages.contains(.ladder) && cache.planInput == nil
        let wantProof = stages.contains(.profileProof) && cache.profileProof == nil
        // Each on its own thread: at 100k each takes longer than the verdict.
        return EarlyStages(planInput: wantInput ? Background { Self.withExtension(input, analysis) } : nil,
                           profileProof: wantProof ? Background {
                               PlanProof.trimmedProfile(graph: analysis.graph, input: input, root: root, ipType: ipType)
                           } : nil)
    }

    /// Keeps the optional extension `beginBeforeVerdict` made (waiting
    /// for it): what the ladder reads.
    func finishExtension(_ early: EarlyStages) {
        if let p = early.planInput?.value, cache.planInput == nil { cache.planInput = p; counted(.planInput) }
    }

    /// Keeps the trimmed profile's proof `beginBeforeVerdict` made (waiting
    /// for it), told whether the verdict recommends it (as
    /// `prepareAfterVerdict` would have made it).
    func finishProof(_ early: EarlyStages) throws(SessionError) {
        let verdict = try verdict()
        if var p = early.profileProof?.value, cache.profileProof == nil {
            p.recommended = verdict.choice == .trimmedProfile
            cache.profileProof = p
            counted(.profileProof)
        }
    }

    /// The trimmed profile's decision (what each instance becomes, what is
    /// left out), made once for every writer of the profile and svcadm.sh.
    public func profileDecision() throws(SessionError) -> ProfileWriter.Decision {
        if let v = cache.decision { return v }
        let d = ProfileWriter.decision(try planInput())
        counted(.profileDecision)
        cache.decision = d
        return d
    }
}

/// What `beginBeforeVerdict` makes on other threads.
struct EarlyStages {
    var planInput: Background<PlanInput>?
    var profileProof: Background<PlanProof>?
}

/// The four results of `prepareAfterVerdict`, each written by exactly one
/// iteration of its concurrentPerform and read only after it returns (the
/// join orders the writes before the reads).
private final class AfterVerdict: @unchecked Sendable {
    var planInput: PlanInput?
    var ladder: [Rung]?
    var profileProof: PlanProof?
    var blankZoneProof: PlanProof?
    var decision: ProfileWriter.Decision?
}
