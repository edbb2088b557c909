#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Graphviz's `dot`, when it is installed: the report's picture.
public enum Graphviz {
    /// A guard: dot is stopped after this long (`PictureMaker` sends it only
    /// drawings it lays out in seconds, and lays the picture out itself when dot fails).
    public static let timeoutSeconds = 60.0

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
        switch Spawn.run(exe, arguments: ["-Tsvg"], input: Array(dot.utf8), timeoutSeconds: timeoutSeconds) {
        case .failure(let f):
            return .failure(GraphvizError("dot could not be started: \(f)"))
        case .success(let run):
            if run.timedOut {
                return .failure(GraphvizError("dot did not finish within \(Int(timeoutSeconds)) s"))
            }
            if let signal = run.signal { return .failure(GraphvizError("dot was stopped by signal \(signal)")) }
            guard let status = run.status, status == 0 else {
                return .failure(GraphvizError("dot failed with status \(run.status ?? -1)"))
            }
            return .success(String(decoding: run.output, as: UTF8.self))
        }
    }
}

/// Why `dot` gave no picture, in words for the report.
public struct GraphvizError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
