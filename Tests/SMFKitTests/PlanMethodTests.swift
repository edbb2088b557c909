import Foundation
import Testing
@testable import SMFKit

@Suite("Method analysis")
struct PlanMethodTests {
    let repo = PlanFixtures.repo
    let lookup = PlanFixtures.lookup

    func analyze(_ fmri: String, lookup: ScriptLookup? = nil) -> MethodAnalysis {
        MethodAnalyzer.analyze(fmri, graph: PlanFixtures.graph, repo: repo, lookup: lookup ?? self.lookup)
    }

    @Test("%m %i %f %s %r %% and %{...} expand as svc.startd expands them, instance property groups first")
    func tokens() {
        let a = analyze("svc:/site/tokens:one")
        #expect(a.expanded == #"/lib/svc/method/site-tokens start one svc:/site/tokens:one site/tokens svc.startd 100% 25 a.example b\'x a.example,b\'x a.example:b\'x"#)
        #expect(a.launch?.exec == "exec " + (a.expanded ?? ""))
        #expect(a.canRunWithoutSMF == true, "\(a.reasons)")
    }

    @Test("%{pg/prop} falls back to the service's property group; a spec without '/' means 'application'")
    func propertyFallback() throws {
        let inst = try #require(repo.instance(fmri: "svc:/site/app:default"))
        let r = MethodAnalyzer.expand("x %{config/port}", method: "start", instance: inst, repo: repo)
        #expect(try r.get() == "x 8080")
        let missing = MethodAnalyzer.expand("x %{port}", method: "start", instance: inst, repo: repo)
        #expect(throws: MethodAnalyzer.ExpansionError.missingProperty("application/port")) { try missing.get() }
    }

    @Test("an unknown token and a missing property are reasons it cannot run without SMF")
    func badTokens() {
        let bad = analyze("svc:/site/badtoken:default")
        #expect(bad.canRunWithoutSMF == false)
        #expect(bad.reasons.contains { $0.contains("'%z'") && $0.contains("unknown method token") })
        #expect(bad.launchLine == nil)
        let noprop = analyze("svc:/site/noprop:default")
        #expect(noprop.canRunWithoutSMF == false)
        #expect(noprop.reasons.contains { $0.contains("%{config/missing}") })
    }

    @Test("startd/duration: child, transient, absent = contract, and 'wait' is contract with a warning")
    func durations() {
        #expect(analyze("svc:/site/app:default").duration == .child)
        #expect(analyze("svc:/site/privs:default").duration == .transient)
        let web = analyze("svc:/site/web:default")
        #expect(web.duration == .contract && web.durationValue == nil)
        let wait = analyze("svc:/site/tokens:one")
        #expect(wait.duration == .contract && wait.durationValue == "wait")
        #expect(wait.warnings.contains { $0.contains("'wait'") && $0.contains("not read as 'child'") })
        #expect(analyze("svc:/site/app:default").longRunning)
        #expect(!analyze("svc:/site/privs:default").longRunning)
    }

    @Test(":true needs nothing, :kill cannot start anything, no start method is a success")
    func keywords() {
        let nop = analyze("svc:/site/nop:default")
        #expect(nop.keyword == ":true" && nop.canRunWithoutSMF == true && nop.launchLine == nil && !nop.longRunning)
        let kill = analyze("svc:/site/killer:default")
        #expect(kill.keyword == ":kill" && kill.canRunWithoutSMF == false)
        let none = analyze("svc:/site/nomethod:default")
        #expect(none.exec == nil && none.canRunWithoutSMF == true && none.launchLine == nil)
    }

    @Test("working directory, environment and user are carried; SMF_ variables are set on the launch line")
    func contextCarried() {
        let a = analyze("svc:/site/app:default")
        #expect(a.launchLine == #"/usr/bin/env SMF_FMRI=svc:/site/app:default SMF_METHOD=start SMF_RESTARTER=svc:/system/svc/restarter:default SMF_ZONENAME="$(/sbin/zonename)" 'APP_MODE=production run' /usr/bin/su app -c 'cd /var/app || exit 1; exec /lib/svc/method/site-app start 8080'"#)
        #expect(a.carried == ["user app (/usr/bin/su app -c)", "working directory /var/app (cd)", "environment APP_MODE (/usr/bin/env)"])
        #expect(a.notCarried.isEmpty)
        #expect(a.canRunWithoutSMF == true, "\(a.reasons)")
    }

    @Test("privileges, limit privileges and project are carried with ppriv and newtask; shell syntax goes through sh -c")
    func privileges() {
        let a = analyze("svc:/site/privs:default")
        #expect(a.launchLine == #"/usr/bin/env SMF_FMRI=svc:/site/privs:default SMF_METHOD=start SMF_RESTARTER=svc:/system/svc/restarter:default SMF_ZONENAME="$(/sbin/zonename)" /usr/bin/newtask -p app.proj /usr/bin/ppriv -s I=basic,net_privaddr -s L=basic,net_privaddr,proc_exec -e /sbin/sh -c 'exec /lib/svc/method/site-solo; echo started'"#)
        #expect(a.launch?.wrappers == [["/usr/bin/newtask", "-p", "app.proj"],
                                       ["/usr/bin/ppriv", "-s", "I=basic,net_privaddr", "-s", "L=basic,net_privaddr,proc_exec", "-e"]])
        #expect(a.carried == ["project app.proj (/usr/bin/newtask -p app.proj)",
                              "limit privileges basic,net_privaddr,proc_exec (/usr/bin/ppriv -s L=basic,net_privaddr,proc_exec -e)",
                              "privileges basic,net_privaddr (/usr/bin/ppriv -s I=basic,net_privaddr -e)"])
        #expect(a.canRunWithoutSMF == true, "\(a.reasons)")
    }

    @Test("security flags, project and resource pool are carried by psecflags, newtask and poolbind in svc.startd's order; an RBAC profile is the one reason")
    func notCarried() {
        let a = analyze("svc:/site/rbac:default")
        #expect(a.canRunWithoutSMF == false)
        #expect(a.launch?.wrappers == [["/usr/bin/psecflags", "-s", "aslr", "-e"], ["/usr/bin/newtask", "-p", "app.proj"],
                                       ["/usr/sbin/poolbind", "-p", "pool_app", "-e"]])
        #expect(a.notCarried == ["RBAC profile 'Web Server Management' (method_profile: svc.startd applies that profile's exec_attr entry; pfexec only uses the caller's own profiles)"])
        #expect(a.reasons.contains { $0.contains("RBAC profile 'Web Server Management'") && $0.contains("no launch-line command carries") })
        #expect(!a.reasons.contains { $0.contains("security flags") || $0.contains("resource pool") })
        #expect(a.carried.contains("security flags aslr (/usr/bin/psecflags -s aslr -e)"))
        #expect(a.carried.contains("resource pool pool_app (/usr/sbin/poolbind -p pool_app -e)"))
    }

    @Test("a script that calls svcprop needs SMF; smf_present is a warning; comments do not count")
    func scripts() {
        let web = analyze("svc:/site/web:default")
        #expect(web.canRunWithoutSMF == false)
        #expect(web.reasons.contains { $0.contains("/lib/svc/method/site-web:4 runs svcprop") })
        #expect(web.warnings.contains { $0.contains("smf_present") })
        let app = analyze("svc:/site/app:default")
        guard case .script(_, let findings) = app.script else { Issue.record("not read as a script: \(app.script)"); return }
        #expect(findings.isEmpty)
    }

    @Test("a script sourcing a file that cannot be read is not known, never guessed")
    func sourcedUnknown() {
        let a = analyze("svc:/site/sourcer:default")
        #expect(a.canRunWithoutSMF == nil)
        #expect(a.reasons.contains { $0.contains("sources /lib/svc/share/site_helpers.sh") })
    }

    @Test("without --methods nothing is inspected and the answer is not known")
    func notInspected() {
        let a = analyze("svc:/site/solo:default", lookup: .unavailable)
        #expect(a.canRunWithoutSMF == nil)
        #expect(a.script == .notInspected(program: "/lib/svc/method/site-solo", why: "no --methods or --root maps it to a file here"))
        #expect(a.reasons.contains { $0.contains("not inspected") })
    }

    @Test("shell quoting follows svc.startd: single quotes, a quote written '\\''")
    func quoting() {
        #expect(shellQuote("a'b") == "'a'\\''b'")
        #expect(shellWord("/usr/bin") == "/usr/bin")
        #expect(shellWord("a b") == "'a b'")
    }
}
