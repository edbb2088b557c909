import CLibXML2

/// Per-document state of the reader: the source bytes (for columns) and the
/// diagnostics found so far.
struct DocumentState {
    let path: String
    /// `path`'s number in `SourceFiles`, looked up once per document.
    let fileNumber: UInt32
    let bytes: [UInt8]
    /// The elements the SAX2 reader recorded.
    let tree: ElementTree
    var diagnostics: [Diagnostic] = []
    /// How many `service_fmri` values of dependencies and dependents the
    /// reader found not to be FMRIs (`FMRI.shape(of:)` nil).
    var refusedValues = 0
    private var lineStarts: [Int]?

    init(path: String, bytes: [UInt8], tree: ElementTree) {
        self.path = path
        self.fileNumber = SourceFiles.shared.number(path)
        self.bytes = bytes
        self.tree = tree
    }

    /// The start-tag line of a node. Columns are filled in only for
    /// diagnostics, where they are computed from the bytes.
    func location(_ node: Int32) -> SourceLocation {
        SourceLocation(fileNumber: fileNumber, line: tree.line(node), column: 0)
    }

    mutating func diagnose(_ severity: Severity, _ code: DiagnosticCode, _ message: String, node: Int32) {
        let line = tree.line(node)
        let column = columnOf(element: tree.displayName(node), line: line)
        diagnostics.append(Diagnostic(severity, code, message, at: SourceLocation(fileNumber: fileNumber, line: line, column: column)))
    }

    mutating func diagnose(_ severity: Severity, _ code: DiagnosticCode, _ message: String, line: Int, column: Int) {
        diagnostics.append(Diagnostic(severity, code, message, at: SourceLocation(fileNumber: fileNumber, line: line, column: column)))
    }

    mutating func diagnose(_ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation) {
        var loc = location
        if loc.column == 0 { loc.column = max(1, firstNonBlankColumn(line: loc.line)) }
        diagnostics.append(Diagnostic(severity, code, message, at: loc))
    }

    // MARK: - Lines and columns

    private mutating func starts() -> [Int] {
        if let lineStarts { return lineStarts }
        var s = [0]
        for (i, b) in bytes.enumerated() where b == 0x0a { s.append(i + 1) }
        lineStarts = s
        return s
    }

    /// The byte range of a 1-based line.
    private mutating func range(ofLine line: Int) -> Range<Int>? {
        let s = starts()
        guard line >= 1, line <= s.count else { return nil }
        let start = s[line - 1]
        let end = line < s.count ? s[line] - 1 : bytes.count
        return start..<max(start, end)
    }

    /// The 1-based column of `<name` on `line`, else of the first non-blank
    /// character, else 1.
    mutating func columnOf(element name: String, line: Int) -> Int {
        guard let r = range(ofLine: line) else { return 1 }
        let needle = Array("<\(name)".utf8)
        if !needle.isEmpty, r.count >= needle.count {
            var i = r.lowerBound
            while i + needle.count <= r.upperBound {
                if bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
                    return i - r.lowerBound + 1
                }
                i += 1
            }
        }
        return firstNonBlankColumn(line: line)
    }

    mutating func firstNonBlankColumn(line: Int) -> Int {
        guard let r = range(ofLine: line) else { return 1 }
        for i in r where bytes[i] != 0x20 && bytes[i] != 0x09 { return i - r.lowerBound + 1 }
        return 1
    }

    /// The 1-based line and column of a byte offset.
    mutating func lineColumn(ofOffset i: Int) -> (Int, Int) {
        let s = starts()
        var lo = 0, hi = s.count - 1
        while lo < hi {  // the last line start at or before i
            let mid = (lo + hi + 1) / 2
            if s[mid] <= i { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, i - s[lo] + 1)
    }

    /// The 1-based line and column of the first occurrence of `text` in the
    /// document (the system id of a refused entity, as written), or nil.
    mutating func position(of text: String) -> (Int, Int)? {
        let needle = Array(text.utf8)
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                return lineColumn(ofOffset: i)
            }
            i += 1
        }
        return nil
    }

    /// The line and column of the first general entity reference after the
    /// internal subset (not `&amp;` and the like, nor a character reference).
    mutating func firstEntityReference() -> (Int, Int)? {
        var start = 0
        var k = 0
        while k + 1 < bytes.count {
            if bytes[k] == 0x5d && bytes[k + 1] == 0x3e {  // ]>
                start = k + 2
                break
            }
            k += 1
        }
        let predefined: Set<String> = ["amp", "lt", "gt", "quot", "apos"]
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x26 {  // &
                var j = i + 1
                while j < bytes.count, j - i < 256, bytes[j] != 0x3b, bytes[j] != 0x26, bytes[j] > 0x20 { j += 1 }
                if j < bytes.count, bytes[j] == 0x3b, j > i + 1, bytes[i + 1] != 0x23 {  // not &#
                    let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                    if !predefined.contains(name) {
                        return lineColumn(ofOffset: i)
                    }
                }
            }
            i += 1
        }
        return nil
    }

    /// The first line that starts (after blanks) with `prefix`.
    mutating func lineOf(prefix: String) -> Int? {
        let needle = Array(prefix.utf8)
        let s = starts()
        for (n, start) in s.enumerated() {
            var i = start
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            if i + needle.count <= bytes.count, Array(bytes[i..<(i + needle.count)]) == needle { return n + 1 }
        }
        return nil
    }

    // MARK: - libxml2's own errors

    /// Turns the collected libxml2 errors into diagnostics with stable codes.
    mutating func absorb(_ sink: ErrorSink) {
        var refused = sink.refused
        var seenRefusal = Set<String>()
        // Without XML_PARSE_RECOVER the first fatal error rejects the document;
        // what libxml2 reports after it is a cascade of the same problem
        // ("attributes construct error" after "invalid character in attribute
        // value"), so only the first is a diagnostic and the rest are counted in it.
        let fatal = Int32(XML_ERR_FATAL.rawValue)
        let firstFatal = sink.entries.firstIndex { $0.level >= fatal }
        let cascade = firstFatal.map { f in sink.entries[(f + 1)...].filter { $0.level >= fatal }.count } ?? 0
        for (index, e) in sink.entries.enumerated() {
            if let firstFatal, index > firstFatal, e.level >= fatal { continue }
            let severity: Severity = e.level >= Int32(XML_ERR_ERROR.rawValue) ? .error : .warning
            var code: DiagnosticCode = .xmlMalformed
            var message = e.message
            let xmlCode = xmlParserErrors(rawValue: UInt32(bitPattern: e.code))
            switch xmlCode {
            case XML_ERR_DOCUMENT_EMPTY:
                // libxml2 uses this code for "Start tag expected, '<' not found"
                // too: binary garbage is malformed, not empty.
                code = message.hasPrefix("Document is empty") ? .xmlEmpty : .xmlMalformed
            case XML_ERR_INVALID_CHAR, XML_ERR_INVALID_ENCODING, XML_ERR_UNKNOWN_ENCODING,
                 XML_ERR_UNSUPPORTED_ENCODING, XML_ERR_INVALID_CHARREF:
                code = .xmlEncoding
            case XML_ERR_ENTITY_LOOP:
                code = .xmlAmplification
            case XML_IO_LOAD_ERROR, XML_ERR_EXT_ENTITY_STANDALONE, XML_ERR_ENTITY_PROCESSING,
                 XML_WAR_UNDECLARED_ENTITY, XML_ERR_UNDECLARED_ENTITY, XML_IO_NETWORK_ATTEMPT,
                 XML_ERR_ENTITY_IS_EXTERNAL, XML_ERR_UNPARSED_ENTITY:
                code = .xmlEntityRefused
            default:
                break
            }
            if e.domain == Int32(XML_FROM_VALID.rawValue) { code = .dtdInvalid }
            if message.contains("not proper UTF-8") || message.contains("encoding") { code = .xmlEncoding }
            if message.contains("amplification") || message.contains("entity reference loop") || message.contains("Excessive depth") || message.contains("Maximum entity") {
                code = .xmlAmplification
            }
            if code == .xmlEntityRefused || message.contains("failed to load external entity") {
                code = .xmlEntityRefused
                if let url = refused.first, !seenRefusal.contains(url) {
                    message = "external resource '\(url)' was not loaded: smf-minimize never reads external entities or DTDs named by a document (\(message))"
                    seenRefusal.insert(url)
                    refused.removeFirst()
                }
            }
            if severity == .warning && code == .xmlEntityRefused && message.hasPrefix("failed to load external entity") {
                // The same refusal is reported once, as the error that follows.
                continue
            }
            if index == firstFatal && cascade > 0 {
                message += " (libxml2 reported \(cascade) further error\(cascade == 1 ? "" : "s") after this one)"
            }
            var line = e.line
            var column = e.column
            if e.file != path, index == firstFatal, let (l, c) = firstEntityReference() {
                // The error was found inside an entity's replacement text, whose
                // line 1 is not the document's: point at the reference instead.
                line = l
                column = c
            }
            if line <= 0 { line = 1 }
            if column <= 0 {
                column = e.nodeName.map { columnOf(element: $0, line: line) } ?? firstNonBlankColumn(line: line)
            }
            diagnostics.append(Diagnostic(severity, code, message, at: SourceLocation(fileNumber: fileNumber, line: line, column: column)))
        }
        // Refusals that libxml2 did not report by itself (a DOCTYPE's external subset).
        for url in refused where !seenRefusal.contains(url) {
            seenRefusal.insert(url)
            let (line, column) = position(of: url) ?? (1, 1)
            diagnostics.append(Diagnostic(.warning, .xmlEntityRefused,
                                          "external resource '\(url)' was not loaded: smf-minimize never reads external entities or DTDs named by a document",
                                          at: SourceLocation(fileNumber: fileNumber, line: line, column: column)))
        }
        if sink.dropped > 0 {
            diagnostics.append(Diagnostic(.error, .xmlMalformed,
                                          "\(sink.dropped) further XML errors were not listed",
                                          at: SourceLocation(fileNumber: fileNumber, line: 1, column: 1)))
        }
    }
}
