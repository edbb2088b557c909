/// One name from the command line, resolved to instances.
public struct ResolvedRequest: Sendable, Hashable {
    /// How a name was matched (docs/SEMANTICS.md, "FMRIs").
    public enum Match: String, Sendable, Hashable {
        /// A complete FMRI (`svc:/...`), compared exactly.
        case exact
        /// A pattern with `*`, `?` or `[`, matched over full FMRIs.
        case glob
        /// An abbreviation at a `/` or `:` boundary.
        case abbreviation
    }

    /// The name as the user typed it.
    public var request: String
    public var match: Match
    /// The instances it stands for, in FMRI order (one, except for a glob).
    public var instances: [String]
    public var instanceIDs: [Int]
    /// Services that matched as services and were resolved to one instance by
    /// preference, each with the instance chosen and the others it has.
    public var serviceChoices: [ServiceChoice]

    public struct ServiceChoice: Sendable, Hashable {
        /// `svc:/a/b`
        public var service: String
        public var chosen: String
        /// The service's other instances, in preference order.
        public var others: [String]
        /// Why preference chose `chosen` (`its only instance`, `the only
        /// instance enabled in the baseline`, `the instance named 'default'`).
        public var reason: String
    }
}

/// A name that does not resolve: unknown, ambiguous, or a service with no instance.
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case unknown, ambiguous, noInstance, invalid
        /// A service with several instances and nothing to prefer one by
        /// (none enabled in the baseline, none named `default`): the
        /// candidates are its instances.
        case severalInstances
    }

    public var request: String
    public var reason: Reason
    /// For `ambiguous`, the FMRIs it matched; for `unknown`, near misses.
    public var candidates: [String]

    public var description: String {
        switch reason {
        case .unknown:
            var hint = candidates.isEmpty ? "" : "; did you mean " + candidates.joined(separator: ", ") + "?"
            let templated = candidates.filter(containsPlaceholder)
            if !templated.isEmpty {
                var seen = Set<String>()
                let defines = templated.map(defineHint).filter { seen.insert($0).inserted }.joined(separator: " ")
                hint += " (a name holding an unexpanded build placeholder is accepted exactly as printed, quoted for the shell;"
                    + " or expand it before reading with \(defines))"
            }
            return "'\(request)' matches no service or instance\(hint)"
        case .ambiguous:
            var s = "'\(request)' is ambiguous; it matches " + candidates.joined(separator: ", ")
                + ". Name one of them (a longer abbreviation or the full FMRI)"
            if let t = candidates.first(where: { RequestResolver.templateName(of: String($0.dropFirst(5))) != nil }),
               let bare = RequestResolver.templateName(of: String(t.dropFirst(5))) {
                let names = Placeholders.find(in: bare).map { Placeholders.name(of: $0) }
                var seen = Set<String>()
                let hint = names.filter { seen.insert($0).inserted }.map { "--define PATH:\($0)=VALUE" }.joined(separator: " ")
                s += ", or expand each file's template before reading with \(hint) (PATH a file or its directory)"
            }
            return s
        case .noInstance:
            return "'\(request)' names \(candidates.first ?? "a service"), which has no instance, so nothing can be enabled"
        case .invalid:
            return "'\(request)' is not a valid service or instance name"
        case .severalInstances:
            let service = candidates.first.flatMap { c in c.lastIndex(of: ":").map { String(c[c.startIndex..<$0]) } } ?? "the service"
            return "'\(request)' names \(service), which has \(candidates.count) instances and nothing to prefer one by"
                + " (none is enabled in the baseline and none is named 'default'; svcadm enable refuses such a service too):"
                + " name one of " + candidates.joined(separator: ", ")
        }
    }
}

/// Matches command-line names as `svcs` does (libscf `scf_walk_fmri` and
/// `scf_cmp_pattern`; docs/SEMANTICS.md, "FMRIs").
public enum RequestResolver {
    /// Resolves every name, in order; the first that fails throws.
    public static func resolve(_ requests: [String], in graph: DependencyGraph) throws(RequestError) -> [ResolvedRequest] {
        var out: [ResolvedRequest] = []
        for r in requests { out.append(try resolve(r, in: graph)) }
        return out
    }

    /// Resolves one name:
    /// - a complete FMRI (`svc:...`) exactly;
    /// - a name with `*`, `?` or `[` as a glob over full FMRIs (prefixed
    ///   with `svc:/` unless it starts with `svc:` or `*`); every match is
    ///   wanted, a matching service with no matching instance by preference;
    /// - anything else as an abbreviation that begins at a `/` or `:`
    ///   boundary of an FMRI and ends at its end or at a `:`. Matches in one
    ///   service: an instance matched by its own name is that instance, a
    ///   match on the service resolves by preference. Matches in several
    ///   services, or several instances by their own names, are ambiguous.
    public static func resolve(_ raw: String, in graph: DependencyGraph) throws(RequestError) -> ResolvedRequest {
        let request = raw.trimmingWhitespace()
        guard !request.isEmpty else { throw RequestError(request: raw, reason: .invalid, candidates: []) }
        // A name the repository holds, as printed, whatever it contains
        // (`svc:/network/http:nginx$(sVERSION)`, a templated service).
        if let found = try asPrinted(request, raw: raw, in: graph) { return found }
        if request.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
            return try glob(request, raw: raw, in: graph)
        }
        if request.hasPrefix("svc:") {
            return try exact(request, raw: raw, in: graph)
        }
        return try abbreviation(request, raw: raw, in: graph)
    }

    // MARK: - The three kinds

    /// A full FMRI exactly as the repository prints it (`svc:/`,
    /// `svc:` and `svc://localhost/` alike), whether or not it parses:
    /// names holding build placeholders (`nginx$(sVERSION)`) or a templated
    /// service's file are names the repository holds. (Without `svc:`, the
    /// abbreviation matcher compares bytes and finds them already.)
    private static func asPrinted(_ text: String, raw: String, in graph: DependencyGraph) throws(RequestError) -> ResolvedRequest? {
        guard text.hasPrefix("svc:") else { return nil }
        var body = Substring(text)
        for prefix in ["svc://localhost/", "svc:///", "svc:/", "svc:"] where body.hasPrefix(prefix) {
            body = body.dropFirst(prefix.count)
            break
        }
        guard !body.isEmpty else { return nil }
        if let id = graph.instanceID("svc:/" + body) {
            return ResolvedRequest(request: raw, match: .exact, instances: [graph.instanceFMRIs[id]],
                                   instanceIDs: [id], serviceChoices: [])
        }
        if let sid = graph.serviceID(String(body)) {
            return try byPreference(service: sid, raw: raw, match: .exact, in: graph)
        }
        return nil
    }

    private static func exact(_ text: String, raw: String, in graph: DependencyGraph) throws(RequestError) -> ResolvedRequest {
        guard let fmri = FMRI(parsing: text) else { throw RequestError(request: raw, reason: .invalid, candidates: []) }
        switch fmri {
        case .instance(let s, let i):
            if let id = graph.instanceID(instanceFMRI(s, i)) {
                return ResolvedRequest(request: raw, match: .exact, instances: [graph.instanceFMRIs[id]],
                                       instanceIDs: [id], serviceChoices: [])
            }
        case .service(let s):
            if let sid = graph.serviceID(s) {
                return try byPreference(service: sid, raw: raw, match: .exact, in: graph)
            }
        case .path:
            throw RequestError(request: raw, reason: .invalid, candidates: [])
        }
        throw RequestError(request: raw, reason: .unknown, candidates: nearMisses(fmri.description, in: graph))
    }

    private static func glob(_ text: String, raw: String, in graph: DependencyGraph) throws(RequestError) -> ResolvedRequest {
        var pattern = text
        if !pattern.hasPrefix("svc:") && !pattern.hasPrefix("*") {
            pattern = pattern.hasPrefix("/") ? "svc:" + pattern : "svc:/" + pattern
        }
        let p = Array(pattern.unicodeScalars)
        var ids: [Int] = []
        var choices: [ResolvedRequest.ServiceChoice] = []
        for s in 0..<graph.serviceCount {
            let insts = graph.instances(ofService: s)
            let matched = insts.filter { globMatch(p, Array(graph.instanceFMRIs[$0].unicodeScalars)) }
            ids += matched
            if matched.isEmpty, !insts.isEmpty, globMatch(p, Array(graph.serviceFMRI(s).unicodeScalars)) {
                let choice = try preferred(service: s, raw: raw, in: graph)
                ids.append(choice.id)
                choices.append(choice.choice)
            }
        }
        guard !ids.isEmpty else {
            throw RequestError(request: raw, reason: .unknown, candidates: nearMisses(text, in: graph))
        }
        ids = Array(Set(ids)).sorted()
        return ResolvedRequest(request: raw, match: .glob, instances: ids.map { graph.instanceFMRIs[$0] },
                               instanceIDs: ids, serviceChoices: choices)
    }

    private static func abbreviation(_ text: String, raw: String, in graph: DependencyGraph) throws(RequestError) -> ResolvedRequest {
        let p = Array(text.utf8)
        var services: [Int] = []          // services matched as services
        var instances: [Int] = []         // instances matched by their own names
        for s in 0..<graph.serviceCount {
            let sf = Array(graph.serviceFMRI(s).utf8)
            var serviceMatched = abbreviationMatches(p, sf)
            for i in graph.instances(ofService: s) {
                let f = Array(graph.instanceFMRIs[i].utf8)
                let (whole, atColon) = abbreviationMatchEnds(p, f, serviceLength: sf.count)
                if whole { instances.append(i) }
                if atColon { serviceMatched = true }
            }
            if serviceMatched { services.append(s) }
        }
        var touched = Set(services)
        for i in instances { touched.insert(Int(graph.instanceService[i])) }
        if touched.isEmpty {
            // A templated service kept per file (`@SMF_PREFIX@/@SMF_NAME@{FILE}`)
            // is matched by its template name too: one file's is that
            // service, several are ambiguous and all listed.
            let templated = (0..<graph.serviceCount).filter { s in
                guard let bare = templateName(of: graph.serviceNames[s]) else { return false }
                return abbreviationMatches(p, Array(("svc:/" + bare).utf8))
            }
            if templated.count == 1 {
                return try byPreference(service: templated[0], raw: raw, match: .abbreviation, in: graph)
            }
            if templated.count > 1 {
                throw RequestError(request: raw, reason: .ambiguous, candidates: templated.map { graph.serviceFMRI($0) })
            }
            throw RequestError(request: raw, reason: .unknown, candidates: nearMisses(text, in: graph))
        }
        if touched.count > 1 || instances.count > 1 {
            let listed = (services.map { graph.serviceFMRI($0) } + instances.map { graph.instanceFMRIs[$0] }).sorted()
            throw RequestError(request: raw, reason: .ambiguous, candidates: listed)
        }
        if let i = instances.first {
            return ResolvedRequest(request: raw, match: .abbreviation, instances: [graph.instanceFMRIs[i]],
                                   instanceIDs: [i], serviceChoices: [])
        }
        return try byPreference(service: services[0], raw: raw, match: .abbreviation, in: graph)
    }

    private static func byPreference(service s: Int, raw: String, match: ResolvedRequest.Match,
                                     in graph: DependencyGraph) throws(RequestError) -> ResolvedRequest {
        let choice = try preferred(service: s, raw: raw, in: graph)
        return ResolvedRequest(request: raw, match: match, instances: [graph.instanceFMRIs[choice.id]],
                               instanceIDs: [choice.id], serviceChoices: [choice.choice])
    }

    /// The instance a named service stands for, when preference has a
    /// reason to pick it (docs/CLOSURE.md, "Naming instances on the command
    /// line"): its only instance; else the only one enabled in the
    /// baseline; else the one named `default` among the enabled ones (or
    /// among all, when none is enabled); else the first enabled one in FMRI
    /// order. With none enabled and none named `default` the choice would be
    /// FMRI order alone, an accident of spelling: an error that lists the
    /// instances.
    private static func preferred(service s: Int, raw: String,
                                  in graph: DependencyGraph) throws(RequestError) -> (id: Int, choice: ResolvedRequest.ServiceChoice) {
        let all = graph.instances(ofService: s)
        guard let first = all.first else {
            throw RequestError(request: raw, reason: .noInstance, candidates: [graph.serviceFMRI(s)])
        }
        let enabled = all.filter { graph.instanceEnabled[$0] }
        let chosen: Int
        let reason: String
        if all.count == 1 {
            chosen = first
            reason = "its only instance"
        } else if enabled.count == 1 {
            chosen = enabled[0]
            reason = "the only instance enabled in the baseline"
        } else if let d = (enabled.isEmpty ? all : enabled).first(where: { graph.instanceNames[$0] == "default" }) {
            chosen = d
            reason = enabled.isEmpty ? "the instance named 'default' (none is enabled in the baseline)"
                : "the instance named 'default' among the \(enabled.count) enabled in the baseline"
        } else if enabled.isEmpty {
            throw RequestError(request: raw, reason: .severalInstances, candidates: all.map { graph.instanceFMRIs[$0] })
        } else {
            // Several enabled, none named default: running is a reason, and
            // FMRI order only breaks the tie among those that run (said so).
            chosen = enabled[0]
            reason = "the first in FMRI order of the \(enabled.count) instances enabled in the baseline (none is named 'default')"
        }
        let choice = ResolvedRequest.ServiceChoice(
            service: graph.serviceFMRI(s), chosen: graph.instanceFMRIs[chosen],
            others: graph.preferenceOrder(ofService: s).filter { $0 != chosen }.map { graph.instanceFMRIs[$0] },
            reason: reason)
        return (chosen, choice)
    }

    // MARK: - Matching

    /// `@SMF_PREFIX@/@SMF_NAME@` for a templated service's key
    /// `@SMF_PREFIX@/@SMF_NAME@{FILE}` (RepositoryBuilder.templateKey): the
    /// text before the first `{` that does not open a `${NAME}`, when the
    /// key ends with `}` and that text holds a placeholder; else nil.
    static func templateName(of service: String) -> String? {
        guard service.hasSuffix("}") else { return nil }
        var previous: Character = " "
        for (offset, c) in service.enumerated() {
            if c == "{" && previous != "$" {
                let bare = String(service.prefix(offset))
                return containsPlaceholder(bare) ? bare : nil
            }
            previous = c
        }
        return nil
    }

    /// True when `p` occurs in `f` starting right after a `/` or `:` and
    /// ending at the end of `f` or at a `:`.
    static func abbreviationMatches(_ p: [UInt8], _ f: [UInt8]) -> Bool {
        guard !p.isEmpty, p.count < f.count else { return false }
        let slash = UInt8(ascii: "/"), colon = UInt8(ascii: ":")
        for start in 1...(f.count - p.count) where f[start - 1] == slash || f[start - 1] == colon {
            let end = start + p.count
            guard end == f.count || f[end] == colon else { continue }
            if f[start..<end].elementsEqual(p) { return true }
        }
        return false
    }

    /// For an instance FMRI `f` whose service part is `serviceLength` long:
    /// does `p` match ending at the end (the instance by its own name), and
    /// does it match ending at the `:` before the instance (the service)?
    static func abbreviationMatchEnds(_ p: [UInt8], _ f: [UInt8], serviceLength: Int) -> (whole: Bool, atColon: Bool) {
        guard !p.isEmpty, p.count < f.count else { return (false, false) }
        let slash = UInt8(ascii: "/"), colon = UInt8(ascii: ":")
        var whole = false, atColon = false
        for start in 1...(f.count - p.count) where f[start - 1] == slash || f[start - 1] == colon {
            let end = start + p.count
            guard end == f.count || f[end] == colon else { continue }
            guard f[start..<end].elementsEqual(p) else { continue }
            if end == f.count { whole = true } else if end == serviceLength { atColon = true }
        }
        return (whole, atColon)
    }

    /// fnmatch(3) without flags: `*` matches any run (slashes included), `?`
    /// one character, `[...]` a class with ranges and `!` or `^` negation.
    static func globMatch(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var pi = 0, si = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count {
                switch p[pi] {
                case "*":
                    starP = pi
                    starS = si
                    pi += 1
                    continue
                case "?":
                    pi += 1
                    si += 1
                    continue
                case "[":
                    if let (matched, next) = matchClass(p, pi, s[si]) {
                        if matched {
                            pi = next
                            si += 1
                            continue
                        }
                    } else if s[si] == "[" {
                        pi += 1
                        si += 1
                        continue
                    }
                default:
                    if p[pi] == s[si] {
                        pi += 1
                        si += 1
                        continue
                    }
                }
            }
            guard starP >= 0 else { return false }
            starS += 1
            si = starS
            pi = starP + 1
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches `c` against the class starting at `p[start] == "["`; nil when
    /// the class is not closed (then `[` is an ordinary character).
    private static func matchClass(_ p: [Unicode.Scalar], _ start: Int, _ c: Unicode.Scalar) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count && (p[i] == "!" || p[i] == "^") {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < p.count {
            if p[i] == "]" && !first { return (matched != negate, i + 1) }
            first = false
            let lo = p[i]
            if i + 2 < p.count && p[i + 1] == "-" && p[i + 2] != "]" {
                if lo.value <= c.value && c.value <= p[i + 2].value { matched = true }
                i += 3
            } else {
                if lo == c { matched = true }
                i += 1
            }
        }
        return nil
    }

    // MARK: - Near misses

    /// Up to 8 FMRIs close to `text`: containing it (case-insensitively), or
    /// whose last name component or instance name is a few edits away.
    static func nearMisses(_ text: String, in graph: DependencyGraph) -> [String] {
        var key = text.lowercased()
        for prefix in ["svc://localhost/", "svc:/", "svc:", "/"] where key.hasPrefix(prefix) {
            key = String(key.dropFirst(prefix.count))
            break
        }
        guard !key.isEmpty else { return [] }
        let k = Array(key.utf8)
        let budget = max(1, k.count / 3)
        var scored: [(Int, String)] = []
        var names: [String] = (0..<graph.serviceCount).map { graph.serviceFMRI($0) }
        names += graph.instanceFMRIs
        for f in names {
            let lower = f.lowercased()
            if lower.contains(key) {
                scored.append((0, f))
                continue
            }
            let body = lower.dropFirst(5)  // "svc:/"
            var parts = body.split(whereSeparator: { $0 == "/" || $0 == ":" }).map { Array($0.utf8) }
            // and every tail starting at a boundary (`ssh:default`, `network/ssh:default`)
            let bytes = Array(body.utf8)
            parts.append(bytes)
            for (i, c) in bytes.enumerated() where c == UInt8(ascii: "/") || c == UInt8(ascii: ":") {
                parts.append(Array(bytes[(i + 1)...]))
            }
            let d = parts.map { editDistance(k, $0, limit: budget) }.min() ?? Int.max
            if d <= budget { scored.append((d, f)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return Array(scored.prefix(8).map(\.1))
    }

    /// Levenshtein distance, giving up (returning `limit + 1`) past `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                rowMin = min(rowMin, cur[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
