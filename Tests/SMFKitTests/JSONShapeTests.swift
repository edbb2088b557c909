import Foundation
import Testing

/// Every command's `--format json` against the shape docs/JSON.md documents,
/// through the built binary on the bundled sample (no PATH: the sample is read).
@Suite("JSON output: versioned, and the shape docs/JSON.md documents", .enabled(if: CLI.binary != nil, CLI.missingMessage),
       .timeLimit(.minutes(10)))
struct JSONShapeTests {
    /// A documented type: `T?` in docs/JSON.md is `nullable`.
    enum Kind: CustomStringConvertible, Sendable {
        case string, int, bool, array, object
        indirect case nullable(Kind)

        var description: String {
            switch self {
            case .string: "string"
            case .int: "int"
            case .bool: "bool"
            case .array: "array"
            case .object: "object"
            case .nullable(let k): "\(k)?"
            }
        }

        func matches(_ v: Any) -> Bool {
            switch self {
            case .nullable(let k): return v is NSNull || k.matches(v)
            case .string: return v is String
            case .array: return v is [Any]
            case .object: return v is [String: Any]
            case .bool, .int:
                // JSONSerialization gives NSNumber for both: tell them apart by the C type it holds
                // ("c" for true/false, "d" for a number with a fraction or exponent).
                guard let n = v as? NSNumber else { return false }
                let type = String(cString: n.objCType)
                if case .bool = self { return type == "c" }
                return !["c", "d", "f"].contains(type)
            }
        }
    }

    typealias Shape = [(String, Kind)]

    static let edge: Shape = [("from", .string), ("to", .string), ("entity", .string), ("group", .string), ("grouping", .string),
                              ("restart_on", .string), ("origin", .string), ("declarer", .nullable(.string)),
                              ("file", .string), ("line", .int)]
    static let diagnostic: Shape = [("file", .string), ("line", .int), ("column", .int), ("severity", .string),
                                    ("code", .string), ("message", .string)]

    /// The table of docs/JSON.md, "The commands": arguments, then required top-level fields.
    static let commands: [(String, [String], Shape)] = [
        ("inventory", ["inventory"],
         [("counts", .object), ("layers", .array), ("baseline", .array), ("services", .array), ("files", .array), ("diagnostics", .object)]),
        ("lint", ["lint"], [("diagnostics", .array)]),
        ("closure", ["closure", "--want", "cron"],
         [("closure", .array), ("choices", .array), ("unresolved", .array), ("invalid", .array), ("files", .array),
          ("conflicts", .array), ("requested", .array), ("resolvedRequests", .array), ("resolutions", .array)]),
        ("why", ["why", "--want", "cron", "--target", "system/filesystem/local"],
         [("target", .string), ("status", .string), ("inClosure", .bool), ("requested", .array), ("chain", .array),
          ("leavesClosureAt", .nullable(.int)), ("directEdges", .array)]),
        ("dependents", ["dependents", "--target", "system/filesystem/local"], [("target", .string), ("dependents", .array)]),
        ("tree", ["tree", "--want", "cron"], [("nodes", .array)]),
        ("cycles", ["cycles"], [("cycles", .array), ("edges", .array)]),
        ("plan", ["plan", "--want", "cron"],
         [("wanted", .array), ("ipType", .string), ("verdict", .string), ("rule", .string), ("reasons", .array), ("risks", .array),
          ("methods", .array), ("closure", .array), ("setup", .array), ("blocked", .array), ("requiredFiles", .array),
          ("conflicts", .array), ("legacy", .object), ("giveUp", .array), ("ladder", .array), ("proof", .object)]),
        ("profile", ["profile", "--want", "cron"], [("wanted", .array), ("enable", .array), ("disable", .array), ("leftOut", .array)]),
        ("report", ["report", "--want", "cron"],
         [("title", .string), ("source", .string), ("requests", .array), ("wanted", .array), ("ipType", .string), ("baseline", .array),
          ("closure", .array), ("trimmed", .array), ("bloatRatio", .string), ("costliest", .array), ("costliestEdges", .array),
          ("longestChain", .array), ("choices", .array), ("unresolved", .array), ("requiredFiles", .array), ("conflicts", .array),
          ("cycles", .array), ("blocked", .array), ("verdict", .string), ("reasons", .array), ("risks", .array), ("ladder", .array),
          ("artefacts", .array), ("proofs", .array)]),
        ("graph", ["graph", "--want", "cron"], [("title", .string), ("nodes", .array), ("edges", .array)]),
        ("graph (whole repository)", ["graph"], [("title", .string), ("nodes", .array), ("edges", .array)]),
        ("blank-zone", ["blank-zone", "--want", "cron"],
         [("output", .string), ("verdict", .string), ("launch", .string), ("written", .array), ("artefacts", .array), ("findings", .array), ("proof", .object)]),
        ("boot", ["boot"],
         [("summary", .object), ("allEnabledOnline", .bool), ("states", .array), ("absent", .array), ("files", .object),
          ("exclusionLoop", .array), ("explanations", .array)]),
        ("audit", ["audit", "--config", TestPaths.fixture("boot/sample-brand-manifests.txt"), "--want", "cron"],
         [("kind", .string), ("notes", .array), ("diagnostics", .array), ("wanted", .array), ("closureSize", .int), ("bloat", .object),
          ("breakage", .array), ("differences", .array), ("boot", .object)]),
        ("collect", ["collect", "--want", "cron"],
         [("zoneRoot", .nullable(.string)), ("zone", .nullable(.string)), ("archive", .string), ("paths", .array),
          ("programs", .array), ("scriptPrograms", .array), ("script", .string)]),
    ]

    /// Element shapes of docs/JSON.md's sub-tables: command, array field, element fields.
    static let elements: [(String, String, Shape)] = [
        ("why", "chain", edge),
        ("lint", "diagnostics", diagnostic),
        ("plan", "closure", [("fmri", .string), ("role", .string), ("note", .string), ("source", .nullable(.string)),
                             ("reason", .string), ("why", .nullable(.object))]),
        ("report", "closure", [("instance", .string), ("role", .string), ("roleNote", .string), ("reason", .string),
                               ("why", .nullable(.object)), ("depth", .int), ("enabledInBaseline", .bool)]),
        ("graph", "nodes", [("id", .string), ("label", .string), ("role", .string), ("colour", .string), ("tooltip", .string)]),
        ("graph", "edges", [("from", .string), ("to", .string), ("grouping", .string), ("group", .string), ("origin", .string),
                            ("declarer", .nullable(.string)), ("viaDependent", .bool), ("file", .nullable(.string)),
                            ("line", .nullable(.int))]),
        ("blank-zone", "artefacts", [("name", .string), ("content", .string), ("executable", .bool)]),
    ]

    /// Runs a command with `--format json` (blank-zone into a fresh directory) and parses its output.
    static func document(_ arguments: [String]) throws -> (CLI.Run, [String: Any]?) {
        let dir = TempDir()
        var args = arguments + ["--format", "json"]
        if arguments.first == "blank-zone" { args += ["-o", dir.path + "/out"] }
        let r = try CLI.run(args)
        let object = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r, object)
    }

    static func check(_ object: [String: Any], _ shape: Shape, _ what: String) {
        for (field, kind) in shape {
            guard let value = object[field] else {
                Issue.record("\(what): required field '\(field)' is missing")
                continue
            }
            #expect(kind.matches(value), "\(what): '\(field)' should be \(kind), is \(type(of: value)): \(value)")
        }
    }

    @Test("each command's JSON parses, starts with schemaVersion 1 and has every documented field with its type",
          arguments: commands.map { ($0.0, $0.1) })
    func shape(name: String, arguments: [String]) throws {
        let (r, object) = try Self.document(arguments)
        #expect(r.status == 0 || r.status == 1, "\(name): exit \(r.status): \(r.stderr)")
        guard let object else {
            Issue.record("\(name): stdout is not a JSON object: \(r.stdout.prefix(300)) \(r.stderr)")
            return
        }
        #expect(r.stdout.hasPrefix("{\n  \"schemaVersion\": 1,\n"), "\(name): schemaVersion is not the first member")
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(Kind.int.matches(object["schemaVersion"] as Any))
        let shape = Self.commands.first { $0.0 == name }?.2 ?? []
        #expect(!shape.isEmpty)
        Self.check(object, shape, name)
    }

    @Test("the documented element shapes: edges, diagnostics, closure members, graph nodes and edges, blank-zone files",
          arguments: elements.map { ($0.0, $0.1) })
    func elementShape(command: String, field: String) throws {
        guard let args = Self.commands.first(where: { $0.0 == command })?.1,
              let shape = Self.elements.first(where: { $0.0 == command && $0.1 == field })?.2 else {
            Issue.record("no command \(command) in the table")
            return
        }
        let (r, object) = try Self.document(args)
        let items = object?[field] as? [[String: Any]] ?? []
        #expect(!items.isEmpty, "\(command).\(field) is empty on the sample: the shape would not be checked. \(r.stderr)")
        for (i, item) in items.enumerated() { Self.check(item, shape, "\(command).\(field)[\(i)]") }
    }

    @Test("the why of a closure member is the edge that brought it in; a wanted instance has none")
    func memberWhy() throws {
        for command in ["plan", "report"] {
            let (_, object) = try Self.document([command, "--want", "cron"])
            let members = object?["closure"] as? [[String: Any]] ?? []
            let key = command == "plan" ? "fmri" : "instance"
            let names = Set(members.compactMap { $0[key] as? String })
            #expect(names.contains("svc:/system/cron:default"))
            for m in members {
                let name = m[key] as? String ?? ""
                if name == "svc:/system/cron:default" {
                    #expect(m["why"] is NSNull, "\(command): the wanted instance has a why edge")
                    #expect(m["reason"] as? String == "requested")
                } else {
                    let edge = m["why"] as? [String: Any]
                    #expect(edge?["to"] as? String == name, "\(command): \(name)'s why edge does not end at it: \(String(describing: edge))")
                    #expect(names.contains(edge?["from"] as? String ?? ""), "\(command): \(name)'s why edge does not start in the closure")
                    if let edge { Self.check(edge, Self.edge, "\(command) \(name).why") }
                }
            }
        }
    }

    @Test("why --format json: the chain is edge objects from the wanted instance to the target, each from where the last ended")
    func whyChain() throws {
        let (r, object) = try Self.document(["why", "--want", "cron", "--target", "system/filesystem/local"])
        #expect(r.status == 0)
        let chain = object?["chain"] as? [[String: Any]] ?? []
        #expect(chain.first?["from"] as? String == "svc:/system/cron:default")
        #expect(chain.last?["to"] as? String == "svc:/system/filesystem/local:default")
        for (a, b) in zip(chain, chain.dropFirst()) { #expect(a["to"] as? String == b["from"] as? String) }
        // The text output is not JSON and is unchanged by --format.
        let text = try CLI.run(["why", "--want", "cron", "--target", "system/filesystem/local"])
        #expect(text.stdout.hasPrefix("svc:/system/filesystem/local:default is in the closure of svc:/system/cron:default"))
    }

    @Test("graph --format json holds the nodes and edges of the DOT text; blank-zone --format json still writes the files it lists")
    func graphAndBlankZone() throws {
        let (_, graph) = try Self.document(["graph", "--want", "cron", "--no-legend"])
        let dot = try CLI.run(["graph", "--want", "cron", "--no-legend"]).stdout
        let nodes = graph?["nodes"] as? [[String: Any]] ?? []
        let edges = graph?["edges"] as? [[String: Any]] ?? []
        // The invisible edges that keep the milestone bands in order are layout, not dependencies.
        let drawn = dot.split(separator: "\n").filter { $0.contains(" -> ") && !$0.contains("[style=invis]") }
        #expect(drawn.count == edges.count)
        for n in nodes { #expect(dot.contains("\"\(n["id"] as? String ?? "?")\" [label=")) }
        #expect(nodes.contains { $0["id"] as? String == "svc:/system/cron:default" && $0["role"] as? String == "wanted" })

        let dir = TempDir()
        let r = try CLI.run(["blank-zone", "--want", "cron", "-o", dir.path + "/bz", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let written = object?["written"] as? [String] ?? []
        let artefacts = object?["artefacts"] as? [[String: Any]] ?? []
        #expect(written.count == artefacts.count && !written.isEmpty)
        for a in artefacts {
            let name = a["name"] as? String ?? ""
            let onDisk = try? String(contentsOfFile: dir.path + "/bz/" + name, encoding: .utf8)
            #expect(onDisk == a["content"] as? String, "\(name) on disk differs from its JSON content")
            let mode = (try? FileManager.default.attributesOfItem(atPath: dir.path + "/bz/" + name)[.posixPermissions] as? Int) ?? 0
            #expect((mode & 0o111 != 0) == (a["executable"] as? Bool ?? false), "\(name): mode \(String(mode, radix: 8))")
        }
    }
}
