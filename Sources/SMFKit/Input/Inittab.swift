/// A zone's `/etc/inittab`, kept line by line so that a writer that
/// changes one entry (the `smf` line of a blank zone) can keep every other
/// line as it was.
public struct Inittab: Sendable, Hashable {
    /// One `id:rstate:action:process` entry (usr/src/cmd/init/init.c).
    public struct Entry: Sendable, Hashable {
        /// The id with blanks squeezed out, as init reads it (`smf`, `ap`, `co`).
        public var id: String
        public var rstate: String
        public var action: String
        /// The process field, verbatim.
        public var process: String
        /// The index in `lines` (0-based) of the line it starts on.
        public var lineIndex: Int
    }

    /// The host path it was read from.
    public var path: String
    /// Every line of the file, in order, without the newline (comments and
    /// blank lines included). Bytes that are not UTF-8 are replaced by U+FFFD.
    public var lines: [String]
    /// True when the file ended with a newline.
    public var endsWithNewline: Bool

    public init(path: String, text: String) {
        self.path = path
        var ls = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { ls.removeLast() }
        lines = ls
    }

    /// The entries: every line that is not blank or a comment and has at
    /// least three colons (continuation lines with a trailing `\` are joined).
    ///
    /// - Complexity: O(length of the file): the lines are parsed on each access.
    public var entries: [Entry] {
        var out: [Entry] = []
        var i = 0
        while i < lines.count {
            let start = i
            var text = lines[i]
            while text.hasSuffix("\\") && !text.hasSuffix("\\\\") && i + 1 < lines.count {
                text.removeLast()
                i += 1
                text += lines[i]
            }
            i += 1
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4 else { continue }
            func squeeze(_ s: Substring) -> String { String(s.filter { $0 != " " && $0 != "\t" }) }
            out.append(Entry(id: squeeze(parts[0]), rstate: squeeze(parts[1]), action: squeeze(parts[2]),
                             process: String(parts[3]), lineIndex: start))
        }
        return out
    }

    /// The entry init treats as svc.startd (id `smf`; a later one wins).
    ///
    /// - Complexity: as `entries`.
    public var smfEntry: Entry? { entries.last { $0.id == "smf" } }

    /// The file's text again, byte for byte for UTF-8 input.
    ///
    /// - Complexity: O(length of the file).
    public var text: String { lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "") }
}
