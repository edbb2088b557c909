/// A parsed FMRI, normalised the way libscf's `scf_parse_fmri` reads it
/// (docs/SEMANTICS.md, "FMRIs").
///
/// - `svc:/a/b:i`, `svc:a/b:i`, `svc://localhost/a/b:i`, `/a/b:i` and `a/b:i`
///   all give `.instance(service: "a/b", instance: "i")`; without `:i` they
///   give `.service("a/b")`.
/// - `file://localhost/p`, `file:///p` and `file:/p` give `.path("/p")`.
public enum FMRI: Sendable, Hashable, Comparable, CustomStringConvertible {
    case service(String)
    case instance(service: String, instance: String)
    case path(String)

    /// Parses a manifest `service_fmri` value or a command-line FMRI.
    /// Returns nil for text that libscf would refuse.
    public init?(parsing raw: String) {
        // Printable ASCII without blanks (nearly every real value): parse the
        // bytes. Each Character is then one byte, so this gives exactly what
        // the general path below gives (FMRIFastPathTests checks it).
        var raw = raw
        switch raw.withUTF8({ FMRI.parseASCII($0) }) {
        case .parsed(let f): self = f; return
        case .invalid: return nil
        case .notASCII: break
        }
        let text = raw.trimmingWhitespace()
        if text.isEmpty { return nil }
        if text.hasPrefix("file:") {
            var rest = Substring(text.dropFirst(5))
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                // scope: empty or localhost
                guard let slash = rest.firstIndex(of: "/") else { return nil }
                let scope = rest[rest.startIndex..<slash]
                guard scope.isEmpty || scope == "localhost" else { return nil }
                rest = rest[slash...]
            }
            guard rest.hasPrefix("/"), rest.count > 1 else { return nil }
            self = .path(String(rest))
            return
        }
        var rest = Substring(text)
        if rest.hasPrefix("svc:") { rest = rest.dropFirst(4) }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var scope = rest[rest.startIndex..<end]
            if scope.hasSuffix("@localhost") { scope = scope.dropLast(10) }
            guard scope.isEmpty || scope == "localhost" else { return nil }
            rest = rest[end...]
        }
        if rest.hasPrefix("/") { rest = rest.dropFirst() }
        // property-group parts (`/:properties/...`) do not name a service or instance
        if rest.utf8.containsASCII("/:properties") { return nil }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let service = String(parts[0])
        guard FMRI.isValidServiceName(service) else { return nil }
        if parts.count == 2 {
            let inst = String(parts[1])
            guard FMRI.isValidComponent(inst) else { return nil }
            self = .instance(service: service, instance: inst)
        } else {
            self = .service(service)
        }
    }

    /// Whether `init?(parsing:)` would accept `raw`, without making the
    /// FMRI's strings (the check of every value svccfg makes on import).
    public static func isValid(_ raw: String) -> Bool {
        var raw = raw
        switch raw.withUTF8({ FMRI.parseASCII($0, making: false) }) {
        case .parsed: return true
        case .invalid: return false
        case .notASCII: return FMRI(parsing: raw) != nil
        }
    }

    /// What `init?(parsing:)` makes of `raw`, with the names left empty
    /// when they need not be made (the reader asks only whether a value is
    /// a path, a service or an instance): nil when it is refused.
    static func shape(of raw: String) -> FMRI? {
        var raw = raw
        switch raw.withUTF8({ FMRI.parseASCII($0, making: false) }) {
        case .parsed(let f): return f
        case .invalid: return nil
        case .notASCII: return FMRI(parsing: raw)
        }
    }

    private enum FastParse {
        case parsed(FMRI)
        case invalid
        case notASCII
    }

    /// The same steps as `init?(parsing:)`, over bytes 0x21...0x7e only.
    /// With `making` false, the names of a parsed FMRI are left empty (only
    /// whether it parses is wanted).
    private static func parseASCII(_ b: UnsafeBufferPointer<UInt8>, making: Bool = true) -> FastParse {
        if b.isEmpty { return .notASCII }
        for x in b where x < 0x21 || x > 0x7e { return .notASCII }
        func has(_ prefix: StaticString, at i: Int) -> Bool {
            let n = prefix.utf8CodeUnitCount
            guard b.count - i >= n else { return false }
            for k in 0..<n where b[i + k] != prefix.utf8Start[k] { return false }
            return true
        }
        func isLocalhost(_ r: Range<Int>) -> Bool {
            r.isEmpty || (r.count == 9 && has("localhost", at: r.lowerBound))
        }
        func string(_ r: Range<Int>) -> String {
            making ? String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) : ""
        }
        var i = 0
        if has("file:", at: 0) {
            i = 5
            if has("//", at: i) {
                i += 2
                guard let slash = b[i...].firstIndex(of: 0x2f) else { return .invalid }
                guard isLocalhost(i..<slash) else { return .invalid }
                i = slash
            }
            guard i < b.count, b[i] == 0x2f, b.count - i > 1 else { return .invalid }
            return .parsed(.path(string(i..<b.count)))
        }
        if has("svc:", at: 0) { i = 4 }
        if has("//", at: i) {
            i += 2
            let end = b[i...].firstIndex(of: 0x2f) ?? b.count
            var scopeEnd = end
            if scopeEnd - i >= 10, has("@localhost", at: scopeEnd - 10) { scopeEnd -= 10 }
            guard isLocalhost(i..<scopeEnd) else { return .invalid }
            i = end
        }
        if i < b.count, b[i] == 0x2f { i += 1 }
        // property-group parts (`/:properties/...`) do not name a service or instance
        var j = i
        while j < b.count {
            if has("/:properties", at: j) { return .invalid }
            j += 1
        }
        // At most one ':' (no array: this runs for every value read).
        var colon: Int?
        for k in i..<b.count where b[k] == 0x3a {
            if colon != nil { return .invalid }
            colon = k
        }
        let serviceEnd = colon ?? b.count
        guard isValidServiceName(UnsafeBufferPointer(rebasing: b[i..<serviceEnd])) else { return .invalid }
        let service = string(i..<serviceEnd)
        if let c = colon {
            guard isValidComponent(UnsafeBufferPointer(rebasing: b[(c + 1)...])) else { return .invalid }
            return .parsed(.instance(service: service, instance: string((c + 1)..<b.count)))
        }
        return .parsed(.service(service))
    }

    /// The canonical spelling: `svc:/a/b:i`, `svc:/a/b` or `file://localhost/p`.
    public var description: String {
        switch self {
        case .service(let s): "svc:/\(s)"
        case .instance(let s, let i): "svc:/\(s):\(i)"
        case .path(let p): "file://localhost\(p)"
        }
    }

    /// The service name for service and instance FMRIs.
    public var serviceName: String? {
        switch self {
        case .service(let s), .instance(let s, _): s
        case .path: nil
        }
    }

    public static func < (a: FMRI, b: FMRI) -> Bool { a.description < b.description }

    /// libuutil `uu_check_name` with `UU_NAME_DOMAIN`: an optional `vendor,`
    /// prefix (dots allowed), then each `/`-separated component starts with a
    /// letter and goes on with letters, digits, `_`, `-`.
    ///
    /// Checked on UTF-8 bytes: every allowed character is one ASCII byte, and
    /// any other byte (a non-ASCII scalar, a combining mark, `\r`) makes the
    /// name invalid, so this equals the check on Characters.
    public static func isValidServiceName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { isValidServiceName($0) }
    }

    private static func isValidServiceName(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        do {
            if b.isEmpty { return false }
            var i = 0
            if let comma = b.firstIndex(of: UInt8(ascii: ",")) {
                // vendor: a letter, then letters, digits, '_', '-', '.'
                guard comma > 0, isLetter(b[0]) else { return false }
                for j in 1..<comma where !(isLetter(b[j]) || isDigit(b[j]) || b[j] == 0x5f || b[j] == 0x2d || b[j] == 0x2e) {
                    return false
                }
                i = comma + 1
            }
            // '/'-separated components, none empty.
            var start = i
            while true {
                var end = start
                while end < b.count, b[end] != 0x2f { end += 1 }
                guard isValidComponent(UnsafeBufferPointer(rebasing: b[start..<end])) else { return false }
                if end == b.count { return true }
                start = end + 1
            }
        }
    }

    /// One name component: a letter, then letters, digits, `_`, `-`, and
    /// (as svccfg lets through in instance and vendor names) `,` and `.`.
    public static func isValidComponent(_ c: String) -> Bool {
        var c = c
        return c.withUTF8 { isValidComponent($0) }
    }

    private static func isValidComponent(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first, isLetter(first) else { return false }
        for x in b where !(isLetter(x) || isDigit(x) || x == 0x5f || x == 0x2d || x == 0x2e || x == 0x2c) {
            return false
        }
        return true
    }

    @inline(__always) private static func isLetter(_ x: UInt8) -> Bool { (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7a }
    @inline(__always) private static func isDigit(_ x: UInt8) -> Bool { x >= 0x30 && x <= 0x39 }
}

extension Substring.UTF8View {
    /// Whether these bytes contain `needle`'s bytes (an ASCII literal).
    func containsASCII(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        let p = needle.utf8Start
        guard n > 0, count >= n else { return n == 0 }
        var i = startIndex
        let last = index(endIndex, offsetBy: -n)
        while i <= last {
            var j = i
            var k = 0
            while k < n, self[j] == p[k] {
                formIndex(after: &j)
                k += 1
            }
            if k == n { return true }
            formIndex(after: &i)
        }
        return false
    }
}

extension String {
    func trimmingWhitespace() -> String {
        // Most values have no blank at either end: nothing to trim. (A last
        // byte other than a blank or '\n' cannot end a blank Character.)
        if let f = utf8.first, let l = utf8.last,
           f != 0x20, f != 0x09, f != 0x0a, f != 0x0d, l != 0x20, l != 0x09, l != 0x0a, l != 0x0d {
            return self
        }
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let s = firstIndex(where: { !ws($0) }), let e = lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[s...e])
    }
}

/// The canonical FMRI of an instance.
public func instanceFMRI(_ service: String, _ instance: String) -> String { "svc:/\(service):\(instance)" }

/// svc.startd's own instance: never a graph vertex.
public let startdFMRI = "svc:/system/svc/restarter:default"
