/// A JSON value with ordered object members, so that output is byte-stable.
public indirect enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.render() == b.render() }
    public func hash(into h: inout Hasher) { h.combine(render()) }

    /// Pretty-printed with two-space indentation and a final newline.
    public func render() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += inner
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += pad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in members.enumerated() {
                out += inner
                JSON.quote(k, into: &out)
                out += ": "
                v.write(into: &out, indent: indent + 1)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += pad + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7f {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

extension JSON {
    public static func strings(_ a: [String]) -> JSON { .array(a.map { .string($0) }) }
    public static func opt(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
}

extension Diagnostic {
    public var json: JSON {
        .object(location.jsonMembers + [
            ("column", .int(location.column)),
            ("severity", .string(severity.rawValue)),
            ("code", .string(code.rawValue)),
            ("message", .string(message)),
        ])
    }
}

extension SourceLocation {
    public var json: JSON { .object(jsonMembers) }

    /// `"file", "line"`, for an object that names its place among its own members.
    public var jsonMembers: [(String, JSON)] { [("file", .string(file)), ("line", .int(line))] }
}

extension JSON {
    /// The version of every command's JSON shape (docs/JSON.md says what bumps it).
    public static let schemaVersion = 1

    /// The document a command prints: `schemaVersion` first, then the object's members.
    public var versioned: JSON {
        guard case .object(let members) = self else {
            return .object([("schemaVersion", .int(JSON.schemaVersion)), ("value", self)])
        }
        return .object([("schemaVersion", .int(JSON.schemaVersion))] + members.filter { $0.0 != "schemaVersion" })
    }
}
