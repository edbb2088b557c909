#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The few pieces of Foundation's string API the project used, written on
// the standard library: the command links FoundationEssentials only
// (docs/PERFORMANCE.md, "What changed"). The file calls are in
// Input/Directories.swift.

extension StringProtocol {
    /// The text without the blanks at either end: tabs and the Unicode
    /// space separators (Zs), what Foundation calls `.whitespaces` (line
    /// ends are kept).
    func trimmingBlanks() -> String {
        func blank(_ c: Character) -> Bool {
            if c == "\t" || c == " " { return true }
            guard c.unicodeScalars.count == 1, let u = c.unicodeScalars.first else { return false }
            return u.properties.generalCategory == .spaceSeparator
        }
        guard let s = firstIndex(where: { !blank($0) }), let e = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[s...e])
    }

    /// The last range of `target`, searched from the end.
    func lastRange(of target: String) -> Range<Index>? {
        ranges(of: target).last
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        // ASCII text and target: Characters are bytes, so a search of the
        // bytes finds what the Character search finds (the report's text
        // at 100,000 services is megabytes, and is cleaned of paths).
        let asciiTarget = target.isASCII
        if asciiTarget && isASCII {
            return asciiReplacingAll(target, with: replacement)
        }
        // Text that is not ASCII (the report's bars and bullets), with an
        // ASCII target: on bytes too, a match kept only where both of its
        // ends are Character boundaries of the text. That is the Character
        // search's answer when no character of the target has another
        // canonically equivalent form (K, ';' and '`' do: U+212A, U+037E,
        // U+1FEF) and the target holds no line end (CR LF is one Character).
        if asciiTarget && !target.utf8.contains(where: { [0x0a, 0x0d, 0x4b, 0x3b, 0x60].contains($0) }) {
            return alignedReplacingAll(target, with: replacement)
        }
        return characterReplacingAll(target, with: replacement)
    }

    /// `replacingAll` by Characters (canonical equivalence, grapheme
    /// clusters): the definition the faster paths give the same answer as.
    func characterReplacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[rest.startIndex..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }

    /// `replacingAll` for an ASCII target without K ; ` or line ends, in
    /// any text: byte matches whose two ends are Character boundaries.
    func alignedReplacingAll(_ target: String, with replacement: String) -> String {
        let u = utf8
        return bytesReplacingAll(target, with: replacement) { text, i, end in
            func aligned(_ offset: Int) -> Bool {
                offset == text.count || u.index(u.startIndex, offsetBy: offset).samePosition(in: self) != nil
            }
            return aligned(i) && aligned(end)
        }
    }

    /// `replacingAll` for ASCII text and target, on bytes.
    func asciiReplacingAll(_ target: String, with replacement: String) -> String {
        bytesReplacingAll(target, with: replacement) { text, i, end in
            // A match must not split a CR LF, which is one Character.
            !(i > 0 && text[i - 1] == 0x0d && text[i] == 0x0a)
                && !(end < text.count && text[end - 1] == 0x0d && text[end] == 0x0a)
        }
    }

    /// Every match of `target`'s bytes, left to right and not overlapping,
    /// that `accept(text, start, end)` keeps, replaced by `replacement`'s bytes.
    private func bytesReplacingAll(_ target: String, with replacement: String,
                                   accept: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool) -> String {
        var copy = self
        return copy.withUTF8 { text -> String in
            let pattern = Array(target.utf8), with = Array(replacement.utf8)
            guard let first = pattern.first, pattern.count <= text.count else { return self }
            var out: [UInt8] = []
            var i = 0, copied = 0
            var found = false
            let last = text.count - pattern.count
            while i <= last {
                let end = i + pattern.count
                if text[i] == first && UnsafeBufferPointer(rebasing: text[i..<end]).elementsEqual(pattern)
                    && accept(text, i, end) {
                    if !found { out.reserveCapacity(text.count); found = true }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<i]))
                    out.append(contentsOf: with)
                    i = end
                    copied = i
                } else {
                    i += 1
                }
            }
            guard found else { return self }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied...]))
            return String(decoding: out, as: UTF8.self)
        }
    }
}

extension String {
    /// True when every byte is ASCII, read over the contiguous bytes (the
    /// UTF-8 view's iterator takes a step per byte).
    var isASCII: Bool {
        var copy = self
        return copy.withUTF8 { b in
            var any: UInt8 = 0
            for x in b { any |= x }
            return any < 0x80
        }
    }

    /// True when both hold the same UTF-8 bytes (String's `==` also calls
    /// canonically equivalent texts equal): one length check and a memcmp.
    func hasSameBytes(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var x = self, y = other
        return x.withUTF8 { p in y.withUTF8 { q in p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 } }
    }

    /// The parts joined, in one allocation of the size they need: a path
    /// kept for the whole run (every file read is named by one) made as
    /// `directory + "/" + name` kept up to twice the room it needed, 8 MB
    /// at 100k files (docs/PERFORMANCE.md, "The seventh round").
    static func joined(_ parts: String...) -> String {
        var parts = parts
        let total = parts.reduce(0) { $0 + $1.utf8.count }
        return String(unsafeUninitializedCapacity: total) { out in
            var at = 0
            for k in parts.indices {
                parts[k].withUTF8 { b in
                    if let base = b.baseAddress { (out.baseAddress! + at).initialize(from: base, count: b.count) }
                    at += b.count
                }
            }
            return at
        }
    }
}
