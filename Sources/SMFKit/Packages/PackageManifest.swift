#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The architecture a package set is read for. illumos's build
/// (usr/src/pkg/Makefile) defines `$(i386_ONLY)` as empty and
/// `$(sparc_ONLY)` as `#` when it builds for i386, and the other way round
/// for sparc; `$(ARCH)` is the architecture's name. The default is i386.
public enum PackageArch: String, Sendable, CaseIterable {
    case i386, sparc

    /// The macros the build defines for this architecture.
    public var macros: [String: String] {
        switch self {
        case .i386: ["i386_ONLY": "", "sparc_ONLY": "#", "ARCH": "i386"]
        case .sparc: ["i386_ONLY": "#", "sparc_ONLY": "", "ARCH": "sparc"]
        }
    }
}

/// One action of a package manifest (pkg(5)): `file path=... mode=0444`,
/// with its attributes in order (an attribute may hold several values).
public struct PackageAction: Sendable, Hashable {
    public var type: String
    /// The positional payload of a published `file` action (its hash), if any.
    public var payload: String?
    public var attributes: [String: [String]]
    /// Where the action starts (its first line, when it continues over several).
    public var location: SourceLocation
    /// The `<include>` lines that led to the file holding the action, outermost first.
    public var includedVia: [SourceLocation]
    /// The transform that last set `variant.opensolaris.zone`, with the
    /// `<include>` lines that brought it in (nil when the action carries it itself).
    public var zoneSetBy: TransformOrigin?

    public init(type: String, payload: String? = nil, attributes: [String: [String]], location: SourceLocation,
                includedVia: [SourceLocation] = [], zoneSetBy: TransformOrigin? = nil) {
        self.type = type
        self.payload = payload
        self.attributes = attributes
        self.location = location
        self.includedVia = includedVia
        self.zoneSetBy = zoneSetBy
    }

    public func first(_ name: String) -> String? { attributes[name]?.first }
}

/// Where a transform was written, and how it was reached.
public struct TransformOrigin: Sendable, Hashable {
    public var location: SourceLocation
    public var includedVia: [SourceLocation]
}

/// One line of a package manifest after continuation lines are joined.
struct ManifestLine {
    var text: String
    var line: Int
}

/// Splits a manifest's text into logical lines: a line ending with `\`
/// continues on the next (the `\` is removed; the next line's own leading
/// white space stays), as pkgmogrify(1) joins them.
func joinContinuations(_ text: String, file: String, diagnostics: inout [Diagnostic]) -> [ManifestLine] {
    var out: [ManifestLine] = []
    var pending = ""
    var start = 0
    var n = 0
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
        n += 1
        var line = String(raw)
        if line.hasSuffix("\r") { line.removeLast() }
        if pending.isEmpty && start == 0 { start = n }
        if line.hasSuffix("\\") {
            line.removeLast()
            pending += line
            continue
        }
        out.append(ManifestLine(text: pending + line, line: start))
        pending = ""
        start = 0
    }
    if start != 0 {
        diagnostics.append(Diagnostic(.warning, .packageLineMalformed,
            "the last line ends with '\\' (a continuation) but the file ends there; the action is read as it stands",
            at: SourceLocation(file: file, line: start)))
        out.append(ManifestLine(text: pending, line: start))
    }
    return out
}

/// Replaces `$(NAME)` for the names in `macros`; other macros stay as written.
func substituteMacros(_ s: String, _ macros: [String: String]) -> String {
    guard s.contains("$(") else { return s }
    var out = ""
    var rest = Substring(s)
    while let r = rest.firstRange(of: "$(") {
        out += rest[rest.startIndex..<r.lowerBound]
        let after = rest[r.upperBound...]
        if let close = after.firstIndex(of: ")"), let value = macros[String(after[after.startIndex..<close])] {
            out += value
            rest = after[after.index(after: close)...]
        } else {
            out += "$("
            rest = after
        }
    }
    return out + rest
}

/// The words of an action or transform: `name=value` pairs (the value
/// quoted with `"` or `'` when it holds white space, `\` escaping the quote
/// inside), and bare words.
enum Word: Equatable {
    case pair(String, String)
    case bare(String)
}

/// Splits `text` into words; nil with a reason when a quote is not closed.
func splitWords(_ text: Substring) -> ([Word], String?) {
    var words: [Word] = []
    let chars = Array(text)
    var i = 0
    func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" }
    while i < chars.count {
        while i < chars.count, isSpace(chars[i]) { i += 1 }
        guard i < chars.count else { break }
        var key = ""
        while i < chars.count, !isSpace(chars[i]), chars[i] != "=" {
            key.append(chars[i]); i += 1
        }
        guard i < chars.count, chars[i] == "=" else {
            words.append(.bare(key))
            continue
        }
        i += 1
        var value = ""
        if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
            let q = chars[i]
            i += 1
            var closed = false
            while i < chars.count {
                let c = chars[i]
                if c == "\\", i + 1 < chars.count, chars[i + 1] == q || chars[i + 1] == "\\" {
                    value.append(chars[i + 1]); i += 2; continue
                }
                if c == q { closed = true; i += 1; break }
                value.append(c); i += 1
            }
            guard closed else { return (words, "the value of '\(key)' opens a quote (\(q)) that is not closed") }
            if i < chars.count, !isSpace(chars[i]) {
                return (words, "the quoted value of '\(key)' is followed by '\(chars[i])' without white space")
            }
        } else {
            while i < chars.count, !isSpace(chars[i]) { value.append(chars[i]); i += 1 }
        }
        if key.isEmpty { return (words, "'=\(value)' has no attribute name") }
        words.append(.pair(key, value))
    }
    return (words, nil)
}

/// The action types of pkg(5); a bare word in a transform's match part is
/// an action type when it is one of these.
let packageActionTypes: Set<String> = ["file", "dir", "link", "hardlink", "depend", "set", "license", "legacy",
                                       "user", "group", "driver", "signature", "unknown"]

/// Parses one action line; nil with a reason when it is malformed.
func parseAction(_ text: String, at location: SourceLocation) -> (PackageAction?, String?) {
    let trimmed = text.drop { $0 == " " || $0 == "\t" }
    let type = String(trimmed.prefix { $0 != " " && $0 != "\t" })
    guard packageActionTypes.contains(type) else {
        let shown = type.count > 40 ? String(type.prefix(40)) + "…" : type
        return (nil, "'\(shown)' is not an action type (file, dir, link, hardlink, depend, set, license, ...)")
    }
    let (words, problem) = splitWords(trimmed.dropFirst(type.count))
    if let problem { return (nil, problem) }
    var attributes: [String: [String]] = [:]
    var payload: String?
    for (k, w) in words.enumerated() {
        switch w {
        case .pair(let name, let value):
            attributes[name, default: []].append(value)
        case .bare(let word):
            if k == 0, type == "file" || type == "license" {
                payload = word
            } else {
                return (nil, "'\(word)' has no '=': an action's attributes are name=value")
            }
        }
    }
    return (PackageAction(type: type, payload: payload, attributes: attributes, location: location), nil)
}

/// `s` without leading and trailing blanks (spaces and tabs).
func blankTrimmed<S: StringProtocol>(_ s: S) -> String {
    let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = s.firstIndex(where: { !isBlank($0) }), let last = s.lastIndex(where: { !isBlank($0) }) else { return "" }
    return String(s[first...last])
}
