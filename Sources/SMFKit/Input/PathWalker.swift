#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names are carried losslessly (`PathName`): a file called `a\xff.xml`
/// is found, listed and opened by its bytes.
///
/// Expands the PATH arguments into the list of files to read, in the order
/// of docs/SEMANTICS.md, "Merging": each PATH in turn, the `*.xml` files inside a
/// directory in sorted path order. Problems (a missing PATH, a FIFO or a
/// directory named `*.xml`, a dangling link, a directory cycle) are
/// diagnostics; the walk goes on.
public struct PathWalker {
    public private(set) var files: [String] = []
    public private(set) var diagnostics: [Diagnostic] = []
    private var seenFiles = Set<String>()

    public init() {}

    public mutating func add(_ path: String) {
        var st = stat()
        if PathName.withCString(path, { stat($0, &st) }) != 0 {
            let err = errno
            let problem: FileProblem
            if err == ELOOP {
                problem = .loop
            } else if err == ENOENT {
                var lst = stat()
                problem = PathName.withCString(path, { lstat($0, &lst) }) == 0 ? .danglingLink : .missing
            } else {
                problem = .io(String(cString: strerror(err)))
            }
            diagnostics.append(problem.diagnostic(path: path))
            return
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            var found: [String] = []
            var stack: [(UInt64, UInt64)] = [(UInt64(st.st_dev), UInt64(st.st_ino))]
            walk(directory: path, into: &found, ancestors: &stack)
            for f in found.sorted() { append(f) }
        } else {
            // A file named on the command line is read whatever its name;
            // FileBytes refuses what is not a regular file.
            append(path)
        }
    }

    private mutating func append(_ f: String) {
        if seenFiles.insert(f).inserted { files.append(f) }
    }

    private mutating func walk(directory: String, into found: inout [String], ancestors: inout [(UInt64, UInt64)]) {
        guard let dir = PathName.withCString(directory, { opendir($0) }) else {
            diagnostics.append(FileProblem.io("cannot open directory: \(String(cString: strerror(errno)))")
                .diagnostic(path: directory))
            return
        }
        // readdir's d_type spares a stat(2) per entry when it says "regular
        // file" (a link, a directory, or a file system that does not tell,
        // DT_UNKNOWN, is looked at with stat as before): a regular file is
        // read when it is named *.xml and skipped otherwise.
        var names: [(name: String, regular: Bool)] = []
        while let entry = readdir(dir) {
            let name = PathName.entryName(entry)
            if name == "." || name == ".." { continue }
            names.append((name, entry.pointee.d_type == UInt8(DT_REG)))
        }
        closedir(dir)
        names.sort { $0.name < $1.name }
        for (name, regular) in names {
            let isXML = name.hasSuffix(".xml")
            if regular && !isXML { continue }
            let child = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if regular {
                found.append(child)
                continue
            }
            var st = stat()
            if PathName.withCString(child, { stat($0, &st) }) != 0 {
                let err = errno
                guard isXML || err == ELOOP else { continue }
                var lst = stat()
                let problem: FileProblem = err == ELOOP ? .loop
                    : (err == ENOENT && PathName.withCString(child, { lstat($0, &lst) }) == 0 ? .danglingLink : .io(String(cString: strerror(err))))
                diagnostics.append(problem.diagnostic(path: child))
                continue
            }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR {
                let key = (UInt64(st.st_dev), UInt64(st.st_ino))
                if ancestors.contains(where: { $0 == key }) {
                    diagnostics.append(Diagnostic(.warning, .symlinkLoop,
                                                  "directory cycle: this link leads back to one of its own parent directories; not followed",
                                                  at: SourceLocation(file: child)))
                    continue
                }
                if isXML {
                    diagnostics.append(Diagnostic(.warning, .pathUnreadable,
                                                  "a directory named like a manifest; searched as a directory",
                                                  at: SourceLocation(file: child)))
                }
                ancestors.append(key)
                walk(directory: child, into: &found, ancestors: &ancestors)
                ancestors.removeLast()
            } else if isXML {
                if kind == S_IFREG {
                    found.append(child)
                } else {
                    diagnostics.append(FileProblem.notRegular(FileBytes.fileKind(kind)).diagnostic(path: child))
                }
            }
        }
    }
}
