/// Assembles a report's data from an analysed request and its plan: the
/// values the stages computed (closure, costs, verdict, ladder), no words.
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

    /// What `build` computes from the analysis alone, computed ahead by a
    /// caller that has a core free (`Session.report`, beside the verdict).
    public struct Precomputed: Sendable {
        public var costs: ClosureCosts
        /// `DependencyGraph.cycles()`, each cycle's members.
        public var cycles: [[String]]

        public init(_ a: Analysis) {
            costs = ClosureCosts(a)
            cycles = a.graph.cycles().map(\.members)
        }
    }

    public static func build(analysis a: Analysis, verdict: Verdict, ladder: [Rung], title: String, source: String,
                             command: String, requests: [String], artefacts: [(name: String, what: String)],
                             missingFiles: Set<String>? = nil, legacy: PlanInput? = nil,
                             precomputed: ReportBuilder.Precomputed? = nil) -> ReportData {
        let repo = a.repo
        let closure = a.closure
        let roles = roles(a, verdict: verdict)
        let memberSet = Set(closure.members)

        let g = a.graph
        // Each member's reason was put in words once, for the plan input of
        // this closure (`Analysis.planInput`); read there when it is given,
        // but for the milestones joined for their legacy scripts, whose
        // reason the plan input words otherwise (`PlanInput.attach`).
        let worded = legacy.flatMap { $0.closure == closure.members ? $0.reasons : nil }
        let joined = Set(legacy?.joinedForLegacy ?? [])
        let members = closure.memberIDs.map { id in
            let fmri = g.instanceFMRIs[id]
            return ReportData.Member(fmri: fmri, role: roles[fmri]?.0 ?? .daemon, roleNote: roles[fmri]?.1 ?? "",
                                     reason: (joined.contains(fmri) ? nil : worded?[fmri]) ?? a.reason(fmri), depth: a.chains.depth(fmri) ?? 0,
                                     enabledInBaseline: g.instanceEnabled[id], whyEdge: a.chains.lastEdge(fmri))
        }
        // Instance ids are in FMRI order: the baseline sorted, as `Repository.baseline`.
        let baseline = g.instanceFMRIs.indices.filter { g.instanceEnabled[$0] }.map { g.instanceFMRIs[$0] }
        let trimmed = baseline.filter { !memberSet.contains($0) && $0 != startdFMRI }

        let requestNotes = a.requests.map(\.text)
        let choices = closure.choices.map(ReportData.ClosureChoice.group)
            + closure.resolutions.filter { !$0.alternatives.isEmpty }.map(ReportData.ClosureChoice.service)
        let files = closure.files.map { f in
            ReportData.RequiredFileState(file: f, state: missingFiles.map { $0.contains(f.path) ? .missing : .present } ?? .notChecked)
        }
        let errors = repo.diagnostics.filter { $0.severity == .error }.count
        let warnings = repo.diagnostics.filter { $0.severity == .warning }.count
        var data = ReportData(title: title, source: source, command: command, counts: repo.counts,
                              ipType: verdict.ipType, requests: requests, requestNotes: requestNotes,
                              wanted: a.wanted, baseline: baseline, members: members, trimmed: trimmed,
                              costs: precomputed?.costs ?? ClosureCosts(a), choices: choices, unresolved: closure.unresolved,
                              requiredFiles: files, conflicts: closure.conflicts,
                              cycles: precomputed?.cycles ?? a.graph.cycles().map(\.members),
                              blocked: verdict.blocked, verdict: verdict.choice, verdictReasons: verdict.reasons,
                              risks: verdict.risks, ladder: ladder, artefacts: artefacts, errors: errors, warnings: warnings)
        data.giveUps = verdict.giveUps
        data.invalid = closure.invalid
        if let legacy {
            data.legacyDirectories = legacy.legacy.directories
            data.joinedForLegacy = legacy.joinedForLegacy.map { ReportData.JoinedMilestone(fmri: $0, reason: legacy.reason($0)) }
        }
        return data
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
            ("ipType", .string(ipType.rawValue)),
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
            ("costliest", .array(costlyServices.map { .object([("instance", .string($0.fmri)), ("removes", .int($0.removes)), ("members", .strings($0.members))]) })),
            ("costliestEdges", .array(costlyEdges.map { .object([("edge", .string($0.markedText)), ("removes", .int($0.removes)), ("members", .strings($0.members))]) })),
            ("longestChain", .strings(longestChain.map(\.fmri))),
            ("choices", .strings(choices.map(\.words))),
            ("unresolved", .strings(unresolved.map(\.reportWords))),
            ("requiredFiles", .strings(requiredFiles.map(\.markedText))),
            ("conflicts", .strings(conflicts.map(\.reportWords))),
            ("cycles", .array(cycles.map { .strings($0) })),
            ("blocked", .strings(blocked.map(\.reportWords))),
            ("verdict", .string(verdict.sentence)),
            ("reasons", .strings(verdictReasons.map(\.words))),
            ("risks", .strings(risks.map(\.words))),
            ("ladder", .array(ladder.map { r in
                .object([("rung", .int(r.number)), ("name", .string(r.name)), ("enabled", .int(r.started)),
                         ("longRunning", .strings(r.longRunning)), ("works", .strings(r.works)), ("doesNot", .strings(r.doesNotWork))])
            })),
            ("artefacts", .array(artefacts.map { .object([("file", .string($0.name)), ("what", .string($0.what))]) })),
        ] + (packages.map { [("packages", $0.json)] } ?? [])
          + (proofs.isEmpty ? [] : [("proofs", .array(proofs.map(PlanProofReport.json)))]))
    }
}
