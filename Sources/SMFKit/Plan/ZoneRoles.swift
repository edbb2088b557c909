/// What a service does in a non-global zone, so that the plan can tell the
/// work a zone really needs from what only keeps SMF happy.
///
/// Each row was read from the illumos method script its `source` names
/// (e.g. usr/src/cmd/svc/milestone/net-loopback), or from the manifest when
/// the start method is a program or `:true`; docs/SEMANTICS.md ("Roles in a
/// zone") gives the rules and docs/PLAN.md the table. The milestones that run
/// rc scripts (single-user, multi-user, multi-user-server) are classified by
/// what the zone's rc directories hold (`LegacyRC`). The `setup` replacements
/// follow what the method scripts do. Services absent from this table count
/// as real work, never guessed.
public enum ZoneRole: String, Sendable, Hashable, CaseIterable {
    /// SMF's own machinery: milestones whose start method is `:true`,
    /// svc.startd, manifest import.
    case plumbing
    /// Exits OK at once in a non-global zone: online, doing nothing.
    case noopInZone
    /// Exits OK (or NODAEMON) at once in a shared-IP zone (`smf_configure_ip` false).
    case noopSharedIP
    /// Runs `svcadm disable $SMF_FMRI` in a non-global zone.
    case disablesInZone
    /// Fails in a non-global zone and goes to maintenance.
    case failsInZone
    /// Work a blank zone must replace (mounts, host name, addresses, ...).
    case setup
    /// A real long-running daemon.
    case daemon
    /// A milestone whose rc directory holds legacy scripts of the site
    /// (`/etc/rc2.d/S99site`): real work, which a blank zone runs in order.
    case legacyScripts
    /// Not in the table: assumed to do real work.
    case unknownWork

    /// True when the member does work in this kind of zone.
    public var doesRealWork: Bool {
        switch self {
        case .setup, .daemon, .unknownWork, .legacyScripts: true
        default: false
        }
    }

    /// True when the member keeps the members that require it offline.
    public var blocksDependents: Bool { self == .disablesInZone || self == .failsInZone }
}

/// How a blank zone replaces a `setup` member.
public enum Replacement: Sendable, Hashable {
    /// A command the blank zone runs (the tool writes it into the artefacts).
    case command(String)
    /// Work the administrator must write by hand (site-specific), described.
    case byHand(String)
}

/// The role of one instance in one kind of zone, with a note an
/// administrator can check.
public struct RoleAssignment: Sendable, Hashable {
    public var fmri: String
    public var role: ZoneRole
    public var note: String
    /// For `setup` members: what replaces them in a blank zone.
    public var replacement: Replacement?
    /// Where the row was read: the illumos method script or manifest
    /// (`usr/src/cmd/svc/milestone/net-loopback`); nil when not in the table.
    public var source: String? = nil
}

/// One row of the table. `key` is a service name (`network/ssh`), an
/// instance (`network/physical:default`) or a pattern ending in `*`
/// (`milestone/*`, `system/console-login:vt*`).
struct RoleRow: Sendable {
    var key: String
    var shared: (ZoneRole, String, Replacement?)
    var exclusive: (ZoneRole, String, Replacement?)
    /// The illumos method script (or manifest) the row was read from.
    var source: String

    init(_ key: String, _ role: ZoneRole, _ note: String, source: String, _ repl: Replacement? = nil) {
        self.key = key
        shared = (role, note, repl)
        exclusive = (role, note, repl)
        self.source = source
    }
    init(_ key: String, shared: (ZoneRole, String, Replacement?), exclusive: (ZoneRole, String, Replacement?), source: String) {
        self.key = key
        self.shared = shared
        self.exclusive = exclusive
        self.source = source
    }
}

public enum ZoneRoles {
    static let noopIPNote = "exits at once when not smf_configure_ip, i.e. in a shared-IP zone"
    static let exclNetHand = "in the zone's own IP stack"
    static let ipadmHint = "start /lib/inet/ipmgmtd, then write the zone's own '/usr/sbin/ipadm create-if -t IF' and 'ipadm create-addr -t -T static -a ADDR IF/v4' lines (and routes with 'route -p add')"

    /// The table. More specific keys (instance, then service) win over patterns.
    /// Rows keyed by an exact instance (`a/b:i`) or service (`a/b`) name; the first row of a key wins.
    static let exactRows: [String: RoleRow] = {
        var d: [String: RoleRow] = [:]
        for r in rows where !r.key.hasSuffix("*") && d[r.key] == nil { d[r.key] = r }
        return d
    }()

    /// Pattern rows (`a/*`, `a/b:vt*`), in table order, with the prefix they match.
    static let instancePatterns: [(prefix: String, row: RoleRow)] =
        rows.filter { $0.key.hasSuffix("*") && $0.key.contains(":") }.map { (String($0.key.dropLast()), $0) }
    static let servicePatterns: [(prefix: String, row: RoleRow)] =
        rows.filter { $0.key.hasSuffix("*") && !$0.key.contains(":") }.map { (String($0.key.dropLast()), $0) }

    static let rows: [RoleRow] = [
        // plumbing: SMF itself. The milestones single-user, multi-user and
        // multi-user-server run rc scripts and are classified by `LegacyRC`.
        RoleRow("milestone/*", .plumbing, "a milestone: a synchronisation point of svc.startd, start method ':true'",
                source: "usr/src/cmd/svc/milestone/network.xml, name-services.xml, sysconfig.xml"),
        RoleRow("system/svc/restarter", .plumbing, "svc.startd itself", source: "usr/src/cmd/svc/milestone/restarter.xml"),
        RoleRow("system/svc/global", .plumbing, "holds global SMF settings; start method ':true'", source: "usr/src/cmd/svc/milestone/global.xml"),
        RoleRow("system/manifest-import", .plumbing, "imports manifests into the repository; nothing to import without SMF",
                source: "usr/src/cmd/svc/milestone/manifest-import"),
        RoleRow("system/early-manifest-import", .plumbing, "imports manifests early in boot; nothing to import without SMF",
                source: "usr/src/cmd/svc/milestone/early-manifest-import.xml"),
        RoleRow("network/inetd-upgrade", .plumbing, "converts inetd.conf entries into SMF services",
                source: "/lib/svc/method/inetd-upgrade, manifest usr/src/cmd/cmd-inet/usr.lib/inetd/inetd-upgrade.xml"),
        // no-ops in any non-global zone
        RoleRow("system/boot-config", .noopInZone, "svc-boot-config exits SMF_EXIT_OK at once in a non-global zone",
                source: "usr/src/cmd/halt/smf.i386/svc-boot-config"),
        RoleRow("system/keymap", .noopInZone, "kbd/keymap exits OK at once in a non-global zone",
                source: "/lib/svc/method/keymap, manifest usr/src/cmd/kbd/keymap.xml"),
        RoleRow("system/device/audio", .noopInZone, "devices-audio exits OK at once in a non-global zone", source: "usr/src/cmd/svc/milestone/devices-audio"),
        RoleRow("system/device/local", .noopInZone, "devices-local exits OK at once in a non-global zone", source: "usr/src/cmd/svc/milestone/devices-local"),
        RoleRow("system/boot-archive", .noopInZone, "boot-archive exits OK at once in a non-global zone", source: "usr/src/cmd/svc/milestone/boot-archive"),
        RoleRow("system/boot-archive-update", .noopInZone, "boot-archive-update exits OK at once in a non-global zone",
                source: "usr/src/cmd/boot/scripts/boot-archive-update.ksh"),
        RoleRow("system/filesystem/root", .noopInZone, "fs-root only runs libc_mount in a non-global zone; zoneadmd mounted the root",
                source: "usr/src/cmd/svc/milestone/fs-root"),
        RoleRow("network/datalink-management", .noopInZone, "svc-dlmgmtd exits SMF_EXIT_NODAEMON in a non-global zone", source: "usr/src/cmd/dlmgmtd/svc-dlmgmtd"),
        RoleRow("system/hostid", .noopInZone, "its work is a global-zone-only branch", source: "usr/src/cmd/hostid/smf/svc-hostid"),
        // no-ops in a shared-IP zone; real network work in an exclusive-IP zone
        RoleRow("network/initial", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "sets network tunables and starts the early network " + exclNetHand, .byHand("the network tunables of /lib/svc/method/net-init (ndd/ipadm set-prop) the zone needs")),
                source: "usr/src/cmd/svc/milestone/net-init"),
        RoleRow("network/ipqos", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "loads the IPQoS configuration " + exclNetHand, .byHand("'/usr/sbin/ipqosconf -a /etc/inet/ipqosinit.conf' if the zone uses IPQoS")),
                source: "usr/src/cmd/svc/milestone/net-ipqos"),
        RoleRow("network/location:default", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "selects the network location (NWAM) " + exclNetHand, .byHand("nothing if the zone uses fixed addresses (physical:default)")),
                source: "usr/src/cmd/svc/milestone/net-loc"),
        RoleRow("network/loopback:default", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "plumbs lo0 " + exclNetHand, .byHand("'/usr/sbin/ipadm create-addr -t -T static -a 127.0.0.1/8 lo0/v4' once ipmgmtd runs")),
                source: "usr/src/cmd/svc/milestone/net-loopback"),
        RoleRow("network/netmask", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "applies /etc/netmasks " + exclNetHand, .byHand("give each address its prefix length in the ipadm lines")),
                source: "usr/src/cmd/svc/milestone/net-netmask"),
        RoleRow("network/physical:default", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "plumbs the zone's interfaces and addresses " + exclNetHand, .byHand(ipadmHint)),
                source: "usr/src/cmd/svc/milestone/net-physical"),
        RoleRow("network/ip-interface-management", shared: (.noopSharedIP, "ipmgmtd keeps the zone's persistent IP configuration; in a shared-IP zone the global zone configures the addresses", nil),
                exclusive: (.setup, "runs ipmgmtd, which ipadm needs " + exclNetHand, .byHand(ipadmHint)),
                source: "usr/src/cmd/cmd-inet/lib/ipmgmtd/net-ipmgmt"),
        RoleRow("network/routing-setup", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "applies routeadm settings and persistent routes " + exclNetHand, .byHand("'/usr/sbin/route add default GATEWAY' for the zone's default route")),
                source: "usr/src/cmd/svc/milestone/net-routing-setup"),
        RoleRow("network/service", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "waits for the network and name services " + exclNetHand, .byHand("nothing once addresses and routes are set")),
                source: "usr/src/cmd/svc/milestone/net-svc"),
        RoleRow("network/routing/*", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.daemon, "a routing daemon of the zone's own IP stack", nil),
                source: "the routing methods, e.g. /lib/svc/method/svc-route of usr/src/cmd/cmd-inet/usr.sbin/in.routed/route.xml"),
        RoleRow("network/ipv4-forwarding", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "turns IPv4 forwarding on " + exclNetHand, .byHand("'/usr/sbin/ipadm set-prop -t -p forwarding=on ipv4' if the zone forwards")),
                source: "usr/src/cmd/cmd-inet/usr.sbin/routeadm/svc-forwarding"),
        RoleRow("network/ipv6-forwarding", shared: (.noopSharedIP, noopIPNote, nil),
                exclusive: (.setup, "turns IPv6 forwarding on " + exclNetHand, .byHand("'/usr/sbin/ipadm set-prop -t -p forwarding=on ipv6' if the zone forwards")),
                source: "usr/src/cmd/cmd-inet/usr.sbin/routeadm/svc-forwarding"),
        RoleRow("network/ipmp", shared: (.noopSharedIP, "exits SMF_EXIT_NODAEMON in a shared-IP zone", nil),
                exclusive: (.daemon, "in.mpathd for IPMP groups of the zone's own IP stack", nil),
                source: "usr/src/cmd/cmd-inet/usr.lib/in.mpathd/net-ipmp"),
        RoleRow("network/tcpkey", shared: (.noopSharedIP, "exits SMF_EXIT_NODAEMON in a shared-IP zone", nil),
                exclusive: (.setup, "loads TCP MD5 keys " + exclNetHand, .byHand("'/usr/sbin/tcpkey -f /etc/inet/secret/tcpkeys' if the zone uses TCP MD5 keys")),
                source: "usr/src/cmd/cmd-inet/usr.sbin/ipsecutils/net-tcpkey"),
        // disable themselves in a non-global zone
        RoleRow("system/hal", .disablesInZone, "its method runs 'svcadm disable $SMF_FMRI' in a non-global zone", source: "usr/src/cmd/hal/hald/solaris/svc-hal"),
        RoleRow("system/hotplug", .disablesInZone, "its method runs 'svcadm disable $SMF_FMRI' in a non-global zone", source: "usr/src/cmd/hotplugd/svc-hotplug"),
        RoleRow("system/filesystem/rmvolmgr", .disablesInZone, "its method runs 'svcadm disable $SMF_FMRI' in a non-global zone", source: "usr/src/cmd/rmvolmgr/svc-rmvolmgr"),
        RoleRow("ldoms/agents", .disablesInZone, "its method runs 'svcadm disable $SMF_FMRI' in a non-global zone", source: "usr/src/cmd/ldmad/ldoms-agents"),
        RoleRow("system/vtdaemon", .disablesInZone, "disables itself when smf_dont_configure_vt, always true in a non-global zone",
                source: "usr/src/cmd/svc/milestone/vtdaemon"),
        RoleRow("system/console-login:vt*", .disablesInZone, "disables itself when smf_dont_configure_vt, always true in a non-global zone",
                source: "usr/src/cmd/svc/milestone/console-login"),
        RoleRow("network/install", shared: (.disablesInZone, "disables itself in a shared-IP zone", nil),
                exclusive: (.setup, "applies the install-time network configuration " + exclNetHand, .byHand("the addresses it would configure, as ipadm lines")),
                source: "usr/src/cmd/svc/milestone/net-install"),
        // fail in a non-global zone
        RoleRow("system/pools", .failsInZone, "exits SMF_EXIT_ERR_FATAL in a non-global zone: maintenance", source: "usr/src/cmd/pools/svc-pools"),
        RoleRow("system/pools/dynamic", .failsInZone, "exits SMF_EXIT_ERR_FATAL in a non-global zone: maintenance", source: "usr/src/cmd/pools/poold/svc-poold"),
        RoleRow("system/labeld", .failsInZone, "exits SMF_EXIT_ERR_CONFIG in a non-global zone: maintenance", source: "usr/src/cmd/tsol/labeld/svc-labeld"),
        // setup a blank zone must replace
        RoleRow("system/filesystem/minimal", .setup, "mounts /var, /var/adm, /tmp and the like from /etc/vfstab", source: "usr/src/cmd/svc/milestone/fs-minimal", .command("/sbin/mountall -l")),
        RoleRow("system/filesystem/local", .setup, "mounts the local file systems of /etc/vfstab", source: "usr/src/cmd/svc/milestone/fs-local", .command("/sbin/mountall -l")),
        RoleRow("system/filesystem/usr", .setup, "remounts / and /usr as vfstab says; in a zone zoneadmd already mounted them", source: "usr/src/cmd/svc/milestone/fs-usr", .command("/sbin/mountall -l")),
        RoleRow("system/identity:node", .setup, "sets the host name from /etc/nodename", source: "usr/src/cmd/svc/milestone/identity-node", .command("/usr/bin/hostname \"$(/usr/bin/cat /etc/nodename)\"")),
        RoleRow("system/identity:domain", .setup, "sets the NIS domain name from /etc/defaultdomain", source: "usr/src/cmd/svc/milestone/identity-domain", .command("[ ! -s /etc/defaultdomain ] || /usr/bin/domainname \"$(/usr/bin/cat /etc/defaultdomain)\"")),
        RoleRow("system/rmtmpfiles", .setup, "empties /tmp at boot", source: "usr/src/cmd/svc/milestone/rmtmpfiles", .command("/usr/bin/rm -rf /tmp/*")),
        RoleRow("system/utmp", .setup, "runs utmpd, which keeps /var/adm/utmpx clean; a blank zone only needs the file", source: "usr/src/cmd/utmpd/svc-utmpd", .command("/usr/bin/touch /var/adm/utmpx /var/adm/wtmpx")),
        RoleRow("system/name-service-cache", .setup, "runs nscd, the name-service cache (also the TX door)", source: "usr/src/cmd/nscd/svc-nscd", .command("/usr/sbin/nscd")),
        // real daemons
        RoleRow("system/cron", .daemon, "cron", source: "usr/src/cmd/cron/svc-cron"),
        RoleRow("system/system-log", .daemon, "syslogd", source: "usr/src/cmd/syslogd/system-log"),
        RoleRow("network/ssh", .daemon, "sshd", source: "usr/src/cmd/ssh/etc/sshd"),
        RoleRow("network/rpc/bind", .daemon, "rpcbind", source: "/lib/svc/method/rpc-bind, manifest usr/src/cmd/rpcbind/bind.xml"),
        RoleRow("network/inetd", .daemon, "inetd, the restarter of inetd services", source: "the program /usr/lib/inet/inetd, manifest usr/src/cmd/cmd-inet/usr.lib/inetd/inetd.xml"),
        RoleRow("network/smtp", .daemon, "the mail transfer agent", source: "/lib/svc/method/smtp-sendmail, manifest usr/src/cmd/sendmail/lib/smtp-sendmail.xml"),
        RoleRow("system/sac", .daemon, "the service access controller", source: "the program /usr/lib/saf/sac, manifest usr/src/cmd/saf/sac.xml"),
        RoleRow("system/fmd", .daemon, "the fault manager", source: "the program /usr/lib/fm/fmd/fmd, manifest usr/src/cmd/fm/fmd/common/fmd.xml"),
        RoleRow("system/console-login", .daemon, "ttymon on the zone console", source: "usr/src/cmd/svc/milestone/console-login"),
    ]

    /// The role of an instance in a zone of the given IP type; a milestone
    /// that runs an rc directory by what `legacy` knows of it.
    public static func classify(_ fmri: String, ipType: IPType, legacy: LegacyRC = .notKnown) -> RoleAssignment {
        if let r = legacy.role(of: fmri) { return r }
        // An instance whose service's first component no row starts with
        // (`application/...` where the table knows system, network,
        // milestone, ldoms) is not in the table: told without making its names.
        if let head = serviceHead(fmri), !rowHeads.contains(head), case .instance? = FMRI.shape(of: fmri) {
            return RoleAssignment(fmri: fmri, role: .unknownWork, note: notInTable, replacement: nil)
        }
        return classifyParsed(fmri, ipType: ipType)
    }

    /// `classify` by the table alone, from the parsed FMRI (what the first
    /// component's test must agree with: ZoneRoleTableTests).
    static func classifyParsed(_ fmri: String, ipType: IPType) -> RoleAssignment {
        guard case .instance(let service, let inst)? = FMRI(parsing: fmri) else {
            return RoleAssignment(fmri: fmri, role: .unknownWork, note: "not an instance FMRI", replacement: nil)
        }
        let full = "\(service):\(inst)"
        func pick(_ r: RoleRow) -> RoleAssignment {
            let v = ipType == .shared ? r.shared : r.exclusive
            return RoleAssignment(fmri: fmri, role: v.0, note: v.1 + " (" + r.source + ")", replacement: v.2, source: r.source)
        }
        // Most specific first: the instance, an instance pattern, the service, a service pattern.
        if let r = exactRows[full] { return pick(r) }
        if let r = instancePatterns.first(where: { full.hasPrefix($0.prefix) }) { return pick(r.row) }
        if let r = exactRows[service] { return pick(r) }
        if let r = servicePatterns.first(where: { service.hasPrefix($0.prefix) }) { return pick(r.row) }
        return RoleAssignment(fmri: fmri, role: .unknownWork, note: notInTable, replacement: nil)
    }

    static let notInTable = "not in the role table: assumed to do real work"

    /// The first component of every row's key (`system` of `system/cron`,
    /// `milestone` of `milestone/*`): a service whose first component is
    /// none of these matches no row, exact or pattern (every key holds a
    /// `/` before its `:` or `*`).
    static let rowHeads = heads(of: rows.map(\.key))

    /// The first components of table keys (`a/b`, `a/b:i`, `a/*`): each
    /// up to its first `/`, `:` or `*`.
    static func heads(of keys: [String]) -> Set<Substring> {
        Set(keys.map { k in k.prefix { $0 != "/" && $0 != ":" && $0 != "*" } })
    }

    /// The service's first component of a plain `svc:/a/b:i` (up to its
    /// first `/` or `:`); nil for any other spelling, which is parsed.
    static func serviceHead(_ fmri: String) -> Substring? {
        let u = fmri.utf8
        guard u.count > 5, u.starts(with: "svc:/".utf8) else { return nil }
        let from = u.index(u.startIndex, offsetBy: 5)
        guard u[from] != UInt8(ascii: "/") else { return nil }
        guard let end = u[from...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") }) else { return nil }
        return Substring(fmri.utf8[from..<end])
    }

    /// `classify`, with the note of a member that is not in the table saying
    /// what its manifest says it runs (the table holds only the method
    /// scripts that were read; nothing is guessed). The instance is graph
    /// id `id`; its methods and template come from `graph.instance(id)`
    /// and its service in `repo`.
    ///
    /// - Complexity: O(table patterns), no instance lookup by FMRI.
    public static func classify(_ id: Int, ipType: IPType, graph: DependencyGraph, repo: Repository,
                                legacy: LegacyRC = .notKnown) -> RoleAssignment {
        let fmri = graph.instanceFMRIs[id]
        var r = classify(fmri, ipType: ipType, legacy: legacy)
        if legacy.directory(of: fmri) != nil { return r }
        guard r.role == .unknownWork else { return r }
        let inst = graph.instance(id)
        var facts: [String] = []
        if let m = MethodAnalyzer.startMethod(of: inst, in: repo) {
            facts.append("start method '\(m.exec.trimmingWhitespace())'")
        } else {
            facts.append("no start method")
        }
        facts.append(MethodAnalyzer.duration(of: inst, in: repo).0.rawValue + " service")
        if let name = inst.entity.commonName ?? repo.services[inst.service]?.commonName, !name.isEmpty {
            facts.append("'\(name.trimmingWhitespace())'")
        }
        r.note = "not in the role table (no method script of it was read for the table): "
            + "assumed to do real work; its manifest gives " + facts.joined(separator: ", ")
        return r
    }

    /// The roles of the graph instances `ids`, in id (that is, FMRI) order.
    ///
    /// - Complexity: one `classify` per id, after sorting the ids.
    public static func roles(_ ids: [Int], ipType: IPType, graph: DependencyGraph, repo: Repository,
                             legacy: LegacyRC = .notKnown) -> [RoleAssignment] {
        // Each instance on its own, in chunks on every core, in id order.
        let sorted = ids.sorted()
        return inChunks(count: sorted.count, minimumChunk: 2048) { range in
            sorted[range].map { classify($0, ipType: ipType, graph: graph, repo: repo, legacy: legacy) }
        }.flatMap { $0 }
    }
}

/// Roles asked for many times over (the ladder's rungs share most of
/// their members), each instance classified once.
struct RoleCache {
    let ipType: IPType
    let graph: DependencyGraph
    let repo: Repository
    let legacy: LegacyRC
    /// False when only the roles are read, not the notes: an instance the
    /// table does not know is then not described from its manifest (the
    /// description changes only `note`; the role is the table's either way).
    let notes: Bool
    /// By instance id.
    private var known: [RoleAssignment?]

    /// `seed` holds roles already made; when `seedIDs` is given, it names
    /// each one's instance (checked against its FMRI), which saves looking
    /// each FMRI up.
    init(ipType: IPType, graph: DependencyGraph, repo: Repository, legacy: LegacyRC, seed: [RoleAssignment] = [],
         seedIDs: [Int]? = nil, notes: Bool = true) {
        self.ipType = ipType
        self.graph = graph
        self.repo = repo
        self.legacy = legacy
        self.notes = notes
        known = [RoleAssignment?](repeating: nil, count: graph.instanceCount)
        let ids = seedIDs?.count == seed.count ? seedIDs : nil
        for (k, r) in seed.enumerated() {
            if let id = ids?[k], graph.instanceFMRIs.indices.contains(id), graph.instanceFMRIs[id] == r.fmri {
                known[id] = r
            } else if let id = graph.instanceID(r.fmri) {
                known[id] = r
            }
        }
    }

    /// The roles of `ids`, in id order, classifying only those not seen before.
    mutating func roles(_ ids: [Int]) -> [RoleAssignment] {
        ids.sorted().map { id in
            if let r = known[id] { return r }
            let r = notes ? ZoneRoles.classify(id, ipType: ipType, graph: graph, repo: repo, legacy: legacy)
                : ZoneRoles.classify(graph.instanceFMRIs[id], ipType: ipType, legacy: legacy)
            known[id] = r
            return r
        }
    }
}
