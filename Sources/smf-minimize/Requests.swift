import ArgumentParser
import Foundation
import SMFKit

/// `--want`, shared by every command that takes a request.
struct RequestOptions: ParsableArguments {
    @Option(name: .customLong("want"),
            help: ArgumentHelp("An instance or service the zone must run: a full FMRI, a glob or an abbreviation as svcs takes them (repeatable).",
                               valueName: "fmri"))
    var want: [String] = []
}

/// Loads the input, resolves `--want` as svcs does and analyses the request
/// (closure, optional extension, why-chains): what plan, profile,
/// blank-zone and report are built on.
struct AnalysedRequest {
    var loaded: LoadedInput
    var analysis: Analysis
    var planInput: PlanInput
    /// Method scripts: `--methods DIR`, else the root's `/lib/svc/method`, else none.
    var lookup: ScriptLookup
    /// `--ip-type`, else the zonecfg's ip-type, else shared.
    var ipType: IPType
}

func analyseRequest(_ input: InputOptions, wanted: [String], methods: String?, ipType: IPType?) throws -> AnalysedRequest {
    guard !wanted.isEmpty else { throw ValidationError("name at least one instance or service with --want (e.g. --want network/ssh)") }
    let loaded = try input.loadInput()
    try checkZoneAbsent(wanted, loaded.packages, repo: loaded.repository, option: "--want")
    let graph = DependencyGraph(loaded.repository)
    let requests = try resolveRequests(wanted, in: graph, repo: loaded.repository, option: "--want")
    // The milestones whose rc directories hold the site's legacy scripts
    // join the request, so that the profile is the closure of the enlarged
    // request (docs/PLAN.md, "Legacy rc scripts").
    let legacy = LegacyRC.read(loaded.root)
    let enlarged = legacy.joined(requests, graph: graph)
    let analysis = Analysis(repo: loaded.repository, graph: graph, requests: enlarged.requests)
    var lookup = ScriptLookup.unavailable
    if let methods {
        lookup = .methodsDir(methods)
    } else if let fs = loaded.root {
        lookup = .root(fs)
    }
    var planInput = analysis.planInput()
    planInput.attach(legacy, joined: enlarged.joined)
    return AnalysedRequest(loaded: loaded, analysis: analysis, planInput: planInput, lookup: lookup, ipType: zoneIPType(ipType, loaded))
}

/// The zone's IP type: `--ip-type`, else the zonecfg's ip-type, else shared.
func zoneIPType(_ option: IPType?, _ loaded: LoadedInput) -> IPType {
    option ?? loaded.zoneConfig?.ipType.flatMap { IPType(rawValue: $0.rawValue) } ?? .shared
}

/// Loads the input, resolves `--want` (at least one) and computes the
/// closure (shared by closure, tree and why).
func loadClosure(_ input: InputOptions, wants: [String]) throws -> (Repository, DependencyGraph, [ResolvedRequest], Closure) {
    let (repo, graph, requests, closure, _) = try loadClosureWithPackages(input, wants: wants)
    return (repo, graph, requests, closure)
}

/// `loadClosure`, with what `--packages` read.
func loadClosureWithPackages(_ input: InputOptions, wants: [String]) throws
    -> (Repository, DependencyGraph, [ResolvedRequest], Closure, PackageView?) {
    if wants.isEmpty { throw ValidationError("name at least one --want FMRI (e.g. --want network/ssh)") }
    let loaded = try input.loadInput()
    let repo = loaded.repository
    try checkZoneAbsent(wants, loaded.packages, repo: repo, option: "--want")
    let graph = DependencyGraph(repo)
    let requests = try resolveRequests(wants, in: graph, repo: repo, option: "--want")
    return (repo, graph, requests, graph.closure(of: requests.flatMap(\.instanceIDs)), loaded.packages)
}

/// Resolves command-line names; a name that does not resolve is a usage
/// error naming the option and the candidates (shared by the graph commands).
/// When an input could not be read, the name may be missing for that
/// reason: the unreadable inputs are printed and the exit status is 2.
func resolveRequests(_ names: [String], in graph: DependencyGraph, repo: Repository, option: String) throws -> [ResolvedRequest] {
    do {
        return try RequestResolver.resolve(names, in: graph)
    } catch {
        if inputUnreadable(repo) {
            let unreadable = unreadableInputs(repo)
            FileHandle.standardError.write(Data((unreadable.map { $0.description + "\n" }.joined() + "smf-minimize: \(option): \(Escape.terminalLines(error.description))\n").utf8))
            throw Exit.unreadable
        }
        throw ValidationError("\(option): \(Escape.terminalLines(error.description))")
    }
}

/// Resolves a name that must stand for exactly one instance.
func resolveSingle(_ name: String, in graph: DependencyGraph, repo: Repository, option: String) throws -> (ResolvedRequest, Int) {
    let r = try resolveRequests([name], in: graph, repo: repo, option: option)[0]
    guard r.instanceIDs.count == 1, let id = r.instanceIDs.first else {
        throw ValidationError("\(option): '\(Escape.terminal(name))' matches \(r.instances.count) instances (\(Escape.terminal(r.instances.joined(separator: ", ")))); name exactly one")
    }
    return (r, id)
}

/// Names given to an option that filters by instance (`graph --from`,
/// `--to`), resolved by the `--want` matcher to the instance FMRIs they name.
func instanceSet(_ names: [String], in graph: DependencyGraph, repo: Repository, option: String) throws -> Set<String> {
    Set(try resolveRequests(names, in: graph, repo: repo, option: option).flatMap(\.instances))
}

/// With the zone view, a request naming a service the zone does not get is
/// a usage error that says why: "absent (global zone only: package P, file F:line)".
func checkZoneAbsent(_ names: [String], _ packages: PackageView?, repo: Repository, option: String) throws {
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
            throw ValidationError("\(option) \(name): \(full) is \(PackageView.absentNote(e)); a non-global zone does not get it")
        }
    }
}
