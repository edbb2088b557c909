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
