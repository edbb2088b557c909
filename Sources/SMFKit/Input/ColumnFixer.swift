/// Fills in the column of diagnostics that were found after reading (the
/// merge knows elements by their start-tag line only): the column of the
/// first `<` on that line, else of its first non-blank character. Reads
/// only the files that have such diagnostics, once each.
public enum ColumnFixer {
    /// A file named by a host path under `root` (how diagnostics name a
    /// root's files) is read through the root, by the walk from its
    /// descriptor, never by its host path; any other file is read on the host.
    public static func fix(_ diagnostics: [Diagnostic], maxFileSize: Int, root: RootFS?) -> [Diagnostic] {
        func read(_ name: String) -> [UInt8]? {
            if let root, name.hasPrefix(root.root + "/") {
                return try? root.read(path: String(name.dropFirst(root.root.count)), limit: maxFileSize).get()
            }
            return try? FileBytes.read(name, limit: maxFileSize).get()
        }
        var cache: [String: [ArraySlice<UInt8>]] = [:]
        return diagnostics.map { d in
            guard d.location.column == 0, d.location.line > 0 else { return d }
            let lines: [ArraySlice<UInt8>]
            if let c = cache[d.location.file] {
                lines = c
            } else if let bytes = read(d.location.file) {
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
