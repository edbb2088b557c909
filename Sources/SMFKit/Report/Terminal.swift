#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How text output is styled: ANSI colours on a terminal, plain when piped
/// (or when `NO_COLOR` is set, or `TERM=dumb`), wrapped to the width.
public struct TextStyle: Sendable {
    public var color: Bool
    public var width: Int

    public init(color: Bool, width: Int) {
        self.color = color
        self.width = max(40, width)
    }

    /// Plain, 80 columns: what tests and files get.
    public static let plain = TextStyle(color: false, width: 80)

    /// Detects standard output: colour only on a terminal.
    public static func detect() -> TextStyle {
        let env = { (k: String) -> String? in getenv(k).map { String(cString: $0) } }
        let tty = isatty(1) == 1
        let color = tty && env("NO_COLOR") == nil && env("TERM") != "dumb"
        var width = 80
        if let c = env("COLUMNS"), let n = Int(c), n > 0 {
            width = n
        } else if tty {
            var ws = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { width = Int(ws.ws_col) }
        }
        return TextStyle(color: color, width: min(width, 160))
    }

    private func sgr(_ code: String, _ s: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func bold(_ s: String) -> String { sgr("1", s) }
    public func dim(_ s: String) -> String { sgr("2", s) }
    public func red(_ s: String) -> String { sgr("31", s) }
    public func green(_ s: String) -> String { sgr("32", s) }
    public func yellow(_ s: String) -> String { sgr("33", s) }
    public func blue(_ s: String) -> String { sgr("34", s) }
    public func cyan(_ s: String) -> String { sgr("36", s) }

    /// Wraps `text` to the width, each line starting with `indent` (the first
    /// with `first` when given).
    public func wrap(_ text: String, indent: String = "", first: String? = nil) -> String {
        if !text.utf8.contains(where: { $0 >= 0x80 }) { return wrapASCII(text, indent: indent, first: first) }
        return wrapCharacters(text, indent: indent, first: first)
    }

    /// `wrap` on Characters, for any text (what `wrapASCII` must equal).
    func wrapCharacters(_ text: String, indent: String = "", first: String? = nil) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        var lines: [String] = []
        var current = first ?? indent
        var currentLen = current.count
        var empty = true
        for w in words {
            let wl = visibleLength(w)
            if !empty && currentLen + 1 + wl > width {
                lines.append(current)
                current = indent
                currentLen = indent.count
                empty = true
            }
            if !empty {
                current += " "
                currentLen += 1
            }
            current += w
            currentLen += wl
            empty = false
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// `wrap` of a text that is plain ASCII, on its bytes: the same words
    /// (split at blanks), the same lengths (`visibleLength`) and the same
    /// lines, without a String per word.
    func wrapASCII(_ text: String, indent: String, first: String?) -> String {
        let start = first ?? indent
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + start.utf8.count + 16)
        out += start.utf8
        var currentLength = start.count
        let indentLength = indent.count
        var empty = true
        var text = text
        // The words (runs of bytes between blanks, empty ones skipped) read
        // in place; a word is measured by its bytes unless it holds an
        // escape or a byte above ASCII.
        text.withUTF8 { b in
            var i = 0
            while i < b.count {
                if b[i] == 0x20 { i += 1; continue }
                var j = i
                var plain = true
                while j < b.count && b[j] != 0x20 {
                    if b[j] >= 0x80 || b[j] == 0x1B { plain = false }
                    j += 1
                }
                let word = UnsafeBufferPointer(rebasing: b[i..<j])
                let length = plain ? word.count : visibleLength(String(decoding: word, as: UTF8.self))
                if !empty && currentLength + 1 + length > width {
                    out.append(0x0A)
                    out += indent.utf8
                    currentLength = indentLength
                    empty = true
                }
                if !empty {
                    out.append(0x20)
                    currentLength += 1
                }
                out.append(contentsOf: word)
                currentLength += length
                empty = false
                i = j
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A horizontal bar of `fraction` of `cells` cells.
    public func bar(_ fraction: Double, cells: Int) -> String {
        let n = max(0, min(cells, Int((fraction * Double(cells)).rounded())))
        return String(repeating: "█", count: n) + String(repeating: "·", count: cells - n)
    }
}

/// Length of a string without its ANSI escapes.
public func visibleLength(_ s: String) -> Int {
    visibleLength(Substring(s))
}

/// `visibleLength` of a part of a string; plain ASCII (the common case) is
/// counted by its bytes.
func visibleLength(_ s: Substring) -> Int {
    if !s.utf8.contains(where: { $0 >= 0x80 || $0 == 0x1B }) { return s.utf8.count }
    var n = 0
    var inEscape = false
    for u in s.unicodeScalars {
        if inEscape {
            if u == "m" { inEscape = false }
        } else if u == "\u{1B}" {
            inEscape = true
        } else {
            n += 1
        }
    }
    return n
}
