#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Paths as a report shows them: the bundled sample as `manifests/`, and
/// anything under the working directory relative to it, so that reports do
/// not depend on where the checkout lives.
public struct DisplayPaths: Sendable {
    public var replacements: [(String, String)] = []

    /// `sampleRoot`: the bundled sample's root when it is the input.
    public init(sampleRoot: String?, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        if let sampleRoot {
            let abs = URL(fileURLWithPath: sampleRoot).standardizedFileURL.path
            replacements.append((abs + "/", "manifests/"))
            replacements.append((abs, "manifests"))
        }
        if workingDirectory != "/" { replacements.append((workingDirectory + "/", "")) }
    }

    public func clean(_ s: String) -> String {
        var out = s
        for (from, to) in replacements { out = out.replacingAll(from, with: to) }
        return out
    }

    /// What the report was made from, in words.
    public func source(usesSample: Bool, root: String?, paths: [String]) -> String {
        if usesSample { return "the bundled sample zone (manifests/)" }
        var parts: [String] = []
        if let root { parts.append("the zone root \(clean(root))") }
        if !paths.isEmpty { parts.append(paths.map(clean).joined(separator: ", ")) }
        return parts.joined(separator: " and ")
    }

    /// The command line that regenerates this report, as typed (`arguments`
    /// without the program's name), with the output directory written `DIR`
    /// (so that the text does not depend on where the report was written)
    /// and without `--force`/`--color`.
    public func commandLine(_ arguments: [String]) -> String {
        var args: [String] = []
        var hadOutput = false
        var it = arguments.makeIterator()
        while let a = it.next() {
            switch a {
            case "-o", "--output":
                _ = it.next()
                hadOutput = true
            case "--force":
                continue
            case "--color":
                _ = it.next()
            default:
                if a.hasPrefix("--output=") { hadOutput = true; continue }
                if a.hasPrefix("--color=") { continue }
                let c = clean(a)
                args.append(c.contains(" ") || c.isEmpty ? "'\(c)'" : c)
            }
        }
        if hadOutput { args += ["-o", "DIR"] }
        return (["smf-minimize"] + args).joined(separator: " ")
    }
}
