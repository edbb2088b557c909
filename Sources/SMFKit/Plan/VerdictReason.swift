/// One reason of a verdict, as a fact an administrator can check: the
/// FMRIs, roles, programs, scripts, files and counts it names, and nothing
/// in words. Render/VerdictWords.swift writes each as the sentence that
/// `plan`, `report` and NOTES.md print (`words`); the JSON `reasons` holds
/// those sentences (docs/JSON.md).
///
/// A reason lists every FMRI it names; the sentence shows at most a few
/// (`listed`), the full lists being the verdict's `roles`, `realWork`,
/// `setupSteps` and `blocked`.
public enum VerdictReason: Sendable, Hashable {
    /// An exclude_all conflict inside the closure (rule 1).
    case conflict(Conflict)
    /// A wanted instance whose start method can run without SMF (rule 2).
    case runsWithoutSMF(fmri: String, duration: StartDuration, launchLine: String?)
    /// A wanted instance whose start method cannot run without SMF, with
    /// the method analysis's reasons (rule 2).
    case cannotRunWithoutSMF(fmri: String, reasons: [String])
    /// A wanted instance whose start method was not fully checked (rule 2).
    case mayNotRunWithoutSMF(fmri: String, reasons: [String])
    /// A wanted instance that disables itself or fails in the zone (rule 3).
    case wantedBlocked(fmri: String, role: ZoneRole, ipType: IPType, note: String)
    /// In an exclusive-IP zone, SMF configures the zone's network through
    /// these members, which a blank zone would need by hand (rule 4).
    case networkByHand(ipType: IPType, fmris: [String])
    /// A setup member whose work has no command the tool can write (rule 4):
    /// its lines, or the earlier member that needs the same lines.
    case setupByHand(fmri: String, note: String, lines: String, sameAs: String?)
    /// The setup commands a blank zone runs instead of the setup members.
    case setupCommands([SetupCommand])
    /// A legacy rc script a closure milestone runs that a blank zone cannot
    /// run as it is (rule 5).
    case legacyNotRunnable(LegacyScript, LegacyProblem)
    /// The legacy rc scripts a blank zone runs, in illumos's order.
    case legacyRuns([LegacyScript])
    /// How many closure members do real work, by kind.
    case realWork(RealWorkCount)
    /// Members not in the role table, assumed to do real work: how many,
    /// and the first few with what their manifests run.
    case unknownRoles(count: Int, shown: [UnknownMember])
    /// A milestone whose rc directory's content is not known.
    case legacyNotKnown(fmri: String, directory: LegacyDirectory)
    /// The daemons of the closure, which a blank zone does not start.
    case daemonsNotStarted([String])
    /// A member that disables itself or fails under SMF, and what it keeps offline.
    case blocked(BlockedMember, ipType: IPType)
    /// Wanted instances that a blocked member keeps offline under SMF.
    case wantedKeptOffline(wanted: [String], by: String)
    /// A file a path dependency of a closure member requires.
    case requiredFile(RequiredFile)
}

/// One setup command and the members it replaces, in order of their first member.
public struct SetupCommand: Sendable, Hashable {
    public var command: String
    public var fmris: [String]
}

/// Why a blank zone cannot run a legacy rc script (rule 5).
public enum LegacyProblem: Sendable, Hashable {
    /// The script could not be read or identified.
    case notInspected(why: String)
    /// An ELF program that loads libscf.so.1, through this chain of objects.
    case loadsLibscf(chain: [String])
    /// An ELF program some of whose libraries were not inspected.
    case librariesNotInspected([String])
    /// A shell script with lines that need the repository.
    case needsSMF([ScriptFinding])
}

/// The real-work count of a verdict: `realWork` of `closure` members do
/// real work in the zone; of those, the wanted ones, the setup members, the
/// daemons, the milestones with the site's rc scripts, the members not in
/// the role table, and the milestones whose rc scripts are not known.
public struct RealWorkCount: Sendable, Hashable {
    public var ipType: IPType
    public var realWork: Int
    public var closure: Int
    public var wanted: [String]
    public var setup: Int
    public var daemons: [String]
    public var legacyScripts: [String]
    public var unknown: Int
    public var legacyUnknown: [String]
    /// Members that are SMF plumbing or do nothing in such a zone.
    public var idle: Int { closure - realWork }
}

/// A member not in the role table and what its manifest runs: the start
/// method's duration and exec (`start` nil: no start method); `duration`
/// nil when the instance is not in the manifests read.
public struct UnknownMember: Sendable, Hashable {
    public var fmri: String
    public var duration: StartDuration?
    public var start: String?
}

/// A risk of the chosen configuration (the verdict's `risks`), written by
/// Render/VerdictWords.swift.
public enum Risk: String, Sendable, Hashable, CaseIterable {
    /// Blank zone: `-s` / `-r` reach the smf command as an ignored argument.
    case bootFlagsIgnored
    /// Blank zone: only `zoneadm halt` stops the zone.
    case haltNotShutdown
    /// Blank zone: no restarts, no svcs/svcadm, no /var/svc/log.
    case noSupervision
    /// Blank zone: later manifests are never imported; the way back.
    case laterManifests
    /// Trimmed profile: install it before the first boot.
    case profileBeforeFirstBoot
    /// Trimmed profile: blocked members show in `svcs -x`.
    case blockedInSvcsX
}
