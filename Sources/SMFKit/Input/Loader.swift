/// What the user asked to read: PATHs, a zone root, profile layers, a DTD,
/// a zone configuration and build-placeholder definitions.
public struct InputSpec: Sendable {
    /// Files and directories of manifests (and profiles, which are linted only),
    /// read after the root's manifests.
    public var paths: [String]
    /// Profile layers for the baseline, applied in order, after the root's own layers.
    public var profiles: [String]
    /// A DTD to validate manifests and archives against. Without one, a
    /// root's `usr/share/lib/xml/dtd/service_bundle.dtd.1` is used when present.
    public var dtdPath: String?
    public var maxFileSize: Int
    /// An illumos file system tree (`--root`): manifests from `lib/svc/manifest`
    /// then `var/svc/manifest`, the profile layers of `etc/svc/profile`,
    /// `etc/inittab`, method scripts; every path resolved inside it.
    public var root: String?
    /// The output of `zonecfg -z NAME export` (`--zonecfg`).
    public var zonecfgPath: String?
    /// `--define NAME=VALUE`: build placeholders (`@NAME@`, `@@NAME@@`,
    /// `$(NAME)`, `${NAME}`, `%%%NAME%%%`) replaced in every file before reading.
    public var defines: [String: String]
    /// `--packages DIR` (and `--zone-view`): package manifests (Packages/ZoneView.swift).
    public var packages: PackageOptions?
    /// What the manifests' bundles keep (`ReadDetail`); profile layers are read whole.
    public var detail: ReadDetail = .full

    public init(paths: [String] = [], profiles: [String] = [], dtdPath: String? = nil,
                maxFileSize: Int = ReaderOptions.defaultMaxFileSize, root: String? = nil,
                zonecfgPath: String? = nil, defines: [String: String] = [:], packages: PackageOptions? = nil) {
        self.packages = packages
        self.paths = paths
        self.profiles = profiles
        self.dtdPath = dtdPath
        self.maxFileSize = maxFileSize
        self.root = root
        self.zonecfgPath = zonecfgPath
        self.defines = defines
    }
}

/// Everything `Loader.loadInput` read: the merged repository and, with a
/// root, what else of the zone the later stages need.
public struct LoadedInput: Sendable {
    /// The merged services, instances, groups and baseline, with every diagnostic.
    public var repository: Repository
    /// The root, for reading method scripts (`root?.read(path: "/lib/svc/method/svc-cron")`)
    /// and checking required files (`root?.exists("/etc/ssh/sshd_config")`).
    public var root: RootFS?
    /// The root's `/etc/inittab`, line by line (nil without a root, or when it has none).
    public var inittab: Inittab?
    /// The parsed `--zonecfg` file.
    public var zoneConfig: ZoneConfig?
    /// With `--packages`: each manifest's package, and what the zone view left out.
    public var packages: PackageView?
    /// The column fixer that filled in the repository's diagnostics: ask it
    /// for diagnostics found later (it reads each file back at most once).
    public var columns: ColumnFixer

    public init(repository: Repository, root: RootFS? = nil, inittab: Inittab? = nil, zoneConfig: ZoneConfig? = nil,
                columns: ColumnFixer? = nil) {
        self.repository = repository
        self.columns = columns ?? ColumnFixer(maxFileSize: ReaderOptions.defaultMaxFileSize, root: root)
        self.root = root
        self.inittab = inittab
        self.zoneConfig = zoneConfig
    }

    /// The absolute program path of an `exec` attribute, or nil
    /// (`:kill`, `:true`, a relative name, a `%{...}` token).
    public static func executable(of exec: String) -> String? {
        let first = exec.trimmingWhitespace().split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        guard first.hasPrefix("/"), !first.contains("%") else { return nil }
        return first
    }
}

/// Reads everything an `InputSpec` names and merges it into a `Repository`.
public enum Loader {
    /// Where a zone root keeps things (usr/src/cmd/svc/svccfg/svccfg_libscf.c).
    public enum RootLayout {
        public static let manifestDirectories = ["/lib/svc/manifest", "/var/svc/manifest"]
        public static let profileDirectory = "/etc/svc/profile"
        public static let inittab = "/etc/inittab"
        public static let methodDirectory = "/lib/svc/method"
        public static let dtd = serviceBundleDTDPath
    }

    public static func load(_ spec: InputSpec) -> Repository {
        loadInput(spec).repository
    }

    public static func loadInput(_ spec: InputSpec) -> LoadedInput {
        var pre: [Diagnostic] = []
        var options = ReaderOptions(maxFileSize: spec.maxFileSize)
        options.defines = spec.defines
        options.detail = spec.detail

        // The root, checked.
        var fs: RootFS?
        if let r = spec.root {
            let candidate = RootFS(r)
            if candidate.isUsable {
                fs = candidate
                pre += checkRootShape(candidate)
            } else {
                pre.append(Diagnostic(.error, .pathMissing,
                    "--root: \(candidate.displayRoot) is not a directory", at: SourceLocation(file: candidate.displayRoot)))
            }
        }

        // The DTD: --dtd, else the root's own.
        if let dtdPath = spec.dtdPath {
            switch FileBytes.read(dtdPath, limit: spec.maxFileSize) {
            case .success(let bytes):
                options.dtd = DTDSource(path: dtdPath, bytes: bytes)
            case .failure(let p):
                var d = p.diagnostic(path: dtdPath)
                d.message = "--dtd: " + d.message
                pre.append(d)
            }
        } else if let fs, case .success(let (r, bytes)) = fs.readWithPath(RootLayout.dtd, limit: spec.maxFileSize) {
            options.dtd = DTDSource(path: r.hostPath, bytes: bytes)
        }

        // The files, in order: the root's lib then var manifests, then each PATH.
        // A root's files are read by the walk from its descriptor, never by host path.
        var files: [InputFile] = []
        var seen = Set<String>()
        if let fs {
            for dir in RootLayout.manifestDirectories {
                let (found, diags) = fs.xmlFiles(under: dir)
                pre += diags
                for f in found where seen.insert(f.hostPath).inserted { files.append(.inRoot(fs, f)) }
            }
        }
        var walker = PathWalker()
        for p in spec.paths { walker.add(p) }
        pre += walker.diagnostics
        // The walk lists each file once; only a root's files can meet them again.
        for (k, f) in walker.files.enumerated() where fs == nil || seen.insert(f).inserted {
            files.append(walker.walked[k] ? .walked(f) : .host(f))
        }
        SourceFiles.shared.reserve(files.count)

        var builder = RepositoryBuilder()
        builder.reserveCapacity(files: files.count)
        if options.dtd != nil {
            let probe = ManifestReader(options: options)
            pre += probe.dtdProblems
        }
        // Merged in file order while the workers read ahead.
        var packageView: PackageView?
        if let packages = spec.packages {
            // The zone-view hook: the files are matched to the package
            // manifests (and filtered) before the merge.
            var all: [ReadResult] = []
            ParallelReader.read(files: files, options: options) { all.append($0) }
            let (kept, view, diags) = ZoneViewFilter.apply(packages, to: all, maxFileSize: spec.maxFileSize)
            for source in kept { builder.addSource(source) }
            pre += diags
            packageView = view
        } else {
            ParallelReader.read(files: files, options: options) { builder.addSource($0) }
        }

        // The layers: the root's, then each --profile.
        let reader = ManifestReader(options: ReaderOptions(maxFileSize: spec.maxFileSize, defines: spec.defines))
        if let fs {
            let (layers, diags) = rootLayers(fs)
            pre += diags
            for layer in layers {
                let (bundles, diags) = readLayer(.inRoot(layer), root: fs, reader: reader, limit: spec.maxFileSize)
                builder.addLayer(name: fs.hostPath(layer), bundles: bundles, diagnostics: diags)
            }
        }
        for profile in spec.profiles {
            let (bundles, diags) = readLayer(.host(profile), root: fs, reader: reader, limit: spec.maxFileSize)
            builder.addLayer(name: profile, bundles: bundles, diagnostics: diags)
        }

        // inittab and zonecfg.
        var inittab: Inittab?
        if let fs {
            switch fs.read(path: RootLayout.inittab, limit: spec.maxFileSize) {
            case .success(let bytes):
                inittab = Inittab(path: fs.hostPath(RootLayout.inittab), text: String(decoding: bytes, as: UTF8.self))
            case .failure(let p) where p.isPlainMissing:
                pre.append(Diagnostic(.note, .pathMissing,
                    "the root has no /etc/inittab; a blank-zone inittab cannot be derived from it",
                    at: SourceLocation(file: fs.hostPath(RootLayout.inittab))))
            case .failure(let p):
                pre.append(p.diagnostic(in: fs, named: fs.hostPath(RootLayout.inittab)))
            }
        }
        var zone: ZoneConfig?
        if let z = spec.zonecfgPath {
            let parsed = ZoneConfig.read(path: z)
            pre += parsed.diagnostics
            zone = parsed
        }

        // Moved out of the variable the reader's closure captured: built
        // from there, the builder's services would be shared with it, and
        // each service's composition would copy them first.
        let taken = builder
        builder = RepositoryBuilder()
        var repo = taken.build()
        // Columns are found by reading the files again: a root's through the root.
        let columns = ColumnFixer(maxFileSize: spec.maxFileSize, root: fs)
        repo.diagnostics = columns.fix(pre + repo.diagnostics).sortedForOutput()
        var loaded = LoadedInput(repository: repo, root: fs, inittab: inittab, zoneConfig: zone, columns: columns)
        loaded.packages = packageView
        return loaded
    }

    /// Warns when a root does not look like an illumos root.
    static func checkRootShape(_ fs: RootFS) -> [Diagnostic] {
        let hasManifests = RootLayout.manifestDirectories.contains { fs.exists($0) }
        guard !hasManifests else { return [] }
        var message = "--root \(fs.displayRoot) has neither lib/svc/manifest nor var/svc/manifest: no manifest is read from it"
        if RootFS(fs.hostPath("/root")).exists("/lib/svc/manifest") {
            message += "; this looks like a zonepath: the zone's root is \(fs.hostPath("/root"))"
        }
        return [Diagnostic(.warning, .pathMissing, message, at: SourceLocation(file: fs.displayRoot))]
    }

    /// The root's profile layers, as paths inside it, in the order
    /// manifest-import applies them: `generic.xml`, `platform.xml` (else
    /// `platform_none.xml`), `site.xml`, then `site/*.xml` sorted.
    public static func rootLayers(_ fs: RootFS) -> (layers: [String], diagnostics: [Diagnostic]) {
        let dir = RootLayout.profileDirectory
        var out: [String] = []
        var diags: [Diagnostic] = []
        func present(_ p: String) -> Bool {
            // The name exists (a dangling or escaping link included: it is reported when read).
            switch fs.resolve(p, followFinal: false) {
            case .success: return true
            case .failure(let problem): return !problem.isPlainMissing
            }
        }
        if present(dir + "/generic.xml") {
            out.append(dir + "/generic.xml")
        } else {
            diags.append(Diagnostic(.warning, .pathMissing,
                "the root has no /etc/svc/profile/generic.xml (the installer links it to generic_limited_net.xml or generic_open.xml); the baseline is the manifests' own 'enabled' values",
                at: SourceLocation(file: fs.hostPath(dir + "/generic.xml"))))
        }
        if present(dir + "/platform.xml") {
            out.append(dir + "/platform.xml")
        } else if present(dir + "/platform_none.xml") {
            out.append(dir + "/platform_none.xml")
        }
        if present(dir + "/site.xml") { out.append(dir + "/site.xml") }
        for name in fs.names(in: dir + "/site", suffix: ".xml") { out.append(dir + "/site/" + name) }
        return (out, diags)
    }

    /// A profile file: on the host (`--profile`), or inside the root (its layers and includes).
    enum LayerFile: Hashable {
        case host(String)
        case inRoot(String)
    }

    /// Reads one profile layer and the files it includes (depth-first, in
    /// document order, each file once). With a root, absolute hrefs
    /// (`file:/etc/svc/profile/name_service.xml`) resolve inside it.
    static func readLayer(_ file: LayerFile, root fs: RootFS?, reader: ManifestReader,
                          limit: Int = ReaderOptions.defaultMaxFileSize) -> ([ServiceBundle], [Diagnostic]) {
        var bundles: [ServiceBundle] = []
        var diags: [Diagnostic] = []
        var visiting = Set<String>()
        func visit(_ f: LayerFile, from include: IncludeDecl?) {
            let result: ReadResult
            let key: String
            switch f {
            case .host(let p):
                key = "host:" + p
                guard visiting.insert(key).inserted else { return cycle(include) }
                result = reader.read(path: p)
            case .inRoot(let p):
                guard let fs else { return }
                switch fs.resolve(p) {
                case .failure(let problem):
                    diags.append(includeOrLayerProblem(problem, fs: fs, named: p, include: include))
                    return
                case .success(let r):
                    key = "root:" + r.path
                    guard visiting.insert(key).inserted else { return cycle(include) }
                    switch fs.readResolved(r, limit: limit) {
                    case .failure(let problem):
                        diags.append(includeOrLayerProblem(problem, fs: fs, named: p, include: include))
                        return
                    case .success(let bytes):
                        result = reader.read(bytes: bytes, path: r.hostPath)
                    }
                }
            }
            diags += result.diagnostics
            guard let b = result.bundle else { return }
            if b.type != .profile {
                diags.append(Diagnostic(.error, .badBundleType,
                    "a profile layer must be a bundle of type 'profile'; this one is '\(b.type)' (svccfg apply refuses it)",
                    at: b.location))
                return
            }
            for inc in b.includes {
                if let target = resolveInclude(inc.href, from: f, hasRoot: fs != nil) {
                    visit(target, from: inc)
                } else {
                    diags.append(Diagnostic(.warning, .includeUnresolved,
                        "xi:include of '\(inc.href)' was not followed: an absolute path names a file of the analysed system, which is only found with --root; its settings are not in the baseline",
                        at: inc.location))
                }
            }
            bundles.append(b)
        }
        func cycle(_ include: IncludeDecl?) {
            guard let include else { return }
            diags.append(Diagnostic(.warning, .includeUnresolved,
                "xi:include of '\(include.href)' includes a file that is already being read; not followed again",
                at: include.location))
        }
        visit(file, from: nil)
        return (bundles, diags)
    }

    /// The diagnostic for a layer or include that cannot be read inside the root.
    static func includeOrLayerProblem(_ problem: RootFS.Problem, fs: RootFS, named: String, include: IncludeDecl?) -> Diagnostic {
        guard let include else { return problem.diagnostic(in: fs, named: fs.hostPath(named)) }
        if problem.isPlainMissing {
            return Diagnostic(.warning, .includeUnresolved,
                "xi:include of '\(include.href)': \(named) does not exist inside the root \(fs.displayRoot); its settings are not in the baseline",
                at: include.location)
        }
        var d = problem.diagnostic(in: fs, named: fs.hostPath(named), at: include.location)
        d.message = "xi:include of '\(include.href)': " + d.message
        if d.code == .pathMissing || d.code == .pathUnreadable {
            d.code = .includeUnresolved
            d.severity = .warning
        }
        return d
    }

    /// A relative href is resolved beside the including file (inside the
    /// root for a file of the root); an absolute one (`file:/etc/...`)
    /// names a file of the analysed system: inside the root when there is
    /// one, else it cannot be followed (nil).
    static func resolveInclude(_ href: String, from including: LayerFile, hasRoot: Bool) -> LayerFile? {
        var h = href
        if h.hasPrefix("file://localhost/") { h = String(h.dropFirst(16)) }
        else if h.hasPrefix("file:///") { h = String(h.dropFirst(7)) }
        else if h.hasPrefix("file:") { h = String(h.dropFirst(5)) }
        if h.hasPrefix("/") { return hasRoot ? .inRoot(h) : nil }
        switch including {
        case .host(let p):
            let dir = p.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            return .host(dir.isEmpty ? h : dir + "/" + h)
        case .inRoot(let p):
            let dir = p.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            return .inRoot(dir + "/" + h)
        }
    }
}
