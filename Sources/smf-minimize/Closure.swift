import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

struct ClosureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closure",
        abstract: "The minimal set of instances to enable so that the wanted ones can come online.",
        discussion: """
        Builds the closure C(W) of the --want instances exactly as docs/CLOSURE.md \
        defines it: every require_all dependency and delegated \
        restarter, a service entity resolved to one instance by preference, then for each \
        unsatisfied require_any group its best candidate. optional_all dependencies are not \
        followed (a disabled optional dependency is satisfied); exclude_all ones are checked \
        as conflicts. Dependents declared by other services count as dependencies of their target.

        Preference (whenever one instance must be chosen): enabled in the baseline first, \
        then the entity listed first in the group, then the instance named 'default', \
        then FMRI order.

        --want takes names as svcs does: a full FMRI (svc:/network/ssh:default), a glob \
        (network/*mail, every match is wanted) or an abbreviation at a '/' or ':' boundary \
        (ssh, smtp:sendmail); a name the repository holds is accepted as printed, \
        placeholders included (svc:/network/http:nginx$(sVERSION)). A service stands for \
        one instance when preference has a reason (its only instance, the only one \
        enabled, the one named 'default'), and the output says which, why, and what else \
        exists. An unknown or ambiguous name, or a service whose instances nothing \
        prefers (network/login: rlogin, klogin, eklogin), is a usage error (exit 64) that \
        lists candidates.

        JSON (docs/JSON.md): {"schemaVersion", "closure": [FMRI...], "choices": [{"instance", "group", "chosen", \
        "alternatives"}], "unresolved": [{"instance", "group", "entity"}], "invalid": \
        [{"instance", "group", "value", "file", "line"}], "files": \
        [{"instance", "path", "group", "file", "line"}], "conflicts": [{"instance", "group", \
        "excluded", "file", "line"}], "requested": [FMRI...], "resolvedRequests": \
        [{"request", "match", "instances", "serviceChoices": [{"service", "chosen", "others", \
        "reason"}]}], "resolutions": [{"instance", \
        "group", "service", "chosen", "alternatives"}]}

        Exit status: 0 a clean closure; 1 the closure has conflicts, unresolved or invalid \
        entities (values that are not FMRIs: svccfg would refuse their manifest); 2 an input \
        could not be read, or no manifest was read; 64 bad usage (an unknown or ambiguous \
        --want, or one naming a service whose instances nothing prefers).

        Examples:
          smf-minimize closure usr/src --want network/ssh
          smf-minimize closure /zone/root/lib/svc/manifest --want svc:/network/http:apache24 --format json
          smf-minimize closure manifests/ --want 'network/*mail' --want ntp
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: "Output format.") var format: OutputFormat = .text

    // Checked in run(), not validate(): the argument parser runs validate()
    // before it reports an unknown option, so a misspelt '--wnat' would be
    // reported as a missing --want.
    func run() throws {
        let session = input.session(wanted: try request.graphRequest, detail: .structure)
        let (report, section) = try session.closureReport()
        let packageText = section.map { $0.textLines.joined(separator: "\n") + "\n" } ?? ""
        emit(format == .json ? report.json.versioned.render() : report.text + packageText)
        try finish(Outcome(try session.repository(), closure: try session.closure()))
    }
}
