import CLibXML2

/// Process-wide libxml2 set-up, done once: `xmlInitParser` and an external
/// entity loader that refuses everything. smf-minimize never loads anything
/// that the user did not name as an input: no network, no `file://`
/// entities, no DTD from a DOCTYPE (a DTD given with `--dtd` is read from its
/// bytes, never through the loader).
enum LibXML {
    /// Swift runs a global's initialiser exactly once, under a lock.
    private static let initialised: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader(refusingEntityLoader)
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }
}

/// The entity loader: refuses every external resource. libxml2 then reports
/// the reference as an error through the structured handler, which the reader
/// turns into an SMF011 diagnostic naming the URL.
private let refusingEntityLoader: xmlExternalEntityLoader = { url, id, ctxt in
    if let ctxt {
        let name = url.map { String(cString: $0) } ?? (id.map { String(cString: $0) } ?? "?")
        // Record the refusal on the reading context so that the diagnostic can name it.
        if let data = ParseUserData.of(ctxt) {
            data.pointee.sink.takeUnretainedValue().refused.append(name)
        }
    }
    return nil
}

/// Collects libxml2's structured errors during one synchronous call.
final class ErrorSink {
    struct Entry {
        var level: Int32
        var domain: Int32
        var code: Int32
        var line: Int
        var column: Int
        var message: String
        var nodeName: String?
        var file: String?
    }

    var entries: [Entry] = []
    var refused: [String] = []
    /// Guards against a flood of errors from one hostile file.
    let limit = 200
    var dropped = 0

    func add(_ error: xmlErrorPtr) {
        if entries.count >= limit {
            dropped += 1
            return
        }
        let e = error.pointee
        var message = e.message.map { String(cString: $0) } ?? "unknown XML error"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        // One diagnostic is one line: libxml2 puts the offending bytes of an
        // encoding error on a second line ("...indicate encoding !\nBytes: 0xFF").
        message = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        var nodeName: String?
        if let node = e.node?.assumingMemoryBound(to: xmlNode.self), node.pointee.type == XML_ELEMENT_NODE,
           let name = node.pointee.name {
            nodeName = String(cString: name)
        }
        entries.append(Entry(level: Int32(e.level.rawValue), domain: e.domain, code: e.code,
                             line: Int(e.line), column: Int(e.int2), message: message,
                             nodeName: nodeName, file: e.file.map { String(cString: $0) }))
    }
}

/// Runs `body` with libxml2's (thread-local) structured error handler pointing
/// at `sink`, and restores the previous handler afterwards. No `await` may
/// happen inside: the handler belongs to the calling thread.
func withErrorSink<T>(_ sink: ErrorSink, _ body: () throws -> T) rethrows -> T {
    let opaque = Unmanaged.passUnretained(sink).toOpaque()
    xmlSetStructuredErrorFunc(opaque) { userData, error in
        guard let userData, let error else { return }
        Unmanaged<ErrorSink>.fromOpaque(userData).takeUnretainedValue().add(error)
    }
    defer { xmlSetStructuredErrorFunc(nil, nil) }
    return try withExtendedLifetime(sink) { try body() }
}
