/// The legacy rc scripts of a zone: what the milestones single-user,
/// multi-user and multi-user-server run besides synchronising svc.startd.
///
/// Each of the three milestones has a start method that runs an rc script:
/// `/sbin/rcS start` (usr/src/cmd/svc/milestone/single-user.xml),
/// `/sbin/rc2 start` (multi-user.xml) and `/sbin/rc3` (multi-user-server.xml).
/// Those scripts (usr/src/cmd/initpkg/rcS.sh, rc2.sh, rc3.sh) run, in the
/// shell's glob order, every non-empty (`[ -s $f ]`) `S*` file of
/// `/etc/rcS.d`, `/etc/rc2.d` and `/etc/rc3.d` through `/lib/svc/bin/lsvcrun`
/// (usr/src/cmd/svc/lsvcrun/lsvcrun.c), which runs `/bin/sh SCRIPT start`,
/// or `/bin/sh -c SCRIPT` for a name ending in `.sh`, with an environment
/// cleaned to `PATH`, `TZ`, `LANG`, `LC_*` and `_INIT_*`.
///
/// illumos itself delivers two of them, `etc/rc2.d/S20sysetup` and
/// `etc/rc2.d/S89PRESERVE` (usr/src/pkg/manifests/SUNWcs.p5m). They are not
/// counted as work a zone needs (docs/PLAN.md, "Legacy rc scripts"); any
/// other `S*` script is the site's, and makes its milestone real work.

/// One legacy script, as its milestone would run it.
public struct LegacyScript: Sendable, Hashable {
    /// The milestone whose start method runs it (`svc:/milestone/multi-user:default`).
    public var milestone: String
    /// The script, a path of the zone (`/etc/rc2.d/S99site`).
    public var path: String
    /// Delivered by illumos itself (S20sysetup, S89PRESERVE of /etc/rc2.d): not counted.
    public var deliveredByIllumos: Bool
    /// What lsvcrun runs: `/bin/sh PATH start`, or `/bin/sh -c PATH` for `*.sh`.
    public var argv: [String]

    /// `argv` as one simple shell command, every word quoted as needed.
    public var commandLine: String { argv.map(shellWord).joined(separator: " ") }
}

/// One milestone that runs an rc directory.
public struct LegacyMilestone: Sendable, Hashable {
    public var fmri: String
    /// The start method's exec, as illumos ships it.
    public var exec: String
    /// The rc directory, a path of the zone.
    public var directory: String
    /// The illumos source of the rc script the exec runs.
    public var source: String
    /// The illumos manifest that defines the milestone.
    public var manifest: String
}

/// What is known of one milestone's rc directory.
public struct LegacyDirectory: Sendable, Hashable {
    public var milestone: LegacyMilestone
    /// False when the directory could not be looked at (no root, or the
    /// root lacks it); `note` says why.
    public var known: Bool
    public var note: String
    /// Its non-empty `S*` scripts in the order the rc script runs them.
    public var scripts: [LegacyScript]

    /// The site's scripts: those illumos does not deliver itself.
    ///
    /// - Complexity: O(scripts): a new array each access.
    public var counted: [LegacyScript] { scripts.filter { !$0.deliveredByIllumos } }
}

/// The legacy rc scripts of a zone, read from its root.
public struct LegacyRC: Sendable, Hashable {
    /// One entry per milestone of `LegacyRC.milestones`, in that order.
    public var directories: [LegacyDirectory]

    public init(directories: [LegacyDirectory]) {
        self.directories = directories
    }

    /// The milestones that run rc directories, in boot order (single-user
    /// comes before multi-user, which comes before multi-user-server).
    public static let milestones: [LegacyMilestone] = [
        LegacyMilestone(fmri: "svc:/milestone/single-user:default", exec: "/sbin/rcS start", directory: "/etc/rcS.d",
                        source: "usr/src/cmd/initpkg/rcS.sh", manifest: "usr/src/cmd/svc/milestone/single-user.xml"),
        LegacyMilestone(fmri: "svc:/milestone/multi-user:default", exec: "/sbin/rc2 start", directory: "/etc/rc2.d",
                        source: "usr/src/cmd/initpkg/rc2.sh", manifest: "usr/src/cmd/svc/milestone/multi-user.xml"),
        LegacyMilestone(fmri: "svc:/milestone/multi-user-server:default", exec: "/sbin/rc3", directory: "/etc/rc3.d",
                        source: "usr/src/cmd/initpkg/rc3.sh", manifest: "usr/src/cmd/svc/milestone/multi-user-server.xml"),
    ]

    /// The scripts illumos delivers in every zone (usr/src/pkg/manifests/SUNWcs.p5m),
    /// with what they do (docs/PLAN.md).
    public static let deliveredByIllumos: [String: String] = [
        "/etc/rc2.d/S20sysetup": "S20sysetup (usr/src/cmd/initpkg/init.d/sysetup): after single-user, prints /etc/tm/* and loads /etc/rctladm.conf with 'rctladm -u'",
        "/etc/rc2.d/S89PRESERVE": "S89PRESERVE (usr/src/cmd/vi/PRESERVE): moves editor buffers left in /var/tmp/Ex* to /usr/preserve with '/usr/lib/expreserve -'",
    ]

    /// Nothing is known: no zone root was read.
    public static let notKnown = LegacyRC(directories: milestones.map {
        LegacyDirectory(milestone: $0, known: false,
                        note: "whether \($0.directory) holds legacy scripts is not known: no zone root was read (--root); the scripts are files of the zone, not manifests",
                        scripts: [])
    })

    /// Reads the three rc directories inside a zone root (nil: not known).
    /// A root without the directory is "not known" too: every illumos zone
    /// has it, so the copy left it out (README, "Running it on a real zone").
    public static func read(_ fs: RootFS?) -> LegacyRC {
        guard let fs else { return notKnown }
        return LegacyRC(directories: milestones.map { m in
            switch fs.resolve(m.directory) {
            case .failure(let p):
                let why: String
                switch p {
                case .missing: why = "the root \(fs.displayRoot) has no \(m.directory) (every illumos zone has one: collect it with the zone's files, see 'smf-minimize collect')"
                default: why = "\(m.directory) cannot be read inside the root \(fs.displayRoot)"
                }
                return LegacyDirectory(milestone: m, known: false, note: "whether \(m.directory) holds legacy scripts is not known: " + why, scripts: [])
            case .success:
                break
            }
            var scripts: [LegacyScript] = []
            for name in fs.names(in: m.directory, suffix: "") where name.hasPrefix("S") {
                let path = m.directory + "/" + name
                // `[ -s $f ]`: exists (links followed) and is not empty.
                switch fs.read(path: path, limit: 0) {
                case .success: continue                       // empty
                case .failure(.tooLarge): break               // more than 0 bytes
                case .failure: continue                       // missing, a dangling link, not a file
                }
                let argv = name.hasSuffix(".sh") ? ["/bin/sh", "-c", path] : ["/bin/sh", path, "start"]
                scripts.append(LegacyScript(milestone: m.fmri, path: path,
                                            deliveredByIllumos: deliveredByIllumos[path] != nil, argv: argv))
            }
            let site = scripts.filter { !$0.deliveredByIllumos }
            let own = scripts.filter(\.deliveredByIllumos).map { $0.path.lastComponent }
            var note: String
            if site.isEmpty {
                note = "\(m.directory) holds no legacy script of the site"
                if !own.isEmpty { note += " (only illumos's own \(Plan.joinedAnd(own)), which a zone does without: docs/PLAN.md)" }
            } else {
                note = "\(m.directory) holds \(site.count) legacy script\(site.count == 1 ? "" : "s") of the site: " + site.map(\.path).joined(separator: ", ")
            }
            return LegacyDirectory(milestone: m, known: true, note: note, scripts: scripts)
        })
    }

    /// True when every rc directory was read.
    ///
    /// - Complexity: O(directories) (three).
    public var known: Bool { directories.allSatisfy(\.known) }

    /// Every script the rc directories hold, in the order illumos runs them.
    ///
    /// - Complexity: O(scripts): a new array each access.
    public var scripts: [LegacyScript] { directories.flatMap(\.scripts) }

    /// The site's scripts (illumos's own left out), in the order illumos runs them.
    ///
    /// - Complexity: O(scripts): a new array each access.
    public var counted: [LegacyScript] { directories.flatMap(\.counted) }

    /// The milestones whose rc directory holds scripts of the site.
    ///
    /// - Complexity: O(scripts).
    public var milestonesWithWork: [String] { directories.filter { !$0.counted.isEmpty }.map(\.milestone.fmri) }

    /// The entry of a milestone, if it runs an rc directory.
    public func directory(of fmri: String) -> LegacyDirectory? {
        directories.first { $0.milestone.fmri == fmri }
    }

    /// The role of a milestone that runs an rc directory, from what the
    /// root holds; nil for any other instance.
    public func role(of fmri: String) -> RoleAssignment? {
        guard let d = directory(of: fmri) else { return nil }
        let runs = "runs '\(d.milestone.exec)' (\(d.milestone.source)): the legacy scripts of \(d.milestone.directory)"
        if !d.known {
            return RoleAssignment(fmri: fmri, role: .unknownWork, note: runs + "; " + d.note, replacement: nil)
        }
        if d.counted.isEmpty {
            return RoleAssignment(fmri: fmri, role: .noopInZone, note: runs + "; " + d.note + ": nothing to do", replacement: nil)
        }
        return RoleAssignment(fmri: fmri, role: .legacyScripts, note: runs + "; " + d.note, replacement: nil)
    }

    /// The reason a milestone is in the request: wanted for its legacy scripts.
    public func joinReason(_ fmri: String) -> String? {
        guard let d = directory(of: fmri), !d.counted.isEmpty else { return nil }
        return "wanted for its legacy scripts: " + d.counted.map(\.path).joined(separator: ", ")
            + " (run by '\(d.milestone.exec)', \(d.milestone.source))"
    }

    /// The request enlarged by the milestones wanted for their legacy
    /// scripts: each milestone with site scripts that the graph has and the
    /// request does not already name joins it as an exact request.
    public func joined(_ requests: [ResolvedRequest], graph: DependencyGraph) -> (requests: [ResolvedRequest], joined: [String]) {
        let named = Set(requests.flatMap(\.instances))
        var out = requests
        var joined: [String] = []
        for m in milestonesWithWork where !named.contains(m) {
            guard let id = graph.instanceID(m) else { continue }
            out.append(ResolvedRequest(request: m, match: .exact, instances: [m], instanceIDs: [id], serviceChoices: []))
            joined.append(m)
        }
        return (out, joined)
    }
}

extension PlanInput {
    /// Attaches what the zone's rc directories hold: `joined` milestones
    /// (already in the closure) leave `wanted` and are explained as wanted
    /// for their legacy scripts.
    public mutating func attach(_ legacy: LegacyRC, joined: [String]) {
        self.legacy = legacy
        joinedForLegacy = joined
        wanted.removeAll { joined.contains($0) }
        for m in joined { if let r = legacy.joinReason(m) { reasons[m] = r } }
    }
}

private extension String {
    /// The last path component.
    var lastComponent: String { split(separator: "/").last.map(String.init) ?? self }
}
