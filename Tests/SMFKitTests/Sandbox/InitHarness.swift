import Foundation
import Testing

/// Plays illumos init (usr/src/cmd/init/init.c) on an inittab, in a
/// `ShellSandbox`:
///
/// - parses it with `getcmd`'s rules (comment lines, `\` continuation, id of
///   1 to 4 characters, rstate from `0123456sSabcqQ`, the action list, only
///   initdefault/powerfail/powerwait/wait with `s`/`S`, `exec ` + command
///   under `MAXCMDL` = 512); init skips an invalid line silently, the harness
///   reports it as a problem;
/// - runs each `sysinit` line other than `smf`, in file order, as
///   `/sbin/sh -c "exec FIELD"` with fds 0-2 closed, waiting for each
///   (`boot_init`, `waitproc`); a line that does not return stops the boot;
/// - starts the `smf` command (the last `smf` line wins; ` -s`, ` -r` or
///   ` -sr` appended as `process_startd_line` does; under 256 bytes) and
///   checks that it is still running after a bound;
/// - restarts the `smf` command only when every process it started is gone
///   (`contract_event` on `CT_PR_EV_EMPTY`; the sandbox's stand-in for the
///   contract is the process group of the started command).
final class InitHarness {
    struct Entry: Sendable {
        var line: Int
        var id: String
        var rstate: String
        var action: String
        var process: String
    }

    static let rstateChars = Set("0123456sSabcqQ")
    static let actions: Set<String> = ["off", "respawn", "ondemand", "once", "wait", "boot", "bootwait",
                                       "powerfail", "powerwait", "initdefault", "sysinit"]
    static let singleUserActions: Set<String> = ["initdefault", "powerfail", "powerwait", "wait"]
    static let maxCommandLength = 512   // init.c MAXCMDL, with the NUL
    static let maxStartdLine = 256      // init.c startd_cline, with the NUL

    /// The entries init keeps, and a problem for every line it would skip.
    static func parse(_ text: String) -> (entries: [Entry], problems: [String]) {
        var entries: [Entry] = []
        var problems: [String] = []
        var logical: [(Int, String)] = []
        var pending: String?
        var start = 0
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if pending == nil { start = n + 1 }
            if line.hasSuffix("\\") && !line.hasSuffix("\\\\") {
                line.removeLast()
                pending = (pending ?? "") + line
                continue
            }
            logical.append((start, (pending ?? "") + line))
            pending = nil
        }
        if pending != nil { problems.append("the file ends inside a continued line") }
        var ids: [String: Int] = [:]
        for (n, line) in logical {
            let t = line.drop { $0 == " " || $0 == "\t" }
            if t.isEmpty || t.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { problems.append("line \(n): fewer than four fields, init skips it: \(line)"); continue }
            let squeeze: (String) -> String = { $0.filter { $0 != " " && $0 != "\t" } }
            let e = Entry(line: n, id: squeeze(parts[0]), rstate: squeeze(parts[1]), action: squeeze(parts[2]), process: parts[3])
            var bad: [String] = []
            if e.id.isEmpty || e.id.utf8.count > 4 { bad.append("id '\(e.id)' is not 1 to 4 characters") }
            if !e.rstate.allSatisfy({ rstateChars.contains($0) }) { bad.append("bad rstate '\(e.rstate)'") }
            if !e.action.isEmpty && !actions.contains(e.action) { bad.append("unknown action '\(e.action)'") }
            if e.rstate.contains(where: { $0 == "s" || $0 == "S" }) && !singleUserActions.contains(e.action) {
                bad.append("action '\(e.action)' is not allowed with rstate s/S")
            }
            let len = ("exec " + e.process).utf8.count
            if len >= maxCommandLength { bad.append("'exec ' + command is \(len) bytes, init's limit is \(maxCommandLength - 1)") }
            if !bad.isEmpty {
                problems.append("line \(n): init skips it: " + bad.joined(separator: "; "))
                continue
            }
            if let first = ids[e.id] { problems.append("line \(n): id '\(e.id)' already used on line \(first)") }
            ids[e.id] = n
            entries.append(e)
        }
        return (entries, problems)
    }

    /// One `sysinit` line as init ran it.
    struct SysinitRun: Sendable, CustomStringConvertible {
        var entry: Entry
        var result: ShellSandbox.RunResult
        var description: String { "line \(entry.line) (\(entry.id)): \(result)" }
    }

    /// What a boot did.
    struct Boot {
        var problems: [String] = []
        var sysinit: [SysinitRun] = []
        /// The smf command as init runs it (`exec FIELD` plus the boot flag).
        var smfCommand: String?
        /// The running smf command (nil when there is none or it exited).
        var smf: SandboxProcess?
    }

    let sandbox: ShellSandbox
    let shell: ShellSandbox.Shell
    /// How long the smf command must stay up.
    var bound: Double
    /// How long a sysinit line may take before the boot counts as stopped.
    var sysinitTimeout: Double

    init(sandbox: ShellSandbox, shell: ShellSandbox.Shell, bound: Double = 1.5, sysinitTimeout: Double = 10) {
        self.sandbox = sandbox
        self.shell = shell
        self.bound = bound
        self.sysinitTimeout = sysinitTimeout
    }

    /// Boots the zone: `flag` is what init appends to the smf command
    /// (`-s`, `-r`, `-sr`), nil for a plain boot.
    func boot(_ inittab: String, flag: String? = nil, settled: (() -> Bool)? = nil) async throws -> Boot {
        var b = Boot()
        let (entries, problems) = Self.parse(inittab)
        b.problems += problems
        try sandbox.install("/etc/inittab", content: inittab)
        for e in entries where e.action == "sysinit" && e.id != "smf" {
            let r = try await sandbox.runAsync("exec " + e.process, shell: shell, timeout: sysinitTimeout)
            b.sysinit.append(SysinitRun(entry: e, result: r))
            if r.timedOut {
                b.problems.append("line \(e.line) (\(e.id)) never returned: init waits for it, the boot stops there: \(e.process)")
                return b
            }
            if r.status != 0 {
                b.problems.append("line \(e.line) (\(e.id)) failed under \(shell) with exit \(r.status ?? -1): \(e.process)" + msglogTail())
            }
        }
        guard let smf = entries.last(where: { $0.id == "smf" }), !smf.process.trimmingCharacters(in: .whitespaces).isEmpty else {
            b.problems.append("no smf entry: init says 'Absent svc.startd entry' and enters maintenance")
            return b
        }
        let cmd = "exec " + smf.process + (flag.map { " " + $0 } ?? "")
        if ("exec " + smf.process + " -sr").utf8.count >= Self.maxStartdLine {
            b.problems.append("the smf command is too long for init's \(Self.maxStartdLine)-byte buffer: init ignores it")
            return b
        }
        b.smfCommand = cmd
        let p = try sandbox.start(cmd, shell: shell)
        if let settled {  // a scratch boot: stop as soon as the caller has what it needs
            let deadline = Date().addingTimeInterval(bound)
            while p.isRunning && Date() < deadline && !settled() { try? await Task.sleep(nanoseconds: 20_000_000) }
        }
        let r = await sandbox.waitAsync(p, timeout: settled == nil ? bound : 0)
        if r.timedOut {
            b.smf = p
        } else {
            b.problems.append("the smf command \(cmd) exited (\(r)) within \(bound) s under \(shell): init restarts it, and three fast exits mean maintenance" + msglogTail())
        }
        return b
    }

    /// init's restart of the smf command: only once every process it started
    /// has exited. Returns false while some are left (init does nothing);
    /// else starts it again and checks that it stays up for the bound.
    func restartIfEmpty(_ b: inout Boot) async throws -> Bool {
        guard let old = b.smf, let cmd = b.smfCommand else { return false }
        if !sandbox.processes(startedBy: old).isEmpty { return false }
        old.waitUntilExit()
        let p = try sandbox.start(cmd, shell: shell)
        let r = await sandbox.waitAsync(p, timeout: bound)
        if r.timedOut {
            b.smf = p
        } else {
            b.smf = nil
            b.problems.append("the restarted smf command exited (\(r)) under \(shell)" + msglogTail())
        }
        return true
    }

    /// Kills the smf command's own process (the final sleep), leaving what it started.
    func killSMFProcess(_ b: Boot) {
        guard let p = b.smf else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Kills everything the smf command started.
    func killSMFGroup(_ b: Boot) {
        guard let p = b.smf else { return }
        for _ in 0..<50 {
            let ps = sandbox.processes(startedBy: p)
            if ps.isEmpty { break }
            for q in ps { kill(q.pid, SIGKILL) }
            usleep(10_000)
        }
        p.waitUntilExit()
    }

    private func msglogTail() -> String {
        let log = sandbox.msglog.split(separator: "\n").suffix(3).joined(separator: " | ")
        return log.isEmpty ? "" : "; /dev/msglog: \(log)"
    }

    // MARK: the services of a blank zone, read from its files

    /// How a method stub behaves, by the service's duration.
    enum Duration: String, Sendable { case child, contract, transient }

    /// A wanted service as the artefacts launch it.
    struct Launch: Sendable, CustomStringConvertible {
        var fmri: String
        /// The program the exec string runs first (stubbed).
        var program: String
        /// The exec string, as the final `sh -c` receives it.
        var exec: String
        var user: String?
        var workingDirectory: String?
        var duration: Duration
        var description: String { "\(fmri) (\(duration)): \(program)" }
    }

    /// The durations the artefacts' comments give (`# FMRI: child service: ...`).
    static func durations(in texts: [String]) -> [String: Duration] {
        var out: [String: Duration] = [:]
        for text in texts {
            for line in text.split(separator: "\n") where line.hasPrefix("# svc:/") {
                let rest = line.dropFirst(2)
                guard let sep = rest.range(of: ": ") else { continue }
                let fmri = String(rest[..<sep.lowerBound])
                for d in [Duration.child, .contract, .transient] where rest.contains("\(d.rawValue) service") { out[fmri] = d }
            }
        }
        return out
    }

    /// Finds the launches by booting once in a scratch sandbox: the
    /// `/usr/bin/env` stub records the full argv of each launch, so the exec
    /// string is read as the shell delivered it, not by parsing quotes.
    static func discover(inittab: String, files: [(path: String, content: String)], shell: ShellSandbox.Shell, expected: Int) async throws -> [Launch] {
        let sb = try ShellSandbox()
        for f in files { try sb.install(f.path, content: f.content, executable: true) }
        let h = InitHarness(sandbox: sb, shell: shell, bound: 10)
        // settled once the final sleep and every active launch's /usr/bin/env have been called
        _ = try await h.boot(inittab, settled: {
            let r = sb.records()
            return r.contains { $0.path == "/usr/bin/sleep" }
                && r.filter { $0.path == "/usr/bin/env" && $0.args.contains { $0.hasPrefix("SMF_FMRI=") } }.count >= expected
        })
        sb.killAll()
        let durations = durations(in: [inittab] + files.map(\.content))
        var out: [Launch] = []
        for r in sb.records() where r.path == "/usr/bin/env" {
            guard let fmriArg = r.args.first(where: { $0.hasPrefix("SMF_FMRI=") }), r.args.count >= 3 else { continue }
            let fmri = String(fmriArg.dropFirst("SMF_FMRI=".count))
            let n = r.args.count
            guard r.args[n - 2] == "-c" else { continue }
            var user: String?
            if n >= 4 && r.args[n - 4] == "/usr/bin/su" { user = r.args[n - 3] }
            var exec = r.args[n - 1]
            var wd: String?
            if exec.hasPrefix("cd "), let end = exec.range(of: " || exit 1; ") {
                wd = unquote(String(exec[exec.index(exec.startIndex, offsetBy: 3)..<end.lowerBound]))
                exec = String(exec[end.upperBound...])
            }
            // svc.startd runs `exec EXPANDED` (method.c); the program is the
            // first word after that `exec`.
            let body = exec.hasPrefix("exec ") ? String(exec.dropFirst(5)) : exec
            let program = String(body.prefix { !" \t;&|<>()".contains($0) })
            out.append(Launch(fmri: fmri, program: program, exec: exec, user: user, workingDirectory: wd,
                              duration: durations[fmri] ?? .contract))
        }
        return out
    }

    /// Undoes `shellWord` for one word (single quotes, `'\''`).
    static func unquote(_ w: String) -> String {
        guard w.hasPrefix("'") else { return w }
        var out = ""
        var inQuote = false
        var i = w.startIndex
        while i < w.endIndex {
            let c = w[i]
            if c == "'" { inQuote.toggle() } else if c == "\\" && !inQuote, w.index(after: i) < w.endIndex {
                i = w.index(after: i)
                out.append(w[i])
            } else { out.append(c) }
            i = w.index(after: i)
        }
        return out
    }

    /// Installs the stubs and directories the launches need: a child
    /// service's method blocks (it is the daemon); a contract service's
    /// leaves a daemon behind and returns; a transient one returns.
    static func installMethods(_ launches: [Launch], in sb: ShellSandbox) throws {
        for l in launches {
            if let wd = l.workingDirectory { try FileManager.default.createDirectory(atPath: sb.root + wd, withIntermediateDirectories: true) }
            guard l.program.hasPrefix("/") else { continue }
            switch l.duration {
            case .child: try sb.installStub(l.program, .block)
            case .contract: try sb.installStub(l.program, then: "/.sandbox/bin/sleep infinity </dev/null >/dev/null 2>&1 &\nexit 0")
            case .transient: try sb.installStub(l.program, .record())
            }
        }
    }
}

/// A blank zone's files, as a test runs them.
struct BlankZoneFiles: Sendable, CustomStringConvertible {
    var name: String
    var inittab: String
    /// Files to install in the zone (the rc script at its path).
    var files: [(path: String, content: String)]
    var description: String { name }

    /// Reads a written blank-zone directory (inittab, and smf-minimize.rc if there).
    static func read(_ dir: String, name: String) -> BlankZoneFiles? {
        guard let inittab = try? String(contentsOfFile: dir + "/inittab", encoding: .utf8) else { return nil }
        var files: [(String, String)] = []
        if let rc = try? String(contentsOfFile: dir + "/smf-minimize.rc", encoding: .utf8) { files.append(("/etc/smf-minimize.rc", rc)) }
        return BlankZoneFiles(name: name, inittab: inittab, files: files)
    }
}

/// What a blank zone's boot must show, checked on the records.
struct BlankZoneBootCheck {
    /// Boots `z` under `shell` (with `flag`) and checks: no problem, the setup
    /// programs of the inittab each called once and before any method, every
    /// active launch's method called once with its SMF_* environment, user
    /// and working directory. Returns the harness, sandbox and boot for more checks.
    @discardableResult
    static func run(_ z: BlankZoneFiles, shell: ShellSandbox.Shell, flag: String? = nil,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> (InitHarness, ShellSandbox, InitHarness.Boot, [InitHarness.Launch]) {
        let launches = try await InitHarness.discover(inittab: z.inittab, files: z.files, shell: shell, expected: activeFMRIs(z).count)
        let sb = try ShellSandbox()
        for f in z.files { try sb.install(f.path, content: f.content, executable: true) }
        try InitHarness.installMethods(launches, in: sb)
        try sb.install("/etc/nodename", content: "sandbox-node\n")
        try sb.install("/etc/defaultdomain", content: "sandbox.domain\n")
        let h = InitHarness(sandbox: sb, shell: shell)
        let boot = try await h.boot(z.inittab, flag: flag)
        // a backgrounded launch may still be on its way to its method on a busy machine
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && !launches.allSatisfy({ l in sb.records().contains { $0.path == l.program } }) { try? await Task.sleep(nanoseconds: 20_000_000) }
        let recs = sb.records()
        let ctx = "\(z.name) under \(shell)\(flag.map { " with " + $0 } ?? "")"
        #expect(boot.problems.isEmpty, "\(ctx): \(boot.problems)", sourceLocation: sourceLocation)
        #expect(boot.smf != nil, "\(ctx): the smf command is not running", sourceLocation: sourceLocation)
        // setup: what the inittab's own lines call, once each, before any method
        let setupPrograms = ["/sbin/mountall", "/usr/bin/hostname", "/usr/bin/domainname", "/usr/bin/rm", "/usr/bin/touch", "/usr/sbin/nscd"]
        for p in setupPrograms where z.inittab.contains(p) {
            let n = recs.filter { $0.path == p }.count
            let commented = z.inittab.split(separator: "\n").filter { $0.contains(p) }.allSatisfy { $0.hasPrefix("#") }
            #expect(n == (commented ? 0 : 1), "\(ctx): \(p) called \(n) times: \(recs)", sourceLocation: sourceLocation)
        }
        if z.inittab.contains("/usr/bin/hostname") {
            #expect(recs.first { $0.path == "/usr/bin/hostname" }?.args == ["sandbox-node"], sourceLocation: sourceLocation)
        }
        if z.inittab.contains("/usr/bin/domainname") {
            #expect(recs.first { $0.path == "/usr/bin/domainname" }?.args == ["sandbox.domain"], sourceLocation: sourceLocation)
        }
        let firstMethod = recs.firstIndex { r in launches.contains { $0.program == r.path } }
        if let m = recs.firstIndex(where: { $0.path == "/sbin/mountall" }), let firstMethod {
            #expect(m < firstMethod, "\(ctx): a method ran before the mounts", sourceLocation: sourceLocation)
        }
        #expect(recs.filter { $0.path == "/sbin/autopush" }.count == (z.inittab.contains("ap::sysinit:/sbin/autopush") ? 1 : 0),
                sourceLocation: sourceLocation)
        for l in launches {
            let calls = recs.filter { $0.path == l.program && $0.env("SMF_FMRI") == l.fmri }
            #expect(calls.count == 1, "\(ctx): \(l) called \(calls.count) times", sourceLocation: sourceLocation)
            guard let c = calls.first else { continue }
            #expect(c.env("SMF_METHOD") == "start", sourceLocation: sourceLocation)
            #expect(c.env("SMF_RESTARTER") == "svc:/system/svc/restarter:default", sourceLocation: sourceLocation)
            #expect(c.env("SMF_ZONENAME") == "sandbox", sourceLocation: sourceLocation)
            #expect(c.env("SANDBOX_USER") == l.user, "\(ctx): \(l.fmri) ran as \(c.env("SANDBOX_USER") ?? "root")", sourceLocation: sourceLocation)
            if let wd = l.workingDirectory { #expect(c.cwd == wd, sourceLocation: sourceLocation) }
        }
        // every wanted service whose line is active was found and launched
        let active = activeFMRIs(z)
        #expect(Set(launches.map(\.fmri)) == active, "\(ctx): launched \(launches.map(\.fmri)), active lines for \(active.sorted())", sourceLocation: sourceLocation)
        return (h, sb, boot, launches)
    }

    /// The FMRIs of the active (not commented-out) launch lines.
    static func activeFMRIs(_ z: BlankZoneFiles) -> Set<String> {
        var out = Set<String>()
        for text in [z.inittab] + z.files.map(\.content) {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let r = line.range(of: "SMF_FMRI=") else { continue }
                let rest = line[r.upperBound...]
                out.insert(String(rest.prefix { $0 != " " && $0 != "'" }))
            }
        }
        return out
    }
}
