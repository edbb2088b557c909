import Foundation

/// Graphviz's `dot`, when it is installed: the report's picture.
public enum Graphviz {
    /// Past this many nodes dot's layout takes minutes; the report skips the picture.
    public static let maxNodes = 400
    /// A guard: dot is stopped after this long.
    public static let timeoutSeconds = 120.0

    /// The first `dot` on `$PATH`.
    public static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/dot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `dot -Tsvg` over `dot`, or why there is no picture.
    public static func svg(_ dot: String) -> Result<String, GraphvizError> {
        guard let exe = find() else { return .failure(GraphvizError("Graphviz's dot is not installed (apt-get install graphviz)")) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        do { try p.run() } catch { return .failure(GraphvizError("dot could not be started: \(error)")) }
        // Write and read concurrently so that neither pipe fills up.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(dot.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        if p.terminationReason == .uncaughtSignal {
            return .failure(GraphvizError("dot did not finish within \(Int(timeoutSeconds)) s"))
        }
        guard p.terminationStatus == 0 else { return .failure(GraphvizError("dot failed with status \(p.terminationStatus)")) }
        return .success(String(decoding: data, as: UTF8.self))
    }
}

/// Why `dot` gave no picture, in words for the report.
public struct GraphvizError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
