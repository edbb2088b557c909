#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// svc.startd's service model, from `startd/duration` taken literally
/// (usr/src/cmd/svc/startd/libscf.c `libscf_get_startd_properties`): exactly `child` or `transient`, anything else
/// (absent, `contract`, and also `wait`) is contract.
public enum StartDuration: String, Sendable, Hashable {
    case contract, transient, child
}

/// One line of a method script that matters without SMF.
public struct ScriptFinding: Sendable, Hashable {
    /// The script (a path of the analysed system).
    public var script: String
    public var line: Int
    /// What was found, e.g. `svcprop`.
    public var what: String
    /// True when the line needs the SMF repository (svc.configd).
    public var needsSMF: Bool
    /// The line, trimmed.
    public var text: String
    /// True when the line sources a file that was not read (`what` is
    /// `sources FILE`), so what the script runs is not all known.
    public var sourcesUnread: Bool = false
}

/// What is known of the program a start method runs.
public enum ScriptInspection: Sendable, Hashable {
    /// Nothing to inspect (a keyword, or no start method).
    case notApplicable
    /// The program could not be read here; never guessed.
    case notInspected(program: String, why: String)
    /// A shell script that was read, with what it holds.
    case script(program: String, findings: [ScriptFinding])
    /// An ELF program that was read, with the libraries it loads.
    case binary(BinaryInspection)
}

/// An ELF program and the shared objects the runtime linker would load
/// for it, followed inside the analysed system (docs/PLAN.md, "How
/// programs are inspected").
public struct BinaryInspection: Sendable, Hashable {
    public var program: String
    /// From the program to `libscf.so.1`: the objects that pulled it in
    /// (`[program, "/lib/libfoo.so.1", "libscf.so.1"]`); nil when no object
    /// read needs it.
    public var libscfChain: [String]?
    /// The objects read, program first, in the order they were read.
    public var objects: [String]
    /// What was not inspected, each in words naming the library.
    public var notInspected: [String]

    public init(program: String, libscfChain: [String]?, objects: [String], notInspected: [String]) {
        self.program = program
        self.libscfChain = libscfChain
        self.objects = objects
        self.notInspected = notInspected
    }

    /// True when some object read needs libscf.so.1.
    public var linksLibscf: Bool { libscfChain != nil }
    /// True when the program itself names libscf.so.1 in its DT_NEEDED.
    public var linksLibscfDirectly: Bool { libscfChain?.count == 2 }
}

/// Whether one wanted instance can be started without SMF, and how
/// (docs/PLAN.md, "Method analysis").
public struct MethodAnalysis: Sendable, Hashable {
    public var fmri: String
    /// The start method's `exec` as written (nil when there is none).
    public var exec: String?
    public var execLocation: SourceLocation?
    /// `:true`, `:kill`, ... when the exec is a keyword.
    public var keyword: String?
    /// The exec with its tokens expanded (nil when expansion failed).
    public var expanded: String?
    public var duration: StartDuration
    /// `startd/duration` as written (nil when absent).
    public var durationValue: String?
    /// The program the exec runs (its first word).
    public var program: String?
    /// How it is started without SMF, as data. Nil when there is nothing to
    /// run or it cannot be written.
    public var launch: LaunchCommand?
    /// `launch` as one simple shell command (no redirection, no `&`; the
    /// artefact writers add them).
    ///
    /// - Complexity: as `LaunchCommand.shellCommand`: quoted on each access.
    public var launchLine: String? { launch?.shellCommand }
    /// true: can run without SMF; false: cannot (see `reasons`); nil: not
    /// known (the program could not be inspected; see `reasons`).
    public var canRunWithoutSMF: Bool?
    /// Why it cannot run, or why it is not known, in words.
    public var reasons: [String]
    /// Method-context elements carried into the launch line, in words.
    public var carried: [String]
    /// Method-context elements no command carries (also in `reasons`).
    public var notCarried: [String]
    /// Things to check that do not decide the answer.
    public var warnings: [String]
    public var script: ScriptInspection

    /// A daemon stays running: contract or child, and a start method that is
    /// not `:true` (docs/PLAN.md, "The ladder").
    public var longRunning: Bool {
        exec != nil && keyword != ":true" && duration != .transient
    }
}

/// Method analysis: token expansion, context, duration and script inspection.
public enum MethodAnalyzer {
    /// The composed property group: the instance's over the service's.
    public static func propertyGroup(_ name: String, of inst: Instance, in repo: Repository) -> PropertyGroup? {
        if let pg = liveGroup(name, in: inst.entity) { return pg }
        return repo.services.withValue(inst.service) { liveGroup(name, in: $0.entity) } ?? nil
    }

    /// The start method: the instance's over the service's.
    public static func startMethod(of inst: Instance, in repo: Repository) -> ExecMethod? {
        if let m = liveStart(inst.entity) { return m }
        return repo.services.withValue(inst.service) { liveStart($0.entity) } ?? nil
    }

    /// The property group `name` of one entity, unless deleted.
    private static func liveGroup(_ name: String, in e: EntityDecl) -> PropertyGroup? {
        e.propertyGroups.first { isLive($0, named: name) }
    }

    /// The start method of one entity, unless deleted.
    private static func liveStart(_ e: EntityDecl) -> ExecMethod? {
        e.methods.first(where: isLiveStart)
    }

    private static func isLive(_ pg: PropertyGroup, named name: String) -> Bool { pg.name == name && !pg.delete }

    private static func isLiveStart(_ m: ExecMethod) -> Bool { m.name == "start" && m.type == "method" && !m.delete }

    /// `startd/duration`, taken literally.
    public static func duration(of inst: Instance, in repo: Repository) -> (StartDuration, String?) {
        duration(raw: propertyGroup("startd", of: inst, in: repo)?.property("duration")?.firstValue)
    }

    private static func duration(raw: String?) -> (StartDuration, String?) {
        switch raw {
        case "child": return (.child, raw)
        case "transient": return (.transient, raw)
        default: return (.contract, raw)
        }
    }

    /// Whether graph instance `id` is a long-running service (without script inspection).
    ///
    /// `startMethod` and `duration` in one, read in place: the instance
    /// and its service are not copied out of the graph and the repository
    /// (the ladder and the give-ups ask this of every enabled instance),
    /// and the service is looked up only when the instance lacks the start
    /// method or the `startd` group.
    public static func isLongRunning(_ id: Int, graph: DependencyGraph, repo: Repository) -> Bool {
        isLongRunning(graph.instanceValues[id], repo: repo)
    }

    private static func isLongRunning(_ inst: borrowing Instance, repo: Repository) -> Bool {
        // The start method's exec line and the duration, each from the
        // instance, else its service: read by position, so that no method
        // or property group is copied out of its declaration.
        var exec = startExec(inst.entity)
        var raw: String?? = startdDuration(inst.entity)
        if exec == nil || raw == nil {
            repo.services.withValue(inst.service) { svc in
                if exec == nil { exec = startExec(svc.entity) }
                if raw == nil { raw = startdDuration(svc.entity) }
            }
        }
        guard let exec else { return false }
        if exec.trimmingWhitespace() == ":true" { return false }
        return duration(raw: raw ?? nil).0 != .transient
    }

    /// The exec line of the entity's start method (`liveStart`), nil without one.
    private static func startExec(_ e: EntityDecl) -> String? {
        let methods = e.methods
        guard let k = methods.firstIndex(where: isLiveStart) else { return nil }
        return methods[k].exec
    }

    /// The entity's `startd/duration` value (`liveGroup`): nil without a
    /// `startd` group, `.some(nil)` with one that does not set it.
    private static func startdDuration(_ e: EntityDecl) -> String?? {
        let groups = e.propertyGroups
        guard let k = groups.firstIndex(where: { isLive($0, named: "startd") }) else { return nil }
        return .some(groups[k].property("duration")?.firstValue)
    }

    /// Expands method tokens as svc.startd does (usr/src/cmd/svc/startd/expand.c
    /// `expand_method_tokens`): `%%`, `%s`, `%i`, `%f`, `%m`, `%r` and
    /// `%{[pg/]prop[,|:]}`, each property value escaped by `quote_for_shell`
    /// (a backslash before each of `;&()|^<>`, newline, blank, tab, `\`,
    /// `"`, `'` and backquote), values joined by a blank or the spec's final
    /// `,` or `:`. A `%` that ends the string is dropped, as expand.c does.
    /// Returns the command, or the reason it cannot be expanded statically.
    public static func expand(_ exec: String, method: String, instance inst: Instance,
                              repo: Repository) -> Result<String, ExpansionError> {
        var out = ""
        var i = exec.startIndex
        while i < exec.endIndex {
            let c = exec[i]
            guard c == "%" else { out.append(c); i = exec.index(after: i); continue }
            let n = exec.index(after: i)
            guard n < exec.endIndex else { break }
            switch exec[n] {
            case "%": out += "%"
            case "s": out += inst.service
            case "i": out += inst.name
            case "f": out += inst.fmri
            case "m": out += method
            case "r": out += "svc.startd"
            case "{":
                guard let close = exec[n...].firstIndex(of: "}") else {
                    return .failure(.unknownToken(String(exec[i...])))
                }
                var spec = String(exec[exec.index(after: n)..<close])
                var sep = " "
                if spec.hasSuffix(",") || spec.hasSuffix(":") {
                    sep = String(spec.removeLast())
                }
                if spec.contains(":properties") {
                    return .failure(.otherInstance(spec))
                }
                let parts = spec.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let (pgName, propName) = parts.count == 2 ? (parts[0], parts[1]) : ("application", parts[0])
                guard let pg = propertyGroup(pgName, of: inst, in: repo),
                      let prop = pg.property(propName) else {
                    return .failure(.missingProperty("\(pgName)/\(propName)"))
                }
                out += prop.values.map(quoteForShell).joined(separator: sep)
                i = exec.index(after: close)
                continue
            default:
                return .failure(.unknownToken("%" + String(exec[n])))
            }
            i = exec.index(after: n)
        }
        return .success(out)
    }

    /// expand.c `quote_for_shell`: a backslash before each shell
    /// metacharacter of the value (`$` is not one of them).
    public static func quoteForShell(_ s: String) -> String {
        let meta: Set<Character> = [";", "&", "(", ")", "|", "^", "<", ">", "\n", " ", "\t", "\\", "\"", "'", "`"]
        var out = ""
        for c in s {
            if meta.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Why a method cannot be expanded statically.
    public enum ExpansionError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownToken(String)
        case missingProperty(String)
        case otherInstance(String)
        public var description: String {
            switch self {
            case .unknownToken(let t): "its exec uses '\(t)', which svc.startd refuses as an unknown method token"
            case .missingProperty(let p): "its exec uses %{\(p)}, which no manifest read sets (it may be set at the site, but cannot be expanded here)"
            case .otherInstance(let p): "its exec uses %{\(p)}, a property of another instance's running snapshot, which cannot be expanded here"
            }
        }
    }

    /// A name `sh` can assign and `env` passes unchanged: `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isEnvironmentName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool { (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" }
        return letter(f) && s.unicodeScalars.allSatisfy { letter($0) || ($0 >= "0" && $0 <= "9") }
    }

    /// A word that a wrapper takes as an operand, not as an option, and
    /// that holds no blank or control character.
    static func isPlainOperand(_ s: String) -> Bool {
        !s.isEmpty && !s.hasPrefix("-") && !s.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7f }
    }

    /// The security-flag names of illumos (usr/src/uts/common/sys/secflags.h).
    static let securityFlagNames: Set<String> = ["aslr", "forbidnullmap", "noexecstack"]

    /// Why a `security_flags` value is refused by `secflags_parse` called
    /// without defaults, as both svc.startd (usr/src/lib/librestart/common/librestart.c
    /// `restarter_get_method_context`) and psecflags(1) call it; nil when it is accepted.
    static func securityFlagsProblem(_ v: String) -> String? {
        if v.contains("=") { return "'=' is not part of a flag list" }
        for item in v.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.lowercased()
            if word == "default" { return "'default' needs the defaults that svc.startd does not pass to secflags_parse" }
            if ["all", "none", "current"].contains(word) { continue }
            var name = Substring(word)
            if let f = name.first, f == "-" || f == "!" || f == "+" { name = name.dropFirst() }
            if !securityFlagNames.contains(String(name)) { return "'\(item)' is not a security flag" }
        }
        return nil
    }

    /// One line of the analysed system's /etc/passwd.
    struct PasswdEntry { var name: String; var uid: String; var gid: String; var home: String; var shell: String }

    /// /etc/passwd and /etc/group of the analysed system, when the lookup reads them.
    struct Accounts {
        var passwd: [PasswdEntry]?
        var groups: [(name: String, gid: String, members: [String])]?

        init(_ lookup: ScriptLookup) {
            if case .success(let b) = lookup.read("/etc/passwd", limit: 1 << 20) {
                passwd = String(decoding: b, as: UTF8.self).split(separator: "\n").compactMap { line in
                    let f = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    guard f.count >= 7, !f[0].hasPrefix("+"), !f[0].hasPrefix("-") else { return nil }
                    return PasswdEntry(name: f[0], uid: f[2], gid: f[3], home: f[5], shell: f[6])
                }
            }
            if case .success(let b) = lookup.read("/etc/group", limit: 1 << 20) {
                groups = String(decoding: b, as: UTF8.self).split(separator: "\n").compactMap { line in
                    let f = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    guard f.count >= 4 else { return nil }
                    return (f[0], f[2], f[3].split(separator: ",").map(String.init))
                }
            }
        }

        func user(_ u: String) -> PasswdEntry? {
            passwd?.first { $0.name == u } ?? passwd?.first { $0.uid == u }
        }
        func gid(of g: String) -> String? {
            if g.allSatisfy(\.isNumber) { return g }
            return groups?.first { $0.name == g }?.gid
        }
    }

    /// Login shells that run `-c STRING` as /sbin/sh does.
    static let commandShells: Set<String> = ["", "/sbin/sh", "/bin/sh", "/usr/bin/sh", "/bin/ksh", "/usr/bin/ksh",
                                             "/bin/ksh93", "/usr/bin/ksh93", "/bin/bash", "/usr/bin/bash",
                                             "/bin/zsh", "/usr/bin/zsh", "/bin/dash", "/usr/bin/dash",
                                             "/usr/xpg4/bin/sh", "/bin/pfsh", "/usr/bin/pfsh", "/usr/bin/pfksh", "/usr/bin/pfbash"]

    /// What the method context becomes on the launch line.
    struct ContextPlan {
        var wrappers: [[String]] = []
        var user: String?
        var workingDirectory: String?
        var environment: [LaunchCommand.Variable] = []
        var carried: [String] = []
        /// Parts no command carries: each a reason the launch is refused.
        var notCarried: [String] = []
        /// Parts whose effect is not known here: each a reason for "not known".
        var unknown: [String] = []
        /// Parts svc.startd itself refuses: the method fails under SMF too.
        var refused: [String] = []
        var warnings: [String] = []
    }

    /// Turns a method context into wrappers, in the order svc.startd applies
    /// the context (usr/src/lib/librestart/common/librestart.c
    /// `restarter_set_method_context`: groups, security flags, project,
    /// resource pool, privileges, user, then the working directory), so
    /// that each wrapper still runs as root when it needs to.
    static func plan(context ctx: MethodContext?, lookup: ScriptLookup) -> ContextPlan {
        var p = ContextPlan()
        guard let ctx else { return p }
        let accounts = Accounts(lookup)

        // The user: /usr/bin/su USER -c, outermost of the credentials
        // (it drops root, so every wrapper that needs root runs before it).
        let cred = ctx.credential
        var userName: String?
        var entry: PasswdEntry?
        if let cred, ![":default", "", "root", "0"].contains(cred.user) {
            let u = cred.user
            entry = accounts.user(u)
            if !isPlainOperand(u) {
                p.notCarried.append("user '\(u)' (not a name /usr/bin/su takes)")
            } else if u.allSatisfy(\.isNumber) {
                if let e = entry, isPlainOperand(e.name) {
                    userName = e.name
                } else {
                    p.notCarried.append("user id \(u) (/usr/bin/su takes a user name, and /etc/passwd was not read to find it)")
                }
            } else {
                userName = u
            }
            if let name = userName {
                p.user = name
                p.carried.append("user \(name) (/usr/bin/su \(name) -c)")
                if let e = entry {
                    if !commandShells.contains(e.shell) {
                        p.notCarried.append("user \(name) whose login shell is \(e.shell) (/usr/bin/su runs the user's login shell with -c, which that shell may not do)")
                    }
                } else if accounts.passwd != nil {
                    p.refused.append("user \(name) has no entry in /etc/passwd, so svc.startd fails the method (\"Missing passwd entry for user\")")
                } else {
                    p.warnings.append("/usr/bin/su runs the login shell of \(name) from /etc/passwd (not read here), which must accept -c")
                }
            }
        }
        let isRoot = p.user == nil

        // Groups: su gives the user's primary group and initgroups(3C).
        if let cred {
            if let g = cred.group, g != ":default", !g.isEmpty {
                let primary = isRoot ? (accounts.user("root")?.gid ?? "0") : entry?.gid
                let want = accounts.gid(of: g) ?? (g == "root" ? "0" : nil)
                if let primary, let want {
                    if primary != want {
                        p.notCarried.append("group '\(g)' (/usr/bin/su gives \(p.user ?? "root")'s primary group from /etc/passwd, and no illumos command runs a command with another group)")
                    }
                } else if isRoot && g != "root" {
                    p.notCarried.append("group '\(g)' (root's primary group is root, gid 0, and no illumos command runs a command with another group)")
                } else if g == (p.user ?? "root") {
                    p.warnings.append("group '\(g)' is taken to be the primary group of \(p.user ?? "root") (/etc/passwd and /etc/group not read here)")
                } else {
                    p.unknown.append("group '\(g)' may not be the primary group of \(p.user ?? "root"), which is all /usr/bin/su gives (/etc/passwd and /etc/group not read here)")
                }
            }
            if let sg = cred.suppGroups, sg != ":default", !sg.isEmpty {
                p.notCarried.append("supplementary groups '\(sg)' (/usr/bin/su sets the user's own groups from /etc/group, and no illumos command runs a command with others)")
            }
        }

        // Security flags: /usr/bin/psecflags -s FLAGS -e (usr/src/cmd/ptools/psecflags).
        if let sf = ctx.securityFlags, sf != ":default" {
            if let why = securityFlagsProblem(sf) {
                p.refused.append("its security_flags '\(sf)' is refused by svc.startd (\(why)), so the method fails under SMF as well")
            } else {
                p.wrappers.append(["/usr/bin/psecflags", "-s", sf, "-e"])
                p.carried.append("security flags \(sf) (/usr/bin/psecflags -s \(sf) -e)")
                p.warnings.append("svc.startd also applies the default security flags of the system/process-security service; a blank zone gives the zone's own (zonecfg security-flags)")
            }
        }

        // Project: /usr/bin/newtask -p PROJECT.
        if let pj = ctx.project, pj != ":default", !pj.isEmpty {
            if !isPlainOperand(pj) {
                p.notCarried.append("project '\(pj)' (not a name /usr/bin/newtask -p takes)")
            } else if isRoot {
                p.wrappers.append(["/usr/bin/newtask", "-p", pj])
                p.carried.append("project \(pj) (/usr/bin/newtask -p \(pj))")
            } else {
                p.notCarried.append("project '\(pj)' for user \(p.user ?? "") (/usr/bin/newtask would run before /usr/bin/su, whose pam_unix_cred joins the user's default project instead)")
            }
        }

        // Resource pool: /usr/sbin/poolbind -p POOL -e (usr/src/cmd/pools/poolbind).
        if let rp = ctx.resourcePool, rp != ":default", !rp.isEmpty {
            if isPlainOperand(rp) {
                p.wrappers.append(["/usr/sbin/poolbind", "-p", rp, "-e"])
                p.carried.append("resource pool \(rp) (/usr/sbin/poolbind -p \(rp) -e)")
                p.warnings.append("binding to resource pool \(rp) needs the pools facility enabled where the zone runs, as it does under svc.startd")
            } else {
                p.notCarried.append("resource pool '\(rp)' (not a name /usr/sbin/poolbind -p takes)")
            }
        }

        // Privileges: /usr/bin/ppriv -s I=... -s L=... -e (usr/src/cmd/ptools/ppriv).
        if let cred {
            var specs: [String] = []
            if let l = cred.limitPrivileges, l != ":default", !l.isEmpty {
                let names = Set(l.split(separator: ",").map { $0.lowercased() })
                let suNeeds = ["proc_setid", "proc_taskid"].filter { !names.contains($0) }
                if !isRoot && !names.contains("all") && !names.contains("zone") && !suNeeds.isEmpty {
                    p.notCarried.append("limit privileges '\(l)' for user \(p.user ?? "") (ppriv must set the limit set before /usr/bin/su, which then runs inside it and needs \(suNeeds.joined(separator: " and ")) to change user and project)")
                } else if isPlainOperand(l) {
                    specs += ["-s", "L=" + l]
                    p.carried.append("limit privileges \(l) (/usr/bin/ppriv -s L=\(l) -e)")
                    if !isRoot {
                        p.warnings.append("/usr/bin/su keeps the limit set unless user_attr or policy.conf give \(p.user ?? "") a limitpriv")
                    }
                } else {
                    p.notCarried.append("limit privileges '\(l)' (not a set /usr/bin/ppriv -s takes)")
                }
            }
            if let i = cred.privileges, i != ":default", !i.isEmpty {
                if !isPlainOperand(i) {
                    p.notCarried.append("privileges '\(i)' (not a set /usr/bin/ppriv -s takes)")
                } else if isRoot {
                    specs = ["-s", "I=" + i] + specs
                    p.carried.append("privileges \(i) (/usr/bin/ppriv -s I=\(i) -e)")
                } else if i == "basic" {
                    p.carried.append("privileges basic (/usr/bin/su gives \(p.user ?? "") its defaultpriv, basic unless user_attr or policy.conf say otherwise)")
                } else {
                    p.notCarried.append("privileges '\(i)' for user \(p.user ?? "") (/usr/bin/su's pam_unix_cred replaces the inheritable set with the user's defaultpriv, so ppriv before su is undone; giving \(p.user ?? "") defaultpriv=\(i) in /etc/user_attr would carry it)")
                }
            }
            if !specs.isEmpty { p.wrappers.append(["/usr/bin/ppriv"] + specs + ["-e"]) }
        }

        // RBAC profile: svc.startd applies the exec_attr entry of the
        // method's program for that profile; no command runs a program
        // under a named profile (pfexec uses the caller's own profiles).
        if let prof = ctx.profile, !prof.isEmpty {
            p.notCarried.append("RBAC profile '\(prof)' (method_profile: svc.startd applies that profile's exec_attr entry; pfexec only uses the caller's own profiles)")
        }

        // Working directory: after the user change, inside the sh -c string.
        // ':default', ':home' and an absent one are the user's home directory.
        let wd = ctx.workingDirectory ?? ":default"
        if wd == ":default" || wd == ":home" || wd.isEmpty {
            let who = p.user ?? "root"
            if let home = (isRoot ? accounts.user("root") : entry)?.home, home.hasPrefix("/") {
                if home != "/" {
                    p.workingDirectory = home
                    p.carried.append("working directory \(home), the home of \(who) in /etc/passwd (cd)")
                }
            } else if !isRoot || wd == ":home" {
                p.warnings.append("svc.startd runs the method in the home directory of \(who) (/etc/passwd, not read here); the launch line runs where it is started")
            }
        } else {
            let dir = wd.hasPrefix("/") ? wd : "/" + wd
            p.workingDirectory = dir
            p.carried.append("working directory \(dir) (cd)")
        }

        // Environment: /usr/bin/env NAME=VALUE, names checked.
        for v in ctx.environment {
            if v.name.hasPrefix("SMF_") {
                p.warnings.append("method_environment sets \(v.name), which svc.startd rejects (\"SMF_\" prefix is reserved); left out")
                continue
            }
            guard isEnvironmentName(v.name) else {
                p.notCarried.append("environment variable named \(String(reflecting: v.name)) (not a portable environment variable name, lint SMF031; svc.startd passes it as is, a launch line leaves it out)")
                continue
            }
            if !isRoot && v.name.hasPrefix("LD_") {
                p.notCarried.append("environment \(v.name) for user \(p.user ?? "") (/usr/bin/su removes LD_* variables)")
                continue
            }
            p.environment.append(.init(name: v.name, value: .literal(v.value)))
            p.carried.append("environment \(v.name) (/usr/bin/env)")
        }
        return p
    }

    /// The method context svc.startd reads, property by property
    /// (usr/src/lib/librestart/common/librestart.c
    /// `restarter_get_method_context`): each from the method's own property
    /// group, else from the composed `method_context` group (the instance's
    /// over the service's). The credential or profile is taken as one
    /// (`use_profile` decides which), and so is the environment.
    public static func effectiveContext(method: ExecMethod, instance inst: Instance, repo: Repository) -> MethodContext? {
        let layers = [method.context, inst.entity.methodContext, repo.services[inst.service]?.entity.methodContext].compactMap { $0 }
        guard let first = layers.first else { return nil }
        func pick<T>(_ f: (MethodContext) -> T?) -> T? { layers.lazy.compactMap(f).first }
        let who = layers.first { $0.credential != nil || $0.profile != nil }
        return MethodContext(workingDirectory: pick(\.workingDirectory), project: pick(\.project),
                             resourcePool: pick(\.resourcePool), securityFlags: pick(\.securityFlags),
                             credential: who?.credential, profile: who?.profile,
                             environment: layers.first { !$0.environment.isEmpty }?.environment ?? [],
                             location: first.location)
    }

    /// Analyses the start method of the instance `fmri` names in `graph`
    /// (one that names none cannot run: it is not in the manifests read).
    public static func analyze(_ fmri: String, graph: DependencyGraph, repo: Repository,
                               lookup: ScriptLookup = .unavailable) -> MethodAnalysis {
        if let id = graph.instanceID(fmri) { return analyze(id, graph: graph, repo: repo, lookup: lookup) }
        var a = blank(fmri)
        a.canRunWithoutSMF = false
        a.reasons.append("\(fmri) is not an instance of the manifests read")
        return a
    }

    /// An analysis with nothing found yet.
    private static func blank(_ fmri: String) -> MethodAnalysis {
        MethodAnalysis(fmri: fmri, exec: nil, execLocation: nil, keyword: nil, expanded: nil,
                       duration: .contract, durationValue: nil, program: nil, launch: nil,
                       canRunWithoutSMF: nil, reasons: [], carried: [], notCarried: [], warnings: [],
                       script: .notApplicable)
    }

    /// Analyses the start method of graph instance `id`.
    public static func analyze(_ id: Int, graph: DependencyGraph, repo: Repository,
                               lookup: ScriptLookup = .unavailable) -> MethodAnalysis {
        let fmri = graph.instanceFMRIs[id]
        let inst = graph.instance(id)
        var a = blank(fmri)
        (a.duration, a.durationValue) = duration(of: inst, in: repo)
        if a.durationValue == "wait" {
            a.warnings.append("startd/duration is 'wait', which svc.startd does not read as 'child': it runs as a contract service")
        } else if let v = a.durationValue, !["child", "transient", "contract"].contains(v) {
            a.warnings.append("startd/duration is '\(v)', which svc.startd reads as 'contract'")
        }
        guard let method = startMethod(of: inst, in: repo) else {
            a.canRunWithoutSMF = true
            a.warnings.append("no start method: svc.startd logs it and counts the start as a success; nothing to launch")
            return a
        }
        a.exec = method.exec
        a.execLocation = method.location
        let exec = method.exec.trimmingWhitespace()
        if exec.hasPrefix(":") {
            let word = String(exec.split(separator: " ").first ?? "")
            a.keyword = word
            if word == ":true" {
                a.canRunWithoutSMF = true
                a.warnings.append("the start method is ':true': nothing to launch")
            } else if word == ":kill" || word == ":kill_process" {
                a.canRunWithoutSMF = false
                a.reasons.append("the start method is '\(exec)', a stop keyword that needs svc.startd's contract")
            } else {
                a.canRunWithoutSMF = false
                a.reasons.append("the start method is '\(exec)', a keyword only svc.startd understands")
            }
            return a
        }
        var blocked = false
        var unknown = false
        switch expand(method.exec, method: "start", instance: inst, repo: repo) {
        case .success(let s): a.expanded = s
        case .failure(let e):
            blocked = true
            a.reasons.append(e.description)
        }

        let ctx = effectiveContext(method: method, instance: inst, repo: repo)
        let ctxPlan = plan(context: ctx, lookup: lookup)
        a.carried = ctxPlan.carried
        a.notCarried = ctxPlan.notCarried
        a.warnings += ctxPlan.warnings
        if !ctxPlan.refused.isEmpty {
            blocked = true
            a.reasons += ctxPlan.refused
        }
        if !ctxPlan.notCarried.isEmpty {
            blocked = true
            a.reasons += ctxPlan.notCarried.map { "its method context needs \($0), which no launch-line command carries" }
        }
        if !ctxPlan.unknown.isEmpty {
            unknown = true
            a.reasons += ctxPlan.unknown.map { "its method context has \($0)" }
        }

        if let expanded = a.expanded {
            let program = firstWord(expanded)
            a.program = program
            let smf: [LaunchCommand.Variable] = [
                .init(name: "SMF_FMRI", value: .literal(fmri)),
                .init(name: "SMF_METHOD", value: .literal("start")),
                .init(name: "SMF_RESTARTER", value: .literal("svc:/system/svc/restarter:default")),
                .init(name: "SMF_ZONENAME", value: .commandOutput("/sbin/zonename")),
            ]
            // svc.startd runs `/sbin/sh -c "exec EXPANDED"` (method.c
            // `exec_method`): the same string, whole, as one argument.
            a.launch = LaunchCommand(environment: smf + ctxPlan.environment, wrappers: ctxPlan.wrappers,
                                     user: ctxPlan.user, workingDirectory: ctxPlan.workingDirectory,
                                     exec: "exec " + expanded)
            if let program {
                let env = Dictionary(ctxPlan.environment.compactMap { v -> (String, String)? in
                    if case .literal(let s) = v.value { return (v.name, s) } else { return nil }
                }, uniquingKeysWith: { _, last in last })
                let (inspection, findings) = inspect(program: program, lookup: lookup, environment: env)
                a.script = inspection
                switch inspection {
                case .notInspected(let p, let why):
                    unknown = true
                    a.reasons.append("\(p) was not inspected (\(why)), so whether it talks to the SMF repository is not known")
                case .binary(let b):
                    if let chain = b.libscfChain {
                        if b.linksLibscfDirectly {
                            blocked = true
                            a.reasons.append("\(b.program) is linked with libscf.so.1 (its own DT_NEEDED): it calls the SMF repository, which a blank zone does not have")
                        } else {
                            unknown = true
                            a.reasons.append("\(b.program) loads libscf.so.1 through \(chain.dropFirst().dropLast().joined(separator: " -> ")) "
                                + "(\(chain.joined(separator: " -> "))): that library may call the SMF repository, which a blank zone does not have")
                        }
                    }
                    if !b.notInspected.isEmpty && !b.linksLibscfDirectly {
                        unknown = true
                        let shown = b.notInspected.prefix(4).joined(separator: "; ")
                        let more = b.notInspected.count > 4 ? "; and \(b.notInspected.count - 4) more" : ""
                        a.reasons.append("the libraries of \(b.program) were not all inspected (\(shown)\(more)), so whether it talks to the SMF repository is not known")
                    }
                case .script, .notApplicable:
                    break
                }
                for f in findings {
                    if f.needsSMF {
                        blocked = true
                        a.reasons.append("\(f.script):\(f.line) runs \(f.what), which needs the SMF repository: \(f.text)")
                    } else if f.sourcesUnread {
                        unknown = true
                        a.reasons.append("\(f.script):\(f.line) \(f.what), which was not inspected")
                    } else {
                        a.warnings.append("\(f.script):\(f.line) uses \(f.what): \(f.text)")
                    }
                }
            }
        }
        a.canRunWithoutSMF = blocked ? false : (unknown ? nil : true)
        return a
    }

    /// The repository commands a method script may run (usr/src/cmd/svc/svcprop,
    /// svccfg, svcadm, svcs): each needs svc.configd.
    static let repositoryCommands = ["svcprop", "svcadm", "svccfg", "svcs"]
    /// smf_include.sh functions (usr/src/cmd/svc/shell/smf_include.sh): none
    /// runs a repository command; `smf_present` answers false in a blank
    /// zone (no /etc/svc/volatile/repository_door), which changes what a
    /// script does.
    static let includeFunctionsToNote = ["smf_present"]
    /// The largest object read for inspection (programs and libraries).
    static let objectLimit = 64 << 20
    /// How deep and how many shared objects are followed from a program.
    static let libraryDepth = 8
    static let libraryCount = 64
    /// How deep sourced scripts are followed, and how many are read.
    static let sourceDepth = 4
    static let sourceCount = 32

    /// Reads the program: an ELF object is inspected by the shared objects
    /// it loads; a shell script by every line that runs a repository command
    /// or sources another file (followed when it can be read).
    static func inspect(program: String, lookup: ScriptLookup,
                        environment: [String: String] = [:]) -> (ScriptInspection, [ScriptFinding]) {
        let bytes: [UInt8]
        switch lookup.read(program, limit: objectLimit) {
        case .success(let b): bytes = b
        case .failure(.notMapped):
            return (.notInspected(program: program, why: "no --methods or --root maps it to a file here"), [])
        case .failure(.unreadable(let why)):
            return (.notInspected(program: program, why: why), [])
        }
        if ELF.isELF(bytes) {
            return inspectELF(program: program, bytes: bytes, lookup: lookup, environment: environment)
        }
        if bytes.prefix(4096).contains(0) {
            return (.notInspected(program: program, why: "a binary file that is not an ELF object"), [])
        }
        var findings: [ScriptFinding] = []
        var seen: Set<String> = [program]
        scan(program, bytes: bytes, lookup: lookup, depth: 0, seen: &seen, into: &findings)
        return (.script(program: program, findings: findings), findings)
    }

    /// Follows DT_NEEDED from the program through the shared objects of the
    /// analysed system, searching as illumos' runtime linker does
    /// (usr/src/cmd/sgs/rtld): LD_LIBRARY_PATH of the method's environment,
    /// then each object's own DT_RUNPATH (else DT_RPATH) with `$ORIGIN` as
    /// the object's directory, then /lib and /usr/lib (/lib/64 and
    /// /usr/lib/64 for a 64-bit object). Breadth first, so the chain to
    /// libscf.so.1 is a shortest one; bounded in depth and count.
    static func inspectELF(program: String, bytes: [UInt8], lookup: ScriptLookup,
                           environment: [String: String]) -> (ScriptInspection, [ScriptFinding]) {
        let top: ELFObject
        switch ELF.parse(bytes) {
        case .success(let o): top = o
        case .failure(let p):
            return (.notInspected(program: program, why: "\(p)"), [])
        }
        var result = BinaryInspection(program: program, libscfChain: nil, objects: [program], notInspected: [])
        var queue: [(path: String, object: ELFObject, chain: [String])] = [(program, top, [program])]
        var visited: Set<String> = [program]
        var seenNames: Set<String> = []
        var head = 0
        while head < queue.count {
            let (path, object, chain) = queue[head]
            head += 1
            for name in object.needed {
                let base = name.split(separator: "/").last.map(String.init) ?? name
                if base.hasPrefix("libscf.so") {
                    result.libscfChain = chain + [name]
                    return (.binary(result), [])
                }
                if chain.count > libraryDepth { continue }
                if !seenNames.insert(name).inserted && !name.contains("/") { continue }
                if result.objects.count >= libraryCount {
                    result.notInspected.append("\(name) (needed by \(path)): more than \(libraryCount) objects, not followed")
                    continue
                }
                switch findLibrary(name, for: path, object: object, lookup: lookup, environment: environment) {
                case .found(let libPath, let lib):
                    if visited.insert(libPath).inserted {
                        result.objects.append(libPath)
                        queue.append((libPath, lib, chain + [libPath]))
                    }
                case .problem(let why):
                    result.notInspected.append("\(name) (needed by \(path)) \(why)")
                }
            }
        }
        return (.binary(result), [])
    }

    enum LibrarySearch { case found(String, ELFObject), problem(String) }

    static func findLibrary(_ name: String, for path: String, object: ELFObject, lookup: ScriptLookup,
                            environment: [String: String]) -> LibrarySearch {
        var candidates: [String] = []
        var unhandled: [String] = []
        if name.contains("/") {
            guard name.hasPrefix("/") else { return .problem("is a relative path, which depends on the directory the program starts in; not inspected") }
            candidates = [name]
        } else {
            let origin = path.split(separator: "/").dropLast().joined(separator: "/")
            let ldPath = (object.is64 ? environment["LD_LIBRARY_PATH_64"] : environment["LD_LIBRARY_PATH_32"])
                ?? environment["LD_LIBRARY_PATH"]
            var dirs = (ldPath ?? "").split(separator: ":").map(String.init)
            dirs += object.runpath.isEmpty ? object.rpath : object.runpath
            dirs += object.is64 ? ["/lib/64", "/usr/lib/64"] : ["/lib", "/usr/lib"]
            for var d in dirs {
                d = d.replacingAll("${ORIGIN}", with: "/" + origin).replacingAll("$ORIGIN", with: "/" + origin)
                if d.contains("$") { unhandled.append(d); continue }
                guard d.hasPrefix("/") else { unhandled.append(d); continue }
                candidates.append((d.hasSuffix("/") ? String(d.dropLast()) : d) + "/" + name)
            }
        }
        var problems: [String] = []
        for c in candidates {
            switch lookup.read(c, limit: objectLimit) {
            case .failure(.notMapped):
                continue
            case .failure(.unreadable(let why)):
                problems.append(why)
            case .success(let b):
                switch ELF.parse(b) {
                case .success(let o):
                    if o.is64 != object.is64 {
                        problems.append("\(c) is \(o.is64 ? 64 : 32)-bit")
                        continue
                    }
                    return .found(c, o)
                case .failure(let p):
                    problems.append("\(c): \(p)")
                }
            }
        }
        var why = "was not found in the analysed system"
        if !problems.isEmpty { why = "could not be read (" + problems.joined(separator: "; ") + ")" }
        if !unhandled.isEmpty { why += "; search path entries not handled: " + unhandled.joined(separator: ", ") }
        return .problem(why + ", so it was not inspected")
    }

    static func scan(_ path: String, bytes: [UInt8], lookup: ScriptLookup, depth: Int,
                     seen: inout Set<String>, into findings: inout [ScriptFinding]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingBlanks()
            if line.hasPrefix("#") || line.isEmpty { continue }
            if let hash = line.firstRange(of: " #") { line = String(line[..<hash.lowerBound]) }
            let words = shellWords(line)
            for cmd in repositoryCommands where words.contains(where: { $0 == cmd || $0.hasSuffix("/" + cmd) }) {
                findings.append(ScriptFinding(script: path, line: n + 1, what: cmd, needsSMF: true, text: line))
            }
            for fn in includeFunctionsToNote where words.contains(fn) {
                findings.append(ScriptFinding(script: path, line: n + 1,
                    what: "\(fn) (false in a blank zone: no repository door)", needsSMF: false, text: line))
            }
            // `. FILE` or `source FILE`
            if words.count >= 2, words[0] == "." || words[0] == "source" {
                let target = words[1]
                // smf_include.sh (usr/src/cmd/svc/shell/smf_include.sh) runs no
                // repository command; its smf_present is noted above.
                if target == "/lib/svc/share/smf_include.sh" { continue }
                if seen.contains(target) { continue }
                seen.insert(target)
                if depth < sourceDepth, seen.count <= sourceCount, target.hasPrefix("/"),
                   case .success(let b) = lookup.read(target) {
                    scan(target, bytes: b, lookup: lookup, depth: depth + 1, seen: &seen, into: &findings)
                } else {
                    findings.append(ScriptFinding(script: path, line: n + 1, what: "sources \(target)", needsSMF: false, text: line,
                                                  sourcesUnread: true))
                }
            }
        }
    }

    /// Splits a line into words at blanks and shell operators (a rough
    /// tokenizer: enough to find command names).
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var cur = ""
        for c in line {
            if c == " " || c == "\t" || ";&|()`=\"'$".contains(c) {
                if !cur.isEmpty { words.append(cur); cur = "" }
            } else {
                cur.append(c)
            }
        }
        if !cur.isEmpty { words.append(cur) }
        return words
    }

    /// The first word of a command as sh reads it: quotes removed, a
    /// backslash escaping the next character.
    static func firstWord(_ cmd: String) -> String? {
        var word = ""
        var quote: Character?
        var escaped = false
        for c in cmd.trimmingWhitespace() {
            if escaped { word.append(c); escaped = false; continue }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { word.append(c) }
            } else if c == "\\" {
                escaped = true
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == " " || c == "\t" || c == "\n" || ";&|<>()".contains(c) {
                break
            } else {
                word.append(c)
            }
        }
        return word.isEmpty ? nil : word
    }
}
