#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The few pieces of Foundation's string and file API the project used,
// written on the standard library and the C library: the command links
// FoundationEssentials only (docs/PERFORMANCE.md, "Start-up").

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

/// What a path names, by stat(2) (symbolic links followed); nil when it names nothing.
enum PathKind {
    case directory, other

    static func of(_ path: String) -> PathKind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .other
    }
}

/// Every file below `directory`, as paths relative to it, found with
/// opendir/readdir; directories are entered, symbolic links are listed and
/// not followed (as FileManager's enumerator does). Unreadable
/// subdirectories are skipped.
func relativeFiles(under directory: String) -> [String] {
    var out: [String] = []
    func walk(_ dir: String, _ prefix: String) {
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            out.append(prefix + name)
            if (st.st_mode & S_IFMT) == S_IFDIR { walk(path, prefix + name + "/") }
        }
    }
    walk(directory, "")
    return out
}
