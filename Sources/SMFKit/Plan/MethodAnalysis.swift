import Foundation

/// svc.startd's service model, from `startd/duration` taken literally
/// (smf-facts.md 6.1 and 10.6): exactly `child` or `transient`, anything else
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
}

/// What is known of the program a start method runs.
public enum ScriptInspection: Sendable, Hashable {
    /// Nothing to inspect (a keyword, or no start method).
    case notApplicable
    /// The program could not be read here; never guessed.
    case notInspected(program: String, why: String)
    /// A shell script that was read, with what it holds.
    case script(program: String, findings: [ScriptFinding])
    /// A binary that was read; `linksLibscf` when it names libscf.so.
    case binary(program: String, linksLibscf: Bool)
}

/// Whether one wanted instance can be started without SMF, and how
/// (semantics.md section 8).
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
    /// not `:true` (semantics.md section 9).
    public var longRunning: Bool {
        exec != nil && keyword != ":true" && duration != .transient
    }
}

/// Method analysis: token expansion, context, duration and script inspection.
public enum MethodAnalyzer {
    /// The composed property group: the instance's over the service's.
    public static func propertyGroup(_ name: String, of inst: Instance, in repo: Repository) -> PropertyGroup? {
        if let pg = inst.entity.propertyGroups.first(where: { $0.name == name && !$0.delete }) { return pg }
        return repo.services[inst.service]?.entity.propertyGroups.first { $0.name == name && !$0.delete }
    }

    /// The start method: the instance's over the service's.
    public static func startMethod(of inst: Instance, in repo: Repository) -> ExecMethod? {
        let pick: (EntityDecl) -> ExecMethod? = { e in
            e.methods.first { $0.name == "start" && $0.type == "method" && !$0.delete }
        }
        return pick(inst.entity) ?? repo.services[inst.service].flatMap { pick($0.entity) }
    }

    /// `startd/duration`, taken literally.
    public static func duration(of inst: Instance, in repo: Repository) -> (StartDuration, String?) {
        let raw = propertyGroup("startd", of: inst, in: repo)?.property("duration")?.values.first
        switch raw {
        case "child": return (.child, raw)
        case "transient": return (.transient, raw)
        default: return (.contract, raw)
        }
    }

    /// Whether an instance is a long-running service (without script inspection).
    public static func isLongRunning(_ fmri: String, in repo: Repository) -> Bool {
        guard let inst = repo.instance(fmri: fmri), let m = startMethod(of: inst, in: repo) else { return false }
        if m.exec.trimmingWhitespace() == ":true" { return false }
        return duration(of: inst, in: repo).0 != .transient
    }

    /// Expands method tokens as `expand.c` does. Returns the command, or the
    /// reason it cannot be expanded statically.
    public static func expand(_ exec: String, method: String, instance inst: Instance,
                              repo: Repository) -> Result<String, ExpansionError> {
        var out = ""
        var i = exec.startIndex
        while i < exec.endIndex {
            let c = exec[i]
            guard c == "%" else { out.append(c); i = exec.index(after: i); continue }
            let n = exec.index(after: i)
            guard n < exec.endIndex else { return .failure(.unknownToken("%")) }
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
                let parts = spec.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let (pgName, propName) = parts.count == 2 ? (parts[0], parts[1]) : ("application", parts[0])
                guard let pg = propertyGroup(pgName, of: inst, in: repo),
                      let prop = pg.property(propName) else {
                    return .failure(.missingProperty("\(pgName)/\(propName)"))
                }
                out += prop.values.map(shellQuote).joined(separator: sep)
                i = exec.index(after: close)
                continue
            default:
                return .failure(.unknownToken("%" + String(exec[n])))
            }
            i = exec.index(after: n)
        }
        return .success(out)
    }

    /// Why a method cannot be expanded statically.
    public enum ExpansionError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownToken(String)
        case missingProperty(String)
        public var description: String {
            switch self {
            case .unknownToken(let t): "its exec uses '\(t)', which svc.startd refuses as an unknown method token"
            case .missingProperty(let p): "its exec uses %{\(p)}, which no manifest read sets (it may be set at the site, but cannot be expanded here)"
            }
        }
    }

    /// Analyses the start method of one instance.
    public static func analyze(_ fmri: String, repo: Repository, lookup: ScriptLookup = .unavailable) -> MethodAnalysis {
        var a = MethodAnalysis(fmri: fmri, exec: nil, execLocation: nil, keyword: nil, expanded: nil,
                               duration: .contract, durationValue: nil, program: nil, launch: nil,
                               canRunWithoutSMF: nil, reasons: [], carried: [], notCarried: [], warnings: [],
                               script: .notApplicable)
        guard let inst = repo.instance(fmri: fmri) else {
            a.canRunWithoutSMF = false
            a.reasons.append("\(fmri) is not an instance of the manifests read")
            return a
        }
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

        // Method context: the method's own, else the instance's, else the service's.
        let ctx = method.context ?? inst.entity.methodContext ?? repo.services[inst.service]?.entity.methodContext
        var wrappers: [[String]] = []
        var workingDirectory: String?
        var user: String?
        var env: [LaunchCommand.Variable] = []
        if let ctx {
            if let wd = ctx.workingDirectory, !wd.isEmpty, wd != ":default" {
                if wd.hasPrefix("/") {
                    workingDirectory = wd
                    a.carried.append("working directory \(wd) (cd)")
                } else if wd == ":home" {
                    a.warnings.append("working directory ':home': the launch line runs in the user's home only if su does so; check")
                } else {
                    a.notCarried.append("working directory '\(wd)'")
                }
            }
            for v in ctx.environment {
                if v.name.hasPrefix("SMF_") {
                    a.warnings.append("method_environment sets \(v.name), which svc.startd rejects (\"SMF_\" prefix is reserved); left out")
                    continue
                }
                env.append(.init(name: v.name, value: .literal(v.value)))
                a.carried.append("environment \(v.name)")
            }
            if let cred = ctx.credential {
                if cred.user != "root" && cred.user != "0" && cred.user != ":default" && !cred.user.isEmpty {
                    user = cred.user
                    a.carried.append("user \(cred.user) (/usr/bin/su)")
                }
                let primaryOK: Set<String> = [":default", "", cred.user, user == nil ? "root" : cred.user]
                if let g = cred.group, !primaryOK.contains(g) {
                    a.notCarried.append("group '\(g)' (su gives the user's primary group)")
                }
                if let sg = cred.suppGroups, sg != ":default", !sg.isEmpty {
                    a.notCarried.append("supplementary groups '\(sg)' (su gives the user's own groups)")
                }
                var ppriv: [String] = []
                if let p = cred.privileges, p != ":default", !p.isEmpty {
                    ppriv += ["-s", "I=" + p]
                    a.carried.append("privileges \(p) (/usr/bin/ppriv)")
                }
                if let l = cred.limitPrivileges, l != ":default", !l.isEmpty {
                    ppriv += ["-s", "L=" + l]
                    a.carried.append("limit privileges \(l) (/usr/bin/ppriv)")
                }
                if !ppriv.isEmpty {
                    wrappers.append(["/usr/bin/ppriv"] + ppriv + ["-e"])
                    if user != nil {
                        a.warnings.append("privileges are set by ppriv before su changes user; su applies the user's default privileges from user_attr, so check the running process with ppriv")
                    }
                }
            }
            if let p = ctx.project, p != ":default", !p.isEmpty {
                wrappers.insert(["/usr/bin/newtask", "-p", p], at: 0)
                a.carried.append("project \(p) (/usr/bin/newtask)")
            }
            if let rp = ctx.resourcePool, rp != ":default", !rp.isEmpty {
                a.notCarried.append("resource pool '\(rp)' (no launch-line command binds a process to a pool the way svc.startd does)")
            }
            if let sf = ctx.securityFlags, sf != ":default", !sf.isEmpty {
                a.notCarried.append("security flags '\(sf)'")
            }
            if let prof = ctx.profile, !prof.isEmpty {
                a.notCarried.append("RBAC profile '\(prof)' (method_profile: the exec_attr attributes of the profile)")
            }
        }
        if !a.notCarried.isEmpty {
            blocked = true
            a.reasons += a.notCarried.map { "its method context needs \($0), which a launch line cannot carry" }
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
            a.launch = LaunchCommand(environment: smf + env, wrappers: wrappers, user: user,
                                     workingDirectory: workingDirectory, exec: expanded)
            if let program {
                let (inspection, findings) = inspect(program: program, lookup: lookup)
                a.script = inspection
                switch inspection {
                case .notInspected(let p, let why):
                    unknown = true
                    a.reasons.append("\(p) was not inspected (\(why)), so whether it talks to the SMF repository is not known")
                case .binary(let p, let libscf):
                    if libscf {
                        unknown = true
                        a.reasons.append("\(p) is a binary linked with libscf.so: it may read the SMF repository, which a blank zone does not have")
                    }
                case .script, .notApplicable:
                    break
                }
                for f in findings {
                    if f.needsSMF {
                        blocked = true
                        a.reasons.append("\(f.script):\(f.line) runs \(f.what), which needs the SMF repository: \(f.text)")
                    } else if f.what.hasPrefix("sources ") {
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

    /// smf_include.sh functions (smf-facts.md 6.2): none reads the
    /// repository; `smf_present` answers false in a blank zone, which changes
    /// what a script does.
    static let includeFunctionsToNote = ["smf_present"]
    static let repositoryCommands = ["svcprop", "svcadm", "svccfg", "svcs"]

    /// Reads the program and, for a shell script, every line that talks to
    /// the repository or sources another file (followed when it can be read).
    static func inspect(program: String, lookup: ScriptLookup) -> (ScriptInspection, [ScriptFinding]) {
        let bytes: [UInt8]
        switch lookup.read(program) {
        case .success(let b): bytes = b
        case .failure(.notMapped):
            return (.notInspected(program: program, why: "no --methods or --root maps it to a file here"), [])
        case .failure(.unreadable(let why)):
            return (.notInspected(program: program, why: why), [])
        }
        let head = bytes.prefix(4096)
        if head.contains(0) {
            let needle = Array("libscf.so".utf8)
            let links = bytes.count >= needle.count && (0...(bytes.count - needle.count)).contains { i in
                bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle
            }
            return (.binary(program: program, linksLibscf: links), [])
        }
        var findings: [ScriptFinding] = []
        var seen: Set<String> = [program]
        scan(program, bytes: bytes, lookup: lookup, depth: 0, seen: &seen, into: &findings)
        return (.script(program: program, findings: findings), findings)
    }

    static func scan(_ path: String, bytes: [UInt8], lookup: ScriptLookup, depth: Int,
                     seen: inout Set<String>, into findings: inout [ScriptFinding]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if let hash = line.range(of: " #") { line = String(line[..<hash.lowerBound]) }
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
                if target == "/lib/svc/share/smf_include.sh" { continue }
                if seen.contains(target) { continue }
                seen.insert(target)
                if depth < 4, case .success(let b) = lookup.read(target) {
                    scan(target, bytes: b, lookup: lookup, depth: depth + 1, seen: &seen, into: &findings)
                } else {
                    findings.append(ScriptFinding(script: path, line: n + 1, what: "sources \(target)", needsSMF: false, text: line))
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

    static func firstWord(_ cmd: String) -> String? {
        var word = ""
        var quote: Character?
        for c in cmd.trimmingWhitespace() {
            if let q = quote {
                if c == q { quote = nil } else { word.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == " " || c == "\t" || ";&|<>".contains(c) {
                break
            } else {
                word.append(c)
            }
        }
        return word.isEmpty ? nil : word
    }
}
