#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a blank zone launches its services (docs/PLAN.md, "Blank zone").
public enum LaunchMode: String, Sendable, Hashable, CaseIterable {
    /// One `sysinit` line per service; the `smf` line only sleeps.
    case inittab
    /// One rc script run as the `smf` command: it starts the services and
    /// sleeps. The default: it has no 512-byte limit, ignores the flag init
    /// appends (`-s`, `-r`), and init runs it again when everything it started
    /// has died.
    case rc
}

/// Options of the blank-zone artefacts.
public struct BlankZoneOptions: Sendable {
    public var mode: LaunchMode
    /// The zone's existing /etc/inittab, one entry a line.
    public var inittab: [String]
    /// Where the rc script goes in the zone (rc mode).
    public var rcPath: String
    /// Where launched commands write their output.
    public var log: String

    public init(mode: LaunchMode = .rc, inittab: [String] = BlankZone.stockInittab,
                rcPath: String = "/etc/smf-minimize.rc", log: String = "/dev/msglog") {
        self.mode = mode
        self.inittab = inittab
        self.rcPath = rcPath
        self.log = log
    }
}

/// The blank zone: what it runs, in which order and how, as values
/// (`steps`); Render/BlankZoneFiles.swift writes them as /etc/inittab, the
/// rc script and NOTES.md (docs/PLAN.md, "Blank zone"; usr/src/cmd/init/init.c).
///
/// init stores every process field as `exec FIELD` and runs it with
/// `/sbin/sh -c` (init.c `getcmd`), so each field written here is one simple
/// command: words and redirections, optionally ending in `&`. A setup step
/// runs as `/sbin/sh -c 'STEP'` (the step may be compound: a condition, a
/// glob); a service runs as its `LaunchCommand.shellCommand`
/// (`/usr/bin/env SMF_FMRI=... [wrappers] /sbin/sh -c 'EXEC'`).
///
/// Setup is always written as `sysinit` lines, in both modes: init runs them
/// once per boot, before the `smf` command, and never again, so setup cannot
/// run twice when init restarts the `smf` command. The site's legacy rc
/// scripts (`Verdict.legacyScripts`) come next, in the order illumos runs
/// them: one `sysinit` line each with `--launch inittab`; with `--launch rc`
/// one `sysinit` line `/sbin/sh RC legacy`, for which the rc script runs them
/// and exits, so they too run once per boot and never when init reruns the
/// script as its `smf` command. The services come last.
public enum BlankZone {
    /// The stock illumos inittab (`usr/src/cmd/initpkg/inittab`, also the zones').
    public static let stockInittab = [
        "ap::sysinit:/sbin/autopush -f /etc/iu.ap",
        "sp::sysinit:/sbin/soconfig -d /etc/sock2path.d",
        "smf::sysinit:/lib/svc/bin/svc.startd\t>/dev/msglog 2<>/dev/msglog </dev/console",
        "p3:s1234:powerfail:/usr/sbin/shutdown -y -i5 -g0 >/dev/msglog 2<>/dev/msglog",
    ]
    /// The stock `smf` line, to go back to SMF.
    public static let stockSMFLine = "smf::sysinit:/lib/svc/bin/svc.startd\t>/dev/msglog 2<>/dev/msglog </dev/console"
    /// The `smf` command of `--launch inittab`. init appends ` -s`, ` -r` or
    /// ` -sr` when the zone boots with them (init.c `process_startd_line`);
    /// after `sh -c STRING` that word is only `$0`, so `sleep` gets one
    /// operand whatever the boot flags (`/usr/bin/sleep Inf -s` would exit 1,
    /// and three fast exits make init ask for maintenance).
    public static let sleepCommand = "/sbin/sh -c 'exec /usr/bin/sleep Inf'"
    /// init's limits (init.c `MAXCMDL`, `startd_cline`): `exec ` + command
    /// must fit in 512 bytes with its NUL (kept strictly under), the `smf`
    /// command in 256 with the appended ` -sr` (kept under 250).
    public static let maxCommandBytes = 511
    public static let maxSMFCommandBytes = 250

    /// Why the files cannot be written (worded by Render/BlankZoneFiles.swift).
    public enum BlankZoneError: Error, Sendable {
        case conflict([Conflict])
        case lineTooLong(what: String, bytes: Int)
        case badCommand(what: String, why: String)
        case idsExhausted
    }

    /// One thing the blank zone runs, in order (`steps`).
    public enum Step: Sendable, Hashable {
        /// Setup replaced by a command, once for all the members it
        /// replaces (`note`: the first member's role note); a sysinit line
        /// in both modes.
        case setup(command: String, fmris: [String], note: String)
        /// Setup the tool cannot write: the lines to write by hand, for
        /// these members; a commented-out sysinit line.
        case byHand(lines: String, fmris: [String])
        /// A legacy rc script, in illumos's order; `runnable` false: left
        /// commented out (`Verdict.legacyScriptRunnable`). A sysinit line
        /// with `--launch inittab`, a line of the rc script's legacy part
        /// with `--launch rc`.
        case legacy(LegacyScript, runnable: Bool)
        /// A wanted service and its launch line; commented out when it
        /// cannot run without SMF (`canRun` false). A sysinit line with
        /// `--launch inittab`, a line of the rc script with `--launch rc`;
        /// a child service in the background.
        case service(fmri: String, duration: StartDuration, canRun: Bool?, launchLine: String)
        /// A wanted service whose name may not be written into a script.
        case leftOut(Diagnostic)

        /// The command it runs (nil: none written).
        var command: String? {
            switch self {
            case .setup(let c, _, _): c
            case .legacy(let l, _): BlankZone.legacyCommand(l)
            case .service(_, _, _, let line): line
            case .byHand, .leftOut: nil
            }
        }

        /// Written as a live line (false: commented out).
        var active: Bool {
            switch self {
            case .setup: true
            case .legacy(_, let ok): ok
            case .service(_, _, let canRun, _): canRun != false
            case .byHand, .leftOut: false
            }
        }

        var isSetup: Bool { switch self { case .setup, .byHand: true; default: false } }
        var isLegacy: Bool { if case .legacy = self { true } else { false } }
        var isService: Bool { switch self { case .service, .leftOut: true; default: false } }
        /// A child service: its method is the daemon, run in the background.
        var background: Bool { if case .service(_, .child, _, _) = self { true } else { false } }
    }

    /// The environment a legacy script gets besides init's own: the PATH
    /// that usr/src/cmd/initpkg/rc2.sh (and rcS.sh, rc3.sh) set before
    /// lsvcrun runs the scripts (docs/PLAN.md, "Blank zone: legacy rc scripts").
    public static let legacyPath = "/usr/sbin:/usr/bin"

    /// The word that makes the rc script run the legacy scripts and exit
    /// (`/sbin/sh /etc/smf-minimize.rc legacy`, its own sysinit line). init
    /// only ever appends `-s`, `-r` or `-sr` to the smf command, so the smf
    /// command never gets it.
    public static let legacyArgument = "legacy"

    /// The simple command that runs one legacy script as lsvcrun does
    /// (`/bin/sh SCRIPT start`, `/bin/sh -c SCRIPT` for `*.sh`), with
    /// rc2's PATH: `/usr/bin/env PATH=/usr/sbin:/usr/bin /bin/sh SCRIPT start`.
    public static func legacyCommand(_ l: LegacyScript) -> String {
        (["/usr/bin/env", "PATH=" + legacyPath] + l.argv).map(shellWord).joined(separator: " ")
    }

    /// What the blank zone runs, in order: the setup (mounts first, each
    /// distinct command once, then by-hand work), the site's legacy rc
    /// scripts in the order illumos runs them, then the wanted services in
    /// request order.
    public static func steps(_ input: PlanInput, verdict: Verdict) -> [Step] {
        var steps: [Step] = []
        var seen: [String: Int] = [:]
        let ordered = verdict.setupSteps.sorted { a, b in
            func rank(_ s: SetupStep) -> Int {
                if case .command(let c) = s.replacement, c.contains("mountall") { return 0 }
                if case .command = s.replacement { return 1 }
                return 2
            }
            return (rank(a), a.fmri) < (rank(b), b.fmri)
        }
        for s in ordered {
            switch s.replacement {
            case .command(let c):
                if let i = seen[c], case .setup(let c, let fmris, let note) = steps[i] {
                    steps[i] = .setup(command: c, fmris: fmris + [s.fmri], note: note)
                    continue
                }
                seen[c] = steps.count
                steps.append(.setup(command: c, fmris: [s.fmri], note: s.note))
            case .byHand(let h):
                if let i = seen["by hand: " + h], case .byHand(let h, let fmris) = steps[i] {
                    steps[i] = .byHand(lines: h, fmris: fmris + [s.fmri])
                    continue
                }
                seen["by hand: " + h] = steps.count
                steps.append(.byHand(lines: h, fmris: [s.fmri]))
            }
        }
        for (i, l) in verdict.legacyScripts.enumerated() {
            steps.append(.legacy(l, runnable: verdict.legacyScriptRunnable(at: i)))
        }
        for m in verdict.methods {
            guard let line = m.launchLine else { continue }
            if let d = nameFinding(m.fmri, input) {
                steps.append(.leftOut(d))
            } else {
                steps.append(.service(fmri: m.fmri, duration: m.duration, canRun: m.canRunWithoutSMF, launchLine: line))
            }
        }
        return steps
    }

    /// The id field of an inittab line, blanks squeezed out.
    static func id(of line: String) -> String? {
        let t = line.trimmingWhitespace()
        if t.isEmpty || t.hasPrefix("#") { return nil }
        guard let colon = t.firstIndex(of: ":") else { return nil }
        return String(t[..<colon].filter { $0 != " " && $0 != "\t" })
    }

    /// What the blank zone turns off: the verdict's list when the verdict is
    /// a blank zone, else the list for a blank zone (the files were written
    /// on request; the verdict's own list is the trimmed profile's).
    static func giveUps(_ input: PlanInput, verdict: Verdict) -> [GiveUp] {
        if verdict.choice == .blankZone { return verdict.giveUps }
        var asBlank = verdict
        asBlank.choice = .blankZone
        return GiveUps.list(input, verdict: asBlank)
    }

    /// The diagnostic for a wanted instance whose name may not be written
    /// into a script (invalid, or holding an unexpanded placeholder).
    static func nameFinding(_ fmri: String, _ input: PlanInput) -> Diagnostic? {
        guard let id = input.graph.instanceID(fmri) else { return nil }
        let inst = input.graph.instance(id)
        return ArtefactNames.check(service: inst.service, instance: inst.name, at: inst.location)
    }

    /// The wanted instances left out of the blank zone's scripts because of
    /// their names (SMF070, SMF071): the command prints them and exits 1.
    public static func findings(_ input: PlanInput, verdict: Verdict) -> [Diagnostic] {
        verdict.methods.compactMap { m in m.launchLine == nil ? nil : nameFinding(m.fmri, input) }
    }

}
