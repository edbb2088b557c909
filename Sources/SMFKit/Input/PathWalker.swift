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
    /// For each of `files`: true when a directory's walk found it, and
    /// found it a regular file (its d_type or a stat said so); false for a
    /// file named as a PATH, which nothing has looked at yet.
    public private(set) var walked: [Bool] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// The files listed, once a second PATH is added (one PATH's walk
    /// lists each path once: a directory's entries are distinct names).
    private var seenFiles = Set<String>()
    private var pathsAdded = 0
    /// Whether the subdirectories of a directory may be walked on several
    /// cores at once (the results are joined in the order of a walk on one).
    let parallel: Bool

    public init() { parallel = true }

    /// A walk on one core only (the tests compare both).
    init(parallel: Bool) { self.parallel = parallel }

    public mutating func add(_ path: String) {
        pathsAdded += 1
        if pathsAdded == 2 { seenFiles = Set(files) }
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
            var walked = Walked()
            Self.walk(directory: path, ancestors: [(UInt64(st.st_dev), UInt64(st.st_ino))], into: &walked,
                      parallel: parallel)
            diagnostics += walked.diagnostics
            // Sorted by path (as bytes when ASCII: ascendingOrder).
            for k in ascendingOrder(of: walked.found) { append(walked.found[k], walked: true) }
        } else {
            // A file named on the command line is read whatever its name;
            // FileBytes refuses what is not a regular file.
            append(path, walked: false)
        }
    }

    private mutating func append(_ f: String, walked isWalked: Bool) {
        if pathsAdded > 1 && !seenFiles.insert(f).inserted { return }
        files.append(f)
        walked.append(isWalked)
    }

    /// What a walk found: files, and diagnostics in the order it met them.
    private struct Walked: Sendable {
        var found: [String] = []
        var diagnostics: [Diagnostic] = []
        mutating func add(_ other: Walked) {
            found += other.found
            diagnostics += other.diagnostics
        }
    }

    /// One step of a directory's walk, in the order of its sorted names.
    private enum Step: Sendable {
        case file(String)
        case diagnostic(Diagnostic)
        case directory(String, ancestors: [(UInt64, UInt64)])
    }

    /// Walks `directory`. With `parallel`, the subdirectories of the first
    /// directory that has several are walked on every core, each on one;
    /// their results are joined in name order, so that files and
    /// diagnostics come out exactly as from a walk on one core.
    private static func walk(directory: String, ancestors: [(UInt64, UInt64)], into out: inout Walked, parallel: Bool) {
        let steps = self.steps(of: directory, ancestors: ancestors, into: &out)
        let subdirectories = steps.reduce(0) { n, s in if case .directory = s { n + 1 } else { n } }
        if parallel && subdirectories >= 2 && ParallelReader.coreCount > 1 {
            let all = steps
            let parts = inChunks(count: all.count, minimumChunk: 1) { range -> Walked in
                var part = Walked()
                for k in range { run(all[k], into: &part, parallel: false) }
                return part
            }
            for p in parts { out.add(p) }
        } else {
            for s in steps { run(s, into: &out, parallel: parallel) }
        }
    }

    private static func run(_ step: Step, into out: inout Walked, parallel: Bool) {
        switch step {
        case .file(let f): out.found.append(f)
        case .diagnostic(let d): out.diagnostics.append(d)
        case .directory(let d, let ancestors): walk(directory: d, ancestors: ancestors, into: &out, parallel: parallel)
        }
    }

    /// `name.hasSuffix(".xml")`: for an ASCII name (nearly all) its last
    /// four bytes, which is then the same answer; otherwise the String's
    /// own comparison (a Prepend character before the dot joins it to the
    /// dot's Character, which `hasSuffix` then does not match).
    static func endsInXML(_ name: String) -> Bool {
        guard name.isASCII else { return name.hasSuffix(".xml") }
        var bytes = name
        return bytes.withUTF8 { b in
            let n = b.count
            return n >= 4 && b[n - 4] == 0x2E && b[n - 3] == 0x78 && b[n - 2] == 0x6D && b[n - 1] == 0x6C
        }
    }

    /// The steps of `directory`'s entries, in name order; a directory that
    /// cannot be opened is a diagnostic in `out`.
    private static func steps(of directory: String, ancestors: [(UInt64, UInt64)], into out: inout Walked) -> [Step] {
        guard let dir = PathName.withCString(directory, { opendir($0) }) else {
            out.diagnostics.append(FileProblem.io("cannot open directory: \(String(cString: strerror(errno)))")
                .diagnostic(path: directory))
            return []
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
        // In String order (ascendingOrder: compared as bytes when ASCII).
        let order = ascendingOrder(of: names.map(\.name))
        var steps: [Step] = []
        for k in order {
            let (name, regular) = names[k]
            let isXML = Self.endsInXML(name)
            if regular && !isXML { continue }
            let child = directory.hasSuffix("/") ? String.joined(directory, name) : String.joined(directory, "/", name)
            if regular {
                steps.append(.file(child))
                continue
            }
            var st = stat()
            if PathName.withCString(child, { stat($0, &st) }) != 0 {
                let err = errno
                guard isXML || err == ELOOP else { continue }
                var lst = stat()
                let problem: FileProblem = err == ELOOP ? .loop
                    : (err == ENOENT && PathName.withCString(child, { lstat($0, &lst) }) == 0 ? .danglingLink : .io(String(cString: strerror(err))))
                steps.append(.diagnostic(problem.diagnostic(path: child)))
                continue
            }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR {
                let key = (UInt64(st.st_dev), UInt64(st.st_ino))
                if ancestors.contains(where: { $0 == key }) {
                    steps.append(.diagnostic(Diagnostic(.warning, .symlinkLoop,
                                                        "directory cycle: this link leads back to one of its own parent directories; not followed",
                                                        at: SourceLocation(file: child))))
                    continue
                }
                if isXML {
                    steps.append(.diagnostic(Diagnostic(.warning, .pathUnreadable,
                                                        "a directory named like a manifest; searched as a directory",
                                                        at: SourceLocation(file: child))))
                }
                steps.append(.directory(child, ancestors: ancestors + [key]))
            } else if isXML {
                if kind == S_IFREG {
                    steps.append(.file(child))
                } else {
                    steps.append(.diagnostic(FileProblem.notRegular(FileBytes.fileKind(kind)).diagnostic(path: child)))
                }
            }
        }
        return steps
    }
}
