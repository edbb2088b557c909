#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds the sample shipped in `manifests/` (laid out as a zone root):
/// `$SMF_MINIMIZE_SAMPLE`, else beside the executable (or a parent of it),
/// else in the package this library was built from, else in the working
/// directory.
public enum BundledSample {
    public struct Location: Sendable {
        /// The sample's root, read as `--root`.
        public var root: String
    }

    public static func locate() -> Location? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["SMF_MINIMIZE_SAMPLE"] { candidates.append(env) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("manifests").path)
            dir = dir.deletingLastPathComponent()
        }
        // The package root this file was compiled in (Sources/SMFKit/Session/).
        var package = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { package = package.deletingLastPathComponent() }
        candidates.append(package.appendingPathComponent("manifests").path)
        candidates.append(FileManager.default.currentDirectoryPath + "/manifests")
        for c in candidates where FileManager.default.fileExists(atPath: c + "/lib/svc/manifest") {
            return Location(root: c)
        }
        return nil
    }
}
