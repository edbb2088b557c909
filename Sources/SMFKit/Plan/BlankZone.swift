import Foundation

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

/// Writes the blank-zone artefacts: /etc/inittab, the rc script and the notes
/// (docs/PLAN.md, "Blank zone"; usr/src/cmd/init/init.c).
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

    public enum BlankZoneError: Error, Sendable, CustomStringConvertible {
        case conflict([Conflict])
        case lineTooLong(what: String, bytes: Int)
        case badCommand(what: String, why: String)
        case idsExhausted

        public var description: String {
            switch self {
            case .conflict(let c):
                "no blank zone written: the closure holds a conflict: " + c.map(\.description).joined(separator: "; ")
            case .lineTooLong(let what, let bytes):
                "the inittab command for \(what) is \(bytes) bytes with init's 'exec ' prefix; init ignores lines of 512 bytes or more. Use --launch rc, which has no such limit"
            case .badCommand(let what, let why):
                "the inittab command for \(what) \(why). Use --launch rc"
            case .idsExhausted:
                "no free inittab id left"
            }
        }
    }

    /// One command the blank zone runs, in order.
    struct Step {
        enum Kind { case setup, legacy, service }
        var what: String       // FMRI(s) it stands for, or the legacy script
        var comment: String
        var command: String?   // nil: by hand
        /// setup: a sysinit line in both modes; legacy: a sysinit line in
        /// inittab mode, a line of the rc script's legacy part in rc mode;
        /// service: a sysinit line in inittab mode, a line of the rc script.
        var kind: Kind
        var background: Bool
        var active: Bool       // false: written commented out
        var setup: Bool { kind == .setup }
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

    static func steps(_ input: PlanInput, verdict: Verdict) -> [Step] {
        var steps: [Step] = []
        // Setup: mounts first, each distinct command once, then by-hand work.
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
                if let i = seen[c] { steps[i].what += ", " + s.fmri; continue }
                seen[c] = steps.count
                steps.append(Step(what: s.fmri, comment: s.note, command: c, kind: .setup, background: false, active: true))
            case .byHand(let h):
                if let i = seen["by hand: " + h] { steps[i].what += ", " + s.fmri; continue }
                seen["by hand: " + h] = steps.count
                steps.append(Step(what: s.fmri, comment: "BY HAND: \(h)", command: nil, kind: .setup, background: false, active: false))
            }
        }
        // The site's legacy rc scripts, in the order illumos runs them.
        for (i, l) in verdict.legacyScripts.enumerated() {
            let ok = verdict.legacyScriptRunnable(at: i)
            let status = ok ? "" : "CANNOT RUN WITHOUT SMF (see NOTES.md); left commented out. "
            steps.append(Step(what: l.path, comment: status + "legacy rc script of \(l.milestone), run as lsvcrun runs it (/bin/sh \(l.argv.dropFirst().first == "-c" ? "-c SCRIPT" : "SCRIPT start"), PATH=\(legacyPath))",
                              command: legacyCommand(l), kind: .legacy, background: false, active: ok))
        }
        for m in verdict.methods {
            guard let line = m.launchLine else { continue }
            if let d = nameFinding(m.fmri, input) {
                // A name svccfg refuses never reaches a script (Render/ArtefactNames.swift).
                steps.append(Step(what: "(left out)", comment: ArtefactNames.commentLine(d), command: nil,
                                  kind: .service, background: false, active: false))
                continue
            }
            let ok = m.canRunWithoutSMF != false
            let how: String
            switch m.duration {
            case .child: how = "child service: the method is the daemon, run in the background"
            case .transient: how = "transient service: run once and waited for"
            case .contract: how = "contract service: the method starts the daemon and returns"
            }
            let status = m.canRunWithoutSMF == false ? "CANNOT RUN WITHOUT SMF (see NOTES.md); left commented out. "
                : (m.canRunWithoutSMF == nil ? "NOT CHECKED (see NOTES.md). " : "")
            steps.append(Step(what: m.fmri, comment: status + how, command: line, kind: .service,
                              background: m.duration == .child, active: ok))
        }
        return steps
    }

    /// The simple command a step runs: a setup step (possibly compound)
    /// inside `/sbin/sh -c`, a service's launch as it is.
    static func simpleCommand(_ s: Step) -> String? {
        guard let c = s.command else { return nil }
        return s.setup ? "/sbin/sh -c " + shellQuote(c) : c
    }

    /// A step's inittab process field: one simple command with its output
    /// redirected, in the background for a child service.
    static func processField(_ s: Step, log: String) -> String? {
        guard let c = simpleCommand(s) else { return nil }
        return "\(c) </dev/null >>\(shellWord(log)) 2>&1" + (s.background ? " &" : "")
    }

    /// The id field of an inittab line, blanks squeezed out.
    static func id(of line: String) -> String? {
        let t = line.trimmingWhitespace()
        if t.isEmpty || t.hasPrefix("#") { return nil }
        guard let colon = t.firstIndex(of: ":") else { return nil }
        return String(t[..<colon].filter { $0 != " " && $0 != "\t" })
    }

    /// The new /etc/inittab.
    public static func inittab(_ input: PlanInput, verdict: Verdict, options: BlankZoneOptions) throws(BlankZoneError) -> String {
        if !input.conflicts.isEmpty { throw .conflict(input.conflicts) }
        var used = Set(options.inittab.compactMap(id(of:)))
        var counter = 0
        func nextID() throws(BlankZoneError) -> String {
            while counter < 36 * 36 {
                let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
                let id = "zm" + String(digits[counter / 36]) + String(digits[counter % 36])
                counter += 1
                if !used.contains(id) { used.insert(id); return id }
            }
            throw .idsExhausted
        }
        let all = steps(input, verdict: verdict)
        var ours: [String] = []
        let smfCommand: String
        switch options.mode {
        case .inittab:
            ours.append("# smf-minimize: blank zone for \(Escape.terminal(input.wanted.joined(separator: " "))); see NOTES.md")
            smfCommand = sleepCommand
        case .rc:
            ours.append("# smf-minimize: blank zone for \(Escape.terminal(input.wanted.joined(separator: " "))); setup\(all.contains { $0.kind == .legacy } ? " and the legacy rc scripts" : "") here, then \(options.rcPath) starts the services and sleeps; see NOTES.md")
            smfCommand = "/sbin/sh \(shellWord(options.rcPath))"
        }
        func add(_ s: Step) throws(BlankZoneError) {
            ours.append("# \(s.what): \(s.comment)".replacingNewlines())
            guard let cmd = processField(s, log: options.log) else { return }
            if cmd.contains("\n") || cmd.contains("\r") {
                throw .badCommand(what: s.what, why: "holds a newline, which ends an inittab entry")
            }
            if cmd.hasSuffix("\\") { throw .badCommand(what: s.what, why: "ends in a backslash, which continues the entry") }
            let bytes = ("exec " + cmd).utf8.count
            if bytes > maxCommandBytes { throw .lineTooLong(what: s.what, bytes: bytes) }
            let line = "\(try nextID())::sysinit:\(cmd)"
            ours.append(s.active ? line : "#" + line)
        }
        switch options.mode {
        case .inittab:
            for s in all { try add(s) }
        case .rc:
            for s in all where s.kind == .setup { try add(s) }
            // The legacy scripts: the rc script runs them when called with
            // `legacy`, from this one sysinit line, so once per boot.
            let legacy = all.filter { $0.kind == .legacy }
            if !legacy.isEmpty {
                let n = legacy.count
                try add(Step(what: "the site's legacy rc scripts",
                             comment: "\(options.rcPath) runs the \(n == 1 ? "script" : "\(n) scripts") of \(Set(verdict.legacyScripts.map(\.milestone)).count == 1 ? "its rc directory" : "the rc directories") in order, once per boot: "
                                + legacy.map(\.what).joined(separator: ", "),
                             command: "/sbin/sh \(shellWord(options.rcPath)) \(legacyArgument)", kind: .legacy,
                             background: false, active: legacy.contains(where: \.active)))
            }
        }
        if ("exec " + smfCommand).utf8.count > maxSMFCommandBytes {
            throw .lineTooLong(what: "the smf entry", bytes: ("exec " + smfCommand).utf8.count)
        }
        ours.append("smf::sysinit:\(smfCommand)")

        var out: [String] = []
        var placed = false
        for line in options.inittab {
            if id(of: line) == "smf" {
                if !placed { out += ours; placed = true }
                continue  // a later smf line would override ours
            }
            out.append(line)
        }
        if !placed { out += ours }
        return out.joined(separator: "\n") + "\n"
    }

    /// The rc script of `--launch rc`: the services' launches, then sleep.
    public static func rcScript(_ input: PlanInput, verdict: Verdict, options: BlankZoneOptions) throws(BlankZoneError) -> String {
        if !input.conflicts.isEmpty { throw .conflict(input.conflicts) }
        var out = """
            #!/sbin/sh
            #
            # \(options.rcPath): written by smf-minimize for \(Escape.terminal(input.wanted.joined(separator: " "))).
            # init runs it as its smf command (smf::sysinit:/sbin/sh \(options.rcPath)),
            # after the setup lines of /etc/inittab. It starts the services, then
            # sleeps so that init keeps it in svc.startd's place. See NOTES.md.
            # A flag init appends at boot (-s, -r, -sr) arrives as $1 and is ignored.
            # init runs this script again only when every process it started has
            # exited (the contract is empty, usr/src/cmd/init/init.c): then the
            # services are started again; the setup lines (and the legacy rc
            # scripts, if any) are not run again.
            #
            exec </dev/null >>\(shellWord(options.log)) 2>&1
            PATH=/sbin:/usr/sbin:/usr/bin
            export PATH

            """
        let all = steps(input, verdict: verdict)
        let legacy = all.filter { $0.kind == .legacy }
        if !legacy.isEmpty {
            out += """

                # The site's legacy rc scripts, in the order illumos runs them (rcS.d,
                # rc2.d, rc3.d). They are boot-time setup: their own sysinit line of
                # /etc/inittab runs this script with '\(legacyArgument)', once per boot, after
                # the setup lines and before the smf line. The smf command never gets
                # '\(legacyArgument)' (init appends only -s, -r or -sr), so they are not run again
                # when init reruns this script. Each runs as lsvcrun runs it, with the
                # PATH of rc2 (\(legacyPath)).
                case "$1" in
                \(legacyArgument))

                """
            for s in legacy {
                out += "\t# \(s.what): \(s.comment)".replacingNewlines() + "\n"
                guard let c = s.command else { continue }
                out += "\t" + (s.active ? c : "# " + c.replacingNewlines()) + "\n"
            }
            out += "\texit 0 ;;\nesac\n"
        }
        for s in all where s.kind == .service {
            out += "\n" + "# \(s.what): \(s.comment)".replacingNewlines() + "\n"
            guard let c = simpleCommand(s) else { continue }
            let line = c + (s.background ? " &" : "")
            out += (s.active ? line : "# " + line.replacingNewlines()) + "\n"
        }
        out += "\nexec /usr/bin/sleep Inf\n"
        return out
    }

    /// NOTES.md: what the administrator must still do, and what a blank zone gives up.
    public static func notes(_ input: PlanInput, verdict: Verdict, options: BlankZoneOptions) -> String {
        var o = Escape.markdownHeading("Blank zone for " + input.wanted.joined(separator: ", "), level: 1) + "\n\n"
        o += "Written by smf-minimize for a \(verdict.ipType.rawValue)-IP zone.\n"
        if verdict.choice == .blankZone {
            o += "Verdict: **blank zone**.\n"
        } else {
            o += "Verdict: **trimmed profile**. These files were written on request, but the\n"
            o += "tool recommends keeping SMF with a trimmed profile (`smf-minimize profile`).\n"
            o += "Read the reasons below before using them.\n"
        }
        o += "\n## Files and how to install them\n\n"
        o += "- `inittab`: keep the stock file (`cp ZONEROOT/etc/inittab ZONEROOT/etc/inittab.smf`),\n"
        o += "  then install this one as `ZONEROOT/etc/inittab`.\n"
        if options.mode == .rc {
            o += "- `smf-minimize.rc`: install as `ZONEROOT\(options.rcPath)`, mode 0755.\n"
        }
        o += "- Output of the launched commands goes to `\(options.log)`.\n"
        o += "\n## How it boots\n\n"
        o += "init runs the `sysinit` lines of `inittab` one at a time, in file order, each as\n"
        o += "`/sbin/sh -c \"exec LINE\"` (usr/src/cmd/init/init.c), so every line is one simple command.\n"
        o += "The setup steps are such lines: init runs them once per boot and never again.\n"
        let legacy = verdict.legacyScripts
        if !legacy.isEmpty {
            let list = legacy.map { "`\($0.path)`" }.joined(separator: ", ")
            if options.mode == .rc {
                o += "After them, one more such line runs `\(options.rcPath) \(legacyArgument)`, which runs the site's\n"
                o += "legacy rc scripts in the order illumos runs them (\(list)),\n"
                o += "once per boot: when init runs the rc script again as its smf command, they are not run again.\n"
            } else {
                o += "After them, each of the site's legacy rc scripts is such a line, in the order illumos runs them\n"
                o += "(\(list)).\n"
            }
            o += "Each runs as lsvcrun runs it (`/bin/sh SCRIPT start`, `/bin/sh -c SCRIPT` for `*.sh`),\n"
            o += "with `PATH=\(legacyPath)` as rc2 sets it and otherwise init's environment; the `_INIT_*`\n"
            o += "variables of rc2 (run level, `uname` fields) are not set (docs/PLAN.md).\n"
        }
        if options.mode == .rc {
            o += "Then the `smf` line runs `\(options.rcPath)`, which starts the services and sleeps.\n"
        } else {
            o += "The services are such lines too (a child service in the background), then the `smf` line sleeps.\n"
        }

        o += "\n## What you must still do by hand\n\n"
        var todo: [String] = []
        for (s, h, first) in Plan.byHandSteps(verdict.setupSteps) {
            if let first {
                todo.append("\(s.fmri) (\(s.note)): the same lines as for \(first)")
            } else {
                todo.append("\(s.fmri) (\(s.note)): \(h)")
            }
        }
        let wanted = Set(input.wanted)
        for r in verdict.roles where !wanted.contains(r.fmri) && (r.role == .daemon || r.role == .unknownWork) {
            let what = r.role == .daemon ? "a daemon of the closure (\(r.note))" : "in the closure, " + r.note
            todo.append("\(r.fmri) is \(what); a blank zone does not start it: check that the wanted services do without it")
        }
        for m in verdict.methods {
            switch m.canRunWithoutSMF {
            case .some(false): todo.append("\(m.fmri) cannot run without SMF as it is (its line is commented out): " + m.reasons.joined(separator: "; "))
            case .none: todo.append("\(m.fmri) was not checked: " + m.reasons.joined(separator: "; "))
            default: break
            }
            for w in m.warnings { todo.append("\(m.fmri): \(w)") }
        }
        for (i, l) in legacy.enumerated() where !verdict.legacyScriptRunnable(at: i) {
            todo.append("the legacy rc script \(l.path) (run by \(l.milestone)) cannot run without SMF as it is, or was not inspected (its line is commented out): see the verdict's reasons below")
        }
        for f in input.requiredFiles {
            todo.append("\(f.instance) expects the file \(f.path) (a path dependency): make sure it exists")
        }
        o += todo.isEmpty ? "Nothing.\n" : todo.map { "- \($0.replacingNewlines())\n" }.joined()

        o += "\n## What a blank zone gives up\n\n"
        o += """
            - Nothing restarts a daemon that dies (run it under a supervisor of your choice if it matters).
              init starts the smf command again only once every process it started has exited\(options.mode == .rc ? " (then the rc script starts every service again)" : "").
            - There are no /var/svc/log files; output goes to \(options.log).
            - `svcs` and `svcadm` answer nothing: there is no svc.configd or svc.startd.
            - Manifests that packages deliver later are never imported.
            - Going back means restoring the stock smf line of /etc/inittab:
              `\(stockSMFLine.replacingOccurrences(of: "\t", with: " "))`
              (or the saved `inittab.smf`).

            ## Risks

            - Booting with `-s` or `-r` changes nothing: init appends the flag to the smf command, which
              ignores it; there is no single-user milestone without SMF.
            - init runs the setup lines once per boot. It runs the smf command again only when every process
              that command started has exited; three such exits within five seconds make init ask for
              maintenance on the console.
            - Shut the zone down with `zoneadm -z ZONE halt`: without svc.startd nothing performs the
              shutdown that `zoneadm shutdown` asks for.
            - init runs sysinit lines one at a time and waits for each: a command that never returns
              stops the boot there.

            """
        o += "\n## What this blank zone turns off that you would notice\n\n"
        let gives = giveUps(input, verdict: verdict)
        if gives.isEmpty {
            o += "Nothing of the services enabled as shipped that a person would notice (docs/PLAN.md, \"What you give up\").\n"
        } else {
            o += "Each is enabled as shipped and not run here; the flag keeps it (the blank zone then launches it too,\n"
            o += "or the verdict says why it cannot):\n\n"
            o += gives.map { "- `\($0.fmri)` (\($0.kind.rawValue)): \($0.what). Keep it with `\($0.keep)`.".replacingNewlines() + "\n" }.joined()
        }
        o += "\n## Why (the verdict's reasons)\n\n"
        o += verdict.reasons.map { "- \($0.replacingNewlines())\n" }.joined()
        o += "\nRule: \(Verdict.rule)\n"
        return o
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
        guard let inst = input.repo.instance(fmri: fmri) else { return nil }
        return ArtefactNames.check(service: inst.service, instance: inst.name, at: inst.location)
    }

    /// The wanted instances left out of the blank zone's scripts because of
    /// their names (SMF070, SMF071): the command prints them and exits 1.
    public static func findings(_ input: PlanInput, verdict: Verdict) -> [Diagnostic] {
        verdict.methods.compactMap { m in m.launchLine == nil ? nil : nameFinding(m.fmri, input) }
    }

    /// Every artefact of the blank zone, in writing order.
    public static func artefacts(_ input: PlanInput, verdict: Verdict, options: BlankZoneOptions) throws(BlankZoneError) -> [Artefact] {
        var out = [Artefact(name: "inittab", content: try inittab(input, verdict: verdict, options: options))]
        if options.mode == .rc {
            let name = options.rcPath.split(separator: "/").last.map(String.init) ?? "smf-minimize.rc"
            out.append(Artefact(name: name, content: try rcScript(input, verdict: verdict, options: options), executable: true))
        }
        out.append(Artefact(name: "NOTES.md", content: notes(input, verdict: verdict, options: options)))
        return out
    }
}

extension String {
    /// One line: newlines become spaces, and no trailing backslash (which
    /// would continue an inittab entry).
    func replacingNewlines() -> String {
        var s = String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        while s.hasSuffix("\\") { s.removeLast() }
        return s
    }
}
