/// `audit`: a configuration someone keeps by hand, checked against the
/// manifests, a request and the predicted boot (docs/BOOT.md, "audit").
public enum AuditKind: String, Sendable, Hashable, CaseIterable {
    /// A profile (site.xml, `svccfg extract` output): read by the loader.
    case profile
    /// SmartOS brand manifest list: `PATH enabled|disabled`, PATH under /lib/svc/manifest.
    case manifestList = "manifest-list"
    /// Tribblix-style list of removed manifest files, one absolute path a line.
    case removedList = "removed-list"
    /// A plain list of FMRIs to enable (everything else disabled).
    case enableList = "enable-list"
    /// `svcs -a -H -o state,fmri` from a running zone.
    case capture
}

/// A configuration file, parsed.
public struct AuditConfiguration: Sendable {
    public var kind: AuditKind
    public var file: String
    /// manifest-list: path (as written, normalised) -> (enabled, line); the later line of a path wins.
    public var manifests: [(path: String, enabled: Bool, line: Int)] = []
    /// removed-list: absolute paths.
    public var removed: [(path: String, line: Int)] = []
    /// enable-list: names as written.
    public var fmris: [(name: String, line: Int)] = []
    /// capture: observed state by FMRI.
    public var observed: [(state: BootState, fmri: String, line: Int)] = []
    public var diagnostics: [Diagnostic] = []
}

public enum AuditParser {
    static let captureStates: Set<String> = ["online", "offline", "disabled", "maintenance", "degraded", "uninitialized", "legacy_run"]

    /// The non-comment lines: (line number, fields).
    static func lines(_ text: String) -> [(Int, [String])] {
        var out: [(Int, [String])] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[line.startIndex..<hash] }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if !fields.isEmpty { out.append((n + 1, fields)) }
        }
        return out
    }

    /// The kind of a configuration, from its text (nil: nothing recognisable).
    public static func detect(_ text: String) -> AuditKind? {
        if text.contains("<service_bundle") { return .profile }
        let ls = lines(text)
        guard !ls.isEmpty else { return nil }
        func share(_ p: ([String]) -> Bool) -> Bool { ls.filter { p($0.1) }.count * 2 > ls.count }
        if share({ $0.count == 2 && captureStates.contains($0[0]) && ($0[1].hasPrefix("svc:") || $0[1].hasPrefix("lrc:")) }) { return .capture }
        if share({ $0.count == 2 && ($0[1] == "enabled" || $0[1] == "disabled") }) { return .manifestList }
        if share({ $0.count == 1 && $0[0].hasPrefix("/") }) { return .removedList }
        if share({ $0.count == 1 }) { return .enableList }
        return nil
    }

    /// An enable list's enabled states over `graph` (names matched as `svcs`
    /// matches them), with an SMF090 error for each name that matches nothing.
    public static func enabled(_ c: AuditConfiguration, in graph: DependencyGraph) -> ([Bool], [Diagnostic]) {
        var enabled = [Bool](repeating: false, count: graph.instanceCount)
        var problems: [Diagnostic] = []
        for (name, line) in c.fmris {
            do {
                for id in try RequestResolver.resolve(name, in: graph).instanceIDs { enabled[id] = true }
            } catch {
                problems.append(Diagnostic(.error, .auditLine, "'\(name)': \(error.description); line ignored",
                                           at: SourceLocation(file: c.file, line: line, column: 1)))
            }
        }
        return (enabled, problems)
    }

    public static func parse(_ text: String, file: String, kind: AuditKind) -> AuditConfiguration {
        var c = AuditConfiguration(kind: kind, file: file)
        func bad(_ line: Int, _ message: String, _ sev: Severity = .error) {
            c.diagnostics.append(Diagnostic(sev, .auditLine, message, at: SourceLocation(file: file, line: line, column: 1)))
        }
        switch kind {
        case .profile: break
        case .manifestList:
            var seen: [String: Int] = [:]
            for (n, f) in lines(text) {
                guard f.count == 2, f[1] == "enabled" || f[1] == "disabled" else {
                    bad(n, "expected 'PATH enabled' or 'PATH disabled' (PATH relative to /lib/svc/manifest), got '\(f.joined(separator: " "))'; line ignored")
                    continue
                }
                var path = f[0]
                while path.hasPrefix("./") { path.removeFirst(2) }
                while path.hasPrefix("/") { path.removeFirst() }
                if path.hasPrefix("lib/svc/manifest/") { path.removeFirst("lib/svc/manifest/".count) }
                if let first = seen[path], let k = c.manifests.firstIndex(where: { $0.path == path }) {
                    bad(n, "\(path) is listed twice (also at line \(first)); the later line, this one (\(f[1])), wins", .warning)
                    c.manifests.remove(at: k)
                }
                seen[path] = n
                c.manifests.append((path, f[1] == "enabled", n))
            }
        case .removedList:
            for (n, f) in lines(text) {
                guard f.count == 1, f[0].hasPrefix("/") else {
                    bad(n, "expected one absolute manifest path (/lib/svc/manifest/...), got '\(f.joined(separator: " "))'; line ignored")
                    continue
                }
                c.removed.append((f[0], n))
            }
        case .enableList:
            for (n, f) in lines(text) {
                guard f.count == 1 else { bad(n, "expected one FMRI a line, got '\(f.joined(separator: " "))'; line ignored"); continue }
                c.fmris.append((f[0], n))
            }
        case .capture:
            for (n, f) in lines(text) {
                guard f.count == 2, captureStates.contains(f[0]) else {
                    bad(n, "expected 'STATE FMRI' as 'svcs -a -H -o state,fmri' prints it, got '\(f.joined(separator: " "))'; line ignored")
                    continue
                }
                if f[0] == "legacy_run" || f[1].hasPrefix("lrc:") { continue } // legacy rc scripts: not instances
                guard let state = BootState(rawValue: f[0]), case .instance(let s, let i)? = FMRI(parsing: f[1]) else {
                    bad(n, "'\(f[1])' is not an instance FMRI; line ignored")
                    continue
                }
                c.observed.append((state, instanceFMRI(s, i), n))
            }
        }
        return c
    }
}

/// One instance whose observed state differs from the predicted one.
public struct AuditDifference: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable {
        /// The model lacks a fact the zone has (a manifest, a file, a profile).
        case modelLacksFact = "model lacks a fact"
        /// The zone has a problem the model does not predict (a method failed at run time).
        case zoneProblem = "problem in the zone"
        /// The tool cannot tell which.
        case cannotTell = "cannot tell"
    }
    public var fmri: String
    public var observed: String
    public var predicted: String
    public var verdict: Verdict
    public var note: String
    public var line: Int
}

/// A closure member the configuration leaves disabled or removes.
public struct AuditBreakage: Sendable, Hashable {
    public var fmri: String
    /// `disabled`, `removed` (by the configuration) or `absent` (no manifest defines it).
    public var how: String
    /// The edges from a wanted instance down to it (file:line each).
    public var chain: [Edge]
}

public struct AuditResult: Sendable {
    public var kind: AuditKind
    public var prediction: BootPrediction
    /// Wanted instances (with --want).
    public var wanted: [String] = []
    /// Enabled by the configuration and not needed by the request, sorted.
    public var bloat: [String] = []
    public var closureSize = 0
    public var breakage: [AuditBreakage] = []
    public var differences: [AuditDifference] = []
    public var diagnostics: [Diagnostic] = []
    public var notes: [String] = []
}

public enum Audit {
    /// The repository the configuration describes: for a manifest list only
    /// the listed manifests, for a removed list all but the removed ones
    /// (dependents declared by what is gone are gone too, as svccfg never
    /// created them). Returns the repository, the enabled states to apply
    /// (by FMRI) and the reasons of what was removed.
    public static func apply(_ c: inout AuditConfiguration, to repo: Repository) -> (Repository, [String: Bool], [String: String]) {
        var keep: (Service) -> Bool = { _ in true }
        var removedWhy: (Service) -> String = { _ in "" }
        var enabledByFile: [String: Bool] = [:]
        func files(_ s: Service) -> [String] { [s.location.file] + s.definitions.map(\.file) }
        switch c.kind {
        case .manifestList:
            let listed = c.manifests
            var matched = Set<String>()
            var byFile: [String: (String, Bool)] = [:]
            for s in repo.services.values {
                for f in files(s) {
                    if let m = listed.first(where: { f.hasSuffix("/lib/svc/manifest/" + $0.path) || f == $0.path || f.hasSuffix("/" + $0.path) }) {
                        byFile[f] = (m.path, m.enabled); matched.insert(m.path)
                    }
                }
            }
            for m in listed where !matched.contains(m.path) {
                c.diagnostics.append(Diagnostic(.warning, .auditLine, "\(m.path) is listed but no manifest read has that path; nothing of it is in the zone",
                                                at: SourceLocation(file: c.file, line: m.line, column: 1)))
            }
            keep = { s in files(s).contains { byFile[$0] != nil } }
            let file = c.file
            removedWhy = { _ in "its manifest is not in the manifest list \(file)" }
            for (f, v) in byFile { enabledByFile[f] = v.1 }
        case .removedList:
            let paths = c.removed
            // A file read is removed when its path ends with a listed one.
            func isRemoved(_ f: String) -> Bool { paths.contains { f.hasSuffix($0.path) } }
            var matched = Set<String>()
            keep = { s in !files(s).contains(where: isRemoved) }
            for s in repo.services.values { for f in files(s) { for p in paths where f.hasSuffix(p.path) { matched.insert(p.path) } } }
            for p in paths where !matched.contains(p.path) {
                c.diagnostics.append(Diagnostic(.note, .auditLine, "\(p.path) is listed as removed but no manifest read has that path",
                                                at: SourceLocation(file: c.file, line: p.line, column: 1)))
            }
            let file = c.file
            removedWhy = { s in "its manifest \(files(s).first(where: isRemoved) ?? "") is in the removed list \(file)" }
        default:
            return (repo, [:], [:])
        }
        var out = repo
        var gone: [String: String] = [:]
        out.services = [:]
        for (name, s) in repo.services {
            if keep(s) { out.services[name] = s } else {
                gone["svc:/" + name] = removedWhy(s)
                for i in s.instances.values { gone[i.fmri] = removedWhy(s) }
            }
        }
        var enabled: [String: Bool] = [:]
        for (name, s) in out.services {
            var svc = s
            for (iname, var inst) in s.instances {
                inst.groups.removeAll { g in
                    guard case .dependent(let d) = g.origin else { return false }
                    return gone[d] != nil
                }
                svc.instances[iname] = inst
                // `enabled` enables what the manifest itself enables (every
                // instance when it enables none); `disabled` disables all.
                if c.kind == .manifestList, let v = files(s).lazy.compactMap({ enabledByFile[$0] }).first {
                    let own = s.instances.values.contains { $0.manifestEnabled == true }
                    enabled[inst.fmri] = v && (!own || inst.manifestEnabled == true)
                }
            }
            out.services[name] = svc
        }
        return (out, enabled, gone)
    }

    /// Runs the audit. `repo` holds the manifests (and, for a profile, the
    /// profile applied); `wanted` are canonical FMRIs (resolved by the caller).
    /// `graph`, when given, is `DependencyGraph(repo)` built by the caller (reused
    /// when the configuration keeps every manifest).
    public static func run(_ config: AuditConfiguration, repo: Repository, graph given: DependencyGraph? = nil, wanted: [String],
                           root: RootFS?, ipType: IPType?, legacy: LegacyRC = .notKnown) -> AuditResult {
        var c = config
        let (configured, listedEnabled, gone) = apply(&c, to: repo)
        let keepsAll = c.kind != .manifestList && c.kind != .removedList
        let graph = keepsAll ? (given ?? DependencyGraph(configured)) : DependencyGraph(configured)
        var enabled = graph.instanceEnabled
        var notes: [String] = []
        switch c.kind {
        case .manifestList:
            for (i, f) in graph.instanceFMRIs.enumerated() { if let v = listedEnabled[f] { enabled[i] = v } }
            notes.append("only the \(c.manifests.count) listed manifests are in the zone: \(graph.serviceCount) services, \(graph.instanceCount) instances")
        case .removedList:
            notes.append("\(c.removed.count) manifest files removed: \(gone.keys.filter { $0.dropFirst(5).contains(":") }.count) instances gone")
        case .enableList:
            let (e, problems) = AuditParser.enabled(c, in: graph)
            enabled = e
            c.diagnostics += problems
        case .capture:
            // What the zone enabled: every observed state but disabled (uninitialized says nothing).
            for o in c.observed {
                guard let id = graph.instanceID(o.fmri) else { continue }
                if o.state == .disabled { enabled[id] = false } else if o.state != .uninitialized { enabled[id] = true }
            }
        case .profile: break
        }
        let prediction = graph.predictBoot(BootConfiguration(enabled: enabled, root: root, ipType: ipType, legacy: legacy, removed: gone),
                                           instanceFiles: BootPredictor.instanceFiles(configured, graph))
        var result = AuditResult(kind: c.kind, prediction: prediction)
        result.notes = notes
        if c.kind == .capture { result.differences = differences(c, prediction, graph: graph, rootGiven: root != nil) }

        if !wanted.isEmpty {
            // The request's closure in the configured repository: what the
            // request needs there. An instance it needs that the configuration
            // removed is an unresolved entity of that closure.
            let present = wanted.compactMap { graph.instanceID($0) }
            let closure = graph.closure(of: present)
            // Every member's why-chain from one search (graph.why would search once per member).
            let tree = graph.bfs(from: closure.requestedIDs, follow: graph.isClosureGroup, admit: { closure.isMember[$0] })
            func chain(to m: Int) -> [Edge] { tree.reached[m] ? graph.chain(in: tree, to: m) : graph.why(m, in: closure).chain }
            result.wanted = wanted
            result.closureSize = closure.memberIDs.count
            for f in wanted where graph.instanceID(f) == nil {
                result.breakage.append(AuditBreakage(fmri: f, how: gone[f] != nil ? "removed" : "absent", chain: []))
            }
            result.bloat = graph.instanceFMRIs.indices.filter { enabled[$0] && graph.instanceFMRIs[$0] != startdFMRI && prediction.states[$0] != .absent && !closure.contains($0) }
                .map { graph.instanceFMRIs[$0] }
            for m in closure.memberIDs where !enabled[m] || prediction.states[m] == .absent {
                let how = prediction.states[m] == .absent ? "removed" : "disabled"
                result.breakage.append(AuditBreakage(fmri: graph.instanceFMRIs[m], how: how, chain: chain(to: m)))
            }
            for u in closure.unresolved {
                guard let owner = graph.instanceID(u.instance) else { continue }
                var edges = chain(to: owner)
                for grp in graph.groupRange(ofInstance: owner) where graph.groupName(grp) == u.group {
                    for e in graph.entityRange(ofGroup: grp) where graph.entityText(e) == u.entity { edges.append(graph.edge(entity: e, group: grp)) }
                }
                let removed = gone[u.entity] != nil || { if case .instance(let s, _)? = FMRI(parsing: u.entity) { gone["svc:/" + s] != nil } else { false } }()
                result.breakage.append(AuditBreakage(fmri: u.entity, how: removed ? "removed" : "absent", chain: edges))
            }
        }
        result.diagnostics = c.diagnostics.sortedForOutput()
        return result
    }

    static func differences(_ c: AuditConfiguration, _ p: BootPrediction, graph: DependencyGraph, rootGiven: Bool) -> [AuditDifference] {
        var out: [AuditDifference] = []
        var seen = Set<String>()
        let explanation = Dictionary(p.explanations.map { ($0.fmri, $0) }, uniquingKeysWith: { first, _ in first })
        for o in c.observed {
            seen.insert(o.fmri)
            guard let id = graph.instanceID(o.fmri), p.states[id] != .absent else {
                out.append(AuditDifference(fmri: o.fmri, observed: o.state.rawValue, predicted: "absent", verdict: .modelLacksFact,
                                           note: "no manifest read defines it: give the zone's manifests", line: o.line))
                continue
            }
            let pred = p.states[id]
            let same = pred == o.state || (pred == .online && o.state == .degraded)
            if same { continue }
            let x = explanation[o.fmri]
            let viaFile = x?.chain.contains { $0.toState == "missing" || $0.toState == "present" } ?? false
            let (verdict, note): (AuditDifference.Verdict, String)
            switch (o.state, pred) {
            case (.maintenance, .online), (.degraded, _):
                (verdict, note) = (.zoneProblem, "the prediction brings it online: its method failed at run time (the model does not run methods)")
            case (.offline, .online):
                (verdict, note) = (.cannotTell, rootGiven
                    ? "predicted online: a start-time fact the model lacks (a file created later, a method that has not finished), or the zone still booting"
                    : "predicted online with every path dependency assumed present: a missing file the model cannot see without --root, or the zone still booting")
            case (.online, _):
                (verdict, note) = (.modelLacksFact, "the zone runs it: the model lacks what it found missing (\(x?.cause ?? pred.rawValue))")
            case (_, .offline) where viaFile:
                (verdict, note) = (.modelLacksFact, "the prediction depends on a file: \(x?.cause ?? "")")
            default:
                (verdict, note) = (.cannotTell, x.map { "predicted: \($0.cause)" } ?? "predicted \(pred.rawValue)")
            }
            out.append(AuditDifference(fmri: o.fmri, observed: o.state.rawValue, predicted: pred.rawValue, verdict: verdict, note: note, line: o.line))
        }
        for (i, f) in graph.instanceFMRIs.enumerated() where !seen.contains(f) && p.states[i] != .absent && !c.observed.isEmpty {
            out.append(AuditDifference(fmri: f, observed: "not listed", predicted: p.states[i].rawValue, verdict: .cannotTell,
                                       note: "the capture does not list it: its manifest is not imported in the zone, or the capture is partial", line: 0))
        }
        return out
    }
}
