/// A parsed FMRI, normalised the way libscf's `scf_parse_fmri` reads it
/// (semantics.md section 3).
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
        if rest.contains("/:properties") { return nil }
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
    public static func isValidServiceName(_ name: String) -> Bool {
        if name.isEmpty { return false }
        var body = Substring(name)
        if let comma = body.firstIndex(of: ",") {
            let vendor = body[body.startIndex..<comma]
            guard let f = vendor.first, f.isASCII, f.isLetter,
                  vendor.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") })
            else { return false }
            body = body[body.index(after: comma)...]
        }
        let comps = body.split(separator: "/", omittingEmptySubsequences: false)
        return !comps.isEmpty && comps.allSatisfy { isValidComponent(String($0)) }
    }

    /// One name component: a letter, then letters, digits, `_`, `-`, and
    /// (as svccfg lets through in instance and vendor names) `,` and `.`.
    public static func isValidComponent(_ c: String) -> Bool {
        guard let first = c.first, first.isASCII, first.isLetter else { return false }
        return c.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." || $0 == ",") }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let s = firstIndex(where: { !ws($0) }), let e = lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[s...e])
    }
}

/// The canonical FMRI of an instance.
public func instanceFMRI(_ service: String, _ instance: String) -> String { "svc:/\(service):\(instance)" }

/// svc.startd's own instance: never a graph vertex.
public let startdFMRI = "svc:/system/svc/restarter:default"
