/// One configuration of the ladder (docs/SEMANTICS.md, "The ladder").
public struct Rung: Sendable, Hashable {
    public var number: Int
    public var name: String
    /// Instances enabled in SMF (none for rungs 1 and 2), sorted.
    public var enabled: [String]
    /// Instances started without SMF (rung 2 only), in request order.
    public var launched: [String]
    /// Long-running services to expect: contract or child, start method not `:true`.
    public var longRunning: [String]
    /// Members that do real work in this kind of zone.
    public var realWork: Int
    public var works: [String]
    public var doesNotWork: [String]
}

public enum Ladder {
    /// Roles of members that exit at once in the zone (or disable
    /// themselves, or fail): not long-running there.
    static let exitsAtOnce: Set<ZoneRole> = [.noopInZone, .noopSharedIP, .disablesInZone, .failsInZone]

    /// The five rungs for a request, in a zone of the verdict's IP type.
    ///
    /// - Complexity: each instance of the three SMF rungs is classified
    ///   once in all (the closure's roles are the verdict's), and each
    ///   blocked member costs one dependents walk per rung.
    public static func rungs(_ input: PlanInput, verdict: Verdict) -> [Rung] {
        let repo = input.repo
        let graph = input.graph
        let zone = verdict.ipType.aZone
        let wantedList = input.wanted.joined(separator: ", ")
        // The verdict's roles are those of the closure, in id order.
        var cache = RoleCache(ipType: verdict.ipType, graph: graph, repo: repo, legacy: input.legacy,
                              seed: verdict.roles, seedIDs: input.closureIDs.sorted(), notes: false)

        // The rungs share most members, and the give-ups ask the same: each
        // instance's start method is read once for all (PlanInput.isLongRunning).
        let longRunningByID = input.longRunningByID
        func longRunning(_ id: Int) -> Bool { longRunningByID[id] }

        func smfRung(_ n: Int, _ name: String, _ memberIDs: [Int], _ extra: [String]) -> Rung {
            let ids = Array(Set(memberIDs)).sorted()
            let members = ids.map { graph.instanceFMRIs[$0] }
            let roles = cache.roles(ids)
            let blocked = Plan.blocked(ids, roles: roles, graph: graph)
            let offline = Set(blocked.flatMap(\.keepsOffline))
            // A member whose role says it exits at once in this zone (or
            // disables itself, or fails) is not long-running here, whatever
            // its manifest's duration says (datalink-management).
            // (`roles` is in the order of `ids`: one role per id, both sorted.)
            var works: [String] = []
            var not: [String] = []
            let wantedUp = input.wanted.filter { members.contains($0) && !offline.contains($0) }
            if !wantedUp.isEmpty { works.append("\(wantedUp.joined(separator: ", ")) online under SMF, restarted if it fails; svcs/svcadm work") }
            works += extra
            for b in blocked {
                let what = b.role == .failsInZone ? "fails (maintenance)" : "disables itself"
                not.append("\(b.fmri) \(what) in \(zone)" + (b.keepsOffline.isEmpty ? "" : "; offline as a result: " + listed(b.keepsOffline)))
            }
            for c in input.conflicts where n == 3 { not.append("conflict: \(c)") }
            return Rung(number: n, name: name, enabled: members, launched: [],
                        longRunning: ids.indices.filter { !exitsAtOnce.contains(roles[$0].role) && longRunning(ids[$0]) }
                            .map { members[$0] },
                        realWork: roles.filter(\.role.doesRealWork).count, works: works, doesNotWork: not)
        }

        let r1 = Rung(number: 1, name: "init only", enabled: [], launched: [], longRunning: [], realWork: 0,
                      works: ["the zone boots and 'zlogin' works: init's smf line runs \(BlankZone.sleepCommand) (a boot flag init appends is only that sh's $0), the smf line of --launch inittab; the rc script of --launch rc ends in the same 'exec /usr/bin/sleep Inf'"],
                      doesNotWork: ["nothing is started: not \(wantedList)", "no file systems of /etc/vfstab are mounted, no setup is done"])

        var works2: [String] = []
        var not2: [String] = []
        for m in verdict.methods {
            switch m.canRunWithoutSMF {
            case .some(true): works2.append("\(m.fmri) launched without SMF (\(m.duration.rawValue)): by the rc script that the smf line runs, or by its own sysinit line with --launch inittab")
            case .some(false): not2.append("\(m.fmri) cannot run without SMF: " + m.reasons.joined(separator: "; "))
            case .none: not2.append("\(m.fmri) not checked: " + m.reasons.joined(separator: "; "))
            }
        }
        for g in Plan.groupedCommands(verdict.setupSteps) {
            works2.append("\(Plan.joinedAnd(g.fmris)) replaced by: \(g.command)")
        }
        for (s, h, first) in Plan.byHandSteps(verdict.setupSteps) {
            if let first {
                not2.append("\(s.fmri) must be replaced by hand, with the lines for \(first)")
            } else {
                not2.append("\(s.fmri) must be replaced by hand: \(h)")
            }
        }
        let runnable = verdict.legacyScripts.indices.filter { verdict.legacyScriptRunnable(at: $0) }.map { verdict.legacyScripts[$0] }
        for l in verdict.legacyScripts where !runnable.contains(l) {
            not2.append("the legacy rc script \(l.path) cannot run without SMF as it is, or was not inspected: its line is written commented out")
        }
        if !runnable.isEmpty {
            works2.append("the site's legacy rc scripts run in order, once per boot, after the setup and before the services ('/sbin/sh /etc/smf-minimize.rc \(BlankZone.legacyArgument)' from a sysinit line; one sysinit line each with --launch inittab): "
                + runnable.map(\.path).joined(separator: ", "))
        }
        not2.append("no restart of a daemon that dies, no /var/svc/log, svcs and svcadm answer nothing")
        let r2 = Rung(number: 2, name: "blank zone", enabled: [], launched: input.wanted,
                      longRunning: verdict.methods.filter(\.longRunning).map(\.fmri),
                      realWork: verdict.setupSteps.count + input.wanted.count + Set(verdict.legacyScripts.map(\.milestone)).count, works: works2, doesNotWork: not2)

        let r3 = smfRung(3, "minimal SMF", input.closureIDs, [])
        var r4 = smfRung(4, "minimal SMF with its options", input.closureIDs + graph.instanceIDs(input.optionalExtension),
                         input.optionalExtension.isEmpty ? [] : [input.optionalExtension.count == 1 ? "the enabled optional dependency runs too: " + input.optionalExtension[0]
                            : "the \(input.optionalExtension.count) enabled optional dependencies run too (all in the rung's enabled list): " + listed(input.optionalExtension)])
        if input.optionalExtension.isEmpty { r4.works.append("no baseline-enabled optional dependency: the same as rung 3") }
        let r5 = smfRung(5, "as shipped", graph.instanceEnabled.indices.filter { graph.instanceEnabled[$0] }, ["everything the zone enables by default"])
        return [r1, r2, r3, r4, r5]
    }
}
