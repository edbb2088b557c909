/// The blank zone's files (docs/PLAN.md, "Blank zone"; usr/src/cmd/init/init.c):
/// /etc/inittab, the rc script of `--launch rc` and NOTES.md, written from
/// the steps `BlankZone.steps` decides and the verdict's values.
///
/// init stores every process field as `exec FIELD` and runs it with
/// `/sbin/sh -c` (init.c `getcmd`), so each field written here is one simple
/// command: words and redirections, optionally ending in `&`. A setup step
/// runs as `/sbin/sh -c 'STEP'` (the step may be compound: a condition, a
/// glob); a service runs as its `LaunchCommand.shellCommand`
/// (`/usr/bin/env SMF_FMRI=... [wrappers] /sbin/sh -c 'EXEC'`).
extension BlankZone {
    /// One line (or commented-out line) of the files: a step in words.
    struct Line {
        enum Kind { case setup, legacy, service }
        var what: String       // FMRI(s) it stands for, or the legacy script
        var comment: String
        var command: String?   // nil: none written
        var kind: Kind
        var background: Bool
        var active: Bool       // false: written commented out
        var setup: Bool { kind == .setup }
    }

    /// The simple command a line runs: a setup step (possibly compound)
    /// inside `/sbin/sh -c`, a service's launch as it is.
    static func simpleCommand(_ s: Line) -> String? {
        guard let c = s.command else { return nil }
        return s.setup ? "/sbin/sh -c " + shellQuote(c) : c
    }

    /// A line's inittab process field: one simple command with its output
    /// redirected, in the background for a child service.
    static func processField(_ s: Line, log: String) -> String? {
        guard let c = simpleCommand(s) else { return nil }
        return "\(c) </dev/null >>\(shellWord(log)) 2>&1" + (s.background ? " &" : "")
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
        let all = steps(input, verdict: verdict).map(Line.init)
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
        func add(_ s: Line) throws(BlankZoneError) {
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
                try add(Line(what: "the site's legacy rc scripts",
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
        let all = steps(input, verdict: verdict).map(Line.init)
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
              `\(stockSMFLine.replacingAll("\t", with: " "))`
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
        o += verdict.reasons.map { "- \($0.words.replacingNewlines())\n" }.joined()
        o += "\nRule: \(Verdict.rule)\n"
        return o
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

extension BlankZone.Line {
    /// The step in words: what it stands for, and the comment above its line.
    init(_ step: BlankZone.Step) {
        switch step {
        case .setup(let c, let fmris, let note):
            self.init(what: fmris.joined(separator: ", "), comment: note, command: c, kind: .setup, background: false, active: true)
        case .byHand(let h, let fmris):
            self.init(what: fmris.joined(separator: ", "), comment: "BY HAND: \(h)", command: nil, kind: .setup, background: false, active: false)
        case .legacy(let l, let ok):
            let status = ok ? "" : "CANNOT RUN WITHOUT SMF (see NOTES.md); left commented out. "
            self.init(what: l.path,
                      comment: status + "legacy rc script of \(l.milestone), run as lsvcrun runs it (/bin/sh \(l.argv.dropFirst().first == "-c" ? "-c SCRIPT" : "SCRIPT start"), PATH=\(BlankZone.legacyPath))",
                      command: step.command, kind: .legacy, background: false, active: ok)
        case .service(let fmri, let duration, let canRun, _):
            let how: String
            switch duration {
            case .child: how = "child service: the method is the daemon, run in the background"
            case .transient: how = "transient service: run once and waited for"
            case .contract: how = "contract service: the method starts the daemon and returns"
            }
            let status = canRun == false ? "CANNOT RUN WITHOUT SMF (see NOTES.md); left commented out. "
                : (canRun == nil ? "NOT CHECKED (see NOTES.md). " : "")
            self.init(what: fmri, comment: status + how, command: step.command, kind: .service,
                      background: step.background, active: step.active)
        case .leftOut(let d):
            // A name svccfg refuses never reaches a script (Render/ArtefactNames.swift).
            self.init(what: "(left out)", comment: ArtefactNames.commentLine(d), command: nil, kind: .service,
                      background: false, active: false)
        }
    }
}

extension BlankZone.BlankZoneError: CustomStringConvertible {
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

extension String {
    /// One line: newlines become spaces, and no trailing backslash (which
    /// would continue an inittab entry).
    func replacingNewlines() -> String {
        var s = String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        while s.hasSuffix("\\") { s.removeLast() }
        return s
    }
}
