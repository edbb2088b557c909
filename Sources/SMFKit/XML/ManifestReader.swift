import CLibXML2

/// What reading one file gives: the bundle (nil when the file could not be
/// read as one) and every diagnostic about it.
public struct ReadResult: Sendable {
    public var path: String
    public var bundle: ServiceBundle? {
        didSet { importChecks = nil }
    }
    public var diagnostics: [Diagnostic]
    /// `bundle.importChecks()`, made where the file was
    /// read (on the reader's thread, not the merge's); nil when not made, or
    /// when `bundle` changed since.
    var importChecks: [Diagnostic?]?

    public init(path: String, bundle: ServiceBundle?, diagnostics: [Diagnostic]) {
        self.path = path
        self.bundle = bundle
        self.diagnostics = diagnostics
    }
}

/// Options of the reader.
public struct ReaderOptions: Sendable {
    /// Files larger than this are refused with SMF004 (default 32 MiB; the
    /// largest real manifest is a few hundred KiB).
    public var maxFileSize: Int
    /// The DTD's bytes, when `--dtd` was given: manifests and archives are
    /// then validated against it.
    public var dtd: DTDSource?
    /// `--define NAME=VALUE`: build placeholders replaced in the text of
    /// every file before it is parsed (only in files that are valid UTF-8).
    public var defines: [String: String]
    /// What the bundles keep (`.full` unless a command reads less).
    public var detail: ReadDetail

    public init(maxFileSize: Int = ReaderOptions.defaultMaxFileSize, dtd: DTDSource? = nil,
                defines: [String: String] = [:], detail: ReadDetail = .full) {
        self.maxFileSize = maxFileSize
        self.dtd = dtd
        self.defines = defines
        self.detail = detail
    }

    public static let defaultMaxFileSize = 32 * 1024 * 1024
}

/// How much of each file the reader keeps. Every element is read and
/// checked either way, with the same diagnostics; only what the model holds
/// afterwards differs (docs/PERFORMANCE.md, "The sixth round").
public enum ReadDetail: Sendable, Equatable {
    /// Everything the model has a place for.
    case full
    /// What the dependency graph, the merge and the counts read: services,
    /// instances, dependencies, dependents, restarters, exec methods
    /// without their properties and their exec lines (`exec` is empty),
    /// property groups without their properties, common names. The
    /// properties of property groups and exec methods, the exec lines and
    /// every method context are checked and not kept: only the plans, the
    /// boot prediction, the package report and the archive read them.
    case structure
}

/// A DTD given by the user, held as bytes so that the entity loader never
/// has to open it.
public struct DTDSource: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// The one system id svccfg accepts in a DOCTYPE (`svccfg.h` MANIFEST_DTD_PATH).
public let serviceBundleDTDPath = "/usr/share/lib/xml/dtd/service_bundle.dtd.1"

/// Turns one SMF XML file into a `ServiceBundle`. Holds libxml2 state, so it
/// is deliberately not Sendable: give each thread its own reader.
public final class ManifestReader {
    private let options: ReaderOptions
    private var dtd: xmlDtdPtr?
    private var dtdDiagnostics: [Diagnostic] = []
    /// The SAX2 record, reset for each document (its arrays keep their capacity).
    private let tree = ElementTree()
    /// The parser context of the SAX2 pass, reused from one document to the
    /// next (`xmlCtxtReadMemory` resets it): its SAX2 handler is installed
    /// once, and its dictionary already holds the names of SMF's elements.
    private var saxContext: xmlParserCtxtPtr?

    public init(options: ReaderOptions = ReaderOptions()) {
        LibXML.ensureInitialised()
        self.options = options
        if let source = options.dtd {
            loadDTD(source)
        }
    }

    deinit {
        if let dtd { xmlFreeDtd(dtd) }
        if let saxContext { xmlFreeParserCtxt(saxContext) }
    }

    /// The context for the next SAX2 pass. A new one replaces it once its
    /// dictionary holds many names (distinct names from many files), so that
    /// one file never meets the dictionary limit because of the files
    /// read before it.
    private func reusableContext() -> xmlParserCtxtPtr? {
        if let c = saxContext {
            if let dict = c.pointee.dict, xmlDictSize(dict) > 4096 {
                xmlFreeParserCtxt(c)
                saxContext = nil
            } else {
                // A document cut short inside elements that declare
                // namespaces leaves their count in nsNr (4 after
                // `<a xmlns:p='u'><b xmlns:q='v'><c>`). libxml2 2.9.14 does
                // not let the next document see them (ReaderReuseTests);
                // clearing the count keeps that true whatever the version.
                c.pointee.nsNr = 0
                return c
            }
        }
        guard let c = xmlNewParserCtxt() else { return nil }
        ElementTree.install(on: c)
        saxContext = c
        return c
    }

    /// Problems met while parsing the `--dtd` file itself.
    public var dtdProblems: [Diagnostic] { dtdDiagnostics }

    private func loadDTD(_ source: DTDSource) {
        let sink = ErrorSink()
        let parsed: xmlDtdPtr? = withErrorSink(sink) {
            source.bytes.withUnsafeBufferPointer { buf -> xmlDtdPtr? in
                guard let base = buf.baseAddress, buf.count > 0 else { return nil }
                let input = base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlParserInputBufferCreateMem($0, Int32(buf.count), XML_CHAR_ENCODING_NONE)
                }
                guard let input else { return nil }
                // xmlIOParseDTD takes ownership of the input buffer.
                return xmlIOParseDTD(nil, input, XML_CHAR_ENCODING_NONE)
            }
        }
        for e in sink.entries where e.level >= Int32(XML_ERR_ERROR.rawValue) {
            dtdDiagnostics.append(Diagnostic(.error, .dtdInvalid, "in the DTD: \(e.message)",
                                             at: SourceLocation(file: source.path, line: e.line, column: max(e.column, 1))))
        }
        if parsed == nil && dtdDiagnostics.isEmpty {
            dtdDiagnostics.append(Diagnostic(.error, .dtdInvalid, "the DTD could not be parsed",
                                             at: SourceLocation(file: source.path, line: 1, column: 1)))
        }
        dtd = parsed
    }

    /// Reads a file from disk. Never throws: every problem is a diagnostic.
    public func read(path: String) -> ReadResult {
        result(of: FileBytes.read(path, limit: options.maxFileSize), path: path)
    }

    /// `read(path:)` for a file a directory's walk found regular.
    func read(walkedPath path: String) -> ReadResult {
        result(of: FileBytes.readWalked(path, limit: options.maxFileSize), path: path)
    }

    /// The file's bytes read as a document, or the problem that kept them.
    private func result(of bytes: Result<[UInt8], FileProblem>, path: String) -> ReadResult {
        switch bytes {
        case .success(let bytes):
            return read(bytes: bytes, path: path)
        case .failure(let problem):
            return ReadResult(path: path, bundle: nil, diagnostics: [problem.diagnostic(path: path)])
        }
    }

    /// Reads a document held in memory; `path` names it in diagnostics.
    public func read(bytes original: [UInt8], path: String) -> ReadResult {
        var bytes = original
        var early: [Diagnostic] = []
        if !options.defines.isEmpty {
            switch Placeholders.substitute(bytes: original, defines: options.defines, path: path) {
            case .substituted(let b):
                bytes = b
            case .notUTF8(let names):
                early.append(Diagnostic(.warning, .placeholder,
                    "the file is not valid UTF-8, so --define was not applied to it; it holds \(names.joined(separator: ", "))",
                    at: SourceLocation(file: path, line: 1, column: 1)))
            case .unchanged:
                break
            }
        }
        tree.reset()
        var state = DocumentState(path: path, bytes: bytes, tree: tree)
        state.diagnostics = early
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            state.diagnose(.error, .xmlEmpty, "the file is empty", line: 1, column: 1)
            return ReadResult(path: path, bundle: nil, diagnostics: state.diagnostics)
        }
        if bytes.count > options.maxFileSize {
            state.diagnose(.error, .fileTooLarge,
                           "the file is \(bytes.count) bytes, over the reader's limit of \(options.maxFileSize) bytes",
                           line: 1, column: 1)
            return ReadResult(path: path, bundle: nil, diagnostics: state.diagnostics)
        }

        let sink = ErrorSink()
        tree.storage.pointee.sink = Unmanaged.passUnretained(sink)
        defer { tree.storage.pointee.sink = nil }
        let bundle: ServiceBundle? = withErrorSink(sink) {
            // The elements through SAX2 into `state.tree`; libxml2 keeps only
            // the DOCTYPE (its entities and attribute defaults) as a document.
            guard let doc = parse(bytes, path: path, sink: sink, tree: tree.storage) else { return nil }
            defer { xmlFreeDoc(doc) }
            if state.tree.amplified { return nil }
            return self.walk(doc: doc, bytes: bytes, state: &state, sink: sink)
        }
        state.absorb(sink)
        var result = ReadResult(path: path, bundle: bundle, diagnostics: state.diagnostics)
        // Every value of the bundle's dependencies and dependents went
        // through FMRI.shape(of:) above: with none refused, the import check
        // need not parse them again.
        if let bundle { result.importChecks = bundle.importChecks(valuesValid: state.refusedValues == 0) }
        return result
    }

    /// One parse of the document; nil when it is not well-formed. With a
    /// `tree`, the elements and text go to it and the document returned
    /// holds only the DOCTYPE; without, it is libxml2's whole tree (for
    /// validation against `--dtd`).
    private func parse(_ bytes: [UInt8], path: String, sink: ErrorSink,
                       tree: UnsafeMutablePointer<ElementTree.Storage>?) -> xmlDocPtr? {
        var data = ParseUserData(sink: Unmanaged.passUnretained(sink), tree: tree)
        if let tree {
            guard let ctxt = reusableContext() else { return nil }
            return withUnsafeMutablePointer(to: &data) { data in
                ctxt.pointee._private = UnsafeMutableRawPointer(data)
                defer { ctxt.pointee._private = nil }
                tree.pointee.main = ctxt
                return parse(bytes, path: path, ctxt: ctxt)
            }
        }
        guard let ctxt = xmlNewParserCtxt() else { return nil }
        defer { xmlFreeParserCtxt(ctxt) }
        return withUnsafeMutablePointer(to: &data) { data in
            ctxt.pointee._private = UnsafeMutableRawPointer(data)
            defer { ctxt.pointee._private = nil }
            return parse(bytes, path: path, ctxt: ctxt)
        }
    }

    private func parse(_ bytes: [UInt8], path: String, ctxt: xmlParserCtxtPtr) -> xmlDocPtr? {
        // NOENT expands internal entities; external ones go to the refusing
        // loader. NONET is belt and braces. No DTDLOAD, no DTDVALID, no HUGE
        // (which keeps libxml2's depth and amplification limits).
        // COMPACT keeps short text inline in its node (one malloc less
        // each; the tree is never modified).
        let opts = Int32(XML_PARSE_NOENT.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue
                         | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOXINCNODE.rawValue | XML_PARSE_COMPACT.rawValue)
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlCtxtReadMemory(ctxt, $0, Int32(buf.count), path, nil, opts)
            }
        }
        guard let doc else { return nil }
        if ctxt.pointee.wellFormed == 0 {
            xmlFreeDoc(doc)
            return nil
        }
        return doc
    }

    // MARK: - The walk

    private func walk(doc: xmlDocPtr, bytes: [UInt8], state: inout DocumentState, sink: ErrorSink) -> ServiceBundle? {
        guard !state.tree.isEmpty else {
            state.diagnose(.error, .xmlNotBundle, "the document has no root element", line: 1, column: 1)
            return nil
        }
        let root: Int32 = 0
        guard state.tree.name(root) == .serviceBundle else {
            state.diagnose(.error, .xmlNotBundle,
                           "the root element is <\(state.tree.displayName(root))>, not <service_bundle>: not an SMF manifest or profile",
                           node: root)
            return nil
        }
        checkDoctype(doc: doc, root: root, state: &state)
        guard let bundle = readBundle(root, state: &state, parentType: nil) else { return nil }
        if bundle.type.definesServices, let dtd {
            validate(bytes: bytes, path: state.path, dtd: dtd, sink: sink)
        }
        return bundle
    }

    private func checkDoctype(doc: xmlDocPtr, root: Int32, state: inout DocumentState) {
        guard let subset = doc.pointee.intSubset else {
            state.diagnose(.warning, .dtdUnknown,
                           "the document has no DOCTYPE; svccfg refuses it (\"document has no DTD\"); expected <!DOCTYPE service_bundle SYSTEM '\(serviceBundleDTDPath)'>",
                           node: root)
            return
        }
        let system = subset.pointee.SystemID.map { String(cString: $0) }
        if system != serviceBundleDTDPath {
            let line = max(1, state.tree.line(root) > 1 ? state.lineOf(prefix: "<!DOCTYPE") ?? 1 : 1)
            state.diagnose(.warning, .dtdUnknown,
                           "the DOCTYPE names \(system.map { "'\($0)'" } ?? "no system id"); svccfg accepts only '\(serviceBundleDTDPath)' (\"document DTD unknown; not service bundle?\"); it was not loaded",
                           line: line, column: 1)
        }
    }

    /// `--dtd`: validation needs libxml2's tree, so the document is parsed a
    /// second time into one (its own errors, the same as the first parse's,
    /// are dropped) and only what `xmlValidateDtd` finds joins `sink`.
    private func validate(bytes: [UInt8], path: String, dtd: xmlDtdPtr, sink: ErrorSink) {
        let second = ErrorSink()
        // (withErrorSink resets the handler when it returns: this runs last
        // in the outer one, after the first parse.)
        let (found, dropped): ([ErrorSink.Entry], Int) = withErrorSink(second) {
            guard let doc = parse(bytes, path: path, sink: second, tree: nil) else { return ([], 0) }
            defer { xmlFreeDoc(doc) }
            guard let vctxt = xmlNewValidCtxt() else { return ([], 0) }
            defer { xmlFreeValidCtxt(vctxt) }
            let before = second.entries.count
            let droppedBefore = second.dropped
            _ = xmlValidateDtd(vctxt, doc, dtd)
            return (Array(second.entries[before...]), second.dropped - droppedBefore)
        }
        // Marked so that absorb() files them under SMF015.
        for var e in found {
            guard sink.entries.count < sink.limit else {
                sink.dropped += 1
                continue
            }
            e.domain = Int32(XML_FROM_VALID.rawValue)
            sink.entries.append(e)
        }
        sink.dropped += dropped
    }

    private func readBundle(_ node: Int32, state: inout DocumentState, parentType: BundleType?) -> ServiceBundle? {
        let loc = state.location(node)
        let typeRaw = state.tree.attribute(node, .type)
        let name = state.tree.attribute(node, .name)
        if typeRaw == nil || typeRaw == "" {
            state.diagnose(.error, .missingAttribute, "<service_bundle> lacks its required 'type' attribute", node: node)
        }
        if name == nil || name == "" {
            state.diagnose(.error, .missingAttribute,
                           "<service_bundle> lacks its required 'name' attribute (svccfg: \"service bundle lacks name attribute\")",
                           node: node)
        }
        let type = BundleType(typeRaw ?? "")
        if case .other(let raw) = type, typeRaw != nil, raw != "" {
            state.diagnose(.error, .badBundleType,
                           "bundle type '\(raw)' is not one of manifest, profile, archive", node: node)
        }
        if let parentType, parentType != type {
            state.diagnose(.error, .nestedBundleType,
                           "nested bundle of type '\(type)' inside a '\(parentType)' bundle (svccfg: \"included bundle of different type\")",
                           node: node)
        }
        var bundle = ServiceBundle(type: type, name: name ?? "", location: loc)
        let isProfile = type == .profile
        for child in state.tree.children(node) {
            switch state.tree.name(child) {
            case .service:
                if let s = readService(child, state: &state, profile: isProfile) { bundle.services.append(s) }
            case .serviceBundle:
                if let nested = readBundle(child, state: &state, parentType: type) { bundle.nested.append(nested) }
            case .include:
                if let href = state.tree.attribute(child, .href), !href.isEmpty {
                    bundle.includes.append(IncludeDecl(href: href, location: state.location(child)))
                } else {
                    state.diagnose(.error, .missingAttribute, "<xi:include> lacks its 'href' attribute", node: child)
                }
            default:
                break
            }
        }
        return bundle
    }

    private func required(_ node: Int32, _ attr: AttributeName, _ element: String, interned: Bool = false,
                          state: inout DocumentState) -> String? {
        guard let v = interned ? state.tree.internedAttribute(node, attr) : state.tree.attribute(node, attr), !v.isEmpty else {
            missing(node, attr, element, state: &state)
            return nil
        }
        return v
    }

    /// SMF020: `attr`, which `element` requires, is absent or empty.
    private func missing(_ node: Int32, _ attr: AttributeName, _ element: String, state: inout DocumentState) {
        state.diagnose(.error, .missingAttribute, "<\(element)> lacks its required '\(attr.text)' attribute", node: node)
    }

    private func boolean(_ node: Int32, _ attr: AttributeName, _ element: String, state: inout DocumentState) -> Bool? {
        switch state.tree.match(node, attr, "true", "false") {
        case .absent: return nil
        case .index(let k): return k == 0
        case .other:
            let v = state.tree.attribute(node, attr) ?? ""
            state.diagnose(.error, .badEnumeration,
                           "<\(element) \(attr.text)='\(v)'>: the value must be 'true' or 'false'", node: node)
            return nil
        }
    }

    private func readService(_ node: Int32, state: inout DocumentState, profile: Bool) -> ServiceDecl? {
        guard let name = required(node, .name, "service", state: &state) else { return nil }
        checkName(name, kind: "service", node: node, state: &state, service: true)
        let type: String
        var known = true
        switch state.tree.match(node, .type, "service", "restarter", "milestone") {
        case .index(0): type = "service"
        case .index(1): type = "restarter"
        case .index(2): type = "milestone"
        default:
            type = state.tree.attribute(node, .type) ?? ""
            known = false
        }
        if type.isEmpty {
            state.diagnose(.error, .missingAttribute, "<service name='\(name)'> lacks its required 'type' attribute", node: node)
        } else if !known {
            state.diagnose(.error, .badEnumeration,
                           "<service name='\(name)' type='\(type)'>: type must be service, restarter or milestone", node: node)
        }
        let version = state.tree.attribute(node, .version) ?? ""
        if version.isEmpty {
            state.diagnose(.error, .missingAttribute, "<service name='\(name)'> lacks its required 'version' attribute", node: node)
        }
        var decl = ServiceDecl(name: name, type: type.isEmpty ? "service" : type, version: version,
                               location: state.location(node))
        var entity = EntityDecl()
        reserveLists(of: node, in: &entity, tree: state.tree)
        for child in state.tree.children(node) {
            switch state.tree.name(child) {
            case .createDefaultInstance:
                let enabled = boolean(child, .enabled, "create_default_instance", state: &state)
                if !state.tree.has(child, .enabled) && !profile {
                    state.diagnose(.error, .missingAttribute,
                                   "<create_default_instance> lacks its required 'enabled' attribute", node: child)
                }
                decl.createDefaultInstance = CreateDefaultInstance(enabled: enabled, location: state.location(child))
            case .instance:
                guard let iname = required(child, .name, "instance", state: &state) else { continue }
                checkName(iname, kind: "instance", node: child, state: &state, service: false)
                let enabled = boolean(child, .enabled, "instance", state: &state)
                if !state.tree.has(child, .enabled) && !profile {
                    state.diagnose(.error, .missingAttribute,
                                   "instance \"\(iname)\" missing attribute \"enabled\" (required in manifests)", node: child)
                }
                var inst = InstanceDecl(name: iname, enabled: enabled, location: state.location(child))
                var ientity = EntityDecl()
                reserveLists(of: child, in: &ientity, tree: state.tree)
                for ic in state.tree.children(child) {
                    readEntityChild(ic, into: &ientity, state: &state)
                }
                inst.entity = ientity
                decl.instances.append(inst)
            default:
                readEntityChild(child, into: &entity, state: &state)
            }
        }
        decl.entity = entity
        return decl
    }

    /// Sizes the entity's lists for the children that will fill them: an
    /// array grown by appending keeps up to twice the room it needs, for as
    /// long as the model lives (docs/PERFORMANCE.md, "The model").
    private func reserveLists(of node: Int32, in entity: inout EntityDecl, tree: ElementTree) {
        var dependencies = 0, dependents = 0, methods = 0, groups = 0
        for c in tree.children(node) {
            switch tree.name(c) {
            case .dependency: dependencies += 1
            case .dependent: dependents += 1
            case .execMethod: methods += 1
            case .propertyGroup: groups += 1
            default: break
            }
        }
        if dependencies > 0 { entity.dependencies.reserveCapacity(dependencies) }
        if dependents > 0 { entity.dependents.reserveCapacity(dependents) }
        if methods > 0 { entity.methods.reserveCapacity(methods) }
        if groups > 0 { entity.propertyGroups.reserveCapacity(groups) }
    }

    /// Children shared by <service> and <instance>.
    private func readEntityChild(_ child: Int32, into entity: inout EntityDecl, state: inout DocumentState) {
        switch state.tree.name(child) {
        case .restarter:
            let fmri = state.tree.firstChild(child, named: .serviceFMRI).flatMap { state.tree.attribute($0, .value) }
            entity.restarter = RestarterDecl(fmri: fmri, location: state.location(child))
        case .dependency:
            if let d = readDependency(child, state: &state) { entity.dependencies.append(d) }
        case .dependent:
            if let d = readDependent(child, state: &state) { entity.dependents.append(d) }
        case .methodContext:
            let context = readMethodContext(child, state: &state)
            if options.detail == .full { entity.methodContext = context }
        case .execMethod:
            if let m = readExecMethod(child, state: &state) { entity.methods.append(m) }
        case .propertyGroup:
            if let pg = readPropertyGroup(child, state: &state) { entity.propertyGroups.append(pg) }
        case .template:
            entity.commonName = readCommonName(child, state: &state)
        default:
            break
        }
    }

    private func grouping(_ node: Int32, _ element: String, state: inout DocumentState) -> Grouping? {
        if case .index(let k) = state.tree.match(node, .grouping, "require_all", "require_any", "optional_all", "exclude_all") {
            return Grouping.allCases[k]
        }
        guard let raw = required(node, .grouping, element, state: &state) else { return nil }
        guard let g = Grouping(rawValue: raw) else {
            state.diagnose(.error, .badEnumeration,
                           "<\(element)> grouping '\(raw)' is not one of require_all, require_any, optional_all, exclude_all; svc.startd would put the instance in maintenance",
                           node: node)
            return nil
        }
        return g
    }

    private func restartOn(_ node: Int32, _ element: String, state: inout DocumentState) -> RestartOn? {
        if case .index(let k) = state.tree.match(node, .restartOn, "none", "error", "restart", "refresh") {
            return RestartOn.allCases[k]
        }
        guard let raw = required(node, .restartOn, element, state: &state) else { return nil }
        guard let r = RestartOn(rawValue: raw) else {
            state.diagnose(.error, .badEnumeration,
                           "<\(element)> restart_on '\(raw)' is not one of error, restart, refresh, none", node: node)
            return nil
        }
        return r
    }

    private func entityRefs(_ node: Int32, state: inout DocumentState) -> [EntityRef] {
        var out: [EntityRef] = []
        for c in state.tree.children(node) where state.tree.name(c) == .serviceFMRI {
            guard let v = state.tree.internedAttribute(c, .value), !v.isEmpty else {
                state.diagnose(.error, .missingAttribute, "<service_fmri> lacks its required 'value' attribute", node: c)
                continue
            }
            out.append(EntityRef(value: v, location: state.location(c)))
        }
        return out
    }

    private func readDependency(_ node: Int32, state: inout DocumentState) -> DependencyDecl? {
        let name = required(node, .name, "dependency", state: &state)
        let g = grouping(node, "dependency", state: &state)
        let r = restartOn(node, "dependency", state: &state)
        let type = required(node, .type, "dependency", state: &state)
        let delete = boolean(node, .delete, "dependency", state: &state) ?? false
        let entities = entityRefs(node, state: &state)
        guard let name, let g, let r, let type else { return nil }
        if type != "service" && type != "path" {
            state.diagnose(.error, .badDependencyType,
                           "dependency '\(name)' has type '\(type)'; svc.startd accepts only 'service' and 'path'", node: node)
        }
        for e in entities {
            guard let fmri = FMRI.shape(of: e.value) else {
                state.refusedValues += 1
                let what = containsPlaceholder(e.value) ? DiagnosticCode.placeholder : .badFMRI
                state.diagnose(what == .placeholder ? .warning : .error, what,
                               what == .placeholder
                                   ? "dependency '\(name)' names '\(e.value)', which holds the unexpanded build placeholder \(placeholderList(e.value)) (use \(defineHint(e.value)))"
                                   : "dependency '\(name)' names '\(e.value)', which is not a valid FMRI",
                               at: e.location)
                continue
            }
            let isPath: Bool = if case .path = fmri { true } else { false }
            if type == "service" && isPath || type == "path" && !isPath {
                state.diagnose(.error, .badDependencyType,
                               "dependency '\(name)' of type '\(type)' names '\(e.value)'; svc.startd requires \(type == "path" ? "file:" : "svc:") FMRIs for this type and would put the instance in maintenance",
                               at: e.location)
            }
        }
        return DependencyDecl(name: name, grouping: g, restartOn: r, type: type, delete: delete,
                              entities: entities, location: state.location(node))
    }

    private func readDependent(_ node: Int32, state: inout DocumentState) -> DependentDecl? {
        let name = required(node, .name, "dependent", state: &state)
        let g = grouping(node, "dependent", state: &state)
        let r = restartOn(node, "dependent", state: &state)
        let delete = boolean(node, .delete, "dependent", state: &state) ?? false
        let override = boolean(node, .override, "dependent", state: &state) ?? false
        let entities = entityRefs(node, state: &state)
        guard let name, let g, let r else { return nil }
        if entities.count != 1 {
            state.diagnose(.error, .missingAttribute,
                           "dependent '\(name)' must have exactly one <service_fmri> (it has \(entities.count))", node: node)
        }
        if let e = entities.first {
            switch FMRI.shape(of: e.value) {
            case .service?, .instance?:
                break
            case .path?:
                state.diagnose(.error, .badFMRI, "dependent '\(name)' targets the path '\(e.value)'; a dependent must name a service or instance", at: e.location)
            case nil:
                state.refusedValues += 1
                let ph = containsPlaceholder(e.value)
                state.diagnose(ph ? .warning : .error, ph ? .placeholder : .badFMRI,
                               ph ? "dependent '\(name)' targets '\(e.value)', which holds the unexpanded build placeholder \(placeholderList(e.value)) (use \(defineHint(e.value)))"
                                  : "dependent '\(name)' targets '\(e.value)', which is not a valid FMRI",
                               at: e.location)
            }
        }
        return DependentDecl(name: name, grouping: g, restartOn: r, delete: delete, override: override,
                             target: entities.first, location: state.location(node))
    }

    private func readMethodContext(_ node: Int32, state: inout DocumentState) -> MethodContext {
        var ctx = MethodContext(workingDirectory: state.tree.attribute(node, .workingDirectory),
                                project: state.tree.attribute(node, .project),
                                resourcePool: state.tree.attribute(node, .resourcePool),
                                securityFlags: state.tree.attribute(node, .securityFlags),
                                location: state.location(node))
        for c in state.tree.children(node) {
            switch state.tree.name(c) {
            case .methodCredential:
                guard let user = required(c, .user, "method_credential", state: &state) else { continue }
                ctx.credential = MethodCredential(user: user, group: state.tree.attribute(c, .group),
                                                  suppGroups: state.tree.attribute(c, .suppGroups),
                                                  privileges: state.tree.attribute(c, .privileges),
                                                  limitPrivileges: state.tree.attribute(c, .limitPrivileges))
            case .methodProfile:
                ctx.profile = required(c, .name, "method_profile", state: &state)
            case .methodEnvironment:
                for ev in state.tree.children(c) where state.tree.name(ev) == .envvar {
                    guard let n = required(ev, .name, "envvar", state: &state) else { continue }
                    if !MethodAnalyzer.isEnvironmentName(n) {
                        state.diagnose(.warning, .badEnvName,
                                       "envvar name \(String(reflecting: n)) is not a portable environment variable name "
                                       + "(letters, digits and '_', not starting with a digit); a launch line leaves it out", node: ev)
                    }
                    ctx.environment.append(EnvVar(name: n, value: state.tree.attribute(ev, .value) ?? ""))
                }
            default:
                break
            }
        }
        return ctx
    }

    private func readExecMethod(_ node: Int32, state: inout DocumentState) -> ExecMethod? {
        let type = required(node, .type, "exec_method", state: &state)
        let name = required(node, .name, "exec_method", state: &state)
        // The exec line is kept with the full detail only (checked either
        // way): no command that reads only the graph prints it.
        let exec = options.detail == .full ? state.tree.attribute(node, .exec)
            : (state.tree.hasValue(node, .exec) ? "" : nil)
        if exec == nil {
            state.diagnose(.error, .missingAttribute, "<exec_method> lacks its required 'exec' attribute", node: node)
        }
        let timeout = state.tree.attribute(node, .timeoutSeconds)
        if timeout == nil {
            state.diagnose(.error, .missingAttribute, "<exec_method> lacks its required 'timeout_seconds' attribute", node: node)
        }
        if let type, type != "method" && type != "monitor" {
            state.diagnose(.error, .badEnumeration, "<exec_method type='\(type)'>: type must be method or monitor", node: node)
        }
        let delete = boolean(node, .delete, "exec_method", state: &state) ?? false
        var method = ExecMethod(type: type ?? "method", name: name ?? "", exec: exec ?? "",
                                timeoutSeconds: timeout ?? "", delete: delete, location: state.location(node))
        for c in state.tree.children(node) {
            switch state.tree.name(c) {
            case .methodContext:
                let context = readMethodContext(c, state: &state)
                if options.detail == .full { method.context = context }
            case .propval, .property:
                if let p = readProperty(c, state: &state) { method.properties.append(p) }
            default:
                break
            }
        }
        guard name != nil else { return nil }
        return method
    }

    private func readPropertyGroup(_ node: Int32, state: inout DocumentState) -> PropertyGroup? {
        guard let name = required(node, .name, "property_group", interned: true, state: &state) else { return nil }
        let delete = boolean(node, .delete, "property_group", state: &state) ?? false
        var pg = PropertyGroup(name: name, type: state.tree.internedAttribute(node, .type), delete: delete,
                               location: state.location(node))
        if options.detail == .full {
            let count = state.tree.children(node).reduce(0) { n, c in
                let name = state.tree.name(c)
                return name == .propval || name == .property ? n + 1 : n
            }
            if count > 0 { pg.properties.reserveCapacity(count) }
        }
        for c in state.tree.children(node) {
            switch state.tree.name(c) {
            case .propval, .property:
                if let p = readProperty(c, state: &state) { pg.properties.append(p) }
            default:
                break
            }
        }
        return pg
    }

    /// A `<propval>` or `<property>`; nil when it lacks what it needs (said)
    /// or when the detail read leaves properties out (checked, not made).
    private func readProperty(_ node: Int32, state: inout DocumentState) -> Property? {
        let isPropval = state.tree.name(node) == .propval
        // The checks, made on the attributes in place: no String is made
        // for a property that is only checked.
        guard state.tree.hasNonEmpty(node, .name) else {
            missing(node, .name, isPropval ? "propval" : "property", state: &state)
            return nil
        }
        if isPropval && !state.tree.hasValue(node, .value) {
            let name = state.tree.attribute(node, .name) ?? ""
            state.diagnose(.error, .missingAttribute, "<propval name='\(name)'> lacks its required 'value' attribute", node: node)
            return nil
        }
        guard options.detail == .full else { return nil }
        let name = state.tree.internedAttribute(node, .name) ?? ""
        if isPropval {
            return Property(name: name, type: state.tree.internedAttribute(node, .type),
                            value: state.tree.internedAttribute(node, .value) ?? "", location: state.location(node))
        }
        var values: [String] = []
        for list in state.tree.children(node) {
            for v in state.tree.children(list) where state.tree.name(v) == .valueNode {
                if let value = state.tree.internedAttribute(v, .value) { values.append(value) }
            }
        }
        return Property(name: name, type: state.tree.internedAttribute(node, .type), values: values, location: state.location(node))
    }

    private func readCommonName(_ template: Int32, state: inout DocumentState) -> String? {
        guard let cn = state.tree.children(template).first(where: { state.tree.name($0) == .commonName }) else { return nil }
        let tree = state.tree
        // The first <loctext xml:lang='C'>, else the first <loctext>.
        var first: Int32?
        var chosen: Int32?
        for c in tree.children(cn) where tree.name(c) == .loctext {
            if first == nil { first = c }
            if tree.langIsC(c) == true {
                chosen = c
                break
            }
        }
        guard let chosen = chosen ?? first else { return nil }
        let text = tree.collapsedASCIIText(chosen)
            ?? tree.text(chosen).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
                .joined(separator: " ")
        return text.isEmpty ? nil : text
    }

    private func checkName(_ name: String, kind: String, node: Int32, state: inout DocumentState, service: Bool) {
        let ok = service ? FMRI.isValidServiceName(name) : FMRI.isValidComponent(name)
        if ok { return }
        if containsPlaceholder(name) {
            state.diagnose(.warning, .placeholder,
                           "\(kind) name '\(name)' holds the unexpanded build placeholder \(placeholderList(name)) (use \(defineHint(name)))", node: node)
        } else {
            state.diagnose(.error, .badName,
                           "\(kind) name '\(name)' is not valid: each component must start with a letter and go on with letters, digits, '_' or '-'",
                           node: node)
        }
    }
}

/// True when `s` holds a build-system placeholder: `@NAME@`, `@@NAME@@`,
/// `$(NAME)`, `${NAME}` or `%%%NAME%%%`. SMF's own method tokens (`%m`,
/// `%{pg/prop}`) are not placeholders.
public func containsPlaceholder(_ s: String) -> Bool {
    Placeholders.find(in: s).isEmpty == false
}

/// `@SMF_NAME@, $(VERSION)`: the placeholders of `s`, for messages.
func placeholderList(_ s: String) -> String {
    var seen = Set<String>()
    return Placeholders.find(in: s).filter { seen.insert($0).inserted }.joined(separator: ", ")
}

/// `--define SMF_NAME=VALUE`: what to type to expand the placeholders of `s`.
func defineHint(_ s: String) -> String {
    var seen = Set<String>()
    return Placeholders.find(in: s).map { Placeholders.name(of: $0) }.filter { seen.insert($0).inserted }
        .map { "--define \($0)=VALUE" }.joined(separator: " ")
}
