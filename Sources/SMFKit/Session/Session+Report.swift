/// What `report` made: the report's facts, the files of `-o DIR`, and the
/// names the profile and svcadm.sh leave out.
public struct ReportRun: Sendable {
    /// The report, rendered by ReportText (the summary), ReportDocument and its JSON.
    public var data: ReportData
    /// The files to write, when a directory was asked for.
    public var artefacts: ReportArtefacts?
    /// Instances the profile and svcadm.sh leave out (Render/ArtefactNames.swift); empty without files.
    public var leftOut: [Diagnostic]
    /// Paths as the report shows them: apply `clean` to every text printed.
    public var paths: DisplayPaths
}

extension Session {
    /// The report for `options.wanted`: the closure, the bloat, the verdict
    /// and the ladder, and with `files` everything `report -o` writes.
    /// `usedDefault` says the request is the sample's default one;
    /// `arguments` is the command line as typed (without the program's
    /// name), shown as the line that regenerates the report; `neighbours`
    /// draws the closure's excluded neighbours instead of counting them.
    public func report(files: Bool, usedDefault: Bool, arguments: [String], neighbours: Bool = false) throws(SessionError) -> ReportRun {
        needDetail()
        let wanted = options.wanted
        let analysis = try analysis()
        // The closure's costs and the graph's cycles read only the analysis:
        // computed on another core while the verdict is made.
        let precomputed = Background { ReportBuilder.Precomputed(analysis) }
        // The optional extension and the trimmed profile's boot, each on a
        // thread of its own beside the verdict; the boot goes on beside the
        // ladder, which needs the extension and the verdict.
        let early = try beginBeforeVerdict([.ladder, .profileProof])
        let verdict = try verdict()
        finishExtension(early)
        try prepareAfterVerdict(files ? [.ladder, .blankZoneProof, .profileDecision] : [.ladder, .blankZoneProof])
        try finishProof(early)
        let planInput = try planInput()
        let ladder = try ladder()
        let loaded = try input()

        let paths = displayPaths
        let source = paths.source(usesSample: options.usesSample, root: options.root, paths: options.paths)
            + (usedDefault ? "; default request \(wanted.joined(separator: " ")) (choose with --want)" : "")
        let title = "What \(wanted.joined(separator: ", ")) needs in a \(try ipType().rawValue)-IP zone"
        let packages = try packageSection(members: analysis.closure.members)
        var artefacts: ReportArtefacts? = nil
        if files {
            artefacts = ReportArtefacts(.init(analysis: analysis, planInput: planInput, verdict: verdict, ladder: ladder,
                                              decision: try profileDecision(), packages: packages, inittab: loaded.inittab,
                                              title: title, paths: paths, neighbours: neighbours,
                                              corpora: options.paths.map { (paths.clean($0), $0) },
                                              packageOf: loaded.packages?.deliveryOfFile.mapValues(\.package) ?? [:]))
        }
        var data = ReportBuilder.build(analysis: analysis, verdict: verdict, ladder: ladder, title: title,
                                       source: source, command: paths.commandLine(arguments), requests: wanted,
                                       artefacts: artefacts?.listed ?? [],
                                       missingFiles: loaded.root.map { fs in Set(fs.missing(analysis.closure.files.map(\.path))) },
                                       legacy: planInput, precomputed: precomputed.value)
        data.packages = packages
        data.proofs = [try profileProof(), try blankZoneProof()]
        artefacts?.addDocuments(data, paths: paths)
        let leftOut = files ? try profileDecision().findings : []
        return ReportRun(data: data, artefacts: artefacts, leftOut: leftOut, paths: paths)
    }
}
