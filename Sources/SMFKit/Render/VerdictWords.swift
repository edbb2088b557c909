/// The sentences of a verdict (Plan/VerdictReason.swift): what `plan`,
/// `report`, the JSON `reasons` / `risks` and NOTES.md print. The plan
/// stage computes the facts; only this file words them.
extension VerdictReason {
    public var words: String {
        switch self {
        case .conflict(let c):
            return "the closure has a conflict, so neither configuration can be written: \(c)"
        case .runsWithoutSMF(let fmri, let duration, let launchLine):
            let how = launchLine.map { "launched as: \($0)" } ?? "nothing to launch"
            return "\(fmri) can run without SMF (\(duration.rawValue) service; \(how))"
        case .cannotRunWithoutSMF(let fmri, let reasons):
            return "\(fmri) cannot run without SMF: " + reasons.joined(separator: "; ")
        case .mayNotRunWithoutSMF(let fmri, let reasons):
            return "\(fmri) may not run without SMF, which counts against a blank zone: " + reasons.joined(separator: "; ")
        case .wantedBlocked(let fmri, let role, let ipType, let note):
            return "\(fmri) is wanted but \(role == .failsInZone ? "fails" : "disables itself") in \(ipType.aZone): \(note)"
        case .networkByHand(let ipType, let fmris):
            return "in \(ipType.aZone), SMF configures the zone's own network from its persistent configuration (ipadm.conf, routes) "
                + "through \(listed(fmris)); a blank zone would need that written by hand, site by site, which the tool cannot do"
        case .setupByHand(let fmri, let note, let lines, let sameAs):
            if let sameAs { return "\(fmri) \(note); a blank zone would need the same lines by hand as for \(sameAs)" }
            return "\(fmri) \(note); a blank zone would need, written by hand: \(lines)"
        case .setupCommands(let commands):
            return "a blank zone replaces the setup work of the closure with commands the tool writes: "
                + commands.map { "'\($0.command)' for \(Plan.joinedAnd($0.fmris))" }.joined(separator: "; ")
        case .legacyNotRunnable(let l, let problem):
            let by = "the legacy script \(l.path) (run by \(l.milestone))"
            switch problem {
            case .notInspected(let why):
                return "\(by) was not inspected (\(why)), which counts against a blank zone"
            case .loadsLibscf(let chain):
                return "\(by) is an ELF program that loads libscf.so.1 (\(chain.joined(separator: " -> "))): it may need the repository"
            case .librariesNotInspected(let libs):
                return "\(by) is an ELF program whose libraries were not all inspected (\(libs.prefix(2).joined(separator: "; "))), which counts against a blank zone"
            case .needsSMF(let findings):
                return "\(by) cannot run without SMF: "
                    + findings.prefix(3).map { "\($0.script):\($0.line) runs \($0.what) ('\($0.text)')" }.joined(separator: "; ")
            }
        case .legacyRuns(let scripts):
            return "a blank zone runs the site's legacy rc scripts in the order illumos runs them, as lsvcrun does: "
                + scripts.map { "'\($0.commandLine)'" }.joined(separator: ", ")
        case .realWork(let c):
            return c.words
        case .unknownRoles(let count, let shown):
            let one = count == 1
            let detail = shown.map { m -> String in
                guard let d = m.duration else { return m.fmri }
                return "\(m.fmri) (\(d.rawValue), \(m.start.map { "'\($0)'" } ?? "no start method"))"
            }
            let more = count > shown.count ? " and \(count - shown.count) more" : ""
            return "what \(one ? "this member does" : "these members do") in a zone is not known (not in the role table: "
                + "no method script of \(one ? "it" : "them") was read for it), so \(one ? "it is" : "they are") assumed to do real work: "
                + detail.joined(separator: ", ") + more
                + "; a trimmed profile enables \(one ? "it" : "them"), a blank zone does not start \(one ? "it" : "them")"
        case .legacyNotKnown(let fmri, let d):
            return "\(fmri) runs '\(d.milestone.exec)'; \(d.note); a trimmed profile runs whatever \(d.milestone.directory) holds, a blank zone does not"
        case .daemonsNotStarted(let daemons):
            return "a blank zone starts only the wanted services, not the daemons of the closure: " + listed(daemons)
        case .blocked(let b, let ipType):
            let what = b.role == .failsInZone ? "fails" : "disables itself"
            let keeps = b.keepsOffline.isEmpty ? "it keeps no other member offline"
                : "it keeps offline \(b.keepsOffline.count) member\(b.keepsOffline.count == 1 ? "" : "s"): " + listed(b.keepsOffline)
            return "under SMF, \(b.fmri) \(what) in \(ipType.aZone) (\(b.note)); \(keeps)"
        case .wantedKeptOffline(let wanted, let by):
            return "so under SMF the wanted \(listed(wanted)) would stay offline until \(by) is removed from its dependencies"
        case .requiredFile(let f):
            return "\(f.instance) requires the file \(f.path) (path dependency): svc.startd keeps it offline while the file is missing"
        }
    }
}

extension RealWorkCount {
    /// "N of M closure members do real work in ZONE: ...; the other K are ...".
    public var words: String {
        var parts: [String] = []
        if !wanted.isEmpty { parts.append("the wanted " + listed(wanted)) }
        if setup > 0 { parts.append("\(setup) with setup work that a blank zone must replace") }
        if !daemons.isEmpty { parts.append("\(daemons.count) daemon\(daemons.count == 1 ? "" : "s") (\(listed(daemons)))") }
        if !legacyScripts.isEmpty { parts.append("\(listed(legacyScripts)) with legacy rc scripts of the site") }
        if unknown > 0 { parts.append("\(unknown) not in the role table") }
        if !legacyUnknown.isEmpty { parts.append("\(listed(legacyUnknown)) whose legacy rc scripts are not known") }
        var counted = "\(realWork) of \(closure) closure members do real work in \(ipType.aZone)"
        if !parts.isEmpty { counted += ": " + Plan.joinedAnd(parts) }
        counted += idle == 0 ? "" : (idle == 1 ? "; the other member is" : "; the other \(idle) are")
            + " SMF plumbing or do nothing in such a zone (each member's role is listed with the closure)"
        return counted
    }
}

extension Risk {
    public var words: String {
        switch self {
        case .bootFlagsIgnored:
            "booting with -s or -r gives no single-user or reconfiguration boot: init appends the flag to the smf command, which the rc script (and, with --launch inittab, /sbin/sh -c \"exec /usr/bin/sleep Inf\") takes as an argument it ignores (usr/src/cmd/init/init.c)"
        case .haltNotShutdown:
            "shut the zone down with 'zoneadm -z ZONE halt': nothing in the zone performs the shutdown that 'zoneadm shutdown' asks for"
        case .noSupervision:
            "nothing restarts a daemon that dies; svcs and svcadm answer nothing; there is no /var/svc/log"
        case .laterManifests:
            "manifests that packages deliver later are never imported; going back means restoring the stock smf line of /etc/inittab"
        case .profileBeforeFirstBoot:
            "install the profile before the zone's first boot (svccfg applies each profile path once), or run the svcadm script in a zone that has booted"
        case .blockedInSvcsX:
            "members that disable themselves or fail in the zone appear in 'svcs -x' after boot; their dependents stay offline"
        }
    }
}

extension Verdict {
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
        svcprop/svcadm/svccfg/svcs (the blank zone runs them in order); \
        (6) no closure member is a daemon the request does not want (a blank zone starts only the wanted services).
        """
}
