import Foundation
import Testing
@testable import SMFKit

/// Fuzzing of the shell and Markdown writers (issue 11, "done when"): random
/// names, biased to shell and Markdown metacharacters, go through
/// `shellQuote` / `shellWord` into a script that `ksh93 -n` and `dash -n`
/// must parse and that the shell sandbox runs under both shells: the svcadm
/// stub must receive exactly each name, in order, and no marker may appear.
/// The same names go through the Markdown escaping, and a small CommonMark
/// reading of each result must give back exactly the text, on one line.
///
/// Modes, by environment:
/// - default: a quick run (a few batches) in the normal suite;
/// - `SMF_FUZZ_QUOTING_SECONDS=N`: the long run, N seconds;
/// - `SMF_FUZZ_QUOTING_WEAK=1`: the long run against the planted, weakened
///   quoting below (test target only), which it must break;
/// - `SMF_FUZZ_SEED=N`: the seed (default fixed, so a run is repeatable);
/// - `SMF_FUZZ_QUOTING_REPORT=FILE`: the figures are appended to FILE.
@Suite("Fuzzing the shell quoting and the Markdown escaping", .timeLimit(.minutes(60)))
struct QuotingFuzzTests {
    static let env = ProcessInfo.processInfo.environment
    static let seconds = Double(env["SMF_FUZZ_QUOTING_SECONDS"] ?? "") ?? 0
    static let weak = env["SMF_FUZZ_QUOTING_WEAK"] == "1"
    static let seed = UInt64(env["SMF_FUZZ_SEED"] ?? "") ?? 0x5EED_11

    @Test("random names through the quoting: ksh93 -n and dash -n parse, both shells pass each name exactly, no marker; Markdown reads back",
          .enabled(if: ShellSandbox.enabled))
    func fuzz() throws {
        let long = Self.seconds > 0
        let quoting: Quoting = Self.weak ? .weak : .real
        var fuzzer = try Fuzzer(seed: Self.seed, quoting: quoting)
        let start = Date()
        if long {
            while Date().timeIntervalSince(start) < Self.seconds {
                try fuzzer.batch()
                if Self.weak && fuzzer.firstFinding != nil && Date().timeIntervalSince(start) > 10 { break }
            }
        } else {
            for _ in 0..<4 { try fuzzer.batch() }
        }
        let figures = fuzzer.figures(seconds: Date().timeIntervalSince(start), mode: long ? "long" : "quick")
        print(figures)
        if let path = Self.env["SMF_FUZZ_QUOTING_REPORT"] {
            let line = figures + "\n"
            if let h = FileHandle(forWritingAtPath: path) {
                h.seekToEndOfFile()
                h.write(Data(line.utf8))
                try? h.close()
            } else {
                FileManager.default.createFile(atPath: path, contents: Data(line.utf8))
            }
        }
        if Self.weak {
            #expect(fuzzer.firstFinding != nil, "the weakened quoting was not broken: \(figures)")
        } else {
            #expect(fuzzer.findings.isEmpty, "\(fuzzer.findings.prefix(10).joined(separator: "\n"))")
            #expect(fuzzer.shellInputs >= 4 * Fuzzer.batchSize)
        }
    }

    @Test("the same fuzzing breaks a planted, weakened quoting (double quotes) and a single-backtick code span quickly",
          .enabled(if: ShellSandbox.enabled))
    func breaksWeak() throws {
        var fuzzer = try Fuzzer(seed: Self.seed, quoting: .weak)
        for _ in 0..<20 where fuzzer.firstShellFinding == nil || fuzzer.firstMarkdownFinding == nil { try fuzzer.batch() }
        #expect(fuzzer.firstShellFinding != nil, "\(fuzzer.figures(seconds: 0, mode: "weak"))")
        #expect(fuzzer.firstMarkdownFinding != nil, "\(fuzzer.figures(seconds: 0, mode: "weak"))")
    }
}

/// Which quoting the fuzzer checks.
enum Quoting {
    /// The project's: `shellQuote`, `shellWord`, `Escape.markdownCode`.
    case real
    /// Planted for the fuzzer to find: double quotes (which leave `$`, `` ` ``
    /// and `\` live), and a code span that is always one backtick.
    case weak

    func shell(_ s: String, _ k: Int) -> String {
        switch self {
        case .real: k % 2 == 0 ? shellQuote(s) : shellWord(s)
        case .weak: "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    func code(_ s: String, inTable: Bool) -> String {
        switch self {
        case .real: Escape.markdownCode(s, inTable: inTable)
        case .weak: "`" + Escape.terminal(s) + "`"
        }
    }
}

struct Fuzzer {
    static let batchSize = 48
    static let markdownPerBatch = 500
    var rng: SplitMix64
    let quoting: Quoting
    let sandbox: ShellSandbox
    let scratch = TempDir()
    var shellInputs = 0
    var markdownInputs = 0
    var batches = 0
    var parseWarnings = 0
    /// One ksh93 and one dash for the `-n` parse check.
    static let parseCheckers: [String] = [["/usr/bin/ksh93", "/bin/ksh93", "/usr/bin/ksh"], ["/usr/bin/dash", "/bin/dash"]]
        .compactMap { $0.first(where: FileManager.default.isExecutableFile(atPath:)) }
    var findings: [String] = []
    var firstShellFinding: (inputs: Int, at: Date, what: String)?
    var firstMarkdownFinding: (inputs: Int, at: Date, what: String)?
    let started = Date()
    var firstFinding: String? { firstShellFinding?.what ?? firstMarkdownFinding?.what }

    init(seed: UInt64, quoting: Quoting) throws {
        rng = SplitMix64(seed: seed)
        self.quoting = quoting
        sandbox = try ShellSandbox()
    }

    // MARK: inputs

    static let shellPieces = ["'", "\"", "\\", "$", "`", "$(", ")", "${", "}", "$'", "'\\''", "'\"'\"'", ";", "&", "&&", "|", "||",
                              "<", ">", ">>", "(", ")", "*", "?", "[", "]", "{", "}", "{a,b}", "~", "#", "!", "=", "%", "^",
                              " ", "\t", "\n", "\r", "-", "--", "-rf", "$IFS", "${IFS}", "$0", "$@", "$*", "$$", "\\n",
                              ">/tmp/M", "touch /tmp/M", "$(touch /tmp/M)", "`touch /tmp/M`", ";touch /tmp/M", "\n/usr/bin/touch /tmp/M\n"]
    static let markdownPieces = ["`", "``", "```", "````", "|", "\\|", "<script>", "</script>", "<", ">", "#", "# ", "*", "**", "_",
                                 "[", "](", "]", "\\", "&lt;", "&#10;", "&amp;", "-", "- ", "+ ", "1. ", "1) ", "> ", "    ", "~~",
                                 "!", "=", "==", "\n", "\n```\n", "\n# Owned\n", " | x | ", "<!--", "-->", "&"]

    mutating func randomScalar() -> Unicode.Scalar {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return Unicode.Scalar(UInt8.random(in: 1...0x1f, using: &rng))          // C0, never NUL
        case 1: return Unicode.Scalar([0x7f, 0x85, 0x9b, 0x9d, 0x80, 0x9f].randomElement(using: &rng)!)!  // DEL, C1
        case 2: return Unicode.Scalar(UInt32.random(in: 0x300...0x36f, using: &rng))!    // combining marks
        case 3: return Unicode.Scalar([0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069, 0xfeff, 0xa0, 0x2010].randomElement(using: &rng)!)!
        case 4: return Unicode.Scalar(UInt32.random(in: 0x1f300...0x1faff, using: &rng))! // astral
        case 5: return Unicode.Scalar(UInt32.random(in: 0xe000...0xf8ff, using: &rng))!   // private use
        default:
            while true {
                let v = UInt32.random(in: 0xa0...0xfffd, using: &rng)
                if let u = Unicode.Scalar(v) { return u }
            }
        }
    }

    /// A random name: pieces of shell and Markdown syntax, printable ASCII,
    /// controls and other Unicode, 0 to about 40 characters.
    mutating func name() -> String {
        var s = ""
        let parts = Int.random(in: 0...12, using: &rng)
        for _ in 0..<parts {
            switch Int.random(in: 0..<20, using: &rng) {
            case 0..<7: s += Self.shellPieces.randomElement(using: &rng)!
            case 7..<11: s += Self.markdownPieces.randomElement(using: &rng)!
            case 11..<16:
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7e, using: &rng)))
                }
            default: s.unicodeScalars.append(randomScalar())
            }
        }
        return s
    }

    // MARK: one batch

    mutating func batch() throws {
        batches += 1
        var words: [String] = []
        for _ in 0..<Self.batchSize { words.append(name()) }
        try shellBatch(words)
        try writerBatch(words)
        for w in words { markdown(w) }
        // The Markdown checks are cheap: many more names for them.
        for _ in 0..<Self.markdownPerBatch { markdown(name()) }
    }

    /// Findings by kind: "parse", "argv", "marker", "markdown".
    var kinds: [String: Int] = [:]
    var firstByKind: [String: Int] = [:]

    mutating func record(_ what: String, shell: Bool, kind: String) {
        kinds[kind, default: 0] += 1
        if firstByKind[kind] == nil { firstByKind[kind] = shell ? shellInputs : markdownInputs }
        findings.append(what)
        if shell, firstShellFinding == nil { firstShellFinding = (shellInputs, Date(), what) }
        if !shell, firstMarkdownFinding == nil { firstMarkdownFinding = (markdownInputs, Date(), what) }
    }

    mutating func shellBatch(_ words: [String]) throws {
        var script = "#!/bin/sh\n"
        for (k, w) in words.enumerated() {
            script += "# \(Escape.terminal(w))\n"
            script += "/usr/sbin/svcadm disable \(quoting.shell(w, k))\n"
        }
        script += "/usr/sbin/svcadm enable END\n"
        shellInputs += words.count
        let file = scratch.write("batch.sh", script)
        // The parse check: ksh93 -n and dash -n read the script without running it.
        for shell in Self.parseCheckers {
            let r = ShellSandbox.hostRun(shell, ["-n", file])
            if r.status != 0 {
                record("\(shell) -n: exit \(r.status) \(r.output.prefix(200)) on batch \(batches)", shell: true, kind: "parse")
            } else if !r.output.isEmpty {
                // ksh93 -n also lints ("quote may be missing" for a quoted
                // newline): counted, not a finding; the run below decides.
                parseWarnings += 1
            }
        }
        let expected = words.map { ["/usr/sbin/svcadm", "disable", $0] } + [["/usr/sbin/svcadm", "enable", "END"]]
        try sandbox.install("/root/batch.sh", content: script, executable: true)
        for shell in ShellSandbox.Shell.allCases {
            sandbox.clearRecords()
            let run = try sandbox.runScript("/root/batch.sh", shell: shell, timeout: 30)
            let got = sandbox.records().map(\.argv)
            // Byte for byte: a shell that changed a name's normalisation would be caught.
            let bytes = { (a: [[String]]) in a.map { $0.map { Array($0.utf8) } } }
            if run.status != 0 || bytes(got) != bytes(expected) {
                let k = zip(bytes(got), bytes(expected)).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, expected.count)
                let input = k < words.count ? words[k] : "(end)"
                record("\(shell): \(run); call \(k): got \(k < got.count ? got[k].debugDescription : "nothing"), input \(input.debugDescription)", shell: true, kind: "argv")
            }
            let tmp = (try? FileManager.default.contentsOfDirectory(atPath: sandbox.root + "/tmp")) ?? []
            if !tmp.isEmpty {
                record("\(shell): marker files appeared: \(tmp)", shell: true, kind: "marker")
                for f in tmp { try? FileManager.default.removeItem(atPath: sandbox.root + "/tmp/" + f) }
            }
        }
    }

    // MARK: the writers themselves

    /// The same names as instance and service names of a repository (built
    /// without XML, so nothing is refused on the way in), through
    /// `ProfileWriter`: the svcadm script must disable exactly the instances
    /// whose names pass `ArtefactNames` and hold no other command, under both
    /// shells; the profile XML, whose comment lists the others, must be
    /// well-formed (xmllint).
    mutating func writerBatch(_ words: [String]) throws {
        var loc = 0
        func at() -> SMFKit.SourceLocation { loc += 1; return SMFKit.SourceLocation(file: "fuzz\n\(loc).xml", line: loc) }
        var web = ServiceDecl(name: "app/web", type: "service", version: "1", location: at())
        web.instances.append(InstanceDecl(name: "default", enabled: true, location: at()))
        var gen = ServiceDecl(name: "app/gen", type: quoting == .real ? "evil'\(words.first ?? "")" : "service", version: "1", location: at())
        var services = [web]
        for (k, w) in words.enumerated() {
            gen.instances.append(InstanceDecl(name: w, enabled: true, location: at()))
            var s = ServiceDecl(name: "fz\(k)/\(w)", type: "service", version: "1", location: at())
            s.instances.append(InstanceDecl(name: "default", enabled: true, location: at()))
            services.append(s)
        }
        // A few valid names, which must be disabled.
        for k in 0..<3 { gen.instances.append(InstanceDecl(name: "ok-\(batches).\(k)", enabled: true, location: at())) }
        services.append(gen)
        var builder = RepositoryBuilder()
        builder.addSource(ReadResult(path: "fuzz.xml", bundle: ServiceBundle(type: .manifest, name: "fuzz", location: at(), services: services), diagnostics: []))
        let repo = builder.build()
        let input = PlanInput(repo: repo, wanted: ["svc:/app/web:default"], closure: ["svc:/app/web:default"])
        let script = try ProfileWriter.svcadmScript(input)
        var expected: [[String]] = [["/usr/sbin/svcadm", "enable", "svc:/app/web:default"]]
        for name in repo.serviceNames {
            for inst in (repo.services[name]?.instances.keys.sorted() ?? [])
            where FMRI.isValidServiceName(name) && FMRI.isValidComponent(inst) && !(name == "app/web" && inst == "default") {
                expected.append(["/usr/sbin/svcadm", "disable", "svc:/\(name):\(inst)"])
            }
        }
        try sandbox.install("/root/svcadm.sh", content: script, executable: true)
        let bytes = { (a: [[String]]) in a.map { $0.map { Array($0.utf8) } } }
        for shell in ShellSandbox.Shell.allCases {
            sandbox.clearRecords()
            let run = try sandbox.runScript("/root/svcadm.sh", shell: shell, timeout: 30)
            let got = sandbox.records().map(\.argv)
            if run.status != 0 || bytes(got) != bytes(expected) {
                record("writer, \(shell): \(run); got \(got.suffix(2)), expected \(expected.suffix(2)); got \(got.count) calls, expected \(expected.count); words \(words.debugDescription.prefix(300))", shell: true, kind: "writer")
            }
        }
        let xml = scratch.write("profile.xml", try ProfileWriter.xml(input))
        if let lint = Self.xmllint {
            let r = ShellSandbox.hostRun(lint, ["--noout", "--nonet", xml])
            if r.status != 0 { record("profile XML not well-formed: \(r.output.prefix(300))", shell: true, kind: "xml") }
        }
    }

    static let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first(where: FileManager.default.isExecutableFile(atPath:))

    // MARK: Markdown

    mutating func markdown(_ s: String) {
        markdownInputs += 1
        let line = Escape.terminal(s)
        for inTable in [false, true] {
            let code = quoting.code(s, inTable: inTable)
            // In a cell, the GitHub table extension reads `\|` as `|` before the span.
            let expected = inTable ? String(String.UnicodeScalarView(line.unicodeScalars.flatMap { $0 == "|" ? ["\\", "|"] : [$0] })) : line
            if let why = Self.checkCodeSpan(code, expected: expected) {
                record("code span \(code.debugDescription) of \(s.debugDescription): \(why)", shell: false, kind: "markdown")
            }
        }
        for start in [false, true] {
            let text = Escape.markdownText(s, atBlockStart: start)
            if let why = Self.checkText(text, expected: line, atBlockStart: start) {
                record("text \(text.debugDescription) of \(s.debugDescription): \(why)", shell: false, kind: "markdown")
            }
        }
        let block = Escape.markdownCodeBlock(s)
        if let why = Self.checkCodeBlock(block, expected: Escape.terminalLines(s)) {
            record("code block \(block.debugDescription) of \(s.debugDescription): \(why)", shell: false, kind: "markdown")
        }
    }

    /// Exact equality: the same Unicode scalars (Swift's `==` on strings
    /// would also accept a canonically equivalent spelling).
    static func same(_ a: String, _ b: String) -> Bool { Array(a.unicodeScalars) == Array(b.unicodeScalars) }

    /// CommonMark 6.1, read code point by code point: a span opens with a
    /// run of N backticks and closes at the next run of exactly N; one blank
    /// is stripped from each side when both are blanks and the content is not
    /// all blanks.
    static func checkCodeSpan(_ span: String, expected: String) -> String? {
        let c = Array(span.unicodeScalars)
        if c.contains("\n") || c.contains("\r") { return "holds a line break" }
        let n = c.prefix { $0 == "`" }.count
        guard n > 0 else { return "does not start with a backtick" }
        var i = n
        while i < c.count {
            if c[i] == "`" {
                var j = i
                while j < c.count, c[j] == "`" { j += 1 }
                if j - i == n {
                    if j != c.count { return "closes at \(i), before its end" }
                    var content = Array(c[n..<i])
                    if content.first == " " && content.last == " " && content.count >= 2 && !content.allSatisfy({ $0 == " " }) {
                        content = Array(content.dropFirst().dropLast())
                    }
                    let text = String(String.UnicodeScalarView(content))
                    if expected.isEmpty { return text == " " ? nil : "empty content \(text.debugDescription)" }
                    return same(text, expected) ? nil : "reads as \(text.debugDescription)"
                }
                i = j
            } else {
                i += 1
            }
        }
        return "never closes"
    }

    /// Plain text: every markup character is escaped, and reading the
    /// escapes gives back `expected` (code point by code point).
    static func checkText(_ text: String, expected: String, atBlockStart: Bool) -> String? {
        let c = Array(text.unicodeScalars)
        if c.contains("\n") || c.contains("\r") { return "holds a line break" }
        var out = String.UnicodeScalarView()
        var i = 0
        let blank = Array("&#32;".unicodeScalars)
        func isASCIIPunctuation(_ u: Unicode.Scalar) -> Bool {
            (0x21...0x2f).contains(u.value) || (0x3a...0x40).contains(u.value) || (0x5b...0x60).contains(u.value) || (0x7b...0x7e).contains(u.value)
        }
        func isASCIIAlnum(_ u: Unicode.Scalar) -> Bool { u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u)) }
        if atBlockStart {
            while i + 5 <= c.count, Array(c[i..<(i + 5)]) == blank {
                out.append(" ")
                i += 5
            }
            if i < c.count, c[i] == " " || c[i] == "\t" { return "starts with a raw blank" }
            if i < c.count, "-+=>".unicodeScalars.contains(c[i]) { return "starts a block with \(c[i])" }
            var j = i
            while j < c.count, ("0"..."9").contains(c[j]) { j += 1 }
            if j > i, j < c.count, c[j] == "." || c[j] == ")" { return "starts an ordered list" }
        }
        while i < c.count {
            let ch = c[i]
            // CommonMark 2.4: a backslash before ASCII punctuation escapes it.
            if ch == "\\", i + 1 < c.count, isASCIIPunctuation(c[i + 1]) {
                out.append(c[i + 1])
                i += 2
                continue
            }
            if "`*[]<|&~#\\".unicodeScalars.contains(ch) { return "unescaped \(ch) at \(i)" }
            if ch == "_" {
                let before = i > 0 && isASCIIAlnum(c[i - 1])
                let after = i + 1 < c.count && isASCIIAlnum(c[i + 1])
                if !(before && after) { return "unescaped _ at \(i) outside a word" }
            }
            out.append(ch)
            i += 1
        }
        let read = String(out)
        return same(read, expected) ? nil : "reads as \(read.debugDescription)"
    }

    /// A fenced block: the first and last lines are the fence, no line in
    /// between could close it (CommonMark 4.5), and the lines are `expected`.
    static func checkCodeBlock(_ block: String, expected: String) -> String? {
        var lines = block.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
        guard lines.last == "" else { return "does not end with a newline" }
        lines.removeLast()
        guard lines.count >= 2, let fence = lines.first, same(fence, lines.last ?? ""),
              fence.unicodeScalars.count >= 3, fence.unicodeScalars.allSatisfy({ $0 == "`" }) else { return "no fence around it" }
        let inner = lines.dropFirst().dropLast()
        for l in inner {
            let u = Array(l.unicodeScalars)
            let indent = u.prefix { $0 == " " }.count
            let ticks = u.dropFirst(indent).prefix { $0 == "`" }.count
            if indent <= 3, ticks >= fence.unicodeScalars.count,
               u.dropFirst(indent + ticks).allSatisfy({ $0 == " " || $0 == "\t" }) {
                return "the line \(l.debugDescription) closes the fence"
            }
            if u.contains(where: { Escape.isTerminalControl($0) }) { return "a control character inside" }
        }
        return same(inner.joined(separator: "\n"), expected) ? nil : "the lines differ"
    }

    func figures(seconds: Double, mode: String) -> String {
        var s = "quoting fuzz (\(mode), \(quoting == .real ? "real" : "weakened") quoting): \(shellInputs) names through the shell "
        s += "(\(batches) batches, ksh93 -n + dash -n + ksh93 and dash in the sandbox), \(markdownInputs) through the Markdown checks, "
        s += String(format: "%.0f s, %d findings, %d batches with ksh93 -n lint warnings", seconds, findings.count, parseWarnings)
        if !kinds.isEmpty {
            s += " (" + kinds.keys.sorted().map { "\($0): \(kinds[$0] ?? 0), first after \(firstByKind[$0] ?? 0) names" }.joined(separator: "; ") + ")"
        }
        if let f = firstShellFinding {
            s += String(format: "; shell broken after %d names, %.1f s: %@", f.inputs, f.at.timeIntervalSince(started), String(f.what.prefix(160)))
        }
        if let f = firstMarkdownFinding {
            s += String(format: "; Markdown broken after %d names, %.1f s: %@", f.inputs, f.at.timeIntervalSince(started), String(f.what.prefix(160)))
        }
        return s
    }
}
