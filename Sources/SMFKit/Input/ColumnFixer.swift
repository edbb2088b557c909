/// Fills in the column of diagnostics that were found after reading (the
/// merge knows elements by their start-tag line only): the column of the
/// first `<` on that line, else of its first non-blank character. Reads
/// only the files that have such diagnostics, once each.
public enum ColumnFixer {
    /// `read` gives a file's bytes by the name diagnostics use (a root's
    /// files are read through the root, never by their host path).
    public static func fix(_ diagnostics: [Diagnostic], maxFileSize: Int,
                           read: ((String) -> [UInt8]?)? = nil) -> [Diagnostic] {
        var cache: [String: [ArraySlice<UInt8>]] = [:]
        return diagnostics.map { d in
            guard d.location.column == 0, d.location.line > 0 else { return d }
            let lines: [ArraySlice<UInt8>]
            if let c = cache[d.location.file] {
                lines = c
            } else if let bytes = read.map({ $0(d.location.file) }) ?? (try? FileBytes.read(d.location.file, limit: maxFileSize).get()) {
                lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
                cache[d.location.file] = lines
            } else {
                cache[d.location.file] = []
                lines = []
            }
            var out = d
            guard d.location.line <= lines.count else {
                out.location.column = 1
                return out
            }
            let line = lines[d.location.line - 1]
            if let lt = line.firstIndex(of: 0x3c) {
                out.location.column = lt - line.startIndex + 1
            } else if let nb = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) {
                out.location.column = nb - line.startIndex + 1
            } else {
                out.location.column = 1
            }
            return out
        }
    }
}
