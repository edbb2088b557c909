// The predicted boot: the state every instance settles in once svc.startd
// has done all it can, under a given configuration (which instances are
// enabled, which files exist, what kind of zone).
//
// The rules are those of illumos `usr/src/cmd/svc/startd/graph.c`, read
// function by function (docs/BOOT.md lists each with its source):
//
//   - `dependency_satisfied`: an entity is 1 (satisfied), 0 (not yet) or -1
//     (never, without an administrator): absent -1, online 1, offline 0
//     while it could still come up and -1 when it cannot, disabled -1,
//     maintenance -1, uninitialized 0; a service entity is any one of its
//     instances (a service with none is -1); a file is 1 when it exists;
//   - `require_all_satisfied`, `require_any_satisfied`,
//     `optional_all_satisfied` (instances absent, not enabled or in
//     maintenance skipped, whatever their state; an enabled offline one
//     that can never come up counts as satisfied; a service is its best
//     qualified instance; a file is not optional), `exclude_all_satisfied` (an excluded instance
//     that is online, degraded, offline or uninitialized blocks: -1 when it
//     is enabled and online, else 0);
//   - `instance_satisfied`: every group, the restarter included, satisfied;
//     an instance whose delegated restarter is not online stays
//     uninitialized (the restarter never takes it);
//   - `handle_cycle`: the members of a dependency cycle go to maintenance;
//   - `process_dependency_fmri`, `graph_change_restarter`: a value svccfg
//     imports but svc.startd cannot use puts the instance in maintenance
//     (Boot/StartdValues.swift).
//
// "Settled" means no timing: a 0 that nothing can turn into 1 stays 0
// forever, and the instance stays offline. The computation is one pass in
// dependency order (Kahn's algorithm over the instance edges, every
// grouping and the restarter included): each instance is decided once,
// when everything it depends on is decided, so the cost is linear in the
// number of edges. Instances left undecided (only a loop through an
// exclude_all group can leave one; graph.c does not follow exclusions
// when it looks for cycles) are decided in FMRI order with the undecided
// exclusions counted as not running.

/// The states `svcs -a` prints.
public enum BootState: String, Sendable, Hashable, CaseIterable {
    case online, degraded, offline, disabled, maintenance, uninitialized
    /// Not in the repository (never printed by `svcs`).
    case absent
}

/// Why an instance is in its state, when it is not simply online or
/// disabled by the configuration.
public enum BootCause: Sendable, Hashable {
    /// Not enabled by the configuration.
    case notEnabled
    /// Enabled, and its start method disables it in this kind of zone (role table).
    case disablesItself(note: String)
    /// Enabled, and its start method fails in this kind of zone (role table).
    case failsInZone(note: String)
    /// A member of a dependency cycle (graph.c `handle_cycle`).
    case cycle(members: [String])
    /// Its manifest does not import: svccfg refuses the invalid value.
    case manifestRefused(file: String, value: String, location: SourceLocation)
    /// svccfg imports the value, but svc.startd cannot use it: the instance
    /// goes to maintenance (graph.c: "misconfiguration", invalid_dependency).
    case unusableValue(UnusableValue)
    /// Not in the configuration's repository (a manifest the configuration removes or does not list).
    case removed(reason: String)
    /// Its delegated restarter is not online.
    case restarterNotOnline(restarter: String)
    /// A dependency group is not satisfied (the explanation has the chain).
    case dependencies
}

/// One step of an explanation: `from` waits on `entity` through `group`.
public struct BootStep: Sendable, Hashable {
    public var from: String
    public var group: String
    /// `require_all`, ..., or `restarter`.
    public var grouping: String
    /// The entity as written.
    public var entity: String
    /// The instance (or file) the step goes to.
    public var to: String
    /// The state of `to` (`missing` / `present` for a file).
    public var toState: String
    public var location: SourceLocation
}

/// `svcs -x` for one enabled instance that does not come online.
public struct BootExplanation: Sendable, Hashable {
    public var fmri: String
    public var state: BootState
    /// The chain from the instance down to the cause (empty when the cause is the instance itself).
    public var chain: [BootStep]
    /// The instance at the end of the chain, and what is wrong with it.
    public var causeInstance: String
    public var cause: String
}

/// What the prediction says.
public struct BootPrediction: Sendable {
    /// State by instance id (the graph's ids).
    public var states: [BootState]
    /// For an offline instance: true when it can never come up (graph.c's -1), false when it waits forever (0).
    public var unsatisfiable: [Bool]
    public var causes: [BootCause?]
    /// Every enabled instance not online or degraded, in FMRI order.
    public var explanations: [BootExplanation]
    /// Path dependencies checked (or assumed, without a root): path, exists.
    public var files: [(path: String, exists: Bool)]
    /// True when there was no root and every file was assumed present.
    public var filesAssumed: Bool
    /// Instances decided with an exclude_all loop broken in FMRI order.
    public var exclusionLoop: [String]
    public var fmris: [String]
    public var enabled: [Bool]

    /// Counts per state (absent left out), in `svcs` order.
    public var counts: [(BootState, Int)] {
        var c: [BootState: Int] = [:]
        for s in states where s != .absent { c[s, default: 0] += 1 }
        return BootState.allCases.filter { $0 != .absent }.map { ($0, c[$0] ?? 0) }
    }

    /// "21 online, 0 offline, 3 disabled, ..."
    public var summary: String {
        counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
    }

    /// True when every enabled instance present comes online (or degraded).
    public var allEnabledOnline: Bool { explanations.isEmpty }

    public func state(of fmri: String) -> BootState? {
        guard let i = fmris.firstIndex(of: fmri) else { return nil }
        return states[i]
    }
}

/// The configuration a prediction runs under.
public struct BootConfiguration: Sendable {
    /// Enabled by instance id; nil: the graph's baseline.
    public var enabled: [Bool]?
    /// Where path dependencies are looked up; nil: every file assumed present.
    public var root: RootFS?
    /// The kind of zone for the role table; nil: no role applied (a global zone, or a test).
    public var ipType: IPType?
    public var legacy: LegacyRC
    /// Instances or services (`svc:/a/b`) absent from the configuration's
    /// repository, with the reason: an instance still in the graph is
    /// predicted absent, and an entity naming one says why it is absent.
    public var removed: [String: String]

    public init(enabled: [Bool]? = nil, root: RootFS? = nil, ipType: IPType? = .shared,
                legacy: LegacyRC = .notKnown, removed: [String: String] = [:]) {
        self.enabled = enabled
        self.root = root
        self.ipType = ipType
        self.legacy = legacy
        self.removed = removed
    }
}

extension DependencyGraph {
    /// The files holding an invalid value, with the first such value: svccfg
    /// refuses each of them as a whole (`svccfg import` validates every
    /// `service_fmri` before it writes anything), so their services are absent.
    func refusedManifests() -> [String: (value: String, location: SourceLocation)] {
        var out: [String: (String, SourceLocation)] = [:]
        for e in 0..<entityKind.count where entityKind[e] == .unresolved && unresolvedIsInvalid[Int(entityTarget[e])] {
            // A value naming a property group is imported (svccfg parses it
            // with scf_parse_svc_fmri); svc.startd is the one that refuses it.
            if UnusableValue.namesPropertyGroup(entityText(e)) { continue }
            let loc = entityLocation(e)
            if let old = out[loc.file], old.1 <= loc { continue }
            out[loc.file] = (entityText(e), loc)
        }
        return out
    }

    /// Predicts the state every instance settles in (see the top of this file).
    /// `instanceFiles` gives the manifest of each instance (by id) so that the
    /// services of a refused manifest are absent; pass `BootPredictor.instanceFiles(repo, graph)`.
    public func predictBoot(_ config: BootConfiguration, instanceFiles: BootInstanceFacts? = nil) -> BootPrediction {
        var p = BootPredictor(graph: self, config: config, instanceFiles: instanceFiles)
        return p.run()
    }
}

/// The worker behind `predictBoot`.
public struct BootPredictor {
    let g: DependencyGraph
    let config: BootConfiguration
    let enabled: [Bool]
    var state: [BootState]
    var unsat: [Bool]
    var cause: [BootCause?]
    var decided: [Bool]
    var fileExists: [Bool]

    /// What `repo` says about each instance of `graph` that the graph does
    /// not carry (its manifest, values svc.startd cannot use), for `predictBoot`.
    public static func instanceFiles(_ repo: Repository, _ graph: DependencyGraph) -> BootInstanceFacts {
        BootInstanceFacts(repo, graph)
    }

    init(graph: DependencyGraph, config: BootConfiguration, instanceFiles facts: BootInstanceFacts?) {
        g = graph
        self.config = config
        let n = graph.instanceCount
        enabled = config.enabled ?? graph.instanceEnabled
        state = [BootState](repeating: .offline, count: n)
        unsat = [Bool](repeating: false, count: n)
        cause = [BootCause?](repeating: nil, count: n)
        decided = [Bool](repeating: false, count: n)
        fileExists = graph.files.map { config.root?.exists($0) ?? true }
        // Absent: removed by the configuration, or from a manifest svccfg refuses.
        if !config.removed.isEmpty {
            for (i, f) in graph.instanceFMRIs.enumerated() {
                if let why = config.removed[f] { state[i] = .absent; cause[i] = .removed(reason: why); decided[i] = true }
            }
        }
        if let files = facts?.files, files.count == n {
            let refused = graph.refusedManifests()
            if !refused.isEmpty {
                for i in 0..<n where !decided[i] {
                    if let r = refused[files[i]] {
                        state[i] = .absent
                        cause[i] = .manifestRefused(file: files[i], value: r.value, location: r.location)
                        decided[i] = true
                    }
                }
            }
        }
        // Values svccfg imports and svc.startd cannot use (graph.c
        // process_dependency_fmri, graph_change_restarter: EINVAL): the
        // instance goes to maintenance when enabled, like a cycle member.
        var unusable = facts?.unusable ?? [:]
        for i in 0..<n where !decided[i] && unusable[i] == nil {
            if let u = UnusableValue.propertyGroupEntity(graph, instance: i) { unusable[i] = u }
        }
        for (i, u) in unusable.sorted(by: { $0.key < $1.key }) where i < n && !decided[i] {
            if enabled[i] { state[i] = .maintenance; cause[i] = .unusableValue(u) } else { state[i] = .disabled; cause[i] = .notEnabled }
            decided[i] = true
        }
        // Cycles (graph.c handle_cycle): enabled members to maintenance.
        for c in graph.cycles() {
            for f in c.members {
                guard let i = graph.instanceID(f), !decided[i] else { continue }
                if enabled[i] {
                    state[i] = .maintenance; cause[i] = .cycle(members: c.members)
                } else {
                    state[i] = .disabled; cause[i] = .notEnabled
                }
                decided[i] = true
            }
        }
    }

    // MARK: Values of entities (graph.c dependency_satisfied, settled)

    /// 1, 0 or -1 for a decided instance as a dependency.
    func value(_ t: Int) -> Int {
        switch state[t] {
        case .online, .degraded: 1
        case .offline: unsat[t] ? -1 : 0
        case .uninitialized: 0
        case .disabled, .maintenance, .absent: -1
        }
    }

    func groupValue(_ grp: Int) -> Int {
        let range = g.entityRange(ofGroup: grp)
        switch g.groupGrouping[grp] {
        case .requireAll:
            var r = 1
            for e in range { r = min(r, entityValue(e)) }
            return r
        case .requireAny:
            if range.isEmpty { return 1 }
            var r = -1
            for e in range { r = max(r, entityValue(e)) }
            return r
        case .optionalAll:
            var r = 1
            for e in range { r = min(r, optionalValue(e)) }
            return r
        case .excludeAll:
            var r = 1
            for e in range { r = min(r, excludeValue(e)) }
            return r
        }
    }

    func entityValue(_ e: Int) -> Int {
        let t = Int(g.entityTarget[e])
        switch g.entityKind[e] {
        case .instance: return value(t)
        case .service: return instancesOf(service: t, from: -1, max, value)
        case .file: return fileExists[t] ? 1 : -1
        case .unresolved: return -1
        }
    }

    /// A service entity's value: `combine` (max: any instance, min: every
    /// instance) folded over the values of its instances, from `initial`.
    func instancesOf(service t: Int, from initial: Int, _ combine: (Int, Int) -> Int, _ value: (Int) -> Int) -> Int {
        var r = initial
        for k in g.instanceRange(ofService: t) { r = combine(r, value(Int(g.serviceInstances[k]))) }
        return r
    }

    /// graph.c optional_all_satisfied for one entity: nil for an instance
    /// it skips ("Skip missing or disabled instances": absent, not enabled,
    /// or in maintenance), else 1 or 0. An instance that is not enabled is
    /// skipped whatever its state, so one left uninitialized because its
    /// delegated restarter is not online does not hold the dependent.
    func optionalInstance(_ t: Int) -> Int? {
        guard state[t] != .absent, enabled[t], state[t] != .maintenance else { return nil }
        switch state[t] {
        // An offline instance that can never come up counts as satisfied.
        case .offline: return unsat[t] ? 1 : 0
        // Enabled, and it disabled itself (the role table): its method ran
        // `svcadm disable`, which clears general/enabled; skipped.
        case .disabled: return 1
        default: return value(t)
        }
    }

    /// graph.c optional_all_satisfied for one entity.
    func optionalValue(_ e: Int) -> Int {
        let t = Int(g.entityTarget[e])
        switch g.entityKind[e] {
        case .instance: return optionalInstance(t) ?? 1
        case .service:
            // A service: satisfied by one qualified instance that is, waiting
            // while one could come up; no qualified instance is skipped.
            var any = false, best = -1
            for k in g.instanceRange(ofService: t) {
                guard let v = optionalInstance(Int(g.serviceInstances[k])) else { continue }
                any = true
                best = max(best, v)
            }
            return any ? best : 1
        case .file: return fileExists[t] ? 1 : -1
        case .unresolved: return 1
        }
    }

    /// graph.c exclude_all_satisfied for one entity; an undecided instance counts as not running.
    func excludeValue(_ e: Int) -> Int {
        func inst(_ t: Int) -> Int {
            guard decided[t] else { return 1 }
            switch state[t] {
            case .online, .degraded: return enabled[t] ? -1 : 0
            case .offline, .uninitialized: return 0
            case .disabled, .maintenance, .absent: return 1
            }
        }
        let t = Int(g.entityTarget[e])
        switch g.entityKind[e] {
        case .instance: return inst(t)
        case .service: return instancesOf(service: t, from: 1, min, inst)
        case .file: return fileExists[t] ? -1 : 1
        case .unresolved: return 1
        }
    }

    // MARK: Deciding one instance

    mutating func decide(_ i: Int) {
        decided[i] = true
        var groupsValue = 1
        for grp in g.groupRange(ofInstance: i) {
            if g.groupIsRestarter(grp) {
                let e = Int(g.groupEntityStart[grp])
                if entityValue(e) != 1 {
                    state[i] = .uninitialized
                    cause[i] = .restarterNotOnline(restarter: g.entityText(e))
                    return
                }
                continue
            }
            if enabled[i] { groupsValue = min(groupsValue, groupValue(grp)) }
        }
        guard enabled[i] else { state[i] = .disabled; cause[i] = .notEnabled; return }
        if groupsValue == 1 {
            if let ip = config.ipType {
                let role = ZoneRoles.classify(g.instanceFMRIs[i], ipType: ip, legacy: config.legacy)
                if role.role == .disablesInZone { state[i] = .disabled; cause[i] = .disablesItself(note: role.note); return }
                if role.role == .failsInZone { state[i] = .maintenance; cause[i] = .failsInZone(note: role.note); return }
            }
            state[i] = .online
        } else {
            state[i] = .offline
            unsat[i] = groupsValue == -1
            cause[i] = .dependencies
        }
    }

    /// Kahn's algorithm over instance -> instance edges (all groupings, restarter included).
    mutating func run() -> BootPrediction {
        let n = g.instanceCount
        var waitingOn = [Int](repeating: 0, count: n)
        var dependents = [[Int32]](repeating: [], count: n)
        let all: GroupingMask = [.requireAll, .requireAny, .optionalAll, .excludeAll]
        // Each target counted once per instance: `seenBy[t] == i` once counted for i.
        var seenBy = [Int](repeating: -1, count: n)
        for i in 0..<n where !decided[i] {
            g.forEachInstanceEdge(from: i, groupings: all) { _, _, t in
                if t != i && !decided[t] && seenBy[t] != i {
                    seenBy[t] = i
                    waitingOn[i] += 1
                    dependents[t].append(Int32(i))
                }
            }
        }
        var queue: [Int] = (0..<n).filter { !decided[$0] && waitingOn[$0] == 0 }
        var head = 0
        var loop: [String] = []
        func release(_ t: Int, _ queue: inout [Int]) {
            for d in dependents[t] {
                waitingOn[Int(d)] -= 1
                if waitingOn[Int(d)] == 0 && !decided[Int(d)] { queue.append(Int(d)) }
            }
        }
        while true {
            while head < queue.count {
                let i = queue[head]; head += 1
                if decided[i] { continue }
                decide(i)
                release(i, &queue)
            }
            // What is left waits through an exclude_all loop: break it in FMRI order.
            guard let i = (0..<n).first(where: { !decided[$0] }) else { break }
            loop.append(g.instanceFMRIs[i])
            decide(i)
            release(i, &queue)
        }
        var out = BootPrediction(states: state, unsatisfiable: unsat, causes: cause, explanations: [],
                                 files: g.files.indices.map { (g.files[$0], fileExists[$0]) },
                                 filesAssumed: config.root == nil, exclusionLoop: loop,
                                 fmris: g.instanceFMRIs, enabled: enabled)
        out.explanations = (0..<n).compactMap { explain($0) }
        return out
    }

    // MARK: Explanations (svcs -x)

    func stateText(_ t: Int) -> String { state[t].rawValue }

    func describe(_ c: BootCause?, _ t: Int) -> String {
        switch c {
        case .notEnabled?: return "disabled: not enabled by the configuration"
        case .disablesItself(let note)?: return "disabled: its start method disables it in a non-global zone (\(note))"
        case .failsInZone(let note)?: return "maintenance: its start method fails in a non-global zone (\(note))"
        case .cycle(let m)?: return "maintenance: a member of the dependency cycle \(m.joined(separator: " -> ")) (graph.c handle_cycle)"
        case .manifestRefused(let file, let value, let loc)?:
            return "absent: svccfg import refuses its manifest \(file) as a whole, for the invalid value '\(value)' at \(loc.short)"
        case .unusableValue(let u)?: return "maintenance: " + u.text
        case .removed(let why)?: return "absent: \(why)"
        case .restarterNotOnline(let r)?: return "uninitialized: its restarter \(r) is not online"
        case .dependencies?: return "\(stateText(t)): waits on its dependencies"
        case nil: return stateText(t)
        }
    }

    /// The first entity of a group that keeps it unsatisfied, and the instance to follow.
    func blocking(_ grp: Int) -> (entity: Int, next: Int?, toState: String)? {
        let grouping = g.groupGrouping[grp]
        for e in g.entityRange(ofGroup: grp) {
            let v: Int
            switch grouping {
            case .requireAll, .requireAny: v = entityValue(e)
            case .optionalAll: v = optionalValue(e)
            case .excludeAll: v = excludeValue(e)
            }
            if v == 1 { continue }
            if grouping == .requireAny && groupValue(grp) == 1 { return nil }
            let t = Int(g.entityTarget[e])
            switch g.entityKind[e] {
            case .instance: return (e, t, stateText(t))
            case .service:
                let members = g.instanceRange(ofService: t).map { Int(g.serviceInstances[$0]) }
                let pick = members.first { enabled[$0] && state[$0] != .online } ?? g.preferredInstance(ofService: t) ?? members.first
                return (e, pick, pick.map(stateText) ?? "absent")
            case .file: return (e, nil, fileExists[t] ? "present" : "missing")
            case .unresolved: return (e, nil, g.unresolvedIsInvalid[t] ? "invalid" : "absent")
            }
        }
        return nil
    }

    func explain(_ i: Int) -> BootExplanation? {
        guard enabled[i], state[i] != .online, state[i] != .degraded else { return nil }
        var chain: [BootStep] = []
        var cur = i
        var visited: Set<Int> = [i]
        while true {
            // Follow only instances that wait on their dependencies (or their restarter).
            let onRestarter: Bool
            if case .restarterNotOnline = cause[cur] { onRestarter = true } else { onRestarter = false }
            guard cause[cur] == .dependencies || onRestarter else { break }
            var step: (Int, Int, Int?, String)?
            for grp in g.groupRange(ofInstance: cur) {
                if g.groupIsRestarter(grp) {
                    if onRestarter, let b = blocking(grp) { step = (grp, b.entity, b.next, b.toState); break }
                    continue
                }
                if onRestarter { continue }
                if groupValue(grp) != 1, let b = blocking(grp) { step = (grp, b.entity, b.next, b.toState); break }
            }
            guard let (grp, e, next, toState) = step else { break }
            let to: String
            switch g.entityKind[e] {
            case .file: to = g.files[Int(g.entityTarget[e])]
            case .unresolved: to = g.unresolvedNames[Int(g.entityTarget[e])]
            default: to = next.map { g.instanceFMRIs[$0] } ?? g.entityText(e)
            }
            let groupingText = g.groupIsRestarter(grp) ? "restarter" : g.groupGrouping[grp].rawValue
            chain.append(BootStep(from: g.instanceFMRIs[cur], group: g.groupName(grp), grouping: groupingText,
                                  entity: g.entityText(e), to: to, toState: toState, location: g.entityLocation(e)))
            guard let nx = next, visited.insert(nx).inserted else { break }
            // An excluded instance that runs is the cause itself.
            if g.groupGrouping[grp] == .excludeAll { cur = nx; break }
            cur = nx
        }
        let last = chain.last
        let causeText: String
        if let last, last.toState == "missing" {
            causeText = "the file \(last.to) does not exist" + (config.root.map { " under the root \($0.displayRoot)" } ?? "")
        } else if let last, last.toState == "absent" || last.toState == "invalid" {
            causeText = last.toState == "invalid"
                ? "absent: '\(last.entity)' is not an FMRI (svccfg import refuses the manifest that holds it)"
                : "absent: " + (removedReason(last.to) ?? "no manifest defines \(last.to)")
        } else if let last, last.grouping == ExcludeText.excludeAll {
            causeText = "\(last.to) is \(last.toState), and \(last.from) excludes it (exclude_all)"
        } else {
            causeText = describe(cause[cur], cur)
        }
        let causeInstance = (last?.toState == "missing" || last?.toState == "absent" || last?.toState == "invalid")
            ? (last?.to ?? g.instanceFMRIs[cur]) : g.instanceFMRIs[cur]
        return BootExplanation(fmri: g.instanceFMRIs[i], state: state[i], chain: chain,
                               causeInstance: causeInstance, cause: causeText)
    }
}

extension BootPredictor {
    /// Why the configuration removed an instance or service, if it did.
    func removedReason(_ fmri: String) -> String? {
        if let r = config.removed[fmri] { return "\(fmri): \(r)" }
        if case .instance(let s, _)? = FMRI(parsing: fmri), let r = config.removed["svc:/" + s] { return "\(fmri): \(r)" }
        return nil
    }
}

enum ExcludeText { static let excludeAll = Grouping.excludeAll.rawValue }
