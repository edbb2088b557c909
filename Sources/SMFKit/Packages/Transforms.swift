#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `<transform TYPES ATTR=REGEX ... -> OPERATION ARGS>` line, the subset of
/// pkgmogrify(1)'s language that illumos's transforms and manifests use.
///
/// Matching, as pkgmogrify(1) documents it: the bare words before `->` that
/// are action types select the action types (any of them; none means every
/// type); each `name=regex` must match one of the attribute's values, the
/// regular expression anchored at both ends; a bare word that is not an
/// action type requires the attribute to be present. Operations:
/// `default NAME VALUE` (only when the action has no NAME), `set NAME VALUE`
/// (replaces every value), `add NAME VALUE`, `delete NAME REGEX` (removes the
/// values the expression finds; the attribute goes when none is left),
/// `edit NAME REGEX [REPLACEMENT]` (`\1` back references), `drop` (the action
/// is not delivered). Others (`emit`, `exit`, `abort`, `print`) are read but
/// not applied, with SMF084.
public struct Transform {
    public enum Operation: Sendable, Equatable {
        case defaultValue(String, String)
        case set(String, String)
        case add(String, String)
        case delete(String, String)
        case edit(String, String, String)
        case drop
        case unmodelled(String)
    }

    public var types: Set<String>
    public var matches: [(name: String, pattern: String)]
    public var present: [String]
    public var operation: Operation
    public var origin: TransformOrigin
    /// One test per entry of `matches`, built once by `parse` (a string
    /// test for the common literal patterns, else the anchored expression).
    private var matchTests: [(String) -> Bool]
    /// The expression of `delete` and `edit`, compiled by `parse`.
    private var operationRegex: Regex<AnyRegexOutput>?
    /// `edit`'s replacement, cut into literal text and back references by `parse`.
    private var editTemplate: [TemplatePart] = []

    /// Parses the text between `<transform` and `>`; nil with a reason when malformed.
    static func parse(_ body: Substring, origin: TransformOrigin) -> (Transform?, String?) {
        guard let arrow = body.firstRange(of: "->") else {
            return (nil, "a transform needs '->' between what it matches and what it does")
        }
        let (left, p1) = splitWords(body[body.startIndex..<arrow.lowerBound])
        if let p1 { return (nil, p1) }
        var types = Set<String>()
        var matches: [(String, String)] = []
        var present: [String] = []
        var matchTests: [(String) -> Bool] = []
        for w in left {
            switch w {
            case .bare(let t) where packageActionTypes.contains(t): types.insert(t)
            case .bare(let a): present.append(a)
            case .pair(let name, let pattern):
                guard let re = (try? Regex("^(?:" + pattern + ")$")).map(SharedRegex.init) else {
                    return (nil, "'\(pattern)' (for \(name)) is not a regular expression")
                }
                matchTests.append(literalPattern(pattern)
                    ?? { v in (try? re.regex.firstMatch(in: v)) != nil })
                matches.append((name, pattern))
            }
        }
        let right = body[arrow.upperBound...]
        // The operation's arguments are plain words, quoted when they hold white space.
        let args = operationWords(right)
        guard let op = args.first else { return (nil, "the transform has no operation after '->'") }
        let operation: Operation
        var operationRegex: Regex<AnyRegexOutput>?
        func need(_ n: Int) -> String? {
            args.count >= n + 1 ? nil : "'\(op)' needs \(n) argument\(n == 1 ? "" : "s") (\(args.count - 1) given)"
        }
        switch op {
        case "default":
            if let p = need(2) { return (nil, p) }
            operation = .defaultValue(args[1], args[2])
        case "set":
            if let p = need(2) { return (nil, p) }
            operation = .set(args[1], args[2])
        case "add":
            if let p = need(2) { return (nil, p) }
            operation = .add(args[1], args[2])
        case "delete", "edit":
            if let p = need(2) { return (nil, p) }
            guard let re = try? Regex(args[2]) else {
                return (nil, "'\(args[2])' (for \(op) \(args[1])) is not a regular expression")
            }
            operationRegex = re
            operation = op == "delete" ? .delete(args[1], args[2]) : .edit(args[1], args[2], args.count > 3 ? args[3] : "")
        case "drop":
            operation = .drop
        case "emit", "exit", "abort", "print":
            operation = .unmodelled(op)
        default:
            return (nil, "'\(op)' is not a transform operation (default, set, add, delete, edit, drop, emit, exit, abort, print)")
        }
        var transform = Transform(types: types, matches: matches, present: present, operation: operation,
                                  origin: origin, matchTests: matchTests, operationRegex: operationRegex)
        if case .edit(_, _, let replacement) = operation { transform.editTemplate = editTemplate(replacement) }
        return (transform, nil)
    }

    /// A piece of `edit`'s replacement: text, or the text of a group of the match.
    enum TemplatePart: Equatable {
        case text(String)
        case group(Int)
    }

    /// pkgmogrify's replacement (usr/src/pkg's transforms use Python's
    /// re.sub): `\1`..`\9` are back references, any other `\c` is `c`,
    /// and everything else (a `$` too) is literal.
    static func editTemplate(_ replacement: String) -> [TemplatePart] {
        var parts: [TemplatePart] = []
        var text = ""
        var it = replacement.makeIterator()
        while let c = it.next() {
            if c == "\\", let d = it.next() {
                if let n = d.wholeNumberValue, d.isASCII {
                    if !text.isEmpty { parts.append(.text(text)); text = "" }
                    parts.append(.group(n))
                } else {
                    text.append(d)
                }
            } else {
                text.append(c)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// `value` with every match of `re` replaced by `template`, left to
    /// right; a group that did not take part (or does not exist) gives
    /// nothing, as in NSRegularExpression's templates.
    static func replacingMatches(of re: Regex<AnyRegexOutput>, in value: String, with template: [TemplatePart]) -> String {
        value.replacing(re) { match in
            var out = ""
            for part in template {
                switch part {
                case .text(let t): out += t
                case .group(let n):
                    if n < match.output.count, let sub = match.output[n].substring { out += sub }
                }
            }
            return out
        }
    }

    /// Words separated by white space; `"..."` or `'...'` keeps white space.
    static func operationWords(_ s: Substring) -> [String] {
        var out: [String] = []
        var cur = ""
        var quote: Character?
        var started = false
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { cur.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c; started = true
            } else if c == " " || c == "\t" {
                if started { out.append(cur); cur = ""; started = false }
            } else {
                cur.append(c); started = true
            }
        }
        if started { out.append(cur) }
        return out
    }

    public func matches(_ a: PackageAction) -> Bool {
        if !types.isEmpty && !types.contains(a.type) { return false }
        for name in present where a.attributes[name] == nil { return false }
        for (k, m) in matches.enumerated() {
            guard let values = a.attributes[m.name], values.contains(where: matchTests[k]) else { return false }
        }
        return true
    }

    /// The common anchored patterns without regular-expression syntax
    /// between an optional leading `.*` and a trailing `.*` or `$`
    /// (`.*/man/.*`, `.*/include$`, `kernel$`) as string tests; nil for others.
    static func literalPattern(_ pattern: String) -> (@Sendable (String) -> Bool)? {
        var p = Substring(pattern)
        let anyStart = p.hasPrefix(".*")
        if anyStart { p = p.dropFirst(2) }
        var anyEnd = false
        if p.hasSuffix(".*") { anyEnd = true; p = p.dropLast(2) } else if p.hasSuffix("$") { p = p.dropLast() }
        let meta: Set<Character> = [".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "\\", "^", "$"]
        guard !p.contains(where: meta.contains) else { return nil }
        let lit = String(p)
        switch (anyStart, anyEnd) {
        case (true, true): return { $0.contains(lit) }
        case (true, false): return { $0.hasSuffix(lit) }
        case (false, true): return { $0.hasPrefix(lit) }
        case (false, false): return { $0 == lit }
        }
    }

    /// Applies the transform to a matching action; nil when it is dropped.
    public func apply(_ action: PackageAction) -> PackageAction? {
        guard matches(action) else { return action }
        var a = action
        func touched(_ name: String) {
            if name == PackageSet.zoneVariant { a.zoneSetBy = origin }
        }
        switch operation {
        case .defaultValue(let n, let v):
            if a.attributes[n] == nil { a.attributes[n] = [v]; touched(n) }
        case .set(let n, let v):
            a.attributes[n] = [v]; touched(n)
        case .add(let n, let v):
            a.attributes[n, default: []].append(v); touched(n)
        case .delete(let n, _):
            guard let values = a.attributes[n], let re = operationRegex else { break }
            let kept = values.filter { (try? re.firstMatch(in: $0)) == nil }
            if kept.count != values.count {
                a.attributes[n] = kept.isEmpty ? nil : kept
                touched(n)
            }
        case .edit(let n, _, _):
            guard let values = a.attributes[n], let re = operationRegex else { break }
            a.attributes[n] = values.map {
                Transform.replacingMatches(of: re, in: $0, with: editTemplate)
            }
            touched(n)
        case .drop:
            return nil
        case .unmodelled:
            break
        }
        return a
    }
}

/// A compiled expression shared by the closures of a transform. The
/// standard library's `Regex` is not marked Sendable, but a compiled one is
/// only read: its program is built once, atomically, on first use
/// (swift-experimental-string-processing, Regex's lazily lowered program).
struct SharedRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
}
