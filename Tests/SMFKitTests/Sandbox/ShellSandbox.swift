import Foundation
import Testing

/// A throw-away root in which generated shell text runs the way illumos runs
/// it, and where no real system command can ever run.
///
/// The tree holds only: ksh93 and dash (with the shared libraries `ldd`
/// names), a few real tools under `/.sandbox/bin` that the stubs use (env,
/// sleep, cat), `/sbin/sh` (a link to the shell chosen for a run), a `/dev`
/// of regular files (`/dev/msglog`, `/dev/console`) plus `/dev/null`, and
/// recording stubs at the illumos paths the artefacts name (`/sbin/mountall`,
/// `/usr/bin/su`, ...; `/bin/sh` records and runs the shell of the run). Commands run through `chroot` (the tests run as root),
/// with a clean environment (`PATH=/sbin:/usr/sbin:/usr/bin`, as init sets)
/// and with fds 0, 1 and 2 closed, as init leaves them
/// (usr/src/cmd/init/init.c). A path that no stub stands for is simply not
/// there: the shell says "not found" into `/dev/msglog`... or nowhere.
///
/// Every stub appends one record (its path, argv, its whole environment) to
/// `/.sandbox/rec/N`, N a sequence number taken with an exclusive create, so
/// records are in call order. Wrapper stubs record and then run what they
/// wrap, and leave a trace of what they applied in the environment of the
/// rest of the chain: `su USER -c CMD` sets `SANDBOX_USER`, `psecflags -s F
/// -e CMD...` sets `SANDBOX_PSECFLAGS`, `ppriv -s SPEC... -e CMD...` sets
/// `SANDBOX_PPRIV`, `newtask -p P CMD...` sets `SANDBOX_PROJECT`. The sleep
/// stub records, refuses more than one operand as illumos sleep does, then
/// really blocks (`Inf` included).
///
/// The base tree is built once per test process and copied for each sandbox.
/// Use `ShellSandbox.enabled` as the test's `.enabled(if:)` condition: it is
/// true when the sandbox works, and also under `CI=true`, where `init()`
/// then throws (a skip in CI is a failure).
final class ShellSandbox: @unchecked Sendable {
    enum Shell: String, CaseIterable, Sendable, CustomStringConvertible {
        case ksh93, dash
        var description: String { rawValue }
    }

    enum SandboxError: Error, CustomStringConvertible, Sendable {
        case unavailable(String)
        case failed(String)
        var description: String {
            switch self {
            case .unavailable(let s): "the shell sandbox cannot run here: \(s)"
            case .failed(let s): "shell sandbox: \(s)"
            }
        }
    }

    /// What a recording stub does after recording.
    enum StubBehavior: Sendable {
        /// Writes `output` to its stdout and exits with `status`.
        case record(output: String = "", status: Int32 = 0)
        /// Blocks until killed (a daemon that stays in the foreground).
        case block
    }

    /// One call of a stub.
    struct Record: Sendable, CustomStringConvertible {
        var seq: Int
        /// The stub's path in the zone (`/sbin/mountall`).
        var path: String
        /// The working directory it was called in.
        var cwd: String
        /// The arguments, argv[0] excluded.
        var args: [String]
        /// The stub's environment, in the order `env` printed it.
        var environment: [(name: String, value: String)]
        func env(_ name: String) -> String? { environment.first { $0.name == name }?.value }
        /// The environment variables whose names start with `SMF_`.
        var smf: [String: String] {
            Dictionary(environment.filter { $0.name.hasPrefix("SMF_") }.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        /// `[path] + args`.
        var argv: [String] { [path] + args }
        var description: String { "#\(seq) " + argv.map { shellWordForDisplay($0) }.joined(separator: " ") }
    }

    struct RunResult: Sendable, CustomStringConvertible {
        /// The exit status of the shell (128+N when killed by signal N), nil when it timed out.
        var status: Int32?
        var timedOut: Bool { status == nil }
        /// What the chroot step itself printed on the host (not the command: its fds are closed).
        var hostOutput: String
        var description: String { timedOut ? "timed out" : "exit \(status ?? -1)" + (hostOutput.isEmpty ? "" : " (\(hostOutput))") }
    }

    // MARK: availability and the base tree

    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The base tree, or why there is none; built at first use.
    private static let base: Result<String, SandboxError> = buildBase()

    /// Why the sandbox cannot run, nil when it can.
    static var unavailableReason: String? {
        if case .failure(let e) = base { return e.description }
        return nil
    }
    static var isAvailable: Bool { unavailableReason == nil }
    /// For `.enabled(if:)`: run where the sandbox works, and always in CI (where `init` throws).
    static var enabled: Bool { isAvailable || isCI }
    /// The shells this machine has (both, or the run is not available).
    static let shells = Shell.allCases

    private static func findShell(_ s: Shell) -> String? {
        let candidates = s == .ksh93 ? ["/usr/bin/ksh93", "/bin/ksh93", "/usr/bin/ksh", "/bin/ksh"] : ["/usr/bin/dash", "/bin/dash"]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) {
            if s == .ksh93 {
                // Only a ksh93 will do (illumos's /sbin/sh), not a pdksh or mksh called ksh.
                let r = hostRun(c, ["-c", "echo ${.sh.version}"])
                if r.status == 0 && r.output.contains("93") { return c }
            } else {
                return c
            }
        }
        return nil
    }

    private static func buildBase() -> Result<String, SandboxError> {
        if geteuid() != 0 { return .failure(.unavailable("not root: chroot needs root")) }
        guard let chroot = chrootPath else { return .failure(.unavailable("no chroot program")) }
        var shellPaths: [Shell: String] = [:]
        for s in Shell.allCases {
            guard let p = findShell(s) else { return .failure(.unavailable("no \(s) on this machine (install ksh and dash)")) }
            shellPaths[s] = p
        }
        removeStaleBases()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("smf-minimize-sandbox-base-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
        do {
            let fm = FileManager.default
            for d in ["/.sandbox/bin", "/.sandbox/rec", "/dev", "/tmp", "/etc", "/var/adm", "/var/run", "/sbin", "/usr/bin", "/usr/sbin", "/lib/svc/method", "/lib/svc/bin"] {
                try fm.createDirectory(atPath: root + d, withIntermediateDirectories: true)
            }
            chmod(root + "/tmp", 0o1777)
            for (s, p) in shellPaths { try copyProgram(p, as: "/.sandbox/bin/\(s.rawValue)", into: root) }
            for tool in ["env", "sleep", "cat"] {
                guard let p = ["/usr/bin/\(tool)", "/bin/\(tool)"].first(where: { fm.isExecutableFile(atPath: $0) }) else {
                    return .failure(.unavailable("no \(tool) on this machine"))
                }
                try copyProgram(p, as: "/.sandbox/bin/\(tool)", into: root)
            }
            if mknod(root + "/dev/null", S_IFCHR | 0o666, dev_t((1 << 8) | 3)) != 0 {
                // No device node: a regular file that is emptied before each run.
                _ = fm.createFile(atPath: root + "/dev/null", contents: Data())
            }
            chmod(root + "/dev/null", 0o666)
            for f in ["/dev/msglog", "/dev/console"] { _ = fm.createFile(atPath: root + f, contents: Data()) }
            try fm.createSymbolicLink(atPath: root + "/sbin/sh", withDestinationPath: "/.sandbox/bin/ksh93")
            // The launcher plays init's part: fds 0, 1, 2 closed, then
            // execle("/sbin/sh", "INITSH", "-c", cmd) (usr/src/cmd/init/init.c).
            try write(root, "/.sandbox/bin/launch-c", """
                #!/.sandbox/bin/ksh93
                exec 0<&- 1>&- 2>&-
                exec -a INITSH /sbin/sh -c "$1"

                """, executable: true)
            try write(root, "/.sandbox/bin/launch-script", """
                #!/.sandbox/bin/ksh93
                exec 0<&- 1>&- 2>&-
                exec /sbin/sh "$@"

                """, executable: true)
            for (path, behavior) in defaultStubs { try write(root, path, stubScript(path: path, behavior: behavior), executable: true) }
            for (path, text) in wrapperStubs { try write(root, path, stubPrologue(path) + text, executable: true) }
            // A trial run: the tree works, or the sandbox is unavailable.
            let trial = hostRun(chroot, [root, "/.sandbox/bin/dash", "-c", "/sbin/mountall -x; exit 7"], env: ["PATH": "/sbin:/usr/sbin:/usr/bin"])
            let recs = (try? fm.contentsOfDirectory(atPath: root + "/.sandbox/rec")) ?? []
            guard trial.status == 7, recs == ["0"] else {
                return .failure(.unavailable("a trial chroot run failed (exit \(trial.status), \(recs.count) records): \(trial.output)"))
            }
            try fm.removeItem(atPath: root + "/.sandbox/rec/0")
        } catch {
            return .failure(.unavailable("cannot build the base tree: \(error)"))
        }
        return .success(root)
    }

    private static let chrootPath: String? = ["/usr/sbin/chroot", "/sbin/chroot", "/usr/bin/chroot"]
        .first(where: { FileManager.default.isExecutableFile(atPath: $0) })

    /// Removes base trees left by test processes that are gone.
    private static func removeStaleBases() {
        let tmp = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] {
            for prefix in ["smf-minimize-sandbox-base-", "smf-minimize-sandbox-"] where name.hasPrefix(prefix) {
                let rest = name.dropFirst(prefix.count)
                let pidText = rest.split(separator: "-").first.map(String.init) ?? ""
                if let pid = Int32(pidText), kill(pid, 0) != 0, errno == ESRCH {
                    try? FileManager.default.removeItem(atPath: tmp + "/" + name)
                }
                break
            }
        }
    }

    /// Copies a host program and the shared libraries `ldd` names into the tree.
    private static func copyProgram(_ host: String, as path: String, into root: String) throws {
        try copyFile(host, to: root + path)
        let r = hostRun("/usr/bin/ldd", [host])
        for line in r.output.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var lib: String?
            if let arrow = words.firstIndex(of: "=>"), arrow + 1 < words.count, words[arrow + 1].hasPrefix("/") { lib = words[arrow + 1] }
            else if let first = words.first, first.hasPrefix("/") { lib = first }
            guard let lib, !FileManager.default.fileExists(atPath: root + lib) else { continue }
            try copyFile(lib, to: root + lib)
        }
    }

    private static func copyFile(_ from: String, to: String) throws {
        guard let data = FileManager.default.contents(atPath: from) else { throw SandboxError.failed("cannot read \(from)") }
        try writeBytes(Array(data), to: to, executable: true)
    }

    private static func write(_ root: String, _ path: String, _ text: String, executable: Bool) throws {
        try writeBytes(Array(text.utf8), to: root + path, executable: executable)
    }

    private static func writeBytes(_ bytes: [UInt8], to full: String, executable: Bool) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? fm.removeItem(atPath: full)  // a new inode: never write through a link or into the base tree
        // O_CLOEXEC: a process spawned meanwhile by another test must not keep
        // the file open for writing, or exec'ing it fails with ETXTBSY.
        let fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, executable ? 0o755 : 0o644)
        guard fd >= 0 else { throw SandboxError.failed("cannot write \(full): \(String(cString: strerror(errno)))") }
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard n == bytes.count else { throw SandboxError.failed("cannot write \(full)") }
        chmod(full, executable ? 0o755 : 0o644)
    }

    // MARK: stubs

    /// The record every stub writes first: sequence number by exclusive
    /// create (noclobber), then path, working directory, argc, argv, `env -0`,
    /// and an end mark.
    static func stubPrologue(_ path: String) -> String {
        """
        #!/.sandbox/bin/dash
        # smf-minimize test sandbox: a recording stub for \(path.replacingOccurrences(of: "\n", with: "\\n"))
        __rec() {
        \tset -C
        \t__n=0
        \tuntil { true >"/.sandbox/rec/$__n"; } 2>/dev/null; do __n=$((__n+1)); done
        \tset +C
        \t{ printf '%s\\0' \(shellWordForDisplay(path)) "$(pwd)" "$#" "$@"; /.sandbox/bin/env -0; printf '%s\\0' '@end'; } >>"/.sandbox/rec/$__n"
        }
        __rec "$@"

        """
    }

    static func stubScript(path: String, behavior: StubBehavior) -> String {
        switch behavior {
        case .record(let output, let status):
            return stubPrologue(path) + (output.isEmpty ? "" : "printf '%s' \(quoteForStub(output))\n") + "exit \(status)\n"
        case .block:
            return stubPrologue(path) + "exec /.sandbox/bin/sleep infinity\n"
        }
    }

    /// The stubs every sandbox has: the illumos programs the artefacts name.
    static let defaultStubs: [(String, StubBehavior)] = [
        ("/sbin/mountall", .record()),
        ("/sbin/zonename", .record(output: "sandbox\n")),
        ("/sbin/autopush", .record()),
        ("/sbin/soconfig", .record()),
        ("/usr/sbin/shutdown", .record()),
        ("/usr/bin/hostname", .record()),
        ("/usr/bin/domainname", .record()),
        ("/usr/bin/rm", .record()),
        ("/usr/bin/touch", .record()),
        ("/usr/sbin/nscd", .record()),
        ("/usr/sbin/svcadm", .record()),
        ("/usr/sbin/svccfg", .record()),
        ("/usr/bin/svcprop", .record()),
        ("/usr/bin/svcs", .record()),
        ("/lib/svc/bin/svc.startd", .block),
    ]

    /// The body of a wrapper `TOOL -s OPERAND... -e CMD [ARG...]`: exports
    /// the -s value as `variable` (the last one; every one, space-separated,
    /// when `repeatable`) and runs CMD.
    static func optionThenExecStub(_ tool: String, operand: String, variable: String, repeatable: Bool) -> String {
        """
        __v=
        while [ $# -gt 0 ]; do
        \tcase $1 in
        \t-s) [ $# -ge 2 ] || exit 2; __v=\(repeatable ? "\"${__v:+$__v }$2\"" : "$2"); shift 2 ;;
        \t-e) shift; break ;;
        \t*) echo "\(tool) stub: unexpected $1" >&2; exit 2 ;;
        \tesac
        done
        [ -n "$__v" ] && [ $# -gt 0 ] || { echo "\(tool) stub: want -s \(operand) -e CMD" >&2; exit 2; }
        \(variable)=$__v
        export \(variable)
        exec "$@"

        """
    }

    /// Wrappers: record, then run what they wrap (after the common prologue).
    static let wrapperStubs: [(String, String)] = [
        ("/usr/bin/env", "exec /.sandbox/bin/env \"$@\"\n"),
        ("/usr/bin/cat", "exec /.sandbox/bin/cat \"$@\"\n"),
        // illumos /bin/sh (/bin is /usr/bin) is ksh93: the shell of the run, as /sbin/sh.
        // lsvcrun runs the legacy rc scripts with it (`/bin/sh SCRIPT start`).
        ("/bin/sh", "exec /sbin/sh \"$@\"\n"),
        // illumos sleep takes one operand (usr/src/cmd/sleep/sleep.c); Inf sleeps forever.
        ("/usr/bin/sleep", """
            if [ $# -ne 1 ]; then echo "sleep: only one operand is supported" >&2; exit 1; fi
            case $1 in Inf|inf|Infinity|infinity) exec /.sandbox/bin/sleep infinity ;; esac
            exec /.sandbox/bin/sleep "$1"

            """),
        // su [-] USER -c CMD: the user's shell (here /sbin/sh) runs CMD.
        ("/usr/bin/su", """
            [ "$1" = - ] && shift
            if [ $# -ne 3 ] || [ "$2" != -c ] || [ -z "$1" ]; then echo "su stub: want USER -c CMD, got: $*" >&2; exit 2; fi
            SANDBOX_USER=$1
            export SANDBOX_USER
            exec /sbin/sh -c "$3"

            """),
        // psecflags -s FLAGS -e CMD [ARG...]
        ("/usr/bin/psecflags", optionThenExecStub("psecflags", operand: "FLAGS", variable: "SANDBOX_PSECFLAGS", repeatable: false)),
        // ppriv -s SPEC [-s SPEC]... -e CMD [ARG...]
        ("/usr/bin/ppriv", optionThenExecStub("ppriv", operand: "SPEC", variable: "SANDBOX_PPRIV", repeatable: true)),
        // newtask [-v] [-l] [-F] -p PROJECT CMD [ARG...]
        ("/usr/bin/newtask", """
            __p=
            while [ $# -gt 0 ]; do
            \tcase $1 in
            \t-p) [ $# -ge 2 ] || exit 2; __p=$2; shift 2 ;;
            \t-v|-l|-F) shift ;;
            \t*) break ;;
            \tesac
            done
            [ -n "$__p" ] && [ $# -gt 0 ] || { echo "newtask stub: want -p PROJECT CMD" >&2; exit 2; }
            SANDBOX_PROJECT=$__p
            export SANDBOX_PROJECT
            exec "$@"

            """),
    ]

    // MARK: one sandbox

    /// The tree on the host.
    let root: String
    private var shell: Shell = .ksh93
    private var running: [SandboxProcess] = []

    init() throws {
        let base: String
        switch Self.base {
        case .success(let b): base = b
        case .failure(let e): throw e
        }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("smf-minimize-sandbox-\(getpid())-\(UUID().uuidString)").path
        let r = Self.hostRun("/bin/cp", ["-a", base, root])
        guard r.status == 0 else { throw SandboxError.failed("cannot copy the base tree: \(r.output)") }
    }

    deinit {
        killAll()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes a file at `path` in the zone.
    func install(_ path: String, content: String, executable: Bool = false) throws {
        try Self.write(root, path, content, executable: executable)
    }

    /// Puts a recording stub at `path` (replacing whatever is there).
    func installStub(_ path: String, _ behavior: StubBehavior = .record()) throws {
        try Self.write(root, path, Self.stubScript(path: path, behavior: behavior), executable: true)
    }

    /// Puts a recording stub at `path` that then runs `then` (dash text, "$@" the arguments).
    func installStub(_ path: String, then text: String) throws {
        try Self.write(root, path, Self.stubPrologue(path) + text + "\n", executable: true)
    }

    /// Makes `/sbin/sh` the given shell.
    func use(_ s: Shell) throws {
        let link = root + "/sbin/sh"
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/.sandbox/bin/\(s.rawValue)")
        shell = s
    }

    /// Runs `/sbin/sh -c COMMAND` as init runs a process field (argv[0]
    /// INITSH, fds 0-2 closed, PATH=/sbin:/usr/sbin:/usr/bin), and waits.
    @discardableResult
    func run(_ command: String, shell: Shell = .ksh93, timeout: Double = 10, environment: [String: String] = [:]) throws -> RunResult {
        try use(shell)
        let p = try spawn(["/.sandbox/bin/launch-c", command], environment: environment)
        return wait(p, timeout: timeout)
    }

    /// Runs `/sbin/sh SCRIPT ARGS...` (a file in the zone) and waits.
    @discardableResult
    func runScript(_ path: String, args: [String] = [], shell: Shell = .ksh93, timeout: Double = 10, environment: [String: String] = [:]) throws -> RunResult {
        try use(shell)
        let p = try spawn(["/.sandbox/bin/launch-script", path] + args, environment: environment)
        return wait(p, timeout: timeout)
    }

    /// Starts `/sbin/sh -c COMMAND` as `run` does, without waiting.
    func start(_ command: String, shell: Shell = .ksh93, environment: [String: String] = [:]) throws -> SandboxProcess {
        try use(shell)
        return try spawn(["/.sandbox/bin/launch-c", command], environment: environment)
    }

    /// Waits for a started command; nil status when `timeout` passes first.
    /// `wait` that gives its thread back while waiting (tests run many boots at once).
    func waitAsync(_ p: SandboxProcess, timeout: Double) async -> RunResult {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 5_000_000) }
        let out = (try? String(contentsOfFile: root + "/.sandbox/host-output", encoding: .utf8)) ?? ""
        return RunResult(status: p.status, hostOutput: out)
    }

    /// `run`, waiting without holding a thread.
    func runAsync(_ command: String, shell: Shell = .ksh93, timeout: Double = 10, environment: [String: String] = [:]) async throws -> RunResult {
        try use(shell)
        let p = try spawn(["/.sandbox/bin/launch-c", command], environment: environment)
        return await waitAsync(p, timeout: timeout)
    }

    func wait(_ p: SandboxProcess, timeout: Double) -> RunResult {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(2_000) }
        let out = (try? String(contentsOfFile: root + "/.sandbox/host-output", encoding: .utf8)) ?? ""
        return RunResult(status: p.status, hostOutput: out)
    }

    private func spawn(_ args: [String], environment: [String: String]) throws -> SandboxProcess {
        if !Self.isDevice(root + "/dev/null") { _ = FileManager.default.createFile(atPath: root + "/dev/null", contents: Data()) }
        let outPath = root + "/.sandbox/host-output"
        _ = FileManager.default.createFile(atPath: outPath, contents: Data())
        let env = ["PATH": "/sbin:/usr/sbin:/usr/bin"].merging(environment) { _, new in new }
        let p = try SandboxProcess.spawn(Self.chrootPath ?? "/usr/sbin/chroot", [root] + args,
                                         environment: env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
                                         output: outPath)
        running.append(p)
        return p
    }

    private static func isDevice(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR
    }

    /// A process whose root is this tree.
    struct TreeProcess: Sendable {
        var pid: Int32
        var ppid: Int32
        /// Its process group: each command the sandbox starts leads its own
        /// group, and what it starts in the background stays in it (the
        /// tests' stand-in for a process contract).
        var pgrp: Int32
        var exe: String
        var cmdline: [String]
    }

    /// The processes whose root is this tree (`/proc/PID/root`), zombies left out.
    func processes() -> [TreeProcess] {
        let fm = FileManager.default
        let real = (root as NSString).resolvingSymlinksInPath
        var out: [TreeProcess] = []
        for name in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name), let r = try? fm.destinationOfSymbolicLink(atPath: "/proc/\(name)/root"), r == real else { continue }
            let stat = String(decoding: fm.contents(atPath: "/proc/\(name)/stat") ?? Data(), as: UTF8.self)
            guard let close = stat.lastIndex(of: ")") else { continue }
            let f = stat[stat.index(after: close)...].split(separator: " ")
            guard f.count > 3, f[0] != "Z", let ppid = Int32(f[1]), let pgrp = Int32(f[2]) else { continue }
            let exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/\(name)/exe")) ?? ""
            let cmd = (fm.contents(atPath: "/proc/\(name)/cmdline") ?? Data()).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            out.append(TreeProcess(pid: pid, ppid: ppid, pgrp: pgrp, exe: exe, cmdline: cmd))
        }
        return out
    }

    /// The processes of the group a started command leads.
    func processes(startedBy p: SandboxProcess) -> [TreeProcess] {
        processes().filter { $0.pgrp == p.processIdentifier }
    }

    /// Kills every process of the tree (SIGKILL), the started ones included.
    func killAll() {
        for _ in 0..<20 {
            let ps = processes()
            if ps.isEmpty { break }
            for p in ps { kill(p.pid, SIGKILL) }
            usleep(10_000)
        }
        for p in running where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in running { p.waitUntilExit() }
        running = []
    }

    /// Every stub call so far, in order.
    func records() -> [Record] {
        let dir = root + "/.sandbox/rec"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).compactMap(Int.init).sorted()
        var out: [Record] = []
        for n in names {
            var fields: [String] = []
            for _ in 0..<50 {  // a stub may still be writing its record
                let data = FileManager.default.contents(atPath: "\(dir)/\(n)") ?? Data()
                fields = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
                if fields.count >= 2 && fields[fields.count - 2] == "@end" { break }
                usleep(10_000)
            }
            guard fields.count >= 5, fields[fields.count - 2] == "@end", let argc = Int(fields[2]), fields.count >= 3 + argc + 2 else {
                out.append(Record(seq: n, path: "<incomplete record>", cwd: "", args: fields, environment: []))
                continue
            }
            let args = Array(fields[3..<(3 + argc)])
            let env = fields[(3 + argc)..<(fields.count - 2)].map { e -> (String, String) in
                guard let eq = e.firstIndex(of: "=") else { return (e, "") }
                return (String(e[..<eq]), String(e[e.index(after: eq)...]))
            }
            out.append(Record(seq: n, path: fields[0], cwd: fields[1], args: args, environment: env.map { (name: $0.0, value: $0.1) }))
        }
        return out
    }

    /// Forgets the records so far.
    func clearRecords() {
        let dir = root + "/.sandbox/rec"
        for n in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] { try? FileManager.default.removeItem(atPath: dir + "/" + n) }
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root + path) }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: root + path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// What reached /dev/msglog (and /dev/console): error messages of the shells and stubs.
    var msglog: String { (contents("/dev/msglog") ?? "") + (contents("/dev/console") ?? "") }

    // MARK: host helpers

    static func hostRun(_ tool: String, _ args: [String], env: [String: String]? = nil) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        if let env { p.environment = env }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Single-quotes for the stub scripts (the tests' own copy: the sandbox must
/// not depend on the quoting it is there to check).
func quoteForStub(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\"'\"'") + "'" }

/// A word for display in records and messages.
func shellWordForDisplay(_ s: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:,+=@%")
    return !s.isEmpty && s.allSatisfy({ safe.contains($0) }) ? s : quoteForStub(s)
}

/// A process the sandbox started: `posix_spawn` in a new process group
/// (the group stands for init's process contract), reaped by `waitpid` on
/// its own pid only. (Foundation's `Process` reports a shell as running
/// until what it started in the background has exited too, which is not
/// what init sees.)
final class SandboxProcess: @unchecked Sendable {
    let processIdentifier: Int32
    private let lock = NSLock()
    private var exit: Int32?

    private init(pid: Int32) { processIdentifier = pid }

    static func spawn(_ path: String, _ args: [String], environment: [String], output: String) throws -> SandboxProcess {
        var fa = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fa)
        defer { posix_spawn_file_actions_destroy(&fa) }
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fa, 1, output, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_adddup2(&fa, 1, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &fa, &attr, argv, envp)
        guard rc == 0 else { throw ShellSandbox.SandboxError.failed("posix_spawn \(path): \(String(cString: strerror(rc)))") }
        return SandboxProcess(pid: pid)
    }

    /// The exit status (128+N for signal N), nil while running.
    var status: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if exit == nil {
            var st: Int32 = 0
            let r = waitpid(processIdentifier, &st, WNOHANG)
            if r == processIdentifier {
                exit = (st & 0x7f) == 0 ? (st >> 8) & 0xff : 128 + (st & 0x7f)
            } else if r < 0 && errno == ECHILD {
                exit = -1
            }
        }
        return exit
    }

    var isRunning: Bool { status == nil }

    func waitUntilExit() { while isRunning { usleep(2_000) } }
}
