/// What `zonecfg -z NAME export` says about a zone, as far as the analysis
/// cares: its IP type, brand, zonepath, limitpriv, and the resources it
/// adds (`add net` … `end`), with every top-level `set` kept as written.
public struct ZoneConfig: Sendable, Hashable {
    /// The zone's IP stack: the one `IPType` the plan reads too.
    public typealias IPType = SMFKit.IPType

    /// One `add TYPE` … `end` block.
    public struct Resource: Sendable, Hashable {
        /// `net`, `fs`, `device`, `attr`, `capped-memory`, `dataset`, …
        public var type: String
        /// `set NAME=VALUE` inside the block, in order (values unquoted).
        public var properties: [(name: String, value: String)]
        /// The line of `add TYPE`.
        public var line: Int

        public func value(_ name: String) -> String? { properties.first { $0.name == name }?.value }

        public static func == (a: Resource, b: Resource) -> Bool {
            a.type == b.type && a.line == b.line && a.properties.map(\.name) == b.properties.map(\.name)
                && a.properties.map(\.value) == b.properties.map(\.value)
        }

        public func hash(into h: inout Hasher) {
            h.combine(type)
            h.combine(line)
        }
    }

    /// The file it was read from.
    public var path: String
    /// Every top-level `set NAME=VALUE`, in order (values unquoted); a later
    /// `set` of the same name replaces the value, as zonecfg does.
    public var properties: [(name: String, value: String)] = []
    public var resources: [Resource] = []
    /// The `create` line's options (`-b` for a blank configuration, `-t TEMPLATE`).
    public var createOptions: [String] = []
    /// Problems found (SMF061), with file and line.
    public var diagnostics: [Diagnostic] = []

    public init(path: String) {
        self.path = path
    }

    /// The value of a top-level property (`zonepath`, `brand`, `ip-type`, `autoboot`, …).
    public func value(_ name: String) -> String? { properties.last { $0.name == name }?.value }

    public var zonepath: String? { value("zonepath") }
    public var brand: String? { value("brand") }
    /// `shared` when the export says nothing (zonecfg's default), nil when it
    /// says something else (diagnosed).
    public var ipType: IPType? {
        guard let raw = value("ip-type") else { return .shared }
        return IPType(rawValue: raw)
    }
    /// The privileges of `limitpriv`, split at commas (`default`, `dtrace_proc`); empty when unset.
    ///
    /// - Complexity: O(length of the value).
    public var limitpriv: [String] {
        (value("limitpriv") ?? "").split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
    public var autoboot: Bool? { value("autoboot").flatMap { $0 == "true" ? true : $0 == "false" ? false : nil } }
    /// The `add net` blocks.
    ///
    /// - Complexity: O(resources).
    public var nets: [Resource] { resources.filter { $0.type == "net" } }

    public static func == (a: ZoneConfig, b: ZoneConfig) -> Bool {
        a.path == b.path && a.properties.map(\.name) == b.properties.map(\.name)
            && a.properties.map(\.value) == b.properties.map(\.value)
            && a.resources == b.resources && a.createOptions == b.createOptions && a.diagnostics == b.diagnostics
    }

    public func hash(into h: inout Hasher) {
        h.combine(path)
        h.combine(resources)
    }

    // MARK: - Parsing

    /// Reads a file written by `zonecfg -z NAME export`.
    public static func read(path: String, limit: Int = 1 << 20) -> ZoneConfig {
        switch FileBytes.read(path, limit: limit) {
        case .success(let bytes):
            return parse(String(decoding: bytes, as: UTF8.self), path: path)
        case .failure(let problem):
            var z = ZoneConfig(path: path)
            var d = problem.diagnostic(path: path)
            d.code = .zonecfgUnreadable
            d.message = "--zonecfg: " + d.message
            z.diagnostics.append(d)
            return z
        }
    }

    /// Parses the text of `zonecfg export`. Never fails: every line it does
    /// not understand is an SMF061 warning, and the rest is still read.
    public static func parse(_ text: String, path: String) -> ZoneConfig {
        var z = ZoneConfig(path: path)
        var open: Resource?
        var sawCreate = false
        func warn(_ line: Int, _ column: Int, _ message: String) {
            z.diagnostics.append(Diagnostic(.warning, .zonecfgUnreadable, message,
                                            at: SourceLocation(file: path, line: line, column: max(1, column))))
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let n = index + 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            let column = (line.firstIndex { $0 != " " && $0 != "\t" }).map { line.distance(from: line.startIndex, to: $0) + 1 } ?? 1
            let body = line.trimmingWhitespace()
            if body.isEmpty || body.hasPrefix("#") { continue }
            // Several commands may share a line, separated by ';'.
            for command in splitCommands(body) {
                let words = splitWords(command)
                guard let verb = words.first else { continue }
                switch verb {
                case "create":
                    if sawCreate { warn(n, column, "a second 'create' in the export; its options are ignored") }
                    else { z.createOptions = Array(words.dropFirst()) }
                    sawCreate = true
                case "set":
                    let rest = words.dropFirst().joined(separator: " ")
                    guard let eq = rest.firstIndex(of: "=") else {
                        warn(n, column, "'\(command)': a set command needs NAME=VALUE; ignored")
                        continue
                    }
                    let name = String(rest[rest.startIndex..<eq]).trimmingWhitespace()
                    let value = unquote(String(rest[rest.index(after: eq)...]).trimmingWhitespace())
                    guard !name.isEmpty else {
                        warn(n, column, "'\(command)': the property name is empty; ignored")
                        continue
                    }
                    if open != nil {
                        open?.properties.append((name, value))
                    } else {
                        z.properties.removeAll { $0.name == name }
                        z.properties.append((name, value))
                        if name == "ip-type", IPType(rawValue: value) == nil {
                            warn(n, column, "ip-type '\(value)' is neither 'shared' nor 'exclusive'; the zone's IP type is unknown")
                        }
                    }
                case "add":
                    guard words.count >= 2 else {
                        warn(n, column, "'add' without a resource type; ignored")
                        continue
                    }
                    if let o = open {
                        if words.count >= 3 {
                            // `add property (name=...,value=...)` inside a resource.
                            open?.properties.append((words[1], unquote(words.dropFirst(2).joined(separator: " "))))
                            continue
                        }
                        warn(n, column, "'add \(words[1])' inside the unfinished 'add \(o.type)' of line \(o.line); that block is closed here")
                        z.resources.append(o)
                    }
                    open = Resource(type: words[1], properties: [], line: n)
                case "end":
                    if let o = open { z.resources.append(o); open = nil }
                    else { warn(n, column, "'end' without an open 'add' block; ignored") }
                case "commit", "exit", "verify":
                    continue
                case "remove", "clear", "select", "cancel", "delete":
                    warn(n, column, "'\(verb)' is not something 'zonecfg export' writes; ignored")
                default:
                    warn(n, column, "'\(command)' is not a zonecfg command; ignored (is this the output of zonecfg -z NAME export?)")
                }
            }
        }
        if let o = open {
            warn(o.line, 1, "'add \(o.type)' is never closed with 'end'; kept as it is")
            z.resources.append(o)
        }
        if !sawCreate && (z.properties.isEmpty && z.resources.isEmpty) {
            warn(1, 1, "no zonecfg command found: this is not the output of zonecfg -z NAME export")
        }
        return z
    }

    /// Splits at `;` outside quotes.
    static func splitCommands(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        for ch in s {
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted {
                out.append(cur.trimmingWhitespace())
                cur = ""
            } else {
                cur.append(ch)
            }
        }
        out.append(cur.trimmingWhitespace())
        return out.filter { !$0.isEmpty }
    }

    /// Splits at blanks outside quotes, keeping the quotes.
    static func splitWords(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        for ch in s {
            if ch == "\"" { quoted.toggle() }
            if (ch == " " || ch == "\t") && !quoted {
                if !cur.isEmpty { out.append(cur) }
                cur = ""
            } else {
                cur.append(ch)
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// `"a b"` → `a b`; anything else unchanged.
    static func unquote(_ s: String) -> String {
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { return String(s.dropFirst().dropLast()) }
        return s
    }
}
