import ArgumentParser
import SMFKit

/// What a command found, for the one table in docs/EXIT-CODES.md.
struct Outcome {
    /// The input the command read.
    var repo: Repository
    /// The closure it computed, when it computed one: a conflict, an
    /// unresolved or an invalid entity is a finding.
    var closure: Closure?
    /// Findings of the command itself: names left out of artefacts, a
    /// predicted boot that fails, a refusal to overwrite, a cycle.
    var findings: Bool = false

    init(_ repo: Repository, closure: Closure? = nil, findings: Bool = false) {
        self.repo = repo
        self.closure = closure
        self.findings = findings
    }
}

/// The exit status for what a command found (docs/EXIT-CODES.md): 2 when
/// an input could not be read (2 wins over 1), 1 for findings (a lint
/// error in what was read, a conflict, an unresolved or invalid entity, a
/// finding of the command), else 0. Usage errors (64) are the argument
/// parser's and never reach here.
func exitStatus(_ outcome: Outcome) -> Int32 {
    if inputUnreadable(outcome.repo) { return 2 }
    if outcome.repo.diagnostics.hasErrors { return 1 }
    if let closure = outcome.closure, !closure.isClean { return 1 }
    return outcome.findings ? 1 : 0
}

/// Ends a command with the status `exitStatus` gives; returns on 0.
func finish(_ outcome: Outcome) throws {
    let status = exitStatus(outcome)
    if status != 0 { throw ExitCode(status) }
}

/// The status of a command stopped early by a finding of its own (a write
/// refused or failed, a profile that cannot be made or would not boot):
/// 1, or 2 when an input could not be read (2 wins over 1,
/// docs/EXIT-CODES.md).
func stoppedByFinding(_ repo: Repository) -> ExitCode {
    ExitCode(exitStatus(Outcome(repo, findings: true)))
}

/// Exit codes, documented in docs/EXIT-CODES.md.
enum Exit {
    static let unreadable = ExitCode(2)
}

/// True when an input named on the command line could not be read at all.
func inputUnreadable(_ repo: Repository) -> Bool { Session.inputUnreadable(repo) }

/// A plan's proof that fails is a defect of the tool (docs/BOOT.md, "Every
/// plan proves itself"): said on standard error, and a finding (exit 1).
/// A blank zone the verdict does not recommend may fail: its unmet needs
/// are said, and they are no finding.
func reportDefect(_ proof: PlanProof) -> Bool {
    if proof.ok { return false }
    printError("smf-minimize: " + PlanProofReport.defectHeader(proof))
    for f in proof.failures { printError("  " + Escape.terminal(PlanProofReport.reason(f))) }
    return proof.isDefect
}
