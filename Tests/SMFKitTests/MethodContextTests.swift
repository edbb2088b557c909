import Foundation
import Testing
@testable import SMFKit

/// The method context as launch-line wrappers (docs/PLAN.md, "Method
/// analysis"): each property carried by the illumos command that applies
/// it, in svc.startd's order, or a named reason when no command can.
@Suite("Method context carried on the launch line")
struct MethodContextTests {
    /// A root with /etc/passwd, /etc/group and one plain method script.
    static func root() -> TempDir {
        let dir = TempDir()
        dir.write("etc/passwd", """
            root:x:0:0:Super-User:/root:/usr/bin/bash
            daemon:x:1:12::/var/daemon:
            web:x:80:80:Web:/var/web:/usr/bin/false

            """)
        dir.write("etc/group", """
            root::0:
            other::1:
            daemon::12:daemon
            web::80:

            """)
        dir.write("lib/svc/method/plain", "#!/sbin/sh\nexec /usr/sbin/plaind\n")
        return dir
    }

    /// One service `site/m` whose start method has the given context.
    func analyze(_ context: String, exec: String = "/lib/svc/method/plain", root: TempDir? = nil) -> MethodAnalysis {
        let doc = manifest("""
            <service name='site/m' type='service' version='1'>
              <create_default_instance enabled='true'/>
              <exec_method type='method' name='start' exec='\(exec)' timeout_seconds='0'>
                \(context)
              </exec_method>
            </service>
            """)
        let repo = repository([("m.xml", doc)])
        let r = root ?? Self.root()
        return withExtendedLifetime(r) {
            MethodAnalyzer.analyze("svc:/site/m:default", graph: DependencyGraph(repo), repo: repo, lookup: .root(r.path))
        }
    }

    @Test("security flags: psecflags -s FLAGS -e, outermost; ':default' adds nothing; what svc.startd refuses fails under SMF too")
    func securityFlags() {
        let a = analyze("<method_context security_flags='aslr'/>")
        #expect(a.launch?.wrappers == [["/usr/bin/psecflags", "-s", "aslr", "-e"]])
        #expect(a.carried.contains("security flags aslr (/usr/bin/psecflags -s aslr -e)"))
        #expect(a.canRunWithoutSMF == true, "\(a.reasons)")
        let several = analyze("<method_context security_flags='aslr,-noexecstack,forbidnullmap'/>")
        #expect(several.launch?.wrappers == [["/usr/bin/psecflags", "-s", "aslr,-noexecstack,forbidnullmap", "-e"]])
        let none = analyze("<method_context security_flags='none'/>")
        #expect(none.launch?.wrappers == [["/usr/bin/psecflags", "-s", "none", "-e"]])
        let dflt = analyze("<method_context security_flags=':default'/>")
        #expect(dflt.launch?.wrappers == [])
        #expect(dflt.canRunWithoutSMF == true)
        // secflags_parse(NULL, ...) refuses 'default' and unknown names: svc.startd fails the method
        for bad in ["default,aslr", "aslr,", "nosuchflag", "L=aslr"] {
            let b = analyze("<method_context security_flags='\(bad)'/>")
            #expect(b.canRunWithoutSMF == false, "\(bad)")
            #expect(b.reasons.contains { $0.contains("security_flags '\(bad)' is refused by svc.startd") }, "\(bad): \(b.reasons)")
            #expect(b.launch?.wrappers == [], "\(bad)")
        }
    }

    @Test("root with privileges and limit privileges: ppriv -s I= -s L= -e after psecflags and newtask, before the shell")
    func rootPrivileges() throws {
        let a = analyze("""
            <method_context security_flags='aslr' project='svc.proj' resource_pool='web_pool'>
              <method_credential user='root' group='root' privileges='basic,!proc_info,net_privaddr' limit_privileges='all'/>
            </method_context>
            """)
        let launch = try #require(a.launch)
        #expect(launch.wrappers == [
            ["/usr/bin/psecflags", "-s", "aslr", "-e"],
            ["/usr/bin/newtask", "-p", "svc.proj"],
            ["/usr/sbin/poolbind", "-p", "web_pool", "-e"],
            ["/usr/bin/ppriv", "-s", "I=basic,!proc_info,net_privaddr", "-s", "L=all", "-e"],
        ])
        #expect(launch.user == nil)
        // root's home in the root's /etc/passwd, as svc.startd uses for an absent working_directory
        #expect(launch.workingDirectory == "/root")
        #expect(launch.exec == "exec /lib/svc/method/plain")
        #expect(a.notCarried.isEmpty)
        #expect(a.canRunWithoutSMF == true, "\(a.reasons)")
    }

    @Test("a user: su USER -c after the wrappers; primary group and home from the root's /etc/passwd; limit privileges survive su")
    func userCarried() throws {
        let a = analyze("""
            <method_context working_directory=':default'>
              <method_credential user='daemon' group='daemon' privileges='basic' limit_privileges='basic,net_privaddr,proc_setid,proc_taskid'/>
              <method_environment><envvar name='MODE' value='a b'/></method_environment>
            </method_context>
            """)
        let launch = try #require(a.launch)
        #expect(launch.user == "daemon")
        #expect(launch.wrappers == [["/usr/bin/ppriv", "-s", "L=basic,net_privaddr,proc_setid,proc_taskid", "-e"]])
        #expect(launch.workingDirectory == "/var/daemon")
        #expect(launch.environment.last == .init(name: "MODE", value: .literal("a b")))
        #expect(a.notCarried.isEmpty, "\(a.notCarried)")
        #expect(a.canRunWithoutSMF == true, "\(a.reasons)")
        #expect(a.launchLine?.hasSuffix("/usr/bin/ppriv -s L=basic,net_privaddr,proc_setid,proc_taskid -e /usr/bin/su daemon -c 'cd /var/daemon || exit 1; exec /lib/svc/method/plain'") == true,
                "\(a.launchLine ?? "nil")")
    }

    @Test("what no command carries: another group, supplementary groups, privileges or a project su undoes, LD_* through su, a shell that runs no -c, an RBAC profile")
    func vetoes() {
        let cases: [(String, String)] = [
            ("<method_credential user='daemon' group='other'/>", "group 'other'"),
            ("<method_credential user='root' group='other'/>", "group 'other'"),
            ("<method_credential user='root' group='sys'/>", "group 'sys'"),
            ("<method_credential user='daemon' supp_groups='web'/>", "supplementary groups 'web'"),
            ("<method_credential user='daemon' privileges='basic,net_privaddr'/>", "privileges 'basic,net_privaddr' for user daemon"),
            ("<method_credential user='web'/>", "login shell is /usr/bin/false"),
            ("<method_credential user='daemon' limit_privileges='basic,net_privaddr'/>", "needs proc_setid and proc_taskid"),
            ("<method_profile name='Web Server Management'/>", "RBAC profile 'Web Server Management'"),
        ]
        for (inner, needle) in cases {
            let a = analyze("<method_context>\(inner)</method_context>")
            #expect(a.canRunWithoutSMF == false, "\(inner)")
            #expect(a.reasons.contains { $0.contains(needle) && $0.contains("no launch-line command carries") }, "\(inner): \(a.reasons)")
        }
        let proj = analyze("<method_context project='p1'><method_credential user='daemon'/></method_context>")
        #expect(proj.canRunWithoutSMF == false)
        #expect(proj.notCarried.contains { $0.hasPrefix("project 'p1' for user daemon") })
        let ld = analyze("<method_context><method_credential user='daemon'/><method_environment><envvar name='LD_LIBRARY_PATH' value='/opt/lib'/></method_environment></method_context>")
        #expect(ld.notCarried.contains { $0.contains("LD_LIBRARY_PATH") && $0.contains("su removes LD_*") })
        #expect(ld.launch?.environment.contains { $0.name == "LD_LIBRARY_PATH" } == false)
        // the primary group matching by gid is carried
        let ok = analyze("<method_context><method_credential user='daemon' group='12'/></method_context>")
        #expect(ok.notCarried.isEmpty, "\(ok.notCarried)")
        // without /etc/passwd, a group named like the user is assumed with a warning, another is not known
        let empty = TempDir()
        empty.write("lib/svc/method/plain", "#!/sbin/sh\nexec /usr/sbin/plaind\n")
        let guess = analyze("<method_context><method_credential user='app' group='app'/></method_context>", root: empty)
        #expect(guess.canRunWithoutSMF == true, "\(guess.reasons)")
        #expect(guess.warnings.contains { $0.contains("group 'app' is taken to be the primary group of app") })
        let unknown = analyze("<method_context><method_credential user='app' group='staff'/></method_context>", root: empty)
        #expect(unknown.canRunWithoutSMF == nil)
        #expect(unknown.reasons.contains { $0.contains("group 'staff' may not be the primary group of app") })
    }

    @Test("an envvar name that is not a shell identifier never reaches the launch line: left out, a reason, and lint SMF031 at its line")
    func environmentNames() throws {
        let doc = manifest("""
            <service name='site/env' type='service' version='1'>
              <create_default_instance enabled='true'/>
              <exec_method type='method' name='start' exec='/lib/svc/method/plain' timeout_seconds='0'>
                <method_context>
                  <method_environment>
                    <envvar name='GOOD_1' value='$(touch /tmp/never)'/>
                    <envvar name='X=1 $(touch /tmp/P) Y' value='v'/>
                    <envvar name='1BAD' value='v'/>
                  </method_environment>
                </method_context>
              </exec_method>
            </service>
            """)
        let repo = repository([("env.xml", doc)])
        let diags = repo.diagnostics.filter { $0.code == .badEnvName }
        #expect(diags.count == 2)
        #expect(diags.map(\.location.line).sorted() == [10, 11], "\(diags)")
        #expect(diags.allSatisfy { $0.severity == .warning && $0.location.file.hasSuffix("env.xml") })
        #expect(diags.contains { $0.message.contains(#""X=1 $(touch /tmp/P) Y""#) })
        let r = Self.root()
        let a = MethodAnalyzer.analyze("svc:/site/env:default", graph: DependencyGraph(repo), repo: repo, lookup: .root(r.path))
        let launch = try #require(a.launch)
        #expect(launch.environment.map(\.name) == ["SMF_FMRI", "SMF_METHOD", "SMF_RESTARTER", "SMF_ZONENAME", "GOOD_1"])
        #expect(a.canRunWithoutSMF == false)
        #expect(a.reasons.filter { $0.contains("not a portable environment variable name") }.count == 2)
        #expect(!(a.launchLine ?? "").contains("touch /tmp/P"))
        // the value is one quoted word: the shell never runs it
        #expect((a.launchLine ?? "").contains(#"'GOOD_1=$(touch /tmp/never)'"#))
        #expect(MethodAnalyzer.isEnvironmentName("_a9") && !MethodAnalyzer.isEnvironmentName("a-b") && !MethodAnalyzer.isEnvironmentName(""))
    }

    /// The words a shell makes of `line`, run as `set -- LINE` (the
    /// command substitution of SMF_ZONENAME runs a program that is absent
    /// here and gives an empty value).
    static func words(of line: String, shell: String) -> [String]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: shell)
        p.arguments = ["-c", "set -- " + line + "\nfor a do printf '%s\\0' \"$a\"; done"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("an exec with '#', an unbalanced quote or a trailing backslash goes whole, as one argument of sh -c, prefixed 'exec ' as svc.startd does")
    func execVerbatim() throws {
        let shells = ["/usr/bin/ksh93", "/bin/ksh", "/usr/bin/dash", "/bin/dash"].filter { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(!shells.isEmpty, "no ksh93 or dash to parse the launch line")
        for exec in ["/usr/bin/d --x # not a comment", "/usr/bin/d 'unbalanced", "/usr/bin/d trailing\\", "/usr/bin/d \"$HOME\" ; echo `id`"] {
            let xml = exec.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&apos;")
                .replacingOccurrences(of: "\"", with: "&quot;")
            let a = analyze("<method_context><method_credential user='daemon' group='daemon'/></method_context>", exec: xml)
            let launch = try #require(a.launch, "\(exec): \(a.reasons)")
            let raw = exec
            #expect(launch.exec == "exec " + raw)
            for sh in shells {
                let w = try #require(Self.words(of: a.launchLine ?? "", shell: sh), "\(sh)")
                #expect(Array(w.suffix(4)) == ["/usr/bin/su", "daemon", "-c", "cd /var/daemon || exit 1; exec " + raw], "\(sh): \(w)")
            }
        }
    }

    @Test("expand() quotes property values as expand.c quote_for_shell does, and drops a final '%'")
    func expandQuoting() throws {
        let doc = manifest("""
            <service name='site/q' type='service' version='1'>
              <create_default_instance enabled='true'/>
              <exec_method type='method' name='start' exec='/x %{config/v} %' timeout_seconds='0'/>
              <property_group name='config' type='application'>
                <propval name='v' type='astring' value='a b;c$d&apos;e"f\\g'/>
              </property_group>
            </service>
            """)
        let repo = repository([("q.xml", doc)])
        let inst = try #require(repo.instance(fmri: "svc:/site/q:default"))
        let r = MethodAnalyzer.expand("/x %{config/v} %", method: "start", instance: inst, repo: repo)
        #expect(try r.get() == #"/x a\ b\;c$d\'e\"f\\g "#)
        #expect(MethodAnalyzer.quoteForShell("(a|b)^<c>\t`d`") == "\\(a\\|b\\)\\^\\<c\\>\\\t\\`d\\`")
        let other = MethodAnalyzer.expand("%{svc:/a/b:c/:properties/pg/p}", method: "start", instance: inst, repo: repo)
        #expect(throws: MethodAnalyzer.ExpansionError.otherInstance("svc:/a/b:c/:properties/pg/p")) { try other.get() }
    }

    @Test("oi-userland chrony on the illumos base: its security flags and privileges are carried by psecflags and ppriv, no longer a reason",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func chronyCorpus() throws {
        let input = try Analysis(repo: PlanCorpusTests.repo, requests: ["svc:/network/chrony:default"]).planInput()
        let v = Plan.verdict(input, ipType: .shared)
        let m = try #require(v.methods.first)
        #expect(m.fmri == "svc:/network/chrony:default")
        let launch = try #require(m.launch)
        #expect(launch.wrappers == [
            ["/usr/bin/psecflags", "-s", "aslr", "-e"],
            ["/usr/bin/ppriv", "-s", "I=basic,!file_link_any,!proc_info,!proc_session,file_chown_self,file_dac_search,file_dac_write,net_privaddr,proc_lock_memory,proc_priocntl,proc_setid,sys_time", "-e"],
        ])
        #expect(launch.user == nil && launch.exec == "exec /usr/sbin/chronyd")
        #expect(m.notCarried.isEmpty)
        #expect(m.carried.first == "security flags aslr (/usr/bin/psecflags -s aslr -e)")
        #expect(!v.reasons.contains { $0.words.contains("security flags") || $0.words.contains("cannot carry") })
        #expect(m.launchLine?.contains("/usr/bin/psecflags -s aslr -e /usr/bin/ppriv -s ") == true)
        // chronyd itself is not in the corpus: the answer stays "not known", said as such
        #expect(m.canRunWithoutSMF == nil)
        #expect(m.reasons == ["/usr/sbin/chronyd was not inspected (no --methods or --root maps it to a file here), so whether it talks to the SMF repository is not known"])
    }

    @Test("a script is inspected through the files it sources inside the root, bounded, smf_include.sh known")
    func sourcedInsideRoot() {
        let r = Self.root()
        r.write("lib/svc/method/a", """
            #!/sbin/sh
            . /lib/svc/share/smf_include.sh
            . /lib/svc/share/b.sh
            . /lib/svc/method/a
            exec /usr/sbin/ad

            """)
        r.write("lib/svc/share/b.sh", "# helpers\nport=`/usr/bin/svcprop -p config/port $SMF_FMRI`\n. ./relative.sh\n")
        let a = analyze("", exec: "/lib/svc/method/a", root: r)
        #expect(a.canRunWithoutSMF == false)
        #expect(a.reasons.contains { $0.hasPrefix("/lib/svc/share/b.sh:2 runs svcprop") }, "\(a.reasons)")
        #expect(a.reasons.contains { $0.hasPrefix("/lib/svc/share/b.sh:3 sources ./relative.sh") })
        guard case .script(_, let findings) = a.script else { Issue.record("not a script: \(a.script)"); return }
        #expect(findings.map(\.script) == ["/lib/svc/share/b.sh", "/lib/svc/share/b.sh"])
    }

    @Test("the context is read property by property: the method's own, else the instance's, else the service's, as librestart reads it")
    func contextLayers() throws {
        let doc = manifest("""
            <service name='site/layers' type='service' version='1'>
              <method_context project='svc.proj' security_flags='aslr'>
                <method_credential user='daemon' group='daemon'/>
                <method_environment><envvar name='FROM' value='service'/></method_environment>
              </method_context>
              <exec_method type='method' name='start' exec='/lib/svc/method/plain' timeout_seconds='0'>
                <method_context working_directory='/srv'/>
              </exec_method>
              <instance name='default' enabled='true'>
                <method_context security_flags='none'/>
              </instance>
            </service>
            """)
        let repo = repository([("layers.xml", doc)])
        let r = Self.root()
        let a = MethodAnalyzer.analyze("svc:/site/layers:default", graph: DependencyGraph(repo), repo: repo, lookup: .root(r.path))
        let launch = try #require(a.launch)
        #expect(launch.workingDirectory == "/srv")
        #expect(launch.user == "daemon")
        #expect(launch.wrappers == [["/usr/bin/psecflags", "-s", "none", "-e"]])
        #expect(launch.environment.last == .init(name: "FROM", value: .literal("service")))
        // the service's project with a user other than root: su would undo it
        #expect(a.notCarried.contains { $0.hasPrefix("project 'svc.proj' for user daemon") })
    }
}
