import Foundation
import Testing
@testable import SMFKit

/// One rule for exit codes (docs/EXIT-CODES.md), applied by every command:
/// each command runs, through the built binary, on a manifest with an
/// unresolved dependency and on a directory holding a lint error.
@Suite("One exit rule for every command (docs/EXIT-CODES.md)", .enabled(if: CLI.binary != nil, CLI.missingMessage),
       .timeLimit(.minutes(10)))
struct ExitRuleTests {
    /// site/app needs svc:/site/missing:default, which no manifest delivers.
    static func unresolvedFixture(_ dir: TempDir) -> String {
        appFixture(dir, dependingOn: "svc:/site/missing:default")
    }

    /// site/app (app.xml in `dir`) with one require_all dependency on `value`.
    static func appFixture(_ dir: TempDir, dependingOn value: String) -> String {
        dir.write("app.xml", """
        <?xml version="1.0"?>
        <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
        <service_bundle type="manifest" name="app">
          <service name="site/app" type="service" version="1">
            <create_default_instance enabled="true"/>
            <single_instance/>
            <dependency name="gone" grouping="require_all" restart_on="none" type="service">
              <service_fmri value="\(value)"/>
            </dependency>
            <exec_method type="method" name="start" exec="/usr/bin/true" timeout_seconds="60"/>
            <exec_method type="method" name="stop" exec=":kill" timeout_seconds="60"/>
          </service>
        </service_bundle>
        """)
    }

    /// The arguments of each command for a request of `want` in `path`
    /// (`out` is an empty place for artefacts).
    static func arguments(_ command: String, want: String, path: String, out: String) -> [String] {
        switch command {
        case "lint", "inventory", "cycles", "graph", "boot": return [command, path]
        case "graph-want": return ["graph", "--want", want, path]
        case "dependents": return [command, "--target", want, path]
        case "why": return [command, "--want", want, "--target", want, path]
        case "blank-zone": return [command, "--want", want, "-o", out + "/blank-zone", path]
        case "report-o": return ["report", "--want", want, "-o", out + "/report", path]
        case "audit": return [command, "--config", out + "/enable-list", "--want", want, path]
        default: return [command, "--want", want, path]
        }
    }

    /// An unresolved dependency is a finding (1) for every command that
    /// computes a closure or predicts a boot; the commands that only read
    /// the manifests (lint, inventory, cycles, dependents, graph without
    /// --want) find nothing wrong in them (0).
    @Test("unresolved dependency", arguments: [
        ("lint", 0), ("inventory", 0), ("cycles", 0), ("graph", 0), ("dependents", 0),
        ("closure", 1), ("tree", 1), ("why", 1), ("graph-want", 1), ("report", 1), ("report-o", 1),
        ("plan", 1), ("profile", 1), ("blank-zone", 1), ("collect", 1), ("boot", 1), ("audit", 1),
    ])
    func unresolved(_ command: String, _ status: Int32) throws {
        let dir = TempDir()
        let path = Self.unresolvedFixture(dir)
        _ = dir.write("enable-list", "svc:/site/app:default\n")
        let r = try CLI.run(Self.arguments(command, want: "site/app", path: path, out: dir.path))
        #expect(r.status == status, "\(command): \(r.stdout) \(r.stderr)")
    }

    /// A lint error in what was read is a finding (1) for every command but
    /// inventory, which counts findings in its output (docs/EXIT-CODES.md).
    @Test("lint error", arguments: [
        ("lint", 1), ("inventory", 0), ("cycles", 1), ("graph", 1), ("dependents", 1),
        ("closure", 1), ("tree", 1), ("why", 1), ("graph-want", 1), ("report", 1), ("report-o", 1),
        ("plan", 1), ("profile", 1), ("blank-zone", 1), ("collect", 1), ("boot", 1), ("audit", 1),
    ])
    func lintError(_ command: String, _ status: Int32) throws {
        let dir = TempDir()
        let bad = dir.path + "/manifests"
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true)
        for f in ["good.xml", "unknown-grouping.xml"] {
            try FileManager.default.copyItem(atPath: TestPaths.fixture("bad/" + f), toPath: bad + "/" + f)
        }
        _ = dir.write("enable-list", "svc:/site/good:default\n")
        let r = try CLI.run(Self.arguments(command, want: "site/good", path: bad, out: dir.path))
        #expect(r.status == status, "\(command): \(r.stdout) \(r.stderr)")
    }

    /// On a clean input every command exits 0: the findings above are the
    /// fixtures', not the commands'.
    @Test("clean input", arguments: ["lint", "inventory", "cycles", "graph", "dependents", "closure", "tree", "why",
                                     "graph-want", "report", "report-o", "plan", "profile", "blank-zone", "collect", "boot", "audit"])
    func clean(_ command: String) throws {
        let dir = TempDir()
        _ = dir.write("enable-list", "svc:/site/good:default\n")
        let r = try CLI.run(Self.arguments(command, want: "site/good", path: TestPaths.fixture("bad/good.xml"), out: dir.path))
        #expect(r.status == 0, "\(command): \(r.stdout) \(r.stderr)")
    }

    @Test("refusing to overwrite is a finding (1), for profile -o, blank-zone -o and report -o")
    func refusal() throws {
        let dir = TempDir()
        let good = TestPaths.fixture("bad/good.xml")
        let file = dir.write("site.xml", "kept\n")
        for sub in ["blank-zone", "report"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
            _ = dir.write(sub + "/kept", "kept\n")
        }
        for args in [["profile", "--want", "site/good", "-o", file, good],
                     ["blank-zone", "--want", "site/good", "-o", dir.path + "/blank-zone", good],
                     ["report", "--want", "site/good", "-o", dir.path + "/report", good]] {
            let r = try CLI.run(args)
            #expect(r.status == 1, "\(args[0]): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("refus"), "\(args[0]): \(r.stderr)")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "kept\n")
    }

    /// A command stopped early by its own finding (here a refusal to
    /// overwrite) still says 2 when an input could not be read: 2 wins over 1.
    @Test("a refusal with an unreadable input exits 2, for profile -o, blank-zone -o and report -o")
    func refusalWithUnreadableInput() throws {
        let dir = TempDir()
        let good = TestPaths.fixture("bad/good.xml")
        let missing = dir.path + "/no-such-manifest.xml"
        let file = dir.write("site.xml", "kept\n")
        for sub in ["blank-zone", "report"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
            _ = dir.write(sub + "/kept", "kept\n")
        }
        for args in [["profile", "--want", "site/good", "-o", file, good, missing],
                     ["blank-zone", "--want", "site/good", "-o", dir.path + "/blank-zone", good, missing],
                     ["report", "--want", "site/good", "-o", dir.path + "/report", good, missing]] {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args[0]): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("refus"), "\(args[0]): \(r.stderr)")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "kept\n")
    }

    @Test("a usage error found while a subcommand runs prints that subcommand's usage line")
    func subcommandUsage() throws {
        let r = try CLI.run(["plan", "--want", "no/such/thing", TestPaths.fixture("bad/good.xml")])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: --want: 'no/such/thing' matches no service or instance\n"), "\(r.stderr)")
        #expect(r.stderr.contains("\nUsage: smf-minimize plan "), "\(r.stderr)")
        #expect(r.stderr.contains("See 'smf-minimize plan --help'"), "\(r.stderr)")
        #expect(!r.stderr.contains("<subcommand>"), "\(r.stderr)")
    }

    @Test("a misspelt option is unknown, with a suggestion, for closure, tree, why and plan",
          arguments: ["closure", "tree", "why", "plan"])
    func misspelt(_ command: String) throws {
        var args = [command, "--wnat", "site/good"]
        if command == "why" { args += ["--target", "site/good"] }
        let r = try CLI.run(args + [TestPaths.fixture("bad/good.xml")])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: Unknown option '--wnat'. Did you mean '--want'?\n"), "\(r.stderr)")
        #expect(r.stderr.contains("Usage: smf-minimize \(command) "), "\(r.stderr)")
    }
}
