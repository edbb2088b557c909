#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What each command asks of a session beyond the shared stages: the
/// command line renders these and maps them to exit codes.
extension Session {
    /// The repository with the graph's findings added: dependency cycles
    /// (SMF050, which the repository does not see), their columns from the
    /// loader's fixer (no file read back twice); every diagnostic sorted
    /// for output (`lint`).
    public func linted() throws(SessionError) -> Repository {
        var repo = try repository()
        let cycles = try input().columns.fix(try graph().cycles().map(\.diagnostic))
        repo.diagnostics = (repo.diagnostics + cycles).sortedForOutput()
        return repo
    }

    /// The text of a file an option names (`audit --config`, `boot
    /// --enable-list`, `blank-zone --inittab`); unreadable is `.cannotRead` (exit 2).
    public static func readFile(_ path: String, option: String) throws(SessionError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .cannotRead(option: option, path: path)
        }
        return text
    }

    /// The kind of a configuration `audit` checks: `kind` as named, else detected from its text.
    public static func auditKind(_ text: String, file: String, kind: String?) throws(SessionError) -> AuditKind {
        let kinds = AuditKind.allCases.map(\.rawValue).joined(separator: ", ")
        if let kind {
            guard let k = AuditKind(rawValue: kind) else { throw .usage("--kind: one of \(kinds)") }
            return k
        }
        guard let k = AuditParser.detect(text) else {
            throw .usage("--config \(file): not a recognisable configuration; name its kind with --kind (\(kinds))")
        }
        return k
    }

    /// `audit`: the configuration against the input (a profile is read as
    /// one of `options.profiles`), the request (`options.wanted`, may be
    /// empty) and the predicted boot; `wantedDown` when a wanted instance
    /// does not come online.
    public func audit(_ text: String, file: String, kind: AuditKind) throws(SessionError) -> (result: AuditResult, wantedDown: Bool) {
        needDetail()
        let graph = try graph()
        let wanted = try resolve(options.wanted, option: "--want").flatMap(\.instances)
        let parsed = AuditParser.parse(text, file: file, kind: kind)
        let result = Audit.run(parsed, repo: try repository(), graph: graph, wanted: wanted, root: try input().root,
                               ipType: try ipType(), legacy: try legacy())
        return (result, result.prediction.explanations.contains { wanted.contains($0.fmri) })
    }

    /// `boot`: the state every instance settles in, for the baseline or an
    /// enable list (its text; `file` names it in diagnostics); with
    /// `globalZone` no role of the non-global-zone table applies. The
    /// enable list's own diagnostics come with it.
    public func bootPrediction(enableList: (text: String, file: String)?, globalZone: Bool) throws(SessionError)
        -> (prediction: BootPrediction, diagnostics: [Diagnostic]) {
        needDetail()
        let graph = try graph()
        var enabled: [Bool]? = nil
        var diagnostics: [Diagnostic] = []
        if let enableList {
            let config = AuditParser.parse(enableList.text, file: enableList.file, kind: .enableList)
            let (e, problems) = AuditParser.enabled(config, in: graph)
            diagnostics = config.diagnostics + problems
            enabled = e
        }
        let ip: IPType? = globalZone ? nil : try ipType()
        let prediction = graph.predictBoot(
            BootConfiguration(enabled: enabled, root: try input().root, ipType: ip, legacy: try legacy()),
            instanceFiles: BootPredictor.instanceFiles(try repository(), graph))
        return (prediction, diagnostics)
    }

    /// The blank zone's options: the lines of `inittabFile` (`--inittab`),
    /// else the root's etc/inittab, else the stock illumos zone inittab.
    public func blankZoneOptions(mode: LaunchMode, inittabFile: String?) throws(SessionError) -> BlankZoneOptions {
        var options = BlankZoneOptions(mode: mode)
        if let inittabFile {
            let text = try Session.readFile(inittabFile, option: "--inittab")
            options.inittab = BlankZoneOptions.withoutTrailingEmptyLines(
                text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        } else if let rootInittab = try input().inittab {
            options.inittab = BlankZoneOptions.withoutTrailingEmptyLines(rootInittab.lines)
        }
        return options
    }

    /// `collect`: the script that copies what the request's analysis reads from a zone.
    public func collection(zoneRoot: String?, zone: String?, archive: String) throws(SessionError) -> Collection {
        Collection.forRequest(try planInput(), zoneRoot: zoneRoot, zone: zone, archive: archive, lookup: try lookup())
    }

    /// What `--packages` says of `members` (nil without `--packages`).
    public func packageSection(members: [String]) throws(SessionError) -> PackageSection? {
        try input().packages?.section(closure: members, in: try repository())
    }

    /// `plan`: the verdict, the ladder and the package section of the plan's closure.
    public func planReport() throws(SessionError) -> (report: PlanReport, packages: PackageSection?) {
        var report = PlanReport(input: try planInput(), verdict: try verdict(), ladder: try ladder())
        let section = try packageSection(members: try analysis().closure.members)
        report.packages = section?.json
        report.proof = try recommendedProof()
        return (report, section)
    }

    /// `closure`: C(W) of the request as given, with the package section.
    public func closureReport() throws(SessionError) -> (report: ClosureReport, packages: PackageSection?) {
        let closure = try closure()
        let section = try packageSection(members: closure.members)
        return (ClosureReport(closure, requests: try requests(), packages: section?.json), section)
    }

    /// Paths as the report shows them.
    public var displayPaths: DisplayPaths {
        DisplayPaths(sampleRoot: options.usesSample ? BundledSample.locate()?.root : nil)
    }
}
