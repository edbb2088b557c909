import Foundation
import Testing
@testable import SMFKit

/// Issue 11, items 1, 4, 5 and 10: nothing a manifest says can run or forge,
/// in any text the tool writes. Each case goes through the built binary; the
/// svcadm scripts it writes then run under ksh93 and dash in the shell
/// sandbox (Sandbox/ShellSandbox.swift), where svcadm is a recording stub.
@Suite("Injection: hostile names through the whole command", .enabled(if: CLI.binary != nil, CLI.missingMessage),
       .timeLimit(.minutes(10)))
struct InjectionTests {
    static let names = TestPaths.fixture("injection/names.xml")
    static let markdown = TestPaths.fixture("injection/markdown.xml")

    // MARK: - Item 1 and 10: names that may not be written

    @Test("item 1: invalid names and a placeholder are left out of the svcadm script, with diagnostics and exit 1")
    func svcadmLeavesOut() throws {
        let r = try CLI.run(["profile", Self.names, "--want", "app/web", "--format", "svcadm"])
        #expect(r.status == 1, "\(r.stderr)")
        let codes = r.stderr.split(separator: "\n").compactMap { line in
            ["SMF070", "SMF071", "SMF072"].first { line.contains(": error: \($0): ") }
        }
        #expect(codes.sorted() == ["SMF070", "SMF070", "SMF070", "SMF070", "SMF070", "SMF071", "SMF072"], "\(r.stderr)")
        #expect(r.stderr.contains("add --define sVERSION=VALUE"))
        // Every line that is not a comment is one of the commands the tool means.
        let commands = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(commands == ["set -e",
                             "/usr/sbin/svcadm enable svc:/app/web:default    # requested",
                             "/usr/sbin/svcadm disable svc:/app/evil:default",
                             "/usr/sbin/svcadm disable svc:/app/web:ok-2"], "\(r.stdout)")
        #expect(r.stdout.contains("#   SMF070 at \(Self.names):13: svc:/app/web:a\\ntouch /tmp/P\\n# is left out"))
    }

    @Test("item 1: the svcadm script runs under ksh93 and dash: no marker, svcadm gets exactly the intended argv",
          .enabled(if: ShellSandbox.enabled), arguments: ShellSandbox.Shell.allCases)
    func svcadmRuns(shell: ShellSandbox.Shell) throws {
        let r = try CLI.run(["profile", Self.names, "--want", "app/web", "--format", "svcadm"])
        let sb = try ShellSandbox()
        try sb.install("/root/svcadm.sh", content: r.stdout, executable: true)
        let run = try sb.runScript("/root/svcadm.sh", shell: shell)
        #expect(run.status == 0, "\(run) \(sb.msglog)")
        #expect(sb.records().map(\.argv) == [
            ["/usr/sbin/svcadm", "enable", "svc:/app/web:default"],
            ["/usr/sbin/svcadm", "disable", "svc:/app/evil:default"],
            ["/usr/sbin/svcadm", "disable", "svc:/app/web:ok-2"],
        ], "\(sb.records())")
        #expect(!sb.exists("/tmp/P"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: sb.root + "/tmp").isEmpty)
    }

    @Test("item 1: report -o writes the same svcadm.sh, says what it left out, and exits 1")
    func reportLeavesOut() throws {
        let dir = TempDir()
        let out = dir.path + "/r"
        let r = try CLI.run(["report", Self.names, "--want", "app/web", "-o", out, "--color", "never"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("SMF070"))
        let script = try String(contentsOfFile: out + "/svcadm.sh", encoding: .utf8)
        let profile = try CLI.run(["profile", Self.names, "--want", "app/web", "--format", "svcadm"]).stdout
        let commands = { (s: String) in s.split(separator: "\n").filter { !$0.hasPrefix("#") } }
        #expect(commands(script) == commands(profile))
        #expect(script.split(separator: "\n").filter { $0.hasPrefix("#   SMF07") }.count == 7, "\(script)")
    }

    @Test("items 1 and 10: the profile holds no rejected name and no type outside the DTD, and is DTD-valid")
    func profileValid() throws {
        let dir = TempDir()
        let out = dir.path + "/p.xml"
        let r = try CLI.run(["profile", Self.names, "--want", "app/web", "-o", out])
        #expect(r.status == 1, "\(r.stderr)")
        let xml = try String(contentsOfFile: out, encoding: .utf8)
        let body = String(xml[(xml.range(of: "-->")?.upperBound ?? xml.startIndex)...])
        #expect(!body.contains("'evil'"))
        #expect(!body.contains("touch") && !body.contains("uote") && !body.contains("sVERSION") && !body.contains("echo"))
        #expect(body.contains("<service name='app/evil' version='1' type='service'>"))
        #expect(body.contains("<instance name='ok-2' enabled='false'/>"))
        #expect(xml.contains("SMF071 at") && xml.contains("- -define sVERSION=VALUE"))
        guard TestPaths.corporaPresent else { return }
        guard let v = xmllintValidate(out, dtd: TestPaths.dtd) else { return }
        #expect(v.ok, "\(v.output)")
    }

    @Test("item 10: an archive of the repository leaves the same names out and stays DTD-valid")
    func archiveValid() throws {
        let repo = Loader.load(InputSpec(paths: [Self.names]))
        let text = ArchiveWriter.render(repo)
        let body = String(text[(text.range(of: "-->")?.upperBound ?? text.startIndex)...])
        #expect(!body.contains("touch") && !body.contains("uote") && !body.contains("sVERSION") && !body.contains("'evil'"))
        #expect(ArchiveWriter.leftOut(repo).map(\.code.rawValue).sorted()
                == ["SMF070", "SMF070", "SMF070", "SMF070", "SMF070", "SMF071", "SMF072"])
        guard TestPaths.corporaPresent else { return }
        let dir = TempDir()
        let path = dir.write("a.xml", text)
        guard let v = xmllintValidate(path, dtd: TestPaths.dtd) else { return }
        #expect(v.ok, "\(v.output)")
    }

    @Test("a wanted instance whose name holds a placeholder is left out too, and the diagnostic says the request is not met")
    func wantedPlaceholder() throws {
        let r = try CLI.run(["profile", Self.names, "--want", "nginx$(sVERSION)", "--format", "svcadm"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(!r.stdout.split(separator: "\n").contains { !$0.hasPrefix("#") && $0.contains("nginx") }, "\(r.stdout)")
        #expect(r.stderr.contains("SMF071") && r.stderr.contains("it is in the closure, so this artefact does not enable it"), "\(r.stderr)")
    }

    @Test("blank-zone: a wanted instance with an invalid or placeholder name is never launched by inittab or the rc script; the scripts parse, exit 1",
          arguments: ["svc:/site/bad:b;touch /tmp/P", "svc:/site/bad:nginx$(sVERSION)"])
    func blankZoneLeavesOut(fmri: String) throws {
        let dir = TempDir()
        let instance = String(fmri.split(separator: ":").last ?? "")
        let m = dir.write("m.xml", manifest("""
          <service name='site/bad' version='1' type='service'>
            <instance name='\(Escape.xmlAttribute(instance))' enabled='true'>
              <exec_method type='method' name='start' exec='/usr/bin/true' timeout_seconds='60'/>
              <exec_method type='method' name='stop' exec=':kill' timeout_seconds='60'/>
            </instance>
          </service>
        """))
        let out = dir.path + "/out"
        let r = try CLI.run(["blank-zone", m, "--want", fmri, "-o", out])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("SMF070") || r.stderr.contains("SMF071"), "\(r.stderr)")
        for file in ["inittab", "smf-minimize.rc"] {
            let text = (try? String(contentsOfFile: out + "/" + file, encoding: .utf8)) ?? ""
            #expect(!text.isEmpty, "\(file) not written")
            let live = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            #expect(!live.contains { $0.contains("site/bad") || $0.contains("touch") }, "\(file): \(live)")
        }
        for shell in ["ksh93", "dash"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [shell, "-n", out + "/smf-minimize.rc"]
            try p.run(); p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(shell) -n refused the rc script")
        }
    }

    @Test("--define expands the placeholder first: the instance is then written")
    func defineExpands() throws {
        let r = try CLI.run(["profile", Self.names, "--want", "app/web", "--format", "svcadm", "--define", "sVERSION=124"])
        #expect(r.stdout.contains("/usr/sbin/svcadm disable svc:/nginx124:default\n"), "\(r.stdout)")
        #expect(!r.stderr.contains("SMF071"))
    }

    // MARK: - The generated set: every ASCII punctuation character, and more

    /// Instance names built from every ASCII punctuation character and the
    /// classic shell attacks; each is valid (and must be disabled with exactly
    /// its FMRI) or not (and must not appear).
    static let generatedNames: [String] = {
        var out: [String] = []
        for u in 0x21...0x7e {
            let c = Character(Unicode.Scalar(UInt8(u)))
            guard !c.isLetter, !c.isNumber else { continue }
            out += ["a\(c)b", "\(c)a", "a\(c)"]
        }
        out += ["a b", "a\tb", "a\nb", "a\rb", "$(touch /tmp/M)", "`touch /tmp/M`", "a;touch /tmp/M", "a|touch /tmp/M",
                "a&&touch /tmp/M", "a>/tmp/M", "*", "?", "[a]", "~", "~root", "-rf", "--help", "-", "a'b", "a\"b", "a\\",
                "'", "''", "\"", "${IFS}", "$IFS", "{a,b}", "a=b", "%1", "!", "#x", "a#b", "\u{9b}31m", "é", "a\u{301}"]
        return out
    }()

    @Test("generated names (all ASCII punctuation, quotes, $(), backticks, globs, leading -) through the binary and both shells",
          .enabled(if: ShellSandbox.enabled))
    func generated() throws {
        let dir = TempDir()
        var body = "<service name='app/web' type='service' version='1'>\n<instance name='default' enabled='true'/>\n"
        body += "<exec_method type='method' name='start' exec='/bin/true' timeout_seconds='0'/>\n</service>\n"
        body += "<service name='app/gen' type='service' version='1'>\n"
        for n in Self.generatedNames { body += "<instance name='\(Escape.xmlAttribute(n))' enabled='true'/>\n" }
        body += "</service>\n"
        for (k, n) in Self.generatedNames.enumerated() {
            body += "<service name='\(Escape.xmlAttribute("gen\(k)/" + n))' type='service' version='1'><instance name='default' enabled='true'/></service>\n"
        }
        let path = dir.write("gen.xml", manifest(body))
        let r = try CLI.run(["profile", path, "--want", "app/web:default", "--format", "svcadm"])
        #expect(r.status == 1, "\(r.stderr)")
        var expected: [[String]] = [["/usr/sbin/svcadm", "enable", "svc:/app/web:default"]]
        var fmris: [String] = []
        for n in Self.generatedNames where FMRI.isValidComponent(n) { fmris.append("svc:/app/gen:\(n)") }
        for (k, n) in Self.generatedNames.enumerated() where FMRI.isValidServiceName("gen\(k)/" + n) {
            fmris.append("svc:/gen\(k)/\(n):default")
        }
        // The script disables in FMRI order; the loader may drop names XML cannot hold.
        let repo = Loader.load(InputSpec(paths: [path]))
        let present = Set(repo.instances.map(\.fmri))
        expected += fmris.filter(present.contains).sorted().map { ["/usr/sbin/svcadm", "disable", $0] }
        #expect(expected.count > 12, "the generated set should hold valid names too")
        for shell in ShellSandbox.Shell.allCases {
            let sb = try ShellSandbox()
            try sb.install("/root/svcadm.sh", content: r.stdout, executable: true)
            let run = try sb.runScript("/root/svcadm.sh", shell: shell)
            #expect(run.status == 0, "\(shell): \(run) \(sb.msglog)")
            #expect(sb.records().map(\.argv) == expected, "\(shell): \(sb.records())")
            #expect(try FileManager.default.contentsOfDirectory(atPath: sb.root + "/tmp").isEmpty, "\(shell): a marker appeared")
        }
    }

    // MARK: - Item 4: Markdown

    @Test("item 4: a dependency named a\\n```\\n<script>... leaves no bare <script> line, no forged heading, no broken table")
    func markdownStructure() throws {
        let dir = TempDir()
        let out = dir.path + "/r"
        let r = try CLI.run(["report", Self.markdown, "--want", "app/web", "-o", out, "--color", "never"])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        let check = MarkdownStructure(md)
        #expect(check.problems.isEmpty, "\(check.problems)")
        let expected: [String] = [
            "## Summary", "## Verdict", "## Predicted boot", "## What this configuration turns off", "## Ladder of configurations", "## The closure, and why each member is there",
            "## What costs the most", "## Choices, conflicts, cycles and unresolved names", "## Turned off by the trimmed profile",
            "## Artefacts", "## Regenerate",
        ]
        #expect(check.headings.first?.hasPrefix("# ") == true)
        #expect(check.headings.dropFirst().map(String.init) == expected, "\(check.headings)")
        #expect(!md.split(separator: "\n").contains { $0.hasPrefix("<script") || $0.hasPrefix("# Owned") })
        #expect(md.contains("\\<script>alert(1)\\</script>"), "the name is shown, escaped")
        #expect(!md.unicodeScalars.contains { $0.value == 0x9b || ($0.value < 0x20 && $0 != "\n") })
    }

    @Test("every committed report.md reads back with the report's structure")
    func committedReports() throws {
        let dir = TestPaths.packageRoot + "/reports"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(!names.isEmpty)
        for n in names {
            guard let md = try? String(contentsOfFile: "\(dir)/\(n)/report.md", encoding: .utf8) else { continue }
            let check = MarkdownStructure(md)
            #expect(check.problems.isEmpty, "\(n): \(check.problems)")
            #expect(check.headings.filter { $0.hasPrefix("## ") }.count >= 7, "\(n): \(check.headings)")
        }
    }

    @Test("Markdown escaping: code spans sized to their content, cells and items on one line")
    func markdownUnits() {
        #expect(Escape.markdownCode("a`b") == "``a`b``")
        #expect(Escape.markdownCode("`a") == "`` `a ``")
        #expect(Escape.markdownCode("a``b", inTable: true) == "```a``b```")
        #expect(Escape.markdownCode("a|b", inTable: true) == "`a\\|b`")
        #expect(Escape.markdownCode("a\nb") == "`a\\nb`")
        #expect(Escape.markdownText("<script>") == "\\<script>")
        #expect(Escape.markdownText("a|b\n# h") == "a\\|b\\\\n\\# h")
        #expect(Escape.markdownText("exclude_all _x_") == "exclude_all \\_x\\_")
        #expect(Escape.markdownText("- x", atBlockStart: true) == "\\- x")
        #expect(Escape.markdownText("1. x", atBlockStart: true) == "1\\. x")
        #expect(Escape.markdownCodeBlock("a\n```\nb") == "````\na\n```\nb\n````\n")
        #expect(MarkupLine("x \(code: "a`b") y").markdown() == "x ``a`b`` y")
        #expect(MarkupLine("x \(code: "<b>")").html() == "x <code>&lt;b&gt;</code>")
    }

    @Test("what the fuzzer found: a combining mark after ', `, | or - no longer hides it (Unicode scalars, not Characters)")
    func fuzzFindings() {
        // x'\u{301}: Foundation's replacingOccurrences saw no quote; the script ended half-way.
        #expect(shellQuote("x'\u{301}") == "'x'\\''\u{301}'")
        #expect(Escape.markdownCode("`\u{301}a") == "`` `\u{301}a ``")
        #expect(Escape.markdownCode(" \u{362}x") == "`  \u{362}x `")
        #expect(Escape.markdownCode("  ") == "`  `")
        #expect(Escape.markdownCode("|\u{366}", inTable: true) == "`\\|\u{366}`")
        #expect(Escape.markdownText("`\u{301}") == "\\`\u{301}")
        let c = Array(ProfileWriter.comment("a--\u{301}b-").utf8)
        #expect(!zip(c, c.dropFirst()).contains { $0 == 0x2d && $1 == 0x2d }, "\(c)")
        #expect(c.last != 0x2d)
    }

    // MARK: - Item 5: terminal and diagnostics

    @Test("item 5: closure, tree, why, plan, report and lint print no raw C0 or C1 byte",
          arguments: [["closure"], ["tree"], ["why", "--target", "svc:/app/db"], ["plan"], ["report", "--color", "never"],
                      ["dependents", "--target", "app/db"]])
    func terminal(command: [String]) throws {
        let args = [command[0], Self.markdown] + (command[0] == "dependents" ? [] : ["--want", "app/web"]) + command.dropFirst()
        let r = try CLI.run(args)
        for text in [r.stdout, r.stderr] {
            let bad = text.unicodeScalars.filter { Escape.isTerminalControl($0) && $0 != "\n" }
            #expect(bad.isEmpty, "\(command): \(bad.map { String($0.value, radix: 16) })")
        }
        if command[0] == "closure" {
            #expect(r.stdout.contains("svc:/app/db:x\\u{9b}31m\\nfake: error\n"), "\(r.stdout)")
        }
    }

    @Test("item 5: a file named b\\nfake.xml:1:1: error: SMF999: ... cannot forge a lint line")
    func forgedLintLine() throws {
        let dir = TempDir()
        let name = "b\nfake.xml:1:1: error: SMF999: forged\u{9b}2J.xml"
        dir.write(name, "<service_bundle")
        dir.write("good.xml", manifest("<service name='a/b' type='service' version='1'><instance name='default' enabled='true'/></service>"))
        let r = try CLI.run(["lint", dir.path])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stdout)")
        #expect(lines.allSatisfy { $0.hasPrefix(dir.path + "/b\\nfake.xml:1:1: error: SMF999: forged\\u{9b}2J.xml:") }, "\(r.stdout)")
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x9b })
        #expect(!lines.contains { $0.hasPrefix("fake.xml") })
    }

    @Test("Escape.terminal: C0, DEL, C1 and the bidi controls are escapes; other text is untouched")
    func terminalUnits() {
        #expect(Escape.terminal("a\nb\tc\r") == "a\\nb\\tc\\r")
        #expect(Escape.terminal("\u{1b}[2J\u{9b}31m\u{7f}") == "\\u{1b}[2J\\u{9b}31m\\u{7f}")
        #expect(Escape.terminal("\u{202e}abc\u{2066}") == "\\u{202e}abc\\u{2066}")
        #expect(Escape.terminal("svc:/a/b:c é → ✓") == "svc:/a/b:c é → ✓")
        #expect(SourceLocation(file: "a\nb", line: 1, column: 2).description == "a\\nb:1:2")
    }
}

/// A small CommonMark structure check for report.md: fences open and close
/// in pairs, every heading is an ATX heading the report writes, every table
/// row has the header's number of cells, and no line outside a fence starts
/// raw HTML.
struct MarkdownStructure {
    var headings: [Substring] = []
    var problems: [String] = []

    init(_ md: String) {
        var fence: Int? = nil
        var tableCells: Int? = nil
        for (n, line) in md.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let ticks = line.prefix { $0 == "`" }.count
            if let f = fence {
                if ticks >= f && line.dropFirst(ticks).allSatisfy({ $0 == " " }) { fence = nil }
                continue
            }
            if ticks >= 3 {
                fence = ticks
                continue
            }
            if line.hasPrefix("#") { headings.append(line) }
            if line.hasPrefix("<") { problems.append("line \(n + 1) starts raw HTML: \(line)") }
            if line.hasPrefix("|") {
                let cells = Self.cells(line)
                if let c = tableCells, c != cells { problems.append("line \(n + 1) has \(cells) cells, the table \(c)") }
                tableCells = tableCells ?? cells
            } else {
                tableCells = nil
            }
        }
        if fence != nil { problems.append("a fence is never closed") }
    }

    /// Cells of a GFM table row: `|` splits unless escaped with `\`.
    static func cells(_ line: Substring) -> Int {
        var n = 0
        var escaped = false
        for c in line {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true } else if c == "|" { n += 1 }
        }
        return n - 1
    }
}
