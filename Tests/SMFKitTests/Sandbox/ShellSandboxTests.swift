import Foundation
import Testing

@Suite("Shell sandbox")
struct ShellSandboxTests {
    @Test("the sandbox is available wherever CI runs (a skip in CI is a failure)")
    func availableInCI() {
        if ShellSandbox.isCI {
            #expect(ShellSandbox.isAvailable, "\(ShellSandbox.unavailableReason ?? "")")
        } else if let why = ShellSandbox.unavailableReason {
            print("note: shell sandbox tests skipped: \(why)")
        }
    }

    @Test("a stub records its path, argv and environment, in call order", .enabled(if: ShellSandbox.enabled), arguments: ShellSandbox.Shell.allCases)
    func records(shell: ShellSandbox.Shell) throws {
        let sb = try ShellSandbox()
        let r = try sb.run("/sbin/mountall -l; /usr/bin/hostname \"$(/usr/bin/cat /etc/nodename)\"; X='a b' /usr/sbin/svcadm enable 'it''s' ''", shell: shell)
        #expect(r.status == 0, "\(r) \(sb.msglog)")
        let recs = sb.records()
        #expect(recs.map(\.argv) == [["/sbin/mountall", "-l"], ["/usr/bin/cat", "/etc/nodename"], ["/usr/bin/hostname", ""],
                                     ["/usr/sbin/svcadm", "enable", "its", ""]], "\(recs)")
        #expect(recs.last?.env("X") == "a b")
        #expect(recs.first?.env("PATH") == "/sbin:/usr/sbin:/usr/bin")
    }

    @Test("nothing outside the stubs runs: an unknown path is not found, fds 0-2 are closed", .enabled(if: ShellSandbox.enabled), arguments: ShellSandbox.Shell.allCases)
    func confined(shell: ShellSandbox.Shell) throws {
        let sb = try ShellSandbox()
        #expect(try sb.run("/bin/touch /tmp/P", shell: shell).status == 127)
        #expect(!sb.exists("/tmp/P"))
        // init leaves 0, 1 and 2 closed: writing to stdout fails.
        try sb.run("echo x; echo $? >/tmp/st", shell: shell)
        #expect(sb.contents("/tmp/st").map { $0 != "0\n" } == true, "stdout was open: \(sb.contents("/tmp/st") ?? "nil")")
        #expect(sb.records().isEmpty)
    }

    @Test("the shells are the ones asked for", .enabled(if: ShellSandbox.enabled))
    func shells() throws {
        let sb = try ShellSandbox()
        let probe = "if (eval 'x=${.sh.version}') 2>/dev/null; then /usr/sbin/svcadm ksh; else /usr/sbin/svcadm dash; fi"
        try sb.run(probe, shell: .ksh93)
        try sb.run(probe, shell: .dash)
        #expect(sb.records().map(\.args) == [["ksh"], ["dash"]])
    }

    @Test("wrappers record and run what they wrap, leaving the credentials and flags in the chain", .enabled(if: ShellSandbox.enabled), arguments: ShellSandbox.Shell.allCases)
    func wrappers(shell: ShellSandbox.Shell) throws {
        let sb = try ShellSandbox()
        try sb.installStub("/lib/svc/method/app")
        let cmd = "/usr/bin/env SMF_FMRI=svc:/a:b SMF_ZONENAME=\"$(/sbin/zonename)\" /usr/bin/newtask -p web /usr/bin/psecflags -s aslr -e /usr/bin/ppriv -s A=basic -e /usr/bin/su app -c '/lib/svc/method/app start'"
        let r = try sb.run(cmd, shell: shell)
        #expect(r.status == 0, "\(r) \(sb.msglog)")
        let recs = sb.records()
        #expect(recs.map(\.path) == ["/sbin/zonename", "/usr/bin/env", "/usr/bin/newtask", "/usr/bin/psecflags", "/usr/bin/ppriv", "/usr/bin/su", "/lib/svc/method/app"], "\(recs)")
        let app = try #require(recs.last)
        #expect(app.args == ["start"])
        #expect(app.smf == ["SMF_FMRI": "svc:/a:b", "SMF_ZONENAME": "sandbox"])
        #expect(app.env("SANDBOX_USER") == "app")
        #expect(app.env("SANDBOX_PSECFLAGS") == "aslr")
        #expect(app.env("SANDBOX_PPRIV") == "A=basic")
        #expect(app.env("SANDBOX_PROJECT") == "web")
        // A wrapper used wrongly fails instead of running anything.
        #expect(try sb.run("/usr/bin/su app /lib/svc/method/app", shell: shell).status == 2)
    }

    @Test("sleep blocks on Inf, and refuses a second operand as illumos sleep does", .enabled(if: ShellSandbox.enabled))
    func sleepStub() throws {
        let sb = try ShellSandbox()
        #expect(try sb.run("exec /usr/bin/sleep Inf -s", shell: .ksh93).status == 1)
        let p = try sb.start("exec /usr/bin/sleep Inf", shell: .dash)
        let r = sb.wait(p, timeout: 0.5)
        #expect(r.timedOut)
        #expect(sb.processes().contains { $0.exe.hasSuffix("/.sandbox/bin/sleep") })
        sb.killAll()
        #expect(sb.processes().isEmpty)
        #expect(sb.records().map(\.argv) == [["/usr/bin/sleep", "Inf", "-s"], ["/usr/bin/sleep", "Inf"]])
    }
}
