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
    /// Why this choice, each an assertion an administrator can check.
    public var reasons: [String]
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
    public var risks: [String]
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

    /// The decision rule, as docs/PLAN.md states it.
    public static let rule = """
        Blank zone when all of these hold, trimmed profile otherwise: \
        (1) the closure has no exclude_all conflict; \
        (2) every wanted instance's start method can run without SMF (expanded statically, \
        each property of its context carried by a command, its program inspected and found not to run svcprop/svcadm/svccfg/svcs nor to load libscf.so.1); \
        (3) no wanted instance disables itself or fails in this kind of zone; \
        (4) every closure member that does setup work has a replacement command the tool can write \
        (site-specific work, such as an exclusive-IP zone's addresses and routes, tips the verdict to the profile, \
        since SMF already does it from the zone's persistent configuration); \
        (5) every legacy rc script of the site that a closure milestone runs was read and found not to use \
        svcprop/svcadm/svccfg/svcs (the blank zone runs them in order).
        """
}

public enum Plan {
    /// Blank zone or trimmed profile, by `Verdict.rule`.
    ///
    /// Each reason names what an administrator can check: FMRIs, method
    /// programs and lines, files. A sentence lists at most a few FMRIs; the
    /// full lists are the verdict's `roles`, `realWork`, `setupSteps` and
    /// `blocked` (and the JSON).
    public static func verdict(_ input: PlanInput, ipType: IPType, lookup: ScriptLookup = .unavailable) -> Verdict {
        let zone = ipType.aZone
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

        var against: [String] = []   // reasons for the profile
        var forBlank: [String] = []  // reasons for the blank zone

        if !input.conflicts.isEmpty {
            against += input.conflicts.map { "the closure has a conflict, so neither configuration can be written: \($0)" }
        }
        for m in methods {
            switch m.canRunWithoutSMF {
            case .some(true):
                let how = m.launchLine == nil ? "nothing to launch" : "launched as: \(m.launchLine ?? "")"
                forBlank.append("\(m.fmri) can run without SMF (\(m.duration.rawValue) service; \(how))")
            case .some(false):
                against.append("\(m.fmri) cannot run without SMF: " + m.reasons.joined(separator: "; "))
            case .none:
                against.append("\(m.fmri) may not run without SMF, which counts against a blank zone: " + m.reasons.joined(separator: "; "))
            }
        }
        for r in roles where wantedSet.contains(r.fmri) && r.role.blocksDependents {
            against.append("\(r.fmri) is wanted but \(r.role == .failsInZone ? "fails" : "disables itself") in \(zone): \(r.note)")
        }
        // Work a blank zone must do by hand: one reason a member, the lines
        // written out once (two members may need the same ones).
        let byHand = byHandSteps(setup)
        if !byHand.isEmpty {
            against.append("in \(zone), SMF configures the zone's own network from its persistent configuration (ipadm.conf, routes) "
                + "through \(listed(byHand.map(\.step.fmri))); a blank zone would need that written by hand, site by site, which the tool cannot do")
        }
        for (s, what, first) in byHand {
            if let first {
                against.append("\(s.fmri) \(s.note); a blank zone would need the same lines by hand as for \(first)")
            } else {
                against.append("\(s.fmri) \(s.note); a blank zone would need, written by hand: \(what)")
            }
        }
        let commands = groupedCommands(setup)
        if !commands.isEmpty {
            forBlank.append("a blank zone replaces the setup work of the closure with commands the tool writes: "
                + commands.map { "'\($0.command)' for \(joinedAnd($0.fmris))" }.joined(separator: "; "))
        }

        // The site's legacy rc scripts that the closure's milestones run (rule 5).
        let legacyScripts = input.legacy.counted.filter { closureSet.contains($0.milestone) }
        var legacyInspections: [ScriptInspection] = []
        var legacyOK: [LegacyScript] = []
        for l in legacyScripts {
            let (inspection, _) = MethodAnalyzer.inspect(program: l.path, lookup: lookup)
            legacyInspections.append(inspection)
            if Verdict.legacyRunnable(inspection) { legacyOK.append(l); continue }
            let by = "the legacy script \(l.path) (run by \(l.milestone))"
            switch inspection {
            case .notInspected(_, let why):
                against.append("\(by) was not inspected (\(why)), which counts against a blank zone")
            case .binary(let b):
                if let chain = b.libscfChain {
                    against.append("\(by) is an ELF program that loads libscf.so.1 (\(chain.joined(separator: " -> "))): it may need the repository")
                } else {
                    against.append("\(by) is an ELF program whose libraries were not all inspected (\(b.notInspected.prefix(2).joined(separator: "; "))), which counts against a blank zone")
                }
            case .script(_, let findings):
                against.append("\(by) cannot run without SMF: " + findings.filter(\.needsSMF).prefix(3).map { "\($0.script):\($0.line) runs \($0.what) ('\($0.text)')" }.joined(separator: "; "))
            case .notApplicable:
                break  // runnable: handled above
            }
        }
        if !legacyOK.isEmpty {
            forBlank.append("a blank zone runs the site's legacy rc scripts in the order illumos runs them, as lsvcrun does: "
                + legacyOK.map { "'\($0.commandLine)'" }.joined(separator: ", "))
        }

        // What does real work, summarised by role.
        var parts: [String] = []
        let wantedWork = realWork.filter { wantedSet.contains($0) }
        if !wantedWork.isEmpty { parts.append("the wanted " + listed(wantedWork)) }
        let setupCount = realWork.filter { f in setup.contains { $0.fmri == f } && !wantedSet.contains(f) }.count
        if setupCount > 0 { parts.append("\(setupCount) with setup work that a blank zone must replace") }
        let others = roles.filter { $0.role.doesRealWork && $0.role != .setup && !wantedSet.contains($0.fmri) }
        let daemons = others.filter { $0.role == .daemon }
        let legacyUnknown = others.filter { $0.role == .unknownWork && input.legacy.directory(of: $0.fmri) != nil }
        let unknown = others.filter { $0.role == .unknownWork && input.legacy.directory(of: $0.fmri) == nil }
        let legacyWork = others.filter { $0.role == .legacyScripts }
        if !daemons.isEmpty { parts.append("\(daemons.count) daemon\(daemons.count == 1 ? "" : "s") (\(listed(daemons.map(\.fmri))))") }
        if !legacyWork.isEmpty { parts.append("\(listed(legacyWork.map(\.fmri))) with legacy rc scripts of the site") }
        if !unknown.isEmpty { parts.append("\(unknown.count) not in the role table") }
        if !legacyUnknown.isEmpty { parts.append("\(listed(legacyUnknown.map(\.fmri))) whose legacy rc scripts are not known") }
        let idle = input.closure.count - realWork.count
        var counted = "\(realWork.count) of \(input.closure.count) closure members do real work in \(zone)"
        if !parts.isEmpty { counted += ": " + joinedAnd(parts) }
        counted += idle == 0 ? "" : (idle == 1 ? "; the other member is" : "; the other \(idle) are")
            + " SMF plumbing or do nothing in such a zone (each member's role is listed with the closure)"

        let choice: Verdict.Choice = against.isEmpty ? .blankZone : .trimmedProfile
        var reasons = choice == .blankZone ? forBlank : against
        reasons.append(counted)
        if !unknown.isEmpty {
            let detail = unknown.prefix(4).map { r -> String in
                guard let inst = input.repo.instance(fmri: r.fmri) else { return r.fmri }
                let exec = MethodAnalyzer.startMethod(of: inst, in: input.repo).map { "'\($0.exec.trimmingWhitespace())'" } ?? "no start method"
                return "\(r.fmri) (\(MethodAnalyzer.duration(of: inst, in: input.repo).0.rawValue), \(exec))"
            }
            let more = unknown.count > 4 ? " and \(unknown.count - 4) more" : ""
            reasons.append("what \(unknown.count == 1 ? "this member does" : "these members do") in a zone is not known (not in the role table: "
                + "no method script of \(unknown.count == 1 ? "it" : "them") was read for it), so \(unknown.count == 1 ? "it is" : "they are") assumed to do real work: "
                + detail.joined(separator: ", ") + more
                + "; a trimmed profile enables \(unknown.count == 1 ? "it" : "them"), a blank zone does not start \(unknown.count == 1 ? "it" : "them")")
        }
        for r in legacyUnknown {
            if let d = input.legacy.directory(of: r.fmri) {
                reasons.append("\(r.fmri) runs '\(d.milestone.exec)'; \(d.note); a trimmed profile runs whatever \(d.milestone.directory) holds, a blank zone does not")
            }
        }
        if !daemons.isEmpty {
            reasons.append("a blank zone starts only the wanted services, not the daemons of the closure: " + listed(daemons.map(\.fmri)))
        }
        for b in blocked {
            let what = b.role == .failsInZone ? "fails" : "disables itself"
            let keeps = b.keepsOffline.isEmpty ? "it keeps no other member offline"
                : "it keeps offline \(b.keepsOffline.count) member\(b.keepsOffline.count == 1 ? "" : "s"): " + listed(b.keepsOffline)
            reasons.append("under SMF, \(b.fmri) \(what) in \(zone) (\(b.note)); \(keeps)")
            let wantedDown = b.keepsOffline.filter { wantedSet.contains($0) }
            if !wantedDown.isEmpty {
                reasons.append("so under SMF the wanted \(listed(wantedDown)) would stay offline until \(b.fmri) is removed from its dependencies")
            }
        }
        for f in input.requiredFiles {
            reasons.append("\(f.instance) requires the file \(f.path) (path dependency): svc.startd keeps it offline while the file is missing")
        }

        var risks: [String] = []
        if choice == .blankZone {
            risks += [
                "booting with -s or -r gives no single-user or reconfiguration boot: init appends the flag to the smf command, which the rc script (and, with --launch inittab, /sbin/sh -c \"exec /usr/bin/sleep Inf\") takes as an argument it ignores (usr/src/cmd/init/init.c)",
                "shut the zone down with 'zoneadm -z ZONE halt': nothing in the zone performs the shutdown that 'zoneadm shutdown' asks for",
                "nothing restarts a daemon that dies; svcs and svcadm answer nothing; there is no /var/svc/log",
                "manifests that packages deliver later are never imported; going back means restoring the stock smf line of /etc/inittab",
            ]
        } else {
            risks += [
                "install the profile before the zone's first boot (svccfg applies each profile path once), or run the svcadm script in a zone that has booted",
            ]
            if !blocked.isEmpty {
                risks.append("members that disable themselves or fail in the zone appear in 'svcs -x' after boot; their dependents stay offline")
            }
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
    static func groupedCommands(_ setup: [SetupStep]) -> [(command: String, fmris: [String])] {
        var out: [(command: String, fmris: [String])] = []
        for s in setup {
            guard case .command(let c) = s.replacement else { continue }
            if let i = out.firstIndex(where: { $0.command == c }) { out[i].fmris.append(s.fmri) } else { out.append((c, [s.fmri])) }
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
