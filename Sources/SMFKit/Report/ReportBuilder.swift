/// Computes a report's data from an analysed request and its plan.
public enum ReportBuilder {
    /// How a zone role is drawn.
    public static func nodeRole(_ r: ZoneRole) -> NodeRole {
        switch r {
        case .plumbing: .plumbing
        case .noopInZone, .noopSharedIP: .noop
        case .disablesInZone, .failsInZone: .failing
        case .setup: .setup
        case .daemon, .unknownWork: .daemon
        case .legacyScripts: .setup
        }
    }

    /// The role of every member (requested ones drawn as `wanted`).
    public static func roles(_ analysis: Analysis, verdict: Verdict) -> [String: (NodeRole, String)] {
        var out: [String: (NodeRole, String)] = [:]
        for r in verdict.roles { out[r.fmri] = (nodeRole(r.role), r.note) }
        for w in analysis.wanted { out[w] = (.wanted, out[w]?.1 ?? "") }
        return out
    }

    public static func build(analysis a: Analysis, verdict: Verdict, ladder: [Rung], title: String, source: String,
                             command: String, requests: [String], artefacts: [(name: String, what: String)],
                             missingFiles: Set<String>? = nil, legacy: PlanInput? = nil) -> ReportData {
        let repo = a.repo
        let closure = a.closure
        let roles = roles(a, verdict: verdict)
        let memberSet = Set(closure.members)

        let members = closure.members.map { fmri in
            ReportData.Member(fmri: fmri, role: roles[fmri]?.0 ?? .daemon, roleNote: roles[fmri]?.1 ?? "",
                              reason: a.reason(fmri), depth: a.chains.depth(fmri) ?? 0,
                              enabledInBaseline: repo.instance(fmri: fmri)?.enabled ?? false, whyEdge: a.chains.lastEdge(fmri))
        }
        let baseline = repo.baseline.map(\.fmri)
        let trimmed = baseline.filter { !memberSet.contains($0) && $0 != startdFMRI }

        // Bloat attribution over the closure's own edges.
        let mg = a.memberGraph()
        let tree = DominatorTree(count: mg.members.count, roots: mg.roots, successors: mg.successors)
        var children = [[Int]](repeating: [], count: mg.members.count)
        for (i, d) in tree.idom.enumerated() { if let d { children[d].append(i) } }
        func subtree(_ i: Int) -> [String] {
            var out: [String] = []
            var stack = [i]
            while let n = stack.popLast() {
                out.append(mg.members[n])
                stack.append(contentsOf: children[n])
            }
            return out.sorted()
        }
        let rootSet = Set(mg.roots)
        let costly = (0..<mg.members.count)
            .filter { !rootSet.contains($0) && tree.dominatedCount[$0] >= 2 }
            .sorted { (tree.dominatedCount[$0], mg.members[$1]) > (tree.dominatedCount[$1], mg.members[$0]) }
            .prefix(12)
            .map { ReportData.Cost(what: mg.members[$0], removes: tree.dominatedCount[$0], members: subtree($0)) }

        func edgeText(_ from: String, _ to: String) -> String {
            guard let f = a.graph.instanceID(from), let t = a.graph.instanceID(to) else { return "\(from) → \(to)" }
            var found: Edge?
            a.graph.forEachInstanceEdge(from: f, groupings: [.requireAll, .requireAny]) { e, g, target in
                if found == nil && target == t { found = a.graph.edge(entity: e, group: g, to: target) }
            }
            guard let e = found else { return "\(shortLabel(from)) → \(shortLabel(to))" }
            if e.origin == .restarter { return "restarter" }
            return "\(e.grouping.rawValue) '\(e.group)'" + (e.origin.declarer != nil ? " (via a dependent)" : "")
        }
        let edges = DominatorTree.costlyEdges(count: mg.members.count, roots: mg.roots, successors: mg.successors, tree: tree)
            .filter { $0.removes >= 2 }
            .prefix(10)
            .map { e in
                ReportData.Cost(what: "`\(shortLabel(mg.members[e.from]))` → `\(shortLabel(mg.members[e.to]))`: " + edgeText(mg.members[e.from], mg.members[e.to]),
                                removes: e.removes, members: subtree(e.to))
            }
        let chainIDs = longestChain(count: mg.members.count, roots: mg.roots, successors: mg.successors)
        var chain: [ReportData.Step] = []
        for (i, n) in chainIDs.enumerated() {
            let via = i == 0 ? nil : edgeText(mg.members[chainIDs[i - 1]], mg.members[n])
            chain.append(ReportData.Step(fmri: mg.members[n], via: via))
        }

        let requestNotes = a.requests.map(\.text)
        let choices = closure.choices.map { c in
            "\(c.instance) group '\(c.group)': chose \(c.chosen)" + (c.alternatives.isEmpty ? "" : " over \(c.alternatives.joined(separator: ", "))")
        } + closure.resolutions.filter { !$0.alternatives.isEmpty }.map { r in
            "\(r.instance) group '\(r.group)': \(r.service) resolved to \(r.chosen) over \(r.alternatives.joined(separator: ", "))"
        }
        let unresolved = closure.unresolved.map { "\($0.instance) group '\($0.group)' names \($0.entity), which names nothing" }
        let files = closure.files.map { f -> String in
            var line = "\(f.path), needed by \(f.instance) (group '\(f.group)', \(f.location.short))"
            if let missingFiles {
                line += missingFiles.contains(f.path)
                    ? ": **missing from the root**: svc.startd would keep \(f.instance) offline"
                    : ": present in the root"
            }
            return line
        }
        let conflicts = closure.conflicts.map { "\($0.instance) excludes \($0.excluded) (exclude_all group '\($0.group)', \($0.location.short)), and both are in the closure" }
        let cycles = a.graph.cycles().map(\.members)
        let blocked = verdict.blocked.map { b in
            "\(b.fmri): \(b.note)" + (b.keepsOffline.isEmpty ? "" : "; keeps offline \(b.keepsOffline.joined(separator: ", "))")
        }
        let rungs = ladder.map { r in
            ReportData.Rung(number: r.number, name: r.name, enabled: r.number == 2 ? r.launched.count : r.enabled.count,
                            longRunning: r.longRunning, works: r.works, doesNot: r.doesNotWork)
        }
        let verdictText = verdict.choice == .blankZone
            ? "Blank zone: drop SMF and launch the wanted services from inittab"
            : "Trimmed profile: keep SMF, enable the closure and disable the rest"
        let errors = repo.diagnostics.filter { $0.severity == .error }.count
        let warnings = repo.diagnostics.filter { $0.severity == .warning }.count
        var data = ReportData(title: title, source: source, command: command, counts: repo.counts,
                          ipType: verdict.ipType.rawValue, requests: requests, requestNotes: requestNotes,
                          wanted: a.wanted, baseline: baseline, members: members, trimmed: trimmed,
                          costlyServices: Array(costly), costlyEdges: Array(edges), longestChain: chain,
                          choices: choices, unresolved: unresolved, requiredFiles: files, conflicts: conflicts,
                          cycles: cycles, blocked: blocked, verdict: verdictText, verdictReasons: verdict.reasons,
                          risks: verdict.risks, ladder: rungs, artefacts: artefacts, errors: errors, warnings: warnings)
        data.giveUps = verdict.giveUps
        data.invalid = closure.invalid.map { "\($0.instance) group '\($0.group)' names '\($0.value)', which is not an FMRI (\($0.location.short))" }
        data.legacy = legacyLines(legacy)
        return data
    }

    /// The report's lines on the legacy rc scripts (`PlanInput.legacy`).
    public static func legacyLines(_ input: PlanInput?) -> [String] {
        guard let input else { return [] }
        var out = input.legacy.directories.map { d in
            "\(d.milestone.fmri) runs '\(d.milestone.exec)': \(d.note)"
        }
        for m in input.joinedForLegacy { out.append("\(m) joined the request: \(input.reason(m))") }
        return out
    }

    /// The drawing of a report: the closure, coloured by role, with its
    /// nearest excluded neighbours drawn (`neighbours`) or counted into
    /// each member's label.
    public static func drawing(_ a: Analysis, verdict: Verdict, title: String, neighbours: Bool = false,
                               corpora: [(name: String, prefix: String)] = [], packageOf: [String: String] = [:]) -> DotGraph {
        let roles = roles(a, verdict: verdict)
        var d = RepositoryDrawing()
        d.neighbours = neighbours
        d.foldNeighbours = !neighbours
        d.corpora = corpora
        d.packageOf = packageOf
        d.groupings = [.requireAll, .requireAny, .optionalAll, .excludeAll, .restarter]
        return d.draw(a.repo, graph: a.graph, members: Set(a.closure.members), title: title) { roles[$0]?.0 ?? .daemon }
    }
}

extension ReportData {
    /// The report as JSON, for scripts.
    public var json: JSON {
        .object([
            ("title", .string(title)),
            ("source", .string(source)),
            ("requests", .strings(requests)),
            ("wanted", .strings(wanted)),
            ("ipType", .string(ipType)),
            ("baseline", .strings(baseline)),
            ("closure", .array(members.map { m in
                .object([
                    ("instance", .string(m.fmri)),
                    ("role", .string(m.role.rawValue)),
                    ("roleNote", .string(m.roleNote)),
                    ("reason", .string(m.reason)),
                    ("why", m.whyEdge?.json ?? .null),
                    ("depth", .int(m.depth)),
                    ("enabledInBaseline", .bool(m.enabledInBaseline)),
                ])
            })),
            ("trimmed", .strings(trimmed)),
            ("bloatRatio", .string(format1(bloatRatio))),
            ("costliest", .array(costlyServices.map { .object([("instance", .string($0.what)), ("removes", .int($0.removes)), ("members", .strings($0.members))]) })),
            ("costliestEdges", .array(costlyEdges.map { .object([("edge", .string($0.what)), ("removes", .int($0.removes)), ("members", .strings($0.members))]) })),
            ("longestChain", .strings(longestChain.map(\.fmri))),
            ("choices", .strings(choices)),
            ("unresolved", .strings(unresolved)),
            ("requiredFiles", .strings(requiredFiles)),
            ("conflicts", .strings(conflicts)),
            ("cycles", .array(cycles.map { .strings($0) })),
            ("blocked", .strings(blocked)),
            ("verdict", .string(verdict)),
            ("reasons", .strings(verdictReasons)),
            ("risks", .strings(risks)),
            ("ladder", .array(ladder.map { r in
                .object([("rung", .int(r.number)), ("name", .string(r.name)), ("enabled", .int(r.enabled)),
                         ("longRunning", .strings(r.longRunning)), ("works", .strings(r.works)), ("doesNot", .strings(r.doesNot))])
            })),
            ("artefacts", .array(artefacts.map { .object([("file", .string($0.name)), ("what", .string($0.what))]) })),
        ] + (packages.map { [("packages", $0.json)] } ?? []))
    }
}
