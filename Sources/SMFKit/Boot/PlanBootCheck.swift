/// The check a plan makes of itself: the configuration it writes, booted.
public struct PlanBootCheck: Sendable {
    public var prediction: BootPrediction
    /// Closure members (and wanted instances) that would not come online, with the explanation.
    public var failures: [BootExplanation]

    /// Predicts the boot of `enable` (FMRIs; every other instance disabled)
    /// in the zone of `root` / `ipType`; every one of them must come online.
    public init(graph: DependencyGraph, repo: Repository, enable: [String], root: RootFS?, ipType: IPType, legacy: LegacyRC) {
        let set = Set(enable)
        let enabled = graph.instanceFMRIs.map { set.contains($0) }
        prediction = graph.predictBoot(BootConfiguration(enabled: enabled, root: root, ipType: ipType, legacy: legacy),
                                       instanceFiles: BootPredictor.instanceFiles(repo, graph))
        failures = prediction.explanations.filter { set.contains($0.fmri) }
    }

    public var ok: Bool { failures.isEmpty }

    /// One line ("predicted boot: 21 online, 0 offline, ...") and, on failure, each explanation.
    public var text: String {
        var out = "predicted boot: \(prediction.summary)\n"
        if !failures.isEmpty {
            out += "DEFECT: \(failures.count == 1 ? "1 instance" : "\(failures.count) instances") this profile enables would not come online (docs/BOOT.md):\n\n"
            out += failures.map(BootReport.text).joined(separator: "\n")
        }
        return out
    }
}
