import Foundation
import Testing
@testable import SMFKit

/// The pipeline's entry point used as a library, without the command line:
/// what it computes on the bundled sample, that it computes each shared
/// fact once, and the errors it reports as values.
@Suite("Session: the pipeline as a library")
struct SessionTests {
    static let sample = TestPaths.packageRoot + "/manifests"
    static let nginx = "svc:/network/http:nginx"

    static func options(root: String? = sample, wanted: [String] = ["network/http:nginx"]) -> SessionOptions {
        var o = SessionOptions()
        o.root = root
        o.wanted = wanted
        return o
    }

    @Test("the sample's closure, verdict and ladder, asked of a session, are what the stages give by hand")
    func sampleThroughTheAPI() throws {
        let session = Session(Self.options())
        let closure = try session.closure()
        #expect(closure.requested == [Self.nginx])
        #expect(closure.members.count == 18)
        #expect(closure.members.contains("svc:/system/filesystem/local:default"))
        #expect(closure.isClean)

        let verdict = try session.verdict()
        #expect(verdict.choice == .trimmedProfile)
        #expect(verdict.ipType == .shared)
        #expect(verdict.methods.map(\.fmri) == [Self.nginx])
        #expect(verdict.realWork.count == 6)

        let ladder = try session.ladder()
        #expect(ladder.map(\.number) == [1, 2, 3, 4, 5])
        #expect(ladder[2].enabled == closure.members.sorted())

        // The same stages run by hand give the same values.
        let loaded = Loader.loadInput(InputSpec(root: Self.sample))
        let graph = DependencyGraph(loaded.repository)
        let requests = try RequestResolver.resolve(["network/http:nginx"], in: graph)
        let legacy = LegacyRC.read(loaded.root)
        let enlarged = legacy.joined(requests, graph: graph)
        var input = Analysis(repo: loaded.repository, graph: graph, requests: enlarged.requests).planInput()
        input.attach(legacy, joined: enlarged.joined)
        let byHand = Plan.verdict(input, ipType: .shared, lookup: .root(try #require(loaded.root)))
        #expect(try session.planInput().closure == input.closure)
        #expect(verdict.reasons == byHand.reasons)
        #expect(ladder == Ladder.rungs(input, verdict: byHand))
        #expect(try session.baseline() == loaded.repository.baseline.map(\.fmri))
    }

    @Test("every shared fact is computed once, however often and in whatever order it is asked for")
    func computedOnce() throws {
        let session = Session(Self.options())
        for _ in 0..<3 {
            _ = try session.verdict()
            _ = try session.ladder()
            _ = try session.roles()
            _ = try session.nodeRoles()
            _ = try session.planInput()
            _ = try session.closure()
            _ = try session.baseline()
            _ = try session.profileDecision()
            _ = try session.report(files: false, usedDefault: false, arguments: [])
        }
        let once: [Session.Stage] = [.input, .graph, .requests, .closure, .legacy, .analysis, .planInput, .verdict, .ladder, .baseline, .profileDecision]
        for stage in once { #expect(session.evaluations[stage] == 1, "\(stage.rawValue)") }
        // The roles were the verdict's own: never classified a second time.
        #expect(session.evaluations[.roles] == nil)
        #expect(try session.roles() == session.verdict().roles)
    }

    @Test("the roles alone (graph --want) run no verdict and no method analysis, and equal the verdict's")
    func rolesWithoutVerdict() throws {
        let session = Session(Self.options())
        let roles = try session.roles()
        let colours = try session.nodeRoles()
        #expect(session.evaluations[.verdict] == nil)
        #expect(session.evaluations[.ladder] == nil)
        #expect(session.evaluations[.roles] == 1)
        #expect(colours[Self.nginx]?.0 == .wanted)
        let local = try #require(colours["svc:/system/filesystem/local:default"])
        #expect(local.0 == ReportBuilder.nodeRole(try #require(roles.first { $0.fmri == "svc:/system/filesystem/local:default" }).role))
        let full = Session(Self.options())
        #expect(roles == (try full.verdict().roles))
        #expect(colours.keys.sorted() == (try full.closure().members.sorted()))
    }

    @Test("report: with files, the profile's decision is made once and its findings are the left-out names")
    func reportFiles() throws {
        let session = Session(Self.options())
        let run = try session.report(files: true, usedDefault: false, arguments: ["report", "-o", "x"])
        let artefacts = try #require(run.artefacts)
        let names = artefacts.files.map(\.name)
        #expect(Array(names.prefix(2)) == ["report.md", "report.html"])
        for n in ["graph.dot", "closure.json", "plan.json", "site-profile.xml", "svcadm.sh", "blank-zone/NOTES.md"] {
            #expect(names.contains(n), "\(n)")
        }
        #expect(artefacts.partsNotWritten.isEmpty)
        #expect(run.data.command == "smf-minimize report -o DIR")
        #expect(session.evaluations[.profileDecision] == 1)
        #expect(run.leftOut == (try session.profileDecision().findings))
        // Without files the profile is never decided.
        let summary = Session(Self.options())
        _ = try summary.report(files: false, usedDefault: false, arguments: [])
        #expect(summary.evaluations[.profileDecision] == nil)
    }

    @Test("errors are values: no request, an unknown name, nothing read, an unreadable file")
    func errors() throws {
        // A missing request is found before anything is read.
        let none = Session(Self.options(wanted: []))
        #expect(throws: SessionError.usage("name at least one instance or service with --want (e.g. --want network/ssh)")) {
            try none.closure()
        }
        #expect(throws: SessionError.usage("name at least one instance or service with --want (e.g. --want network/ssh)")) {
            try none.planInput()
        }
        #expect(none.evaluations.isEmpty)
        do {
            _ = try Session(Self.options(wanted: ["no/such/service"])).closure()
            Issue.record("an unknown --want resolved")
        } catch {
            guard case .usage(let message) = error else { Issue.record("not a usage error: \(error)"); return }
            #expect(message.hasPrefix("--want: "))
            #expect(message.contains("no/such/service"))
        }
        let empty = TempDir()
        do {
            _ = try Session(Self.options(root: empty.path)).input()
            Issue.record("an empty root was read")
        } catch {
            guard case .nothingRead(let message) = error else { Issue.record("not nothingRead: \(error)"); return }
            #expect(message.contains(empty.path))
        }
        #expect(throws: SessionError.cannotRead(option: "--inittab", path: empty.path + "/none")) {
            try Session(Self.options()).blankZoneOptions(mode: .rc, inittabFile: empty.path + "/none")
        }
    }

    @Test("the notices: reading the bundled sample when no input is named")
    func notices() throws {
        final class Box: @unchecked Sendable { var notices: [SessionNotice] = [] }
        let box = Box()
        var o = Self.options(root: nil)
        o.wanted = []
        let session = Session(o) { box.notices.append($0) }
        #expect(try session.repository().counts.instances > 0)
        guard case .readingSample(let root)? = box.notices.first else { Issue.record("no notice: \(box.notices)"); return }
        #expect(root.hasSuffix("/manifests"))
        #expect(box.notices.count == 1)
    }

    @Test("an unreadable --inittab and an unreadable audit --config both exit 2 (unreadable input)",
          .enabled(if: CLI.binary != nil, CLI.missingMessage))
    func unreadableOptionFiles() throws {
        let t = TempDir()
        let blank = try CLI.run(["blank-zone", "--want", "nginx", "--inittab", t.path + "/none", "-o", t.path + "/out"])
        #expect(blank.status == 2)
        #expect(blank.stderr.contains("smf-minimize: error: cannot read --inittab \(t.path)/none\n"))
        #expect(!FileManager.default.fileExists(atPath: t.path + "/out"))
        let audit = try CLI.run(["audit", "--config", t.path + "/none", "--want", "nginx"])
        #expect(audit.status == 2)
        #expect(audit.stderr == "smf-minimize: error: cannot read --config \(t.path)/none\n")
    }
}
