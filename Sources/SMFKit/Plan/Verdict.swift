/// A closure member that a blank zone must replace, and how.
public struct SetupStep: Sendable, Hashable {
    public var fmri: String
    public var note: String
    public var replacement: Replacement
}

/// A closure member that disables itself or fails in the zone, and the
/// members it keeps offline, as `svcs -x` would show them after boot.
public struct BlockedMember: Sendable, Hashable {
    public var fmri: String
    public var role: ZoneRole
    public var note: String
    /// Members that go offline with it, transitively (`Plan.blocked`: the
    /// graph's dependents walk over the enabled members), sorted.
    public var keepsOffline: [String]
}

/// The answer: a blank zone or a trimmed profile, with every reason.
public struct Verdict: Sendable {
    public enum Choice: String, Sendable, Hashable {
        case blankZone = "blank-zone"
        case trimmedProfile = "trimmed-profile"
    }

    public var choice: Choice
    public var ipType: IPType
    /// Why this choice, each an assertion an administrator can check
    /// (worded by Render/VerdictWords.swift).
    public var reasons: [VerdictReason]
    /// The start method analysis of each wanted instance, in request order.
    public var methods: [MethodAnalysis]
    /// The role of every closure member, in FMRI order.
    public var roles: [RoleAssignment]
    /// Closure members that do real work in this kind of zone.
    public var realWork: [String]
    /// What a blank zone must replace (closure members with role `setup`).
    public var setupSteps: [SetupStep]
    /// Members that disable themselves or fail in a zone.
    public var blocked: [BlockedMember]
    /// Risks of the chosen configuration, and of the other one.
    public var risks: [Risk]
    public var requiredFiles: [RequiredFile]
    public var conflicts: [Conflict]
    /// The site's legacy rc scripts that the closure's milestones run
    /// (illumos's own left out), in the order illumos runs them: rcS.d, then
    /// rc2.d, then rc3.d, each in glob order. A blank zone runs each
    /// `argv` in this order, after the setup steps and before the wanted
    /// services (docs/PLAN.md, "Legacy rc scripts").
    public var legacyScripts: [LegacyScript] = []
    /// What was found in each of `legacyScripts` (same order).
    public var legacyInspections: [ScriptInspection] = []
    /// The visible things this configuration turns off, each with the flag
    /// that keeps it (`GiveUps.list`).
    public var giveUps: [GiveUp] = []

    /// Whether a blank zone can run a legacy script, from what its
    /// inspection found (rule 5): read, and found not to run
    /// svcprop/svcadm/svccfg/svcs nor to load libscf.so.1.
    static func legacyRunnable(_ inspection: ScriptInspection?) -> Bool {
        switch inspection {
        case .notApplicable: return true
        case .script(_, let findings): return !findings.contains(where: \.needsSMF)
        case .binary(let b): return b.libscfChain == nil && b.notInspected.isEmpty
        case .notInspected, .none: return false
        }
    }

    /// `legacyRunnable` for the `i`-th of `legacyScripts`, by its
    /// inspection (none: not runnable). The artefact writers and the
    /// ladder ask this, so they cannot disagree with the verdict.
    func legacyScriptRunnable(at i: Int) -> Bool {
        Self.legacyRunnable(i < legacyInspections.count ? legacyInspections[i] : nil)
    }
}

public enum Plan {
    /// Blank zone or trimmed profile, by `Verdict.rule`.
    ///
    /// Each reason is a `VerdictReason`: the FMRIs, method programs and
    /// lines, files an administrator can check, as values.
    public static func verdict(_ input: PlanInput, ipType: IPType, lookup: ScriptLookup = .unavailable) -> Verdict {
        let methods = input.wanted.map { MethodAnalyzer.analyze($0, graph: input.graph, repo: input.repo, lookup: lookup) }
        let roles = ZoneRoles.roles(input.closureIDs, ipType: ipType, graph: input.graph, repo: input.repo, legacy: input.legacy)
        let realWork = roles.filter(\.role.doesRealWork).map(\.fmri)
        let setup = roles.compactMap { r -> SetupStep? in
            guard r.role == .setup, let rep = r.replacement else { return nil }
            return SetupStep(fmri: r.fmri, note: r.note, replacement: rep)
        }
        let blocked = blocked(input.closureIDs, roles: roles, graph: input.graph)
        let wantedSet = Set(input.wanted)
        let closureSet = Set(input.closure)

        var against: [VerdictReason] = []   // reasons for the profile
        var forBlank: [VerdictReason] = []  // reasons for the blank zone

        against += input.conflicts.map(VerdictReason.conflict)
        for m in methods {
            switch m.canRunWithoutSMF {
            case .some(true): forBlank.append(.runsWithoutSMF(fmri: m.fmri, duration: m.duration, launchLine: m.launchLine))
            case .some(false): against.append(.cannotRunWithoutSMF(fmri: m.fmri, reasons: m.reasons))
            case .none: against.append(.mayNotRunWithoutSMF(fmri: m.fmri, reasons: m.reasons))
            }
        }
        for r in roles where wantedSet.contains(r.fmri) && r.role.blocksDependents {
            against.append(.wantedBlocked(fmri: r.fmri, role: r.role, ipType: ipType, note: r.note))
        }
        // Work a blank zone must do by hand: one reason a member, the lines
        // written out once (two members may need the same ones).
        let byHand = byHandSteps(setup)
        if !byHand.isEmpty { against.append(.networkByHand(ipType: ipType, fmris: byHand.map(\.step.fmri))) }
        for (s, lines, first) in byHand {
            against.append(.setupByHand(fmri: s.fmri, note: s.note, lines: lines, sameAs: first))
        }
        let commands = groupedCommands(setup)
        if !commands.isEmpty { forBlank.append(.setupCommands(commands)) }

        // The site's legacy rc scripts that the closure's milestones run (rule 5).
        let legacyScripts = input.legacy.counted.filter { closureSet.contains($0.milestone) }
        var legacyInspections: [ScriptInspection] = []
        var legacyOK: [LegacyScript] = []
        for l in legacyScripts {
            let (inspection, _) = MethodAnalyzer.inspect(program: l.path, lookup: lookup)
            legacyInspections.append(inspection)
            if Verdict.legacyRunnable(inspection) { legacyOK.append(l); continue }
            switch inspection {
            case .notInspected(_, let why):
                against.append(.legacyNotRunnable(l, .notInspected(why: why)))
            case .binary(let b):
                against.append(.legacyNotRunnable(l, b.libscfChain.map { .loadsLibscf(chain: $0) } ?? .librariesNotInspected(b.notInspected)))
            case .script(_, let findings):
                against.append(.legacyNotRunnable(l, .needsSMF(findings.filter(\.needsSMF))))
            case .notApplicable:
                break  // runnable: handled above
            }
        }
        if !legacyOK.isEmpty { forBlank.append(.legacyRuns(legacyOK)) }

        // What does real work, summarised by role.
        let wantedWork = realWork.filter { wantedSet.contains($0) }
        let setupCount = realWork.filter { f in setup.contains { $0.fmri == f } && !wantedSet.contains(f) }.count
        let others = roles.filter { $0.role.doesRealWork && $0.role != .setup && !wantedSet.contains($0.fmri) }
        let daemons = others.filter { $0.role == .daemon }.map(\.fmri)
        let legacyUnknown = others.filter { $0.role == .unknownWork && input.legacy.directory(of: $0.fmri) != nil }.map(\.fmri)
        let unknown = others.filter { $0.role == .unknownWork && input.legacy.directory(of: $0.fmri) == nil }.map(\.fmri)
        let legacyWork = others.filter { $0.role == .legacyScripts }.map(\.fmri)
        let counted = RealWorkCount(ipType: ipType, realWork: realWork.count, closure: input.closure.count, wanted: wantedWork,
                                    setup: setupCount, daemons: daemons, legacyScripts: legacyWork, unknown: unknown.count,
                                    legacyUnknown: legacyUnknown)

        // Rule 6: a blank zone starts only the wanted services; a daemon the
        // closure holds and the request does not want would not run, and the
        // wanted services need it (the blank zone's check, docs/BOOT.md).
        let choice: Verdict.Choice = against.isEmpty && daemons.isEmpty ? .blankZone : .trimmedProfile
        var reasons = choice == .blankZone ? forBlank : against
        reasons.append(.realWork(counted))
        if !unknown.isEmpty {
            let shown = unknown.prefix(4).map { f -> UnknownMember in
                guard let id = input.graph.instanceID(f) else { return UnknownMember(fmri: f) }
                let inst = input.graph.instance(id)
                return UnknownMember(fmri: f, duration: MethodAnalyzer.duration(of: inst, in: input.repo).0,
                                     start: MethodAnalyzer.startMethod(of: inst, in: input.repo).map { $0.exec.trimmingWhitespace() })
            }
            reasons.append(.unknownRoles(count: unknown.count, shown: shown))
        }
        for f in legacyUnknown {
            if let d = input.legacy.directory(of: f) { reasons.append(.legacyNotKnown(fmri: f, directory: d)) }
        }
        if !daemons.isEmpty { reasons.append(.daemonsNotStarted(daemons)) }
        for b in blocked {
            reasons.append(.blocked(b, ipType: ipType))
            let wantedDown = b.keepsOffline.filter { wantedSet.contains($0) }
            if !wantedDown.isEmpty { reasons.append(.wantedKeptOffline(wanted: wantedDown, by: b.fmri)) }
        }
        reasons += input.requiredFiles.map(VerdictReason.requiredFile)

        var risks: [Risk] = []
        if choice == .blankZone {
            risks += [.bootFlagsIgnored, .haltNotShutdown, .noSupervision, .laterManifests]
        } else {
            risks.append(.profileBeforeFirstBoot)
            if !blocked.isEmpty { risks.append(.blockedInSvcsX) }
        }
        var v = Verdict(choice: choice, ipType: ipType, reasons: reasons, methods: methods, roles: roles,
                        realWork: realWork, setupSteps: setup, blocked: blocked, risks: risks,
                        requiredFiles: input.requiredFiles, conflicts: input.conflicts,
                        legacyScripts: legacyScripts, legacyInspections: legacyInspections)
        v.giveUps = GiveUps.list(input, verdict: v)
        return v
    }

    /// The setup commands, each once, with the members it replaces, in
    /// the order of their first member.
    static func groupedCommands(_ setup: [SetupStep]) -> [SetupCommand] {
        var out: [SetupCommand] = []
        for s in setup {
            guard case .command(let c) = s.replacement else { continue }
            if let i = out.firstIndex(where: { $0.command == c }) { out[i].fmris.append(s.fmri) } else { out.append(SetupCommand(command: c, fmris: [s.fmri])) }
        }
        return out
    }

    /// The setup steps done by hand, in setup order, each with its lines
    /// and the first earlier member that needs the same lines (nil: it is
    /// the first), so that each set of lines is written out once.
    static func byHandSteps(_ setup: [SetupStep]) -> [(step: SetupStep, lines: String, sameAs: String?)] {
        var first: [String: String] = [:]
        var out: [(step: SetupStep, lines: String, sameAs: String?)] = []
        for s in setup {
            guard case .byHand(let h) = s.replacement else { continue }
            out.append((s, h, first[h]))
            if first[h] == nil { first[h] = s.fmri }
        }
        return out
    }

    /// "a", "a and b", "a, b and c".
    static func joinedAnd(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        if items.count == 1 { return last }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }
}
