#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What `--packages` asks of the file system (Packages/PackageSet.swift),
// on the C library rather than Foundation's FileManager. The manifests'
// own walk is PathWalker, which also reports what it cannot read.

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
