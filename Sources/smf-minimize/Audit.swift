import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check a configuration kept by hand (profile, manifest list, removed list, FMRI list, svcs capture) against the manifests, a request and the predicted boot.",
        discussion: """
        CONFIG is one of (detected from its text, or named with --kind):
          profile        a site.xml or 'svccfg extract' output, applied after the baseline;
          manifest-list  SmartOS brand style: 'PATH enabled|disabled' a line, PATH under /lib/svc/manifest;
                         only the listed manifests are in the zone (a path listed twice: the later line wins);
          removed-list   one absolute manifest path a line, removed from the zone (Tribblix style);
          enable-list    one FMRI a line: exactly these are enabled;
          capture        'svcs -a -H -o state,fmri' from a running zone: every observed state that
                         differs from the predicted one, and whether the tool can tell a fact it
                         lacks from a problem in the zone.
        With --want: the bloat (enabled, not needed, with the count) and the breakage (needed, but \
        disabled or removed, with the chain of file:line). Bad lines give SMF070 diagnostics.

        JSON: docs/BOOT.md. Exit status: 0 no breakage and the request boots; 1 breakage, an \
        SMF070 error, or a wanted instance that does not come online; 2 unreadable input; 64 bad usage.

        Examples:
          smf-minimize audit --root /zones/web/root site.xml --want ssh
          smf-minimize audit usr/src --config brand-manifests.txt --want cron
        """
    )

    @OptionGroup var input: InputOptions
    @Option(help: ArgumentHelp("The configuration to check.", valueName: "file")) var config: String
    @Option(help: ArgumentHelp("Its kind: \(AuditKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: detected).", valueName: "kind"))
    var kind: String?
    @OptionGroup var request: RequestOptions
    @Option(help: "The zone's IP type for the role table (default: the zonecfg's, else shared).") var ipType: IPType?
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let text = try Session.readFile(config, option: "--config")
        let k = try Session.auditKind(text, file: config, kind: kind)
        var input = self.input
        // A profile is read as the last --profile layer.
        if k == .profile { input.profiles.append(config) }
        let session = input.session(wanted: request.want, ipType: ipType)
        let repo = try session.repository()
        let (result, wantedDown) = try session.audit(text, file: config, kind: k)
        let report = AuditReport(result)
        emit(format == .json ? report.json.versioned.render() : report.text)
        try finish(Outcome(repo, findings: !result.breakage.isEmpty || result.diagnostics.hasErrors || wantedDown))
    }
}
