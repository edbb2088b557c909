import ArgumentParser
import Foundation
import SMFKit

/// The request options shared by plan, profile and blank-zone.
struct RequestOptions: ParsableArguments {
    @Option(name: .customLong("want"), parsing: .upToNextOption,
            help: ArgumentHelp("The instances the zone must run (FMRIs; repeatable).", valueName: "fmri"))
    var want: [String] = []
}

/// Resolves `--want` and computes the closure the plan is built on.
///
/// PLACEHOLDER until the graph module is merged: this resolves each --want
/// to an exact instance FMRI only (no abbreviations, no service-to-instance
/// preference) and computes a simple closure that follows require_all
/// groups (instance entities; a service entity adds its `default` instance,
/// else its first instance) and restarter edges. At merge it is replaced by
/// the graph module's closure (semantics.md section 5: require_any choices,
/// preference order, why-chains, required files, conflicts) adapted into
/// `PlanInput`.
func computePlanInput(repo: Repository, wanted: [String]) throws -> PlanInput {
    guard !wanted.isEmpty else { throw ValidationError("name at least one instance with --want FMRI") }
    var w: [String] = []
    for raw in wanted {
        guard case .instance(let s, let i)? = FMRI(parsing: raw), repo.instance(s, i) != nil else {
            throw ValidationError("--want \(raw): not an instance of the manifests read (give a full instance FMRI, e.g. svc:/network/ssh:default)")
        }
        w.append(instanceFMRI(s, i))
    }
    var closure = Set(w)
    var reasons: [String: String] = [:]
    var files: [PlanRequiredFile] = []
    var queue = w
    while let fmri = queue.first {
        queue.removeFirst()
        guard let inst = repo.instance(fmri: fmri) else { continue }
        func add(_ target: String, _ why: String) {
            guard repo.instance(fmri: target) != nil, closure.insert(target).inserted else { return }
            reasons[target] = why
            queue.append(target)
        }
        if let r = inst.restarter { add(r.fmri, "restarter of \(fmri) (declared at \(r.location.short))") }
        for g in inst.groups where g.grouping == .requireAll {
            for e in g.entities {
                let why = "required by \(fmri) (require_all group '\(g.name)', \(g.origin.kind) at \(g.location.short))"
                switch e.fmri {
                case .instance(let s, let i): add(instanceFMRI(s, i), why)
                case .service(let s):
                    guard let svc = repo.services[s] else { continue }
                    let present = svc.instances.keys.map { instanceFMRI(s, $0) }
                    if present.contains(where: closure.contains) { continue }
                    let pick = svc.instances["default"] != nil ? "default" : svc.instanceOrder.first
                    if let pick { add(instanceFMRI(s, pick), why) }
                case .path(let p): files.append(PlanRequiredFile(instance: fmri, path: p))
                }
            }
        }
    }
    return PlanInput(repo: repo, wanted: w, closure: Array(closure), reasons: reasons, requiredFiles: files)
}

extension IPType: ExpressibleByArgument {}
extension LaunchMode: ExpressibleByArgument {}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Say whether to run the wanted services in a blank zone or with a trimmed SMF profile, and why.",
        discussion: """
        Analyses the start method of each wanted instance (can it run without SMF?), the role of \
        every closure member in this kind of zone (plumbing, no-op, setup, daemon, disables itself, \
        fails), and prints the verdict with its reasons, the risks, and the ladder of five \
        configurations from init only to the baseline. See docs/PLAN.md for the rule.

        --methods DIR reads the method scripts: /lib/svc/method/X is read as DIR/X. Without it the \
        scripts are "not inspected" and the verdict cannot be a blank zone.

        JSON: {"wanted", "ipType", "verdict", "rule", "reasons", "risks", "methods", "closure", \
        "setup", "blocked", "requiredFiles", "conflicts", "ladder"}.

        Example:
          smf-minimize plan /zone/lib/svc/manifest --want svc:/network/ssh:default --ip-type exclusive --methods /zone/lib/svc/method
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: "The zone's IP type (zonecfg ip-type): shared or exclusive.") var ipType: IPType = .shared
    @Option(help: ArgumentHelp("Read method scripts here: /lib/svc/method/X is DIR/X.", valueName: "dir"))
    var methods: String?
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let repo = try input.load()
        let planInput = try computePlanInput(repo: repo, wanted: request.want)
        let lookup = methods.map { ScriptLookup.methodsDir($0) } ?? .unavailable
        let verdict = Plan.verdict(planInput, ipType: ipType, lookup: lookup)
        let report = PlanReport(input: planInput, verdict: verdict, ladder: Ladder.rungs(planInput, verdict: verdict))
        emit(format == .json ? report.json.render() : report.text)
        if inputUnreadable(repo) { throw Exit.unreadable }
    }
}
