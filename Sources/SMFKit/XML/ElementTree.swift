import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// The elements of SMF's DTD that the reader looks at. Every other element
/// is `.other`; it is still recorded (its children may be known ones, and a
/// walk must see the same structure the document has).
enum ElementName: UInt8 {
    case other
    case serviceBundle, service, include, createDefaultInstance, instance, restarter, serviceFMRI
    case dependency, dependent, methodContext, execMethod, propertyGroup, template
    case methodCredential, methodProfile, methodEnvironment, envvar, propval, property, valueNode
    case commonName, loctext

    /// The name as written in a document (the local name, without a prefix).
    var text: String {
        switch self {
        case .other: ""
        case .serviceBundle: "service_bundle"
        case .service: "service"
        case .include: "include"
        case .createDefaultInstance: "create_default_instance"
        case .instance: "instance"
        case .restarter: "restarter"
        case .serviceFMRI: "service_fmri"
        case .dependency: "dependency"
        case .dependent: "dependent"
        case .methodContext: "method_context"
        case .execMethod: "exec_method"
        case .propertyGroup: "property_group"
        case .template: "template"
        case .methodCredential: "method_credential"
        case .methodProfile: "method_profile"
        case .methodEnvironment: "method_environment"
        case .envvar: "envvar"
        case .propval: "propval"
        case .property: "property"
        case .valueNode: "value_node"
        case .commonName: "common_name"
        case .loctext: "loctext"
        }
    }

    static let all: [ElementName] = [.serviceBundle, .service, .include, .createDefaultInstance, .instance, .restarter,
                                     .serviceFMRI, .dependency, .dependent, .methodContext, .execMethod, .propertyGroup,
                                     .template, .methodCredential, .methodProfile, .methodEnvironment, .envvar, .propval,
                                     .property, .valueNode, .commonName, .loctext]
    static let table = NameTable(all.map { (Array($0.text.utf8), $0.rawValue) })
}

/// The attributes the reader reads (no namespace); `.other` is not recorded.
enum AttributeName: UInt8 {
    case other
    case type, name, href, enabled, version, value, grouping, restartOn, delete, override, exec, timeoutSeconds
    case workingDirectory, project, resourcePool, securityFlags, user, group, suppGroups, privileges, limitPrivileges
    /// `xml:lang` (the XML namespace's `lang`).
    case xmlLang

    var text: String {
        switch self {
        case .other: ""
        case .type: "type"
        case .name: "name"
        case .href: "href"
        case .enabled: "enabled"
        case .version: "version"
        case .value: "value"
        case .grouping: "grouping"
        case .restartOn: "restart_on"
        case .delete: "delete"
        case .override: "override"
        case .exec: "exec"
        case .timeoutSeconds: "timeout_seconds"
        case .workingDirectory: "working_directory"
        case .project: "project"
        case .resourcePool: "resource_pool"
        case .securityFlags: "security_flags"
        case .user: "user"
        case .group: "group"
        case .suppGroups: "supp_groups"
        case .privileges: "privileges"
        case .limitPrivileges: "limit_privileges"
        case .xmlLang: "lang"
        }
    }

    static let all: [AttributeName] = [.type, .name, .href, .enabled, .version, .value, .grouping, .restartOn, .delete,
                                       .override, .exec, .timeoutSeconds, .workingDirectory, .project, .resourcePool,
                                       .securityFlags, .user, .group, .suppGroups, .privileges, .limitPrivileges]
    static let table = NameTable(all.map { (Array($0.text.utf8), $0.rawValue) })
}

/// Known names by length, matched against libxml2's NUL-terminated names
/// as bytes (no String is made for a name).
struct NameTable: Sendable {
    private let byLength: [[([UInt8], UInt8)]]

    init(_ names: [([UInt8], UInt8)]) {
        var t = [[([UInt8], UInt8)]](repeating: [], count: (names.map(\.0.count).max() ?? 0) + 1)
        for n in names { t[n.0.count].append(n) }
        byLength = t
    }

    /// The code of the name at `p`, or 0.
    @inline(__always)
    func lookup(_ p: UnsafePointer<xmlChar>) -> UInt8 {
        let n = strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
        guard n < byLength.count else { return 0 }
        for (bytes, code) in byLength[n] where bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p, n) == 0 }) {
            return code
        }
        return 0
    }
}

/// What the SAX2 reader records of one document: its elements in document
/// order with their start-tag lines, the attributes the reader reads (their
/// values as bytes), and the text under `<loctext>`. Attribute values become
/// Strings only when the walk asks for them.
final class ElementTree {
    struct Element {
        var name: ElementName
        /// The line libxml2 was on at the end of the start tag (what
        /// `xmlGetLineNo` gives for a DOM node).
        var line: Int32
        var parent: Int32
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
        var attributeStart: Int32
        var attributeEnd: Int32
        /// One past the last element of the subtree.
        var end: Int32 = 0
    }

    struct Attribute {
        var name: AttributeName
        /// The attribute has a namespace (`xmlHasProp` still sees it by name).
        var namespaced: Bool
        var start: Int32
        var end: Int32
    }

    struct Text {
        var element: Int32
        var start: Int32
        var end: Int32
    }

    private(set) var elements: [Element] = []
    private(set) var attributes: [Attribute] = []
    private(set) var bytes: [UInt8] = []
    private(set) var texts: [Text] = []
    /// The root's name as libxml2's DOM would hold it (`prefix:local` for an
    /// undeclared prefix), for the message about a document of another kind.
    private(set) var rootName = ""

    /// The document's own parser context (entity replacement text is parsed
    /// in contexts of its own), and the bytes of replacement text seen.
    var main: xmlParserCtxtPtr?
    private var replacementBytes = 0
    private var lastContext: xmlParserCtxtPtr?
    private var lastCursor: UnsafePointer<xmlChar>?
    /// Set when the replacement text went over libxml2's amplification limit.
    private(set) var amplified = false
    weak var sink: ErrorSink?

    private var open: [Int32] = []
    private var lastChild: [Int32] = []
    private var loctextDepth = 0

    init() {
        elements.reserveCapacity(256)
        attributes.reserveCapacity(512)
        bytes.reserveCapacity(4096)
    }

    var isEmpty: Bool { elements.isEmpty }

    // MARK: - Building (from the SAX2 callbacks)

    func start(localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
               line: Int32, count: Int, attributes atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        // An undeclared prefix: libxml2's tree names the element `prefix:local`,
        // which is none of the names the reader knows.
        let undeclared = prefix != nil && uri == nil
        let name = undeclared ? .other : ElementName(rawValue: ElementName.table.lookup(localname)) ?? .other
        let index = Int32(elements.count)
        let parent = open.last ?? -1
        if parent < 0 && elements.isEmpty {
            let local = String(cString: localname)
            rootName = undeclared ? String(cString: prefix!) + ":" + local : local
        }
        let attributeStart = Int32(attributes.count)
        if let atts {
            for i in 0..<count {
                // localname, prefix, URI, value, end
                guard let aname = atts[5 * i] else { continue }
                let aprefix = atts[5 * i + 1]
                let auri = atts[5 * i + 2]
                var code: AttributeName
                var namespaced = false
                if aprefix == nil {
                    code = AttributeName(rawValue: AttributeName.table.lookup(aname)) ?? .other
                } else if auri == nil {
                    continue  // `prefix:local` with no namespace in the tree: never a name looked up
                } else {
                    namespaced = true
                    if xmlStrEqual(auri, xmlNamespace) != 0, xmlStrEqual(aname, langName) != 0 {
                        code = .xmlLang
                    } else {
                        code = AttributeName(rawValue: AttributeName.table.lookup(aname)) ?? .other
                    }
                }
                if code == .other { continue }
                let start = Int32(bytes.count)
                if let v = atts[5 * i + 3], let e = atts[5 * i + 4], e > v {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: v, count: e - v))
                }
                attributes.append(Attribute(name: code, namespaced: namespaced, start: start, end: Int32(bytes.count)))
            }
        }
        elements.append(Element(name: name, line: line, parent: parent,
                                attributeStart: attributeStart, attributeEnd: Int32(attributes.count)))
        if parent >= 0 {
            let last = lastChild[lastChild.count - 1]
            if last < 0 { elements[Int(parent)].firstChild = index } else { elements[Int(last)].nextSibling = index }
            lastChild[lastChild.count - 1] = index
        }
        open.append(index)
        lastChild.append(-1)
        if name == .loctext { loctextDepth += 1 }
    }

    func end() {
        guard let index = open.popLast() else { return }
        lastChild.removeLast()
        elements[Int(index)].end = Int32(elements.count)
        if elements[Int(index)].name == .loctext { loctextDepth -= 1 }
    }

    func characters(_ p: UnsafePointer<xmlChar>, _ n: Int) {
        guard loctextDepth > 0, n > 0, let current = open.last else { return }
        let start = Int32(bytes.count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        texts.append(Text(element: current, start: start, end: Int32(bytes.count)))
    }

    /// libxml2's tree builder copies an entity's replacement text into the
    /// tree at every reference, counting its length + 5 each time, and stops
    /// the parse with "Detected an entity reference loop" once the copies
    /// pass XML_MAX_TEXT_LENGTH (10,000,000 bytes) and ten times the bytes
    /// parsed (parser.c, xmlParserEntityCheck with `sizeentcopy`). Without a
    /// tree that check never runs, so it is made here: each reference's
    /// replacement text is parsed in a context of its own, and the first
    /// callback from it (another context, or one that starts again) counts
    /// the text's length + 5.
    func replaced(in ctx: xmlParserCtxtPtr) {
        guard !amplified, let main, ctx != main, let sub = ctx.pointee.input else { return }
        let cur = sub.pointee.cur
        defer { lastContext = ctx; lastCursor = cur }
        if ctx == lastContext, let cur, let last = lastCursor, cur > last { return }
        if let end = sub.pointee.end, let base = sub.pointee.base { replacementBytes += end - base + 5 }
        guard replacementBytes >= 10_000_000, let input = main.pointee.input else { return }
        let consumed = Int(input.pointee.consumed) + (input.pointee.cur.map { c in input.pointee.base.map { c - $0 } ?? 0 } ?? 0)
                     + Int(main.pointee.sizeentities)
        guard replacementBytes >= 10 * consumed else { return }
        amplified = true
        sink?.entries.append(ErrorSink.Entry(level: Int32(XML_ERR_FATAL.rawValue), domain: Int32(XML_FROM_PARSER.rawValue),
                                             code: Int32(XML_ERR_ENTITY_LOOP.rawValue), line: Int(input.pointee.line),
                                             column: Int(input.pointee.col), message: "Detected an entity reference loop",
                                             nodeName: nil, file: input.pointee.filename.map { String(cString: $0) }))
        // What xmlFatalErr does there (no recovery): the document is not
        // well-formed and no more callbacks come; libxml2 then skips every
        // later reference (xmlParseReference returns when not well-formed).
        main.pointee.wellFormed = 0
        main.pointee.errNo = Int32(XML_ERR_ENTITY_LOOP.rawValue)
        main.pointee.disableSAX = 1
        ctx.pointee.disableSAX = 1
    }

    // MARK: - Reading (the walk)

    @inline(__always)
    func name(_ e: Int32) -> ElementName { elements[Int(e)].name }

    /// The element's name for messages and column search.
    func displayName(_ e: Int32) -> String {
        e == 0 ? rootName : elements[Int(e)].name.text
    }

    @inline(__always)
    func line(_ e: Int32) -> Int { Int(elements[Int(e)].line) }

    func parent(_ e: Int32) -> Int32? {
        let p = elements[Int(e)].parent
        return p >= 0 ? p : nil
    }

    /// The element children of `e`, in document order.
    func children(_ e: Int32) -> TreeChildren {
        TreeChildren(tree: self, cursor: elements[Int(e)].firstChild)
    }

    /// The value's byte range of an attribute without namespace, or nil.
    @inline(__always)
    private func find(_ e: Int32, _ a: AttributeName) -> Attribute? {
        let el = elements[Int(e)]
        var i = Int(el.attributeStart)
        let end = Int(el.attributeEnd)
        while i < end {
            let at = attributes[i]
            if at.name == a && !at.namespaced { return at }
            i += 1
        }
        return nil
    }

    /// An attribute's value (no namespace), or nil when absent.
    func attribute(_ e: Int32, _ a: AttributeName) -> String? {
        guard let at = find(e, a) else { return nil }
        return string(at.start, at.end)
    }

    /// True when the attribute is there, in any namespace (as `xmlHasProp`).
    func has(_ e: Int32, _ a: AttributeName) -> Bool {
        let el = elements[Int(e)]
        for i in Int(el.attributeStart)..<Int(el.attributeEnd) where attributes[i].name == a { return true }
        return false
    }

    /// Which of `choices` the attribute's value is, compared as bytes:
    /// `.absent`, `.index(i)`, or `.other` (then `attribute(_:_:)` gives the text).
    func match(_ e: Int32, _ a: AttributeName, _ choices: [StaticString]) -> Match {
        guard let at = find(e, a) else { return .absent }
        let n = Int(at.end - at.start)
        return bytes.withUnsafeBufferPointer { buf in
            for (k, c) in choices.enumerated() where c.utf8CodeUnitCount == n {
                if n == 0 || memcmp(buf.baseAddress! + Int(at.start), c.utf8Start, n) == 0 { return .index(k) }
            }
            return .other
        }
    }

    enum Match: Equatable {
        case absent
        case index(Int)
        case other
    }

    /// `xml:lang` of the element or its nearest ancestor that has one (as `xmlNodeGetLang`) is "C".
    func langIsC(_ e: Int32) -> Bool? {
        var cursor: Int32? = e
        while let c = cursor {
            let el = elements[Int(c)]
            for i in Int(el.attributeStart)..<Int(el.attributeEnd) where attributes[i].name == .xmlLang {
                let at = attributes[i]
                return at.end - at.start == 1 && bytes[Int(at.start)] == 0x43
            }
            cursor = parent(c)
        }
        return nil
    }

    /// The text of the element and its descendants, in document order (as `xmlNodeGetContent`).
    func text(_ e: Int32) -> String {
        let lo = e, hi = elements[Int(e)].end
        var out: [UInt8] = []
        for t in texts where t.element >= lo && t.element < hi {
            out.append(contentsOf: bytes[Int(t.start)..<Int(t.end)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func string(_ start: Int32, _ end: Int32) -> String {
        if start == end { return "" }
        return bytes.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[Int(start)..<Int(end)]), as: UTF8.self)
        }
    }
}

/// A walk along a sibling list (no array).
struct TreeChildren: Sequence, IteratorProtocol {
    let tree: ElementTree
    var cursor: Int32

    mutating func next() -> Int32? {
        guard cursor >= 0 else { return nil }
        let c = cursor
        cursor = tree.elements[Int(c)].nextSibling
        return c
    }
}

private let xmlNamespace: [xmlChar] = Array("http://www.w3.org/XML/1998/namespace".utf8) + [0]
private let langName: [xmlChar] = Array("lang".utf8) + [0]

// MARK: - The SAX2 handler

extension ElementTree {
    /// Points the context's SAX2 handler (libxml2's defaults, which keep the
    /// DOCTYPE, its entities and attribute defaults on `ctxt->myDoc`) at this
    /// tree for elements and text: no element or text node is ever built.
    /// The tree is reached through the ErrorSink in `ctxt->_private`, which
    /// libxml2 hands on to the contexts that parse entity replacement text.
    static func install(on ctxt: xmlParserCtxtPtr) {
        ElementTree.of(ctxt)?.main = ctxt
        guard let sax = ctxt.pointee.sax else { return }
        sax.pointee.startElementNs = { ctx, localname, prefix, uri, _, _, nAttributes, _, attributes in
            guard let tree = ElementTree.of(ctx), let localname else { return }
            let c = ctx!.assumingMemoryBound(to: xmlParserCtxt.self)
            let line = c.pointee.input.map { Int32(clamping: $0.pointee.line) } ?? 0
            if c != tree.main { tree.replaced(in: c) }
            tree.start(localname: localname, prefix: prefix, uri: uri, line: line,
                       count: Int(nAttributes), attributes: attributes)
        }
        sax.pointee.endElementNs = { ctx, _, _, _ in
            ElementTree.of(ctx)?.end()
        }
        let characters: charactersSAXFunc = { ctx, p, n in
            guard let p, n > 0, let tree = ElementTree.of(ctx) else { return }
            let c = ctx!.assumingMemoryBound(to: xmlParserCtxt.self)
            if c != tree.main { tree.replaced(in: c) }
            tree.characters(p, Int(n))
        }
        sax.pointee.characters = characters
        sax.pointee.ignorableWhitespace = characters
        sax.pointee.cdataBlock = characters
        sax.pointee.comment = nil
        sax.pointee.processingInstruction = nil
        sax.pointee.reference = nil
    }

    @inline(__always)
    static func of(_ ctx: UnsafeMutableRawPointer?) -> ElementTree? {
        guard let ctx else { return nil }
        let c = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let raw = c.pointee._private else { return nil }
        return Unmanaged<ErrorSink>.fromOpaque(raw).takeUnretainedValue().tree
    }
}
