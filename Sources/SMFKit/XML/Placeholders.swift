#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Build-system placeholders left in manifests by templating steps:
/// `@NAME@`, `@@NAME@@`, `$(NAME)`, `${NAME}` and `%%%NAME%%%`.
/// SMF's own method tokens (`%m`, `%i`, `%{pg/prop}`) never match.
public enum Placeholders {
    /// The placeholders in `s`, as written (`@@PREFIX@@`), in order.
    public static func find(in s: String) -> [String] {
        let c = Array(s.unicodeScalars)
        var out: [String] = []
        var i = 0
        func isNameChar(_ u: Unicode.Scalar) -> Bool {
            (u >= "A" && u <= "Z") || (u >= "a" && u <= "z") || (u >= "0" && u <= "9") || u == "_"
        }
        func nameEnd(from j: Int) -> Int {
            var k = j
            while k < c.count, isNameChar(c[k]) { k += 1 }
            return k
        }
        while i < c.count {
            // %%%NAME%%%
            if c[i] == "%", i + 2 < c.count, c[i + 1] == "%", c[i + 2] == "%" {
                let e = nameEnd(from: i + 3)
                if e > i + 3, e + 2 < c.count, c[e] == "%", c[e + 1] == "%", c[e + 2] == "%" {
                    out.append(String(String.UnicodeScalarView(c[i...(e + 2)])))
                    i = e + 3
                    continue
                }
            }
            // @@NAME@@ and @NAME@
            if c[i] == "@" {
                let double = i + 1 < c.count && c[i + 1] == "@"
                let start = i + (double ? 2 : 1)
                let e = nameEnd(from: start)
                if e > start, e < c.count, c[e] == "@" {
                    if double, e + 1 < c.count, c[e + 1] == "@" {
                        out.append(String(String.UnicodeScalarView(c[i...(e + 1)])))
                        i = e + 2
                        continue
                    }
                    if !double {
                        out.append(String(String.UnicodeScalarView(c[i...e])))
                        i = e + 1
                        continue
                    }
                }
            }
            // $(NAME) and ${NAME}
            if c[i] == "$", i + 1 < c.count, c[i + 1] == "(" || c[i + 1] == "{" {
                let close: Unicode.Scalar = c[i + 1] == "(" ? ")" : "}"
                let e = nameEnd(from: i + 2)
                if e > i + 2, e < c.count, c[e] == close {
                    out.append(String(String.UnicodeScalarView(c[i...e])))
                    i = e + 1
                    continue
                }
            }
            i += 1
        }
        return out
    }

    /// The bare name of a placeholder (`@@PREFIX@@` → `PREFIX`).
    public static func name(of placeholder: String) -> String {
        String(placeholder.unicodeScalars.filter { u in
            (u >= "A" && u <= "Z") || (u >= "a" && u <= "z") || (u >= "0" && u <= "9") || u == "_"
        })
    }

    /// Replaces every placeholder whose name is in `defines` by its value.
    public static func substitute(_ s: String, defines: [String: String]) -> String {
        if defines.isEmpty { return s }
        var result = s
        for p in find(in: s) {
            if let v = defines[name(of: p)] { result = result.replacingAll(p, with: v) }
        }
        return result
    }
}

extension Placeholders {
    /// What `substitute(bytes:defines:)` did.
    public enum ByteSubstitution: Sendable, Hashable {
        /// Placeholders were replaced: the new bytes.
        case substituted([UInt8])
        /// No defined placeholder in the file.
        case unchanged
        /// The file is not valid UTF-8 and holds these defined placeholders,
        /// which were left alone (substituting could corrupt the other bytes).
        case notUTF8([String])
    }

    /// Replaces the defined placeholders in a file's bytes, only when the
    /// bytes are valid UTF-8 (the replacement never changes the line count
    /// unless a value holds a newline). With `path`, scoped definitions
    /// (`scopedKey`) apply to the files under their scope.
    public static func substitute(bytes: [UInt8], defines all: [String: String], path: String? = nil) -> ByteSubstitution {
        let defines = path.map { self.defines(for: $0, in: all) } ?? all.filter { !$0.key.contains(":") }
        if defines.isEmpty { return .unchanged }
        // Cheap test first: every placeholder form holds '@', '$' or '%'.
        guard bytes.contains(where: { $0 == 0x40 || $0 == 0x24 || $0 == 0x25 }) else { return .unchanged }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let lossy = String(decoding: bytes, as: UTF8.self)
            var seen = Set<String>()
            let names = find(in: lossy).filter { defines[name(of: $0)] != nil && seen.insert($0).inserted }
            return names.isEmpty ? .unchanged : .notUTF8(names)
        }
        let out = substitute(text, defines: defines)
        return out == text ? .unchanged : .substituted(Array(out.utf8))
    }
}

// MARK: - Definitions for some files only

extension Placeholders {
    /// The key of a definition that applies only to the file `scope` or the
    /// files under the directory `scope` (`--define DIR:NAME=VALUE`): the
    /// normalised scope, `:`, the name. A name never holds `:`, so a key
    /// with one is scoped and the text after its last `:` is the name.
    public static func scopedKey(scope: String, name: String) -> String {
        normalizedPath(scope) + ":" + name
    }

    /// The definitions that apply to the file at `path`: the unscoped ones,
    /// overridden by each scope that holds the file, the deepest last (so a
    /// file's own definition beats its directory's, which beats a global one).
    public static func defines(for path: String, in all: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        var scoped: [(scope: String, name: String, value: String)] = []
        for (key, value) in all {
            if let colon = key.lastIndex(of: ":") {
                scoped.append((String(key[key.startIndex..<colon]), String(key[key.index(after: colon)...]), value))
            } else {
                out[key] = value
            }
        }
        guard !scoped.isEmpty else { return out }
        let file = normalizedPath(path)
        let applying = scoped.filter { file == $0.scope || file.hasPrefix($0.scope == "/" ? "/" : $0.scope + "/") }
        for d in applying.sorted(by: { ($0.scope.count, $0.scope, $0.name) < ($1.scope.count, $1.scope, $1.name) }) {
            out[d.name] = d.value
        }
        return out
    }

    /// An absolute path with `.`, `..` and repeated `/` resolved as text
    /// (no link is followed): the form scopes and file paths are compared in.
    public static func normalizedPath(_ path: String) -> String {
        RootFS.normalise(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
    }
}
