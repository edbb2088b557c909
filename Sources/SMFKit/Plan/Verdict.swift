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
    /// Members that require it, transitively (require_all groups and the
    /// restarter edge), sorted.
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
    public var requiredFiles: [PlanRequiredFile]
    public var conflicts: [PlanConflict]

    /// The decision rule, as docs/PLAN.md states it.
    public static let rule = """
        Blank zone when all of these hold, trimmed profile otherwise: \
        (1) the closure has no exclude_all conflict; \
        (2) every wanted instance's start method can run without SMF (expanded statically, \
        its context carried, its program inspected and found not to use svcprop/svcadm/svccfg/svcs); \
        (3) no wanted instance disables itself or fails in this kind of zone; \
        (4) every closure member that does setup work has a replacement command the tool can write \
        (site-specific work, such as an exclusive-IP zone's addresses and routes, tips the verdict to the profile, \
        since SMF already does it from the zone's persistent configuration).
        """
}

public enum Plan {
    /// The roles of a set of members in a zone of the given IP type.
    public static func roles(_ members: [String], ipType: IPType) -> [RoleAssignment] {
        members.sorted().map { ZoneRoles.classify($0, ipType: ipType) }
    }

    /// The members that disable themselves or fail in the zone, each with
    /// the members it keeps offline through require_all groups and
    /// restarter edges of the repository.
    public static func blocked(_ members: [String], repo: Repository, ipType: IPType) -> [BlockedMember] {
        let set = Set(members)
        var out: [BlockedMember] = []
        for r in roles(members, ipType: ipType) where r.role.blocksDependents {
            var down: Set<String> = [r.fmri]
            var changed = true
            while changed {
                changed = false
                for m in members.sorted() where !down.contains(m) {
                    guard let inst = repo.instance(fmri: m) else { continue }
                    var hit = inst.restarter.map { down.contains($0.fmri) } ?? false
                    for g in inst.groups where !hit && g.grouping == .requireAll && g.type == "service" {
                        for e in g.entities {
                            switch e.fmri {
                            case .instance(let s, let i):
                                if down.contains(instanceFMRI(s, i)) { hit = true }
                            case .service(let s):
                                let present = (repo.services[s]?.instances.keys.map { instanceFMRI(s, $0) } ?? [])
                                    .filter { set.contains($0) }
                                if !present.isEmpty && present.allSatisfy({ down.contains($0) }) { hit = true }
                            case .path:
                                break
                            }
                        }
                    }
                    if hit { down.insert(m); changed = true }
                }
            }
            down.remove(r.fmri)
            out.append(BlockedMember(fmri: r.fmri, role: r.role, note: r.note, keepsOffline: down.sorted()))
        }
        return out
    }

    /// Blank zone or trimmed profile, by `Verdict.rule`.
    public static func verdict(_ input: PlanInput, ipType: IPType, lookup: ScriptLookup = .unavailable) -> Verdict {
        let zone = ipType == .shared ? "shared-IP zone" : "exclusive-IP zone"
        let methods = input.wanted.map { MethodAnalyzer.analyze($0, repo: input.repo, lookup: lookup) }
        let roles = roles(input.closure, ipType: ipType)
        let realWork = roles.filter(\.role.doesRealWork).map(\.fmri)
        let setup = roles.compactMap { r -> SetupStep? in
            guard r.role == .setup, let rep = r.replacement else { return nil }
            return SetupStep(fmri: r.fmri, note: r.note, replacement: rep)
        }
        let blocked = blocked(input.closure, repo: input.repo, ipType: ipType)
        let wantedSet = Set(input.wanted)

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
                against.append("\(m.fmri) may not run without SMF, and this was not checked: " + m.reasons.joined(separator: "; ")
                               + " (give --methods DIR or --root so the program can be read)")
            }
        }
        for r in roles where wantedSet.contains(r.fmri) && r.role.blocksDependents {
            against.append("\(r.fmri) is wanted but \(r.role == .failsInZone ? "fails" : "disables itself") in a \(zone): \(r.note)")
        }
        let byHand = setup.filter { if case .byHand = $0.replacement { true } else { false } }
        let byCommand = setup.filter { if case .command = $0.replacement { true } else { false } }
        for s in byHand {
            if case .byHand(let what) = s.replacement {
                against.append("\(s.fmri) \(s.note); a blank zone would need, written by hand: \(what)")
            }
        }
        if !byCommand.isEmpty {
            forBlank.append("the setup work of the closure has known replacements: "
                + byCommand.map { s -> String in
                    if case .command(let c) = s.replacement { return "\(s.fmri) → \(c)" }
                    return s.fmri
                }.joined(separator: "; "))
        }
        let counted = "\(realWork.count) of \(input.closure.count) closure members do real work in a \(zone)"
            + (realWork.isEmpty ? "" : ": " + realWork.joined(separator: ", "))
            + "; the others are SMF plumbing or do nothing in such a zone"

        let choice: Verdict.Choice = against.isEmpty ? .blankZone : .trimmedProfile
        var reasons = choice == .blankZone ? forBlank : against
        reasons.append(counted)
        for b in blocked {
            let what = b.role == .failsInZone ? "fails" : "disables itself"
            let keeps = b.keepsOffline.isEmpty ? "it keeps no other member offline"
                : "it keeps offline: " + b.keepsOffline.joined(separator: ", ")
            reasons.append("under SMF, \(b.fmri) \(what) in a \(zone) (\(b.note)); \(keeps)")
            let wantedDown = b.keepsOffline.filter { wantedSet.contains($0) }
            if !wantedDown.isEmpty {
                reasons.append("so under SMF the wanted \(wantedDown.joined(separator: ", ")) would stay offline until \(b.fmri) is removed from its dependencies")
            }
        }
        for f in input.requiredFiles {
            reasons.append("\(f.instance) requires the file \(f.path) (path dependency): svc.startd keeps it offline while the file is missing")
        }

        var risks: [String] = []
        if choice == .blankZone {
            risks += [
                "never boot the zone with -s or -r: init appends the flag to the smf command ('sleep Inf -s' exits at once, and after three quick failures init asks for maintenance on the console)",
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
        return Verdict(choice: choice, ipType: ipType, reasons: reasons, methods: methods, roles: roles,
                       realWork: realWork, setupSteps: setup, blocked: blocked, risks: risks,
                       requiredFiles: input.requiredFiles, conflicts: input.conflicts)
    }
}
