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

    /// The element named by libxml2's NUL-terminated local name at `p`,
    /// compared as bytes (no String, no table).
    @inline(__always)
    static func named(_ p: UnsafePointer<xmlChar>) -> ElementName {
        switch p[0] {
        case 0x63:  // c
            if NameMatch.same(p, "common_name") { return .commonName }
            if NameMatch.same(p, "create_default_instance") { return .createDefaultInstance }
        case 0x64:  // d
            if NameMatch.same(p, "dependent") { return .dependent }
            if NameMatch.same(p, "dependency") { return .dependency }
        case 0x65:  // e
            if NameMatch.same(p, "envvar") { return .envvar }
            if NameMatch.same(p, "exec_method") { return .execMethod }
        case 0x69:  // i
            if NameMatch.same(p, "include") { return .include }
            if NameMatch.same(p, "instance") { return .instance }
        case 0x6c:  // l
            if NameMatch.same(p, "loctext") { return .loctext }
        case 0x6d:  // m
            if NameMatch.same(p, "method_context") { return .methodContext }
            if NameMatch.same(p, "method_profile") { return .methodProfile }
            if NameMatch.same(p, "method_credential") { return .methodCredential }
            if NameMatch.same(p, "method_environment") { return .methodEnvironment }
        case 0x70:  // p
            if NameMatch.same(p, "propval") { return .propval }
            if NameMatch.same(p, "property") { return .property }
            if NameMatch.same(p, "property_group") { return .propertyGroup }
        case 0x72:  // r
            if NameMatch.same(p, "restarter") { return .restarter }
        case 0x73:  // s
            if NameMatch.same(p, "service") { return .service }
            if NameMatch.same(p, "service_fmri") { return .serviceFMRI }
            if NameMatch.same(p, "service_bundle") { return .serviceBundle }
        case 0x74:  // t
            if NameMatch.same(p, "template") { return .template }
        case 0x76:  // v
            if NameMatch.same(p, "value_node") { return .valueNode }
        default: break
        }
        return .other
    }
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

    /// The attribute named by the NUL-terminated local name at `p` (never `.xmlLang`).
    @inline(__always)
    static func named(_ p: UnsafePointer<xmlChar>) -> AttributeName {
        switch p[0] {
        case 0x64:  // d
            if NameMatch.same(p, "delete") { return .delete }
        case 0x65:  // e
            if NameMatch.same(p, "exec") { return .exec }
            if NameMatch.same(p, "enabled") { return .enabled }
        case 0x67:  // g
            if NameMatch.same(p, "group") { return .group }
            if NameMatch.same(p, "grouping") { return .grouping }
        case 0x68:  // h
            if NameMatch.same(p, "href") { return .href }
        case 0x6c:  // l
            if NameMatch.same(p, "limit_privileges") { return .limitPrivileges }
        case 0x6e:  // n
            if NameMatch.same(p, "name") { return .name }
        case 0x6f:  // o
            if NameMatch.same(p, "override") { return .override }
        case 0x70:  // p
            if NameMatch.same(p, "project") { return .project }
            if NameMatch.same(p, "privileges") { return .privileges }
        case 0x72:  // r
            if NameMatch.same(p, "restart_on") { return .restartOn }
            if NameMatch.same(p, "resource_pool") { return .resourcePool }
        case 0x73:  // s
            if NameMatch.same(p, "supp_groups") { return .suppGroups }
            if NameMatch.same(p, "security_flags") { return .securityFlags }
        case 0x74:  // t
            if NameMatch.same(p, "type") { return .type }
            if NameMatch.same(p, "timeout_seconds") { return .timeoutSeconds }
        case 0x75:  // u
            if NameMatch.same(p, "user") { return .user }
        case 0x76:  // v
            if NameMatch.same(p, "value") { return .value }
            if NameMatch.same(p, "version") { return .version }
        case 0x77:  // w
            if NameMatch.same(p, "working_directory") { return .workingDirectory }
        default: break
        }
        return .other
    }
}

/// Byte comparison of a NUL-terminated name with a literal: stops at the
/// first byte that differs, so it never reads past the name's NUL.
enum NameMatch {
    @inline(__always)
    static func same(_ p: UnsafePointer<xmlChar>, _ s: StaticString) -> Bool {
        let q = s.utf8Start
        let n = s.utf8CodeUnitCount
        var i = 0
        while i < n {
            if p[i] != q[i] { return false }
            i += 1
        }
        return p[n] == 0
    }
}

/// What the SAX2 reader records of one document: its elements in document
/// order with their start-tag lines, the attributes the reader reads (their
/// values as bytes), and the text under `<loctext>`. Attribute values become
/// Strings only when the walk asks for them.
///
/// The record lives in one `Storage` behind a pointer that the SAX2
/// callbacks reach through the parser context: no class property is touched
/// per event (no dynamic exclusivity check, no retain). A reader keeps one
/// tree and resets it for each document, keeping the arrays' capacity.
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

    /// Everything the callbacks write, in one place.
    struct Storage {
        var elements: ContiguousArray<Element> = []
        var attributes: ContiguousArray<Attribute> = []
        var bytes: ContiguousArray<UInt8> = []
        var texts: ContiguousArray<Text> = []
        /// The root's name as libxml2's DOM would hold it (`prefix:local` for an
        /// undeclared prefix), for the message about a document of another kind.
        var rootName = ""
        /// The document's own parser context (entity replacement text is parsed
        /// in contexts of its own), and the bytes of replacement text seen.
        var main: xmlParserCtxtPtr?
        var replacementBytes = 0
        var lastContext: xmlParserCtxtPtr?
        var lastCursor: UnsafePointer<xmlChar>?
        /// Set when the replacement text went over libxml2's amplification limit.
        var amplified = false
        /// Where the amplification error goes (the sink outlives the parse).
        var sink: Unmanaged<ErrorSink>?
        /// The open elements, innermost last, and the last child of each.
        var open: ContiguousArray<Int32> = []
        var lastChild: ContiguousArray<Int32> = []
        var loctextDepth = 0
        /// Values kept across the documents of this reader (`internedAttribute`).
        var interner = StringInterner()

        init() {
            elements.reserveCapacity(256)
            attributes.reserveCapacity(512)
            bytes.reserveCapacity(4096)
            open.reserveCapacity(16)
            lastChild.reserveCapacity(16)
        }

        /// Empty again for the next document; the capacity stays, unless a
        /// large document left a lot of it.
        mutating func reset() {
            if elements.capacity > 1 << 16 || bytes.capacity > 1 << 22 {
                self = Storage()
                return
            }
            elements.removeAll(keepingCapacity: true)
            attributes.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            texts.removeAll(keepingCapacity: true)
            open.removeAll(keepingCapacity: true)
            lastChild.removeAll(keepingCapacity: true)
            rootName = ""
            main = nil
            replacementBytes = 0
            lastContext = nil
            lastCursor = nil
            amplified = false
            sink = nil
            loctextDepth = 0
        }

        // MARK: Building (from the SAX2 callbacks)

        mutating func start(localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
                            line: Int32, count: Int, attributes atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
            // An undeclared prefix: libxml2's tree names the element `prefix:local`,
            // which is none of the names the reader knows.
            let undeclared = prefix != nil && uri == nil
            let name = undeclared ? .other : ElementName.named(localname)
            let index = Int32(truncatingIfNeeded: elements.count)
            let depth = open.count
            let parent = depth > 0 ? open[depth - 1] : -1
            if depth == 0 && elements.isEmpty {
                let local = String(cString: localname)
                rootName = undeclared ? String(cString: prefix!) + ":" + local : local
            }
            let attributeStart = Int32(truncatingIfNeeded: attributes.count)
            if let atts, count > 0 {
                for i in 0..<count {
                    // localname, prefix, URI, value, end
                    let base = 5 * i
                    guard let aname = atts[base] else { continue }
                    var code: AttributeName
                    var namespaced = false
                    if atts[base + 1] == nil {
                        code = AttributeName.named(aname)
                    } else if let auri = atts[base + 2] {
                        namespaced = true
                        if NameMatch.same(aname, "lang") && NameMatch.same(auri, "http://www.w3.org/XML/1998/namespace") {
                            code = .xmlLang
                        } else {
                            code = AttributeName.named(aname)
                        }
                    } else {
                        continue  // `prefix:local` with no namespace in the tree: never a name looked up
                    }
                    if code == .other { continue }
                    let start = Int32(truncatingIfNeeded: bytes.count)
                    if let v = atts[base + 3], let e = atts[base + 4], e > v {
                        bytes.append(contentsOf: UnsafeBufferPointer(start: v, count: e - v))
                    }
                    attributes.append(Attribute(name: code, namespaced: namespaced, start: start,
                                                end: Int32(truncatingIfNeeded: bytes.count)))
                }
            }
            elements.append(Element(name: name, line: line, parent: parent, attributeStart: attributeStart,
                                    attributeEnd: Int32(truncatingIfNeeded: attributes.count)))
            if depth > 0 {
                let last = lastChild[depth - 1]
                if last < 0 { elements[Int(parent)].firstChild = index } else { elements[Int(last)].nextSibling = index }
                lastChild[depth - 1] = index
            }
            open.append(index)
            lastChild.append(-1)
            if name == .loctext { loctextDepth += 1 }
        }

        mutating func end() {
            guard let index = open.popLast() else { return }
            lastChild.removeLast()
            elements[Int(index)].end = Int32(truncatingIfNeeded: elements.count)
            if elements[Int(index)].name == .loctext { loctextDepth -= 1 }
        }

        @inline(__always)
        mutating func characters(_ p: UnsafePointer<xmlChar>, _ n: Int) {
            guard loctextDepth > 0, let current = open.last else { return }
            let start = Int32(truncatingIfNeeded: bytes.count)
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            texts.append(Text(element: current, start: start, end: Int32(truncatingIfNeeded: bytes.count)))
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
        mutating func replaced(in ctx: xmlParserCtxtPtr) {
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
            sink?.takeUnretainedValue().entries.append(
                ErrorSink.Entry(level: Int32(XML_ERR_FATAL.rawValue), domain: Int32(XML_FROM_PARSER.rawValue),
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
    }

    /// The record; allocated once per tree, written by the SAX2 callbacks.
    let storage: UnsafeMutablePointer<Storage>

    init() {
        storage = UnsafeMutablePointer<Storage>.allocate(capacity: 1)
        storage.initialize(to: Storage())
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// Empty for the next document.
    func reset() {
        storage.pointee.reset()
    }

    var isEmpty: Bool { storage.pointee.elements.isEmpty }

    /// Set when the replacement text went over libxml2's amplification limit.
    var amplified: Bool { storage.pointee.amplified }

    // MARK: - Reading (the walk)

    @inline(__always)
    func name(_ e: Int32) -> ElementName { storage.pointee.elements[Int(e)].name }

    /// The element's name for messages and column search.
    func displayName(_ e: Int32) -> String {
        e == 0 ? storage.pointee.rootName : storage.pointee.elements[Int(e)].name.text
    }

    @inline(__always)
    func line(_ e: Int32) -> Int { Int(storage.pointee.elements[Int(e)].line) }

    func parent(_ e: Int32) -> Int32? {
        let p = storage.pointee.elements[Int(e)].parent
        return p >= 0 ? p : nil
    }

    /// The element children of `e`, in document order.
    @inline(__always)
    func children(_ e: Int32) -> TreeChildren {
        TreeChildren(storage: storage, cursor: storage.pointee.elements[Int(e)].firstChild)
    }

    /// The first child of `e` named `name`, or nil.
    func firstChild(_ e: Int32, named name: ElementName) -> Int32? {
        for c in children(e) where storage.pointee.elements[Int(c)].name == name { return c }
        return nil
    }

    /// The value's byte range of an attribute without namespace, or nil.
    @inline(__always)
    private func find(_ e: Int32, _ a: AttributeName) -> Attribute? {
        let s = storage
        let el = s.pointee.elements[Int(e)]
        var i = Int(el.attributeStart)
        let end = Int(el.attributeEnd)
        while i < end {
            let at = s.pointee.attributes[i]
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

    /// An attribute's value as `attribute(_:_:)` gives it, one String shared
    /// by every equal value this reader read (`StringInterner`): for values
    /// that repeat across manifests (entity FMRIs, property names, types and
    /// values).
    func internedAttribute(_ e: Int32, _ a: AttributeName) -> String? {
        guard let at = find(e, a) else { return nil }
        if at.start == at.end { return "" }
        let s = storage
        return s.pointee.bytes.withUnsafeBufferPointer { buf in
            s.pointee.interner.string(UnsafeBufferPointer(rebasing: buf[Int(at.start)..<Int(at.end)]))
        }
    }

    /// True when the attribute is present with a value that is not empty
    /// (what `attribute(_:_:)` gives as a String that is not empty).
    func hasNonEmpty(_ e: Int32, _ a: AttributeName) -> Bool {
        guard let at = find(e, a) else { return false }
        return at.start != at.end
    }

    /// True when `attribute(_:_:)` gives a value (perhaps empty).
    func hasValue(_ e: Int32, _ a: AttributeName) -> Bool { find(e, a) != nil }

    /// True when the attribute is there, in any namespace (as `xmlHasProp`).
    func has(_ e: Int32, _ a: AttributeName) -> Bool {
        let s = storage
        let el = s.pointee.elements[Int(e)]
        for i in Int(el.attributeStart)..<Int(el.attributeEnd) where s.pointee.attributes[i].name == a { return true }
        return false
    }

    /// Which of the choices the attribute's value is, compared as bytes:
    /// `.absent`, `.index(i)`, or `.other` (then `attribute(_:_:)` gives the text).
    /// Fixed arguments rather than an array: no allocation per call.
    func match(_ e: Int32, _ a: AttributeName, _ c0: StaticString, _ c1: StaticString,
               _ c2: StaticString? = nil, _ c3: StaticString? = nil) -> Match {
        guard let at = find(e, a) else { return .absent }
        let n = Int(at.end - at.start)
        return storage.pointee.bytes.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress! + Int(at.start)
            @inline(__always) func equal(_ c: StaticString) -> Bool {
                c.utf8CodeUnitCount == n && (n == 0 || memcmp(p, c.utf8Start, n) == 0)
            }
            if equal(c0) { return .index(0) }
            if equal(c1) { return .index(1) }
            if let c2, equal(c2) { return .index(2) }
            if let c3, equal(c3) { return .index(3) }
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
        let s = storage
        var cursor: Int32? = e
        while let c = cursor {
            let el = s.pointee.elements[Int(c)]
            for i in Int(el.attributeStart)..<Int(el.attributeEnd) where s.pointee.attributes[i].name == .xmlLang {
                let at = s.pointee.attributes[i]
                return at.end - at.start == 1 && s.pointee.bytes[Int(at.start)] == 0x43
            }
            cursor = parent(c)
        }
        return nil
    }

    /// The text of the element and its descendants, in document order (as `xmlNodeGetContent`).
    func text(_ e: Int32) -> String {
        let s = storage
        let lo = e, hi = s.pointee.elements[Int(e)].end
        var out: [UInt8] = []
        for t in s.pointee.texts where t.element >= lo && t.element < hi {
            out.append(contentsOf: s.pointee.bytes[Int(t.start)..<Int(t.end)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of the element and its descendants with its runs of blanks
    /// (space, tab, newline, carriage return) made one space and the ends
    /// trimmed, when that text is ASCII with no CR LF pair (where a byte is
    /// a Character, so this is what splitting the String on those blanks and
    /// joining the pieces with a space gives); nil otherwise.
    func collapsedASCIIText(_ e: Int32) -> String? {
        let s = storage
        let lo = e, hi = s.pointee.elements[Int(e)].end
        var out: [UInt8] = []
        var pendingSpace = false
        var previous: UInt8 = 0
        for t in s.pointee.texts where t.element >= lo && t.element < hi {
            for i in Int(t.start)..<Int(t.end) {
                let b = s.pointee.bytes[i]
                if b >= 0x80 || (b == 0x0a && previous == 0x0d) { return nil }
                previous = b
                if b == 0x20 || b == 0x0a || b == 0x09 || b == 0x0d {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20); pendingSpace = false }
                    out.append(b)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func string(_ start: Int32, _ end: Int32) -> String {
        if start == end { return "" }
        return storage.pointee.bytes.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[Int(start)..<Int(end)]), as: UTF8.self)
        }
    }
}

/// A walk along a sibling list (no array).
struct TreeChildren: Sequence, IteratorProtocol {
    let storage: UnsafeMutablePointer<ElementTree.Storage>
    var cursor: Int32

    @inline(__always)
    mutating func next() -> Int32? {
        guard cursor >= 0 else { return nil }
        let c = cursor
        cursor = storage.pointee.elements[Int(c)].nextSibling
        return c
    }
}

// MARK: - The SAX2 handler

/// What a parse's `ctxt->_private` points at (libxml2 hands it on to the
/// contexts that parse entity replacement text): the sink that collects
/// errors and refusals, and the tree the SAX2 callbacks fill (nil for the
/// tree parse of `--dtd` validation). It lives on the stack of the call that
/// parses, for exactly that call.
struct ParseUserData {
    var sink: Unmanaged<ErrorSink>
    var tree: UnsafeMutablePointer<ElementTree.Storage>?

    /// The user data of a context, when it is one of the reader's.
    @inline(__always)
    static func of(_ ctxt: xmlParserCtxtPtr) -> UnsafeMutablePointer<ParseUserData>? {
        ctxt.pointee._private?.assumingMemoryBound(to: ParseUserData.self)
    }

    /// The tree storage reached from a SAX2 callback's context argument.
    @inline(__always)
    static func tree(_ ctx: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, UnsafeMutablePointer<ElementTree.Storage>)? {
        guard let ctx else { return nil }
        let c = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let raw = c.pointee._private, let tree = raw.assumingMemoryBound(to: ParseUserData.self).pointee.tree else {
            return nil
        }
        return (c, tree)
    }
}

extension ElementTree {
    /// Points the context's SAX2 handler (libxml2's defaults, which keep the
    /// DOCTYPE, its entities and attribute defaults on `ctxt->myDoc`) at the
    /// tree of the context's `ParseUserData` for elements and text: no
    /// element or text node is ever built. A context keeps its handler
    /// across `xmlCtxtReset`, so this is done once per context.
    static func install(on ctxt: xmlParserCtxtPtr) {
        guard let sax = ctxt.pointee.sax else { return }
        sax.pointee.startElementNs = { ctx, localname, prefix, uri, _, _, nAttributes, _, attributes in
            guard let localname, let (c, tree) = ParseUserData.tree(ctx) else { return }
            let line = c.pointee.input.map { Int32(clamping: $0.pointee.line) } ?? 0
            if c != tree.pointee.main { tree.pointee.replaced(in: c) }
            tree.pointee.start(localname: localname, prefix: prefix, uri: uri, line: line,
                               count: Int(nAttributes), attributes: attributes)
        }
        sax.pointee.endElementNs = { ctx, _, _, _ in
            guard let (_, tree) = ParseUserData.tree(ctx) else { return }
            tree.pointee.end()
        }
        let characters: charactersSAXFunc = { ctx, p, n in
            guard let p, n > 0, let (c, tree) = ParseUserData.tree(ctx) else { return }
            if c != tree.pointee.main { tree.pointee.replaced(in: c) }
            tree.pointee.characters(p, Int(n))
        }
        sax.pointee.characters = characters
        sax.pointee.ignorableWhitespace = characters
        sax.pointee.cdataBlock = characters
        sax.pointee.comment = nil
        sax.pointee.processingInstruction = nil
        sax.pointee.reference = nil
    }
}
