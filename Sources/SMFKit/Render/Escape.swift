/// The one escaping function per output language, for text that comes from
/// input (names, paths, FMRIs, dependency names, messages):
///
/// - `terminal`: what a terminal or a line-oriented reader (lint output, a
///   shell comment) sees. C0 and C1 controls, DEL, and the Unicode controls
///   that reorder or break lines are shown as escapes, so a value is one line
///   that cannot drive the terminal.
/// - `markdownText`, `markdownCode`, `markdownCodeBlock`: CommonMark (and the
///   GitHub table extension). A value can neither end the construct it is
///   written in (a code span, a fence, a table cell, a list item, a heading)
///   nor start a new one, nor become HTML.
///
/// Shell words go through `shellQuote` (Support/Shell.swift), XML through
/// `Escape.xmlAttribute` / `Escape.xmlText` / `ProfileWriter.comment`.
public enum Escape {
    /// XML: an attribute value between single or double quotes (newlines
    /// and tabs as character references, other C0 controls dropped: XML 1.0
    /// has no way to write them).
    public static func xmlAttribute(_ s: String) -> String { xml(s, attribute: true) }

    /// XML: element content (`&`, `<`, `>` escaped, C0 controls other than
    /// newline, tab and carriage return dropped).
    public static func xmlText(_ s: String) -> String { xml(s, attribute: false) }

    /// Both XML forms: markup characters as entities; in an attribute also
    /// both quotes, and newline, tab and carriage return as character
    /// references (an attribute value normalises them to spaces otherwise);
    /// other C0 controls dropped (XML 1.0 has no way to write them).
    private static func xml(_ s: String, attribute: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'" where attribute: out += "&apos;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            case "\r" where attribute: out += "&#13;"
            case "\n", "\t", "\r": out.unicodeScalars.append(c)
            default:
                if c.value < 0x20 { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// JSON text inside an HTML `<script type="application/json">`: `<`, `>`,
    /// `&` and the line separators U+2028/U+2029 written as `\u` escapes.
    /// JSON allows them only inside strings, where the escape means the same
    /// character, so the value can never close the element (`</script>`) or
    /// open a comment.
    public static func jsonInScript(_ json: String) -> String {
        var out = ""
        for c in json.unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    // MARK: - Terminal

    /// Whether `u` is shown escaped on a terminal: C0 (newline and tab
    /// included), DEL, C1 (the 8-bit CSI 0x9b among them), the line and
    /// paragraph separators, and the bidirectional controls that make a line
    /// read differently from what it holds.
    @inline(__always)
    public static func isTerminalControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 || (0x7f...0x9f).contains(v) { return true }
        if v < 0x2000 { return false }
        return (0x200e...0x200f).contains(v) || (0x2028...0x202e).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// True when every byte of `s` is printable ASCII (0x20...0x7e), read
    /// over the string's UTF-8 buffer (`withUTF8`).
    static func isPrintableASCII(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { bytes in
            // x - 0x20 (wrapping) is below 0x5f exactly for 0x20...0x7e; no branch per byte.
            var bad: UInt8 = 0
            for x in bytes { bad |= (x &- 0x20) >= 0x5f ? 1 : 0 }
            return bad == 0
        }
    }

    /// `s` as one line of plain text: every control (see
    /// `isTerminalControl`) written `\n`, `\r`, `\t` or `\u{hex}`. Text
    /// without controls is returned as is.
    public static func terminal(_ s: String) -> String {
        // Printable ASCII (the common case) has no control: one pass over the bytes.
        if isPrintableASCII(s) { return s }
        guard s.unicodeScalars.contains(where: isTerminalControl) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            guard isTerminalControl(u) else {
                out.unicodeScalars.append(u)
                continue
            }
            switch u.value {
            case 0x0a: out += "\\n"
            case 0x0d: out += "\\r"
            case 0x09: out += "\\t"
            default: out += "\\u{\(String(u.value, radix: 16))}"
            }
        }
        return out
    }

    /// `text` made of lines (the output of a command), each line's controls
    /// escaped, the line breaks kept. For text whose line structure is the
    /// program's own and whose values were already escaped one by one; a
    /// last defence against a value that reached it raw.
    public static func terminalLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { terminal(String($0)) }.joined(separator: "\n")
    }

    // MARK: - Markdown

    /// Plain text for Markdown: one line (controls escaped as for the
    /// terminal), every character that could start markup backslash-escaped
    /// (`\` `` ` `` `*` `[` `]` `<` `|` `&` `~` `#`, and `_` unless it sits
    /// inside a word, where CommonMark gives it no meaning); `<` so that no
    /// HTML and no autolink can begin. With `atBlockStart` the text opens a
    /// paragraph or list item: a leading `-`, `+`, `=`, `>`, `1.` or `1)` and
    /// leading blanks (an indented code block) are neutralised too.
    ///
    /// Markdown is read code point by code point, so this works on Unicode
    /// scalars: a combining mark after a backtick does not hide it.
    public static func markdownText(_ s: String, atBlockStart: Bool = false) -> String {
        let line = Array(terminal(s).unicodeScalars)
        var out = String.UnicodeScalarView()
        func add(_ t: String) { out.append(contentsOf: t.unicodeScalars) }
        var i = 0
        if atBlockStart {
            // Leading blanks would make an indented code block or be dropped.
            while i < line.count, line[i] == " " {
                add("&#32;")
                i += 1
            }
            if i < line.count, "-+=>".unicodeScalars.contains(line[i]) {
                add("\\")
            } else {
                var j = i
                while j < line.count, isASCIIDigit(line[j]) { j += 1 }
                if j > i, j < line.count, line[j] == "." || line[j] == ")" {
                    out.append(contentsOf: line[i..<j])
                    add("\\")
                    out.append(line[j])
                    i = j + 1
                }
            }
        }
        while i < line.count {
            let c = line[i]
            switch c {
            case "\\", "`", "*", "[", "]", "<", "|", "&", "~", "#":
                add("\\")
                out.append(c)
            case "_":
                // Left bare only inside an ASCII word, where it is never emphasis.
                let before = i > 0 && isASCIIAlnum(line[i - 1])
                let after = i + 1 < line.count && isASCIIAlnum(line[i + 1])
                if !(before && after) { add("\\") }
                out.append(c)
            default:
                out.append(c)
            }
            i += 1
        }
        return String(out)
    }

    private static func isASCIIDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }
    private static func isASCIIAlnum(_ u: Unicode.Scalar) -> Bool {
        isASCIIDigit(u) || ((u.value | 0x20) >= 0x61 && (u.value | 0x20) <= 0x7a)
    }

    /// A code span holding exactly `s` (controls escaped as for the
    /// terminal, so one line): the fence is one backtick longer than the
    /// longest run of backticks inside, and padded with a blank when the
    /// content starts or ends with a backtick or a blank (CommonMark strips
    /// one blank from each side). In a table cell (`inTable`), `|` is
    /// written `\|`, which the GitHub table extension turns back into `|`
    /// before it reads the span.
    public static func markdownCode(_ s: String, inTable: Bool = false) -> String {
        var content = terminal(s)
        if content.isEmpty { return "` `" }
        if inTable {
            // Scalars: a `|` followed by a combining mark still splits a cell.
            var v = String.UnicodeScalarView()
            for u in content.unicodeScalars {
                if u == "|" { v.append("\\") }
                v.append(u)
            }
            content = String(v)
        }
        let fence = String(repeating: "`", count: longestBacktickRun(content) + 1)
        // Scalars, not Characters: "`" followed by a combining mark is one
        // Character but still a backtick to a Markdown reader.
        let first = content.unicodeScalars.first, last = content.unicodeScalars.last
        // CommonMark strips one blank from each side, unless the content is all blanks.
        let allBlank = content.unicodeScalars.allSatisfy { $0 == " " }
        let pad = !allBlank && (first == "`" || last == "`" || first == " " || last == " ")
        return pad ? fence + " " + content + " " + fence : fence + content + fence
    }

    /// A fenced code block holding the lines of `s` (each line's controls
    /// escaped, the line breaks kept), ending with a newline. The fence is
    /// longer than any run of backticks inside, so no line can close it.
    public static func markdownCodeBlock(_ s: String) -> String {
        let body = terminalLines(s)
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(body) + 1))
        return fence + "\n" + body + "\n" + fence + "\n"
    }

    /// A heading of `level` (1...6) whose text is `s`, escaped.
    public static func markdownHeading(_ s: String, level: Int) -> String {
        String(repeating: "#", count: min(6, max(1, level))) + " " + markdownText(s)
    }

    /// A list item (`- text`), the text escaped as the start of a block.
    public static func markdownBullet(_ s: String) -> String {
        "- " + markdownText(s, atBlockStart: true)
    }

    /// A table cell holding the text `s`.
    public static func markdownCell(_ s: String) -> String { markdownText(s) }

    static func longestBacktickRun(_ s: String) -> Int {
        var best = 0
        var run = 0
        for c in s.utf8 {
            if c == 0x60 {
                run += 1
                best = max(best, run)
            } else {
                run = 0
            }
        }
        return best
    }
}

/// A value in terminal text (the text renderers' short name for
/// `Escape.terminal`).
@inline(__always) func tty(_ s: String) -> String { Escape.terminal(s) }
@inline(__always) func tty<T: CustomStringConvertible>(_ v: T) -> String { Escape.terminal(v.description) }

/// A line of report text as spans: plain text, code and bold, each written
/// through the escaping of the target language. Built with string
/// interpolation: literal parts and `\(value)` are text, `\(code: value)` is
/// a code span, `\(bold: value)` bold text.
public struct MarkupLine: Sendable, Hashable, ExpressibleByStringInterpolation {
    public enum Span: Sendable, Hashable {
        case text(String)
        case code(String)
        case bold(String)
        case emphasis(String)
    }

    public var spans: [Span]

    public init(spans: [Span]) { self.spans = spans }
    public init(stringLiteral value: String) { spans = value.isEmpty ? [] : [.text(value)] }
    public init(stringInterpolation: Interpolation) { spans = stringInterpolation.spans }
    /// Plain text, all of it escaped.
    public init(text: String) { spans = text.isEmpty ? [] : [.text(text)] }

    public var isEmpty: Bool { spans.isEmpty }

    public struct Interpolation: StringInterpolationProtocol {
        var spans: [Span] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { spans.append(.text(literal)) } }
        public mutating func appendInterpolation(_ s: String) { if !s.isEmpty { spans.append(.text(s)) } }
        public mutating func appendInterpolation<T: BinaryInteger>(_ n: T) { spans.append(.text(String(n))) }
        public mutating func appendInterpolation(code s: String) { spans.append(.code(s)) }
        public mutating func appendInterpolation(bold s: String) { spans.append(.bold(s)) }
        public mutating func appendInterpolation(emphasis s: String) { spans.append(.emphasis(s)) }
        public mutating func appendInterpolation(_ line: MarkupLine) { spans += line.spans }
    }

    /// Joins lines with a plain-text separator.
    public static func joined(_ lines: [MarkupLine], separator: String) -> MarkupLine {
        var spans: [Span] = []
        for (k, l) in lines.enumerated() {
            if k > 0, !separator.isEmpty { spans.append(.text(separator)) }
            spans += l.spans
        }
        return MarkupLine(spans: spans)
    }

    /// CommonMark. `atBlockStart`: the line opens a paragraph or list item.
    /// `inTable`: the line is a table cell.
    public func markdown(atBlockStart: Bool = false, inTable: Bool = false) -> String {
        var out = ""
        for (k, span) in spans.enumerated() {
            let start = atBlockStart && k == 0
            switch span {
            case .text(let s): out += Escape.markdownText(s, atBlockStart: start)
            case .code(let s): out += Escape.markdownCode(s, inTable: inTable)
            case .bold(let s): out += s.isEmpty ? "" : "**" + Escape.markdownText(s) + "**"
            case .emphasis(let s): out += s.isEmpty ? "" : "_" + Escape.markdownText(s) + "_"
            }
        }
        return out
    }

    /// HTML: text escaped, code in `<code>`, bold in `<strong>`.
    public func html() -> String {
        var out = ""
        for span in spans {
            switch span {
            case .text(let s): out += htmlEscape(s)
            case .code(let s): out += "<code>" + htmlEscape(s) + "</code>"
            case .bold(let s): out += "<strong>" + htmlEscape(s) + "</strong>"
            case .emphasis(let s): out += "<em>" + htmlEscape(s) + "</em>"
            }
        }
        return out
    }

    /// The text without markup, for a terminal.
    public var plain: String {
        spans.map {
            switch $0 {
            case .text(let s), .code(let s), .bold(let s), .emphasis(let s): s
            }
        }.joined()
    }
}

/// Text for HTML element content and double-quoted attribute values.
public func htmlEscape(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}
