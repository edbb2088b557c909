import Synchronization

/// Fills in the column of diagnostics that were found after reading (the
/// merge knows elements by their start-tag line only): the column of the
/// first `<` on that line, else of its first non-blank character.
///
/// One fixer serves a whole run: `Loader.loadInput` makes it, fixes the
/// merge's diagnostics and keeps it in `LoadedInput.columns`, so that a
/// later stage (lint's dependency cycles) asks the same fixer and no file
/// is read back twice. Only files that have such diagnostics are read.
public final class ColumnFixer: Sendable {
    let maxFileSize: Int
    let root: RootFS?
    /// The lines of each file read back (empty for one that could not be read).
    private let lines = Mutex<[String: [ArraySlice<UInt8>]]>([:])

    /// A file named by a host path under `root` (how diagnostics name a
    /// root's files) is read through the root, by the walk from its
    /// descriptor, never by its host path; any other file is read on the host.
    public init(maxFileSize: Int, root: RootFS?) {
        self.maxFileSize = maxFileSize
        self.root = root
    }

    /// `diagnostics` with every column 0 on a known line filled in.
    public func fix(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.map { d in
            guard d.location.column == 0, d.location.line > 0 else { return d }
            let lines = self.lines(of: d.location.file)
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

    /// The lines of `name`, read once.
    private func lines(of name: String) -> [ArraySlice<UInt8>] {
        if let known = lines.withLock({ $0[name] }) { return known }
        let bytes: [UInt8]?
        if let root, name.hasPrefix(root.root + "/") {
            bytes = try? root.read(path: String(name.dropFirst(root.root.count)), limit: maxFileSize).get()
        } else {
            bytes = try? FileBytes.read(name, limit: maxFileSize).get()
        }
        let split = bytes.map { $0.split(separator: 0x0a, omittingEmptySubsequences: false) } ?? []
        lines.withLock { $0[name] = split }
        return split
    }

    /// A fixer used once.
    public static func fix(_ diagnostics: [Diagnostic], maxFileSize: Int, root: RootFS?) -> [Diagnostic] {
        ColumnFixer(maxFileSize: maxFileSize, root: root).fix(diagnostics)
    }
}
