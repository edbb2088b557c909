import CLibXML2

/// Per-document state of the reader: the source bytes (for columns) and the
/// diagnostics found so far.
struct DocumentState {
    let path: String
    let bytes: [UInt8]
    var diagnostics: [Diagnostic] = []
    private var lineStarts: [Int]?

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// The start-tag line of a node. Columns are filled in only for
    /// diagnostics, where they are computed from the bytes.
    func location(_ node: xmlNodePtr) -> SourceLocation {
        SourceLocation(file: path, line: Int(xmlGetLineNo(node)), column: 0)
    }

    mutating func diagnose(_ severity: Severity, _ code: DiagnosticCode, _ message: String, node: xmlNodePtr) {
        let line = Int(xmlGetLineNo(node))
        let column = columnOf(element: xmlName(node), line: line)
        diagnostics.append(Diagnostic(severity, code, message, at: SourceLocation(file: path, line: line, column: column)))
    }

    mutating func diagnose(_ severity: Severity, _ code: DiagnosticCode, _ message: String, line: Int, column: Int) {
        diagnostics.append(Diagnostic(severity, code, message, at: SourceLocation(file: path, line: line, column: column)))
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
        for e in sink.entries {
            let severity: Severity = e.level >= Int32(XML_ERR_ERROR.rawValue) ? .error : .warning
            var code: DiagnosticCode = .xmlMalformed
            var message = e.message
            let xmlCode = xmlParserErrors(rawValue: UInt32(bitPattern: e.code))
            switch xmlCode {
            case XML_ERR_DOCUMENT_EMPTY:
                code = .xmlEmpty
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
            var line = e.line
            if line <= 0 { line = 1 }
            var column = e.column
            if column <= 0 {
                column = e.nodeName.map { columnOf(element: $0, line: line) } ?? firstNonBlankColumn(line: line)
            }
            diagnostics.append(Diagnostic(severity, code, message, at: SourceLocation(file: path, line: line, column: column)))
        }
        // Refusals that libxml2 did not report by itself (a DOCTYPE's external subset).
        for url in refused where !seenRefusal.contains(url) {
            seenRefusal.insert(url)
            diagnostics.append(Diagnostic(.warning, .xmlEntityRefused,
                                          "external resource '\(url)' was not loaded: smf-minimize never reads external entities or DTDs named by a document",
                                          at: SourceLocation(file: path, line: 1, column: 1)))
        }
        if sink.dropped > 0 {
            diagnostics.append(Diagnostic(.error, .xmlMalformed,
                                          "\(sink.dropped) further XML errors were not listed",
                                          at: SourceLocation(file: path, line: 1, column: 1)))
        }
    }
}
