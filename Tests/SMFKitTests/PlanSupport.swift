import Foundation
import Testing
@testable import SMFKit

/// The plan fixtures: a small zone's manifests, method scripts, and the
/// closures computed by hand (docs/CLOSURE.md) for the requests the
/// tests make.
enum PlanFixtures {
    static let dir = TestPaths.fixture("plan")
    static let manifests = dir + "/manifests"
    static let methods = dir + "/methods"
    static let golden = dir + "/golden"
    static let repo: Repository = Loader.load(InputSpec(paths: [manifests]))
    static let lookup = ScriptLookup.methodsDir(methods)
    static let graph = DependencyGraph(repo)

    static let fsChain = ["svc:/system/filesystem/local:default", "svc:/system/filesystem/minimal:default"]
    static let netChain = ["svc:/network/datalink-management:default", "svc:/network/ip-interface-management:default",
                           "svc:/network/loopback:default", "svc:/network/physical:default"]

    /// W = {site/app:default}: require_all fs → filesystem/local → minimal;
    /// net → physical:default → loopback → ip-interface-management →
    /// datalink-management. O = {system-log:default} (optional_all, enabled).
    static func app(conflicts: [Conflict] = []) -> PlanInput {
        PlanInput(repo: repo, wanted: ["svc:/site/app:default"],
                  closure: ["svc:/site/app:default"] + fsChain + netChain,
                  reasons: [
                      "svc:/system/filesystem/local:default": "required by svc:/site/app:default (require_all group 'fs', dependency at site.xml:7)",
                      "svc:/system/filesystem/minimal:default": "required by svc:/system/filesystem/local:default (require_all group 'minimal', dependency at system.xml:32)",
                      "svc:/network/physical:default": "required by svc:/site/app:default (require_all group 'net' -- restart_on error <&>)",
                      "svc:/network/loopback:default": "required by svc:/network/physical:default (require_all group 'loopback')",
                      "svc:/network/ip-interface-management:default": "required by svc:/network/loopback:default (require_all group 'ipmgmt')",
                      "svc:/network/datalink-management:default": "required by svc:/network/ip-interface-management:default (require_all group 'dl')",
                  ],
                  optionalExtension: ["svc:/system/system-log:default"],
                  requiredFiles: [], conflicts: conflicts, graph: graph)
    }

    /// W = {one instance needing only the file systems}.
    static func fsOnly(_ fmri: String) -> PlanInput {
        PlanInput(repo: repo, wanted: [fmri], closure: [fmri] + fsChain,
                  reasons: ["svc:/system/filesystem/local:default": "required by \(fmri) (require_all group 'fs')",
                            "svc:/system/filesystem/minimal:default": "required by svc:/system/filesystem/local:default (require_all group 'minimal')"],
                  graph: graph)
    }

    /// W = {site/halclient:default}: require_all hal → system/hal:default → filesystem/local → minimal.
    static func halclient() -> PlanInput {
        PlanInput(repo: repo, wanted: ["svc:/site/halclient:default"],
                  closure: ["svc:/site/halclient:default", "svc:/system/hal:default"] + fsChain,
                  reasons: ["svc:/system/hal:default": "required by svc:/site/halclient:default (require_all group 'hal')"], graph: graph)
    }
}

/// Compares `actual` with the golden file byte for byte; UPDATE_GOLDEN=1
/// rewrites it instead.
func expectGolden(_ name: String, _ actual: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let path = PlanFixtures.golden + "/" + name
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(atPath: PlanFixtures.golden, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(actual.utf8))
        return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        Issue.record("golden file \(path) is missing; run the tests with UPDATE_GOLDEN=1 to write it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let i = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        Issue.record("""
            \(name) differs from the golden file at line \(i + 1) (UPDATE_GOLDEN=1 rewrites it):
              expected: \(i < e.count ? String(e[i]) : "<end>")
              actual:   \(i < a.count ? String(a[i]) : "<end>")
            """, sourceLocation: sourceLocation)
    }
}

/// Runs `xmllint --noout --dtdvalid DTD file`; nil when xmllint is absent.
func xmllintValidate(_ file: String, dtd: String) -> (ok: Bool, output: String)? {
    let candidates = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"]
    guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = ["--noout", "--nonet", "--dtdvalid", dtd, file]
    let pipe = Pipe()
    p.standardError = pipe
    p.standardOutput = pipe
    do { try p.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let out = String(decoding: data, as: UTF8.self)
    // xmllint warns that it cannot load the DOCTYPE's system path; only validity matters.
    let errors = out.split(separator: "\n").filter { $0.contains("validity error") || $0.contains("parser error") }
    return (p.terminationStatus == 0 && errors.isEmpty, out)
}

/// init's inittab parser rules (`usr/src/cmd/init/init.c` `getcmd`,
/// usr/src/cmd/init/init.c), as a checker: returns every problem found.
enum InittabChecker {
    static let rstateChars = Set("0123456sSabcqQ")
    static let actions: Set<String> = ["off", "respawn", "ondemand", "once", "wait", "boot", "bootwait",
                                       "powerfail", "powerwait", "initdefault", "sysinit"]
    static let singleUserActions: Set<String> = ["initdefault", "powerfail", "powerwait", "wait"]

    struct Entry { var id: String; var rstate: String; var action: String; var process: String }

    static func parse(_ text: String) -> (entries: [Entry], problems: [String]) {
        var entries: [Entry] = []
        var problems: [String] = []
        var logical: [String] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasSuffix("\\") && !line.hasSuffix("\\\\") {
                line.removeLast()
                pending += line
                continue
            }
            logical.append(pending + line)
            pending = ""
        }
        if !pending.isEmpty { problems.append("the file ends inside a continued line") }
        var ids: Set<String> = []
        for (n, line) in logical.enumerated() {
            let t = line.drop { $0 == " " || $0 == "\t" }
            if t.isEmpty || t.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { problems.append("line \(n + 1): fewer than four fields"); continue }
            let squeeze: (String) -> String = { $0.filter { $0 != " " && $0 != "\t" } }
            let e = Entry(id: squeeze(parts[0]), rstate: squeeze(parts[1]), action: squeeze(parts[2]), process: parts[3])
            if e.id.isEmpty || e.id.utf8.count > 4 { problems.append("line \(n + 1): id '\(e.id)' is not 1 to 4 characters") }
            if !ids.insert(String(e.id.utf8.prefix(4).map { Character(UnicodeScalar($0)) })).inserted {
                problems.append("line \(n + 1): id '\(e.id)' is used twice")
            }
            if !e.rstate.allSatisfy({ rstateChars.contains($0) }) { problems.append("line \(n + 1): bad rstate '\(e.rstate)'") }
            if !e.action.isEmpty && !actions.contains(e.action) { problems.append("line \(n + 1): unknown action '\(e.action)'") }
            if e.rstate.contains(where: { $0 == "s" || $0 == "S" }) && !singleUserActions.contains(e.action) {
                problems.append("line \(n + 1): action '\(e.action)' is not allowed with rstate s/S")
            }
            let len = ("exec " + e.process).utf8.count
            if len > 512 { problems.append("line \(n + 1): 'exec ' + command is \(len) bytes, over 512") }
            if e.id == "smf" {
                if e.process.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("line \(n + 1): empty smf command") }
                if len > 250 { problems.append("line \(n + 1): the smf command is \(len) bytes with 'exec ', over 250") }
            }
            entries.append(e)
        }
        if !entries.contains(where: { $0.id == "smf" }) { problems.append("no smf entry: init would not boot") }
        return (entries, problems)
    }
}
