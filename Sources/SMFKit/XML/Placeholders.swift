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

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[rest.startIndex..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
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
    /// unless a value holds a newline).
    public static func substitute(bytes: [UInt8], defines: [String: String]) -> ByteSubstitution {
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
