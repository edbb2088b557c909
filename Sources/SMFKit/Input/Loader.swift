/// What the user asked to read: PATHs, profile layers and a DTD.
public struct InputSpec: Sendable {
    /// Files and directories of manifests (and profiles, which are linted only).
    public var paths: [String]
    /// Profile layers for the baseline, applied in order.
    public var profiles: [String]
    /// A DTD to validate manifests and archives against.
    public var dtdPath: String?
    public var maxFileSize: Int

    public init(paths: [String] = [], profiles: [String] = [], dtdPath: String? = nil,
                maxFileSize: Int = ReaderOptions.defaultMaxFileSize) {
        self.paths = paths
        self.profiles = profiles
        self.dtdPath = dtdPath
        self.maxFileSize = maxFileSize
    }
}

/// Reads everything an `InputSpec` names and merges it into a `Repository`.
public enum Loader {
    public static func load(_ spec: InputSpec) -> Repository {
        var pre: [Diagnostic] = []
        var options = ReaderOptions(maxFileSize: spec.maxFileSize)
        if let dtdPath = spec.dtdPath {
            switch FileBytes.read(dtdPath, limit: spec.maxFileSize) {
            case .success(let bytes):
                options.dtd = DTDSource(path: dtdPath, bytes: bytes)
            case .failure(let p):
                var d = p.diagnostic(path: dtdPath)
                d.message = "--dtd: " + d.message
                pre.append(d)
            }
        }
        var walker = PathWalker()
        for p in spec.paths { walker.add(p) }
        pre += walker.diagnostics

        let results = ParallelReader.read(walker.files, options: options)
        var builder = RepositoryBuilder()
        if options.dtd != nil {
            let probe = ManifestReader(options: options)
            pre += probe.dtdProblems
        }
        for r in results { builder.addSource(r) }

        let reader = ManifestReader(options: ReaderOptions(maxFileSize: spec.maxFileSize))
        for profile in spec.profiles {
            let (bundles, diags) = readLayer(profile, reader: reader)
            builder.addLayer(name: profile, bundles: bundles, diagnostics: diags)
        }
        var repo = builder.build()
        repo.diagnostics = ColumnFixer.fix(pre + repo.diagnostics, maxFileSize: spec.maxFileSize).sortedForOutput()
        return repo
    }

    /// Reads one profile layer and the files it includes (depth-first, in
    /// document order, each file once).
    static func readLayer(_ path: String, reader: ManifestReader) -> ([ServiceBundle], [Diagnostic]) {
        var bundles: [ServiceBundle] = []
        var diags: [Diagnostic] = []
        var visiting = Set<String>()
        func visit(_ p: String) {
            guard visiting.insert(p).inserted else { return }
            let r = reader.read(path: p)
            diags += r.diagnostics
            guard let b = r.bundle else { return }
            if b.type != .profile {
                diags.append(Diagnostic(.error, .badBundleType,
                    "a profile layer must be a bundle of type 'profile'; this one is '\(b.type)' (svccfg apply refuses it)",
                    at: b.location))
                return
            }
            for inc in b.includes {
                if let target = resolveInclude(inc.href, from: p) {
                    if visiting.contains(target) {
                        diags.append(Diagnostic(.warning, .includeUnresolved,
                            "xi:include of '\(inc.href)' includes a file that is already being read; not followed again",
                            at: inc.location))
                        continue
                    }
                    visit(target)
                } else {
                    diags.append(Diagnostic(.warning, .includeUnresolved,
                        "xi:include of '\(inc.href)' was not followed: an absolute path names a file of the analysed system, which is only found with --root; its settings are not in the baseline",
                        at: inc.location))
                }
            }
            bundles.append(b)
        }
        visit(path)
        return (bundles, diags)
    }

    /// A relative href is resolved beside the including file; an absolute
    /// one (`file:/etc/...`) names a file of the analysed system, not of
    /// this host, and needs a root.
    static func resolveInclude(_ href: String, from including: String) -> String? {
        var h = href
        if h.hasPrefix("file://localhost/") { h = String(h.dropFirst(16)) }
        else if h.hasPrefix("file:///") { h = String(h.dropFirst(7)) }
        else if h.hasPrefix("file:") { h = String(h.dropFirst(5)) }
        if h.hasPrefix("/") { return nil }
        let dir = including.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return dir.isEmpty ? h : dir + "/" + h
    }
}
