/// What a configuration turns off that a person would notice, each with the
/// one flag that keeps it.
///
/// The rule (docs/PLAN.md, "What you give up"): an instance is listed when
/// it is enabled as shipped (the baseline), the chosen configuration does
/// not run it, and it does work a person sees in this kind of zone: it is
/// one of the services of `GiveUps.visible` (the console login, logging,
/// name services, cron, remote login, mail), or its role is a daemon, setup
/// work or legacy scripts, or it is not in the role table and its start
/// method stays running (contract or child). A milestone whose rc directory
/// was not read is listed as "not known" when it is turned off.
///
/// What "runs" means: under a trimmed profile, the closure; in a blank zone,
/// the wanted instances (launched), the setup members (their commands) and
/// the milestones whose legacy scripts the blank zone runs.
public struct GiveUp: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case consoleLogin = "console-login"
        case legacyScripts = "legacy-scripts"
        case logging
        case nameService = "name-service"
        case cron
        case remoteLogin = "remote-login"
        case mail
        case daemon
        case setup
        case unknown
    }

    public var kind: Kind
    /// The instance turned off.
    public var fmri: String
    /// What stops, in words a user recognises.
    public var what: String
    /// The one flag that keeps it: `--want FMRI`.
    public var keep: String
}

public enum GiveUps {
    /// Services a person notices by name, with what stops when they are off.
    /// Keys are instances (`a/b:i`) or services (`a/b`).
    public static let visible: [(key: String, kind: GiveUp.Kind, what: String)] = [
        ("system/console-login:default", .consoleLogin,
         "the console login: 'zlogin -C ZONE' gets no login prompt (ttymon on the zone console, usr/src/cmd/svc/milestone/console-login)"),
        ("system/system-log", .logging,
         "logging: syslogd does not run, so messages sent with syslog(3C) or logger(1) are lost and /var/adm/messages stays empty"),
        ("system/name-service-cache", .nameService,
         "the name-service cache: nscd does not run, so passwd, group and hosts lookups go uncached to the sources of /etc/nsswitch.conf"),
        ("network/dns/client", .nameService,
         "the DNS client service: whatever requires network/dns/client cannot start (resolv.conf itself is still read by the resolver)"),
        ("network/nis/client", .nameService, "the NIS client: ypbind does not run, so NIS lookups fail"),
        ("network/ldap/client", .nameService, "the LDAP client: ldap_cachemgr does not run, so LDAP naming lookups fail"),
        ("system/cron", .cron, "cron: crontab(1) and at(1) jobs do not run"),
        ("network/ssh", .remoteLogin, "remote login: sshd does not run, so 'ssh' to the zone is refused"),
        ("network/smtp", .mail, "mail: the mail transfer agent does not run, so mail is neither accepted nor delivered"),
        ("network/sendmail-client", .mail, "the mail client queue runner: mail queued in the zone is not sent"),
    ]

    /// The first component of every key of `visible` (each key holds a `/`).
    static let visibleHeads = ZoneRoles.heads(of: visible.map(\.key))

    static func visibleEntry(_ fmri: String) -> (kind: GiveUp.Kind, what: String)? {
        // A service whose first component starts no key is none of them,
        // told without making its names (as `ZoneRoles.classify` does).
        if let head = ZoneRoles.serviceHead(fmri), !visibleHeads.contains(head) { return nil }
        guard case .instance(let service, let inst)? = FMRI(parsing: fmri) else { return nil }
        let full = "\(service):\(inst)"
        if let v = visible.first(where: { $0.key == full }) { return (v.kind, v.what) }
        if let v = visible.first(where: { $0.key == service }) { return (v.kind, v.what) }
        return nil
    }

    /// The instances a configuration runs: the closure under a profile; the
    /// wanted, setup and legacy-script members in a blank zone.
    public static func running(_ input: PlanInput, verdict: Verdict) -> Set<String> {
        switch verdict.choice {
        case .trimmedProfile:
            return Set(input.closure)
        case .blankZone:
            var s = Set(input.wanted)
            s.formUnion(verdict.setupSteps.compactMap { if case .command = $0.replacement { $0.fmri } else { nil } })
            s.formUnion(verdict.legacyScripts.map(\.milestone))
            return s
        }
    }

    /// The visible things the verdict's configuration turns off, by kind
    /// (in `Kind` order), then FMRI.
    public static func list(_ input: PlanInput, verdict: Verdict) -> [GiveUp] {
        let repo = input.repo
        let graph = input.graph
        let on = running(input, verdict: verdict)
        // Every instance's start method read first, on every core (a chunk
        // asking first would make the others wait for it on one), and the
        // answers read by each chunk without a lock.
        let longRunning = input.longRunningByID
        // Each enabled instance on its own, in chunks on every core.
        let out = inChunks(count: graph.instanceCount, minimumChunk: 4096) { range in
            giveUps(among: range, on: on, input: input, verdict: verdict, graph: graph, repo: repo, longRunning: longRunning)
        }.flatMap { $0 }
        let order = Dictionary(uniqueKeysWithValues: GiveUp.Kind.allCases.enumerated().map { ($1, $0) })
        return out.sorted { (order[$0.kind] ?? 0, $0.fmri) < (order[$1.kind] ?? 0, $1.fmri) }
    }

    /// The give-ups of the enabled instances among `ids` that `on` does not run, in id order.
    static func giveUps(among ids: Range<Int>, on: Set<String>, input: PlanInput, verdict: Verdict,
                        graph: DependencyGraph, repo: Repository, longRunning: [Bool]) -> [GiveUp] {
        var out: [GiveUp] = []
        for id in ids where graph.instanceEnabled[id] {
            let f = graph.instanceFMRIs[id]
            if on.contains(f) { continue }
            // The option that keeps it, made only for a give-up.
            var keep: String { "--want " + f }
            if let d = input.legacy.directory(of: f) {
                if !d.known {
                    out.append(GiveUp(kind: .legacyScripts, fmri: f,
                                      what: "the legacy rc scripts of \(d.milestone.directory), if the zone has any: \(d.note)", keep: keep))
                } else if !d.counted.isEmpty {
                    out.append(GiveUp(kind: .legacyScripts, fmri: f,
                                      what: "the legacy rc scripts " + d.counted.map(\.path).joined(separator: ", ")
                                        + " (run by '\(d.milestone.exec)')", keep: keep))
                }
                continue
            }
            if let v = visibleEntry(f) {
                out.append(GiveUp(kind: v.kind, fmri: f, what: v.what, keep: keep))
                continue
            }
            let r = ZoneRoles.classify(f, ipType: verdict.ipType, legacy: input.legacy)
            switch r.role {
            case .daemon:
                out.append(GiveUp(kind: .daemon, fmri: f, what: "a daemon: " + r.note, keep: keep))
            case .setup:
                out.append(GiveUp(kind: .setup, fmri: f, what: "its setup work is not done: " + r.note, keep: keep))
            case .legacyScripts:
                out.append(GiveUp(kind: .legacyScripts, fmri: f, what: r.note, keep: keep))
            case .unknownWork where longRunning[id]:
                let exec = MethodAnalyzer.startMethod(of: graph.instance(id), in: repo).map { " '\($0.exec.trimmingWhitespace())'" } ?? ""
                out.append(GiveUp(kind: .unknown, fmri: f,
                                  what: "a long-running service not in the role table: its start method\(exec) does not run", keep: keep))
            default:
                break
            }
        }
        return out
    }
}
