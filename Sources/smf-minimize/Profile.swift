import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

enum ProfileFormat: String, ExpressibleByArgument, CaseIterable {
    case xml, svcadm, json
}

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Write the trimmed profile: the closure of the wanted instances enabled, every other instance disabled.",
        discussion: """
        --format xml (default) writes a service_bundle of type 'profile', to install before the \
        zone's first boot as /etc/svc/profile/site/NAME.xml (svccfg applies each profile path \
        once). --format svcadm writes a shell script of svcadm enable/disable lines for a zone \
        that already booted. A closure with an exclude_all conflict gives no profile (exit 1). \
        An instance whose name svccfg would refuse, or that holds an unexpanded placeholder, \
        is left out with a diagnostic on standard error and a comment in the file (exit 1). \
        The profile's boot is predicted (docs/BOOT.md) and printed in one line on stderr; \
        when a member it enables would not come online, that is a defect of the tool: the \
        explanations are printed and no profile is written (exit 1).

        JSON (docs/JSON.md): {"schemaVersion", "wanted", "enable": [{"fmri", "reason"}], "disable": [fmri], "leftOut": [{"code", "message", "file", "line"}]}.

        Example:
          smf-minimize profile /zone/lib/svc/manifest --want svc:/network/ssh:default -o ssh.xml
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write to this file (never replacing an existing one without --force).", valueName: "file"))
    var output: String?
    @Option(help: "The profile's name attribute.") var name: String = "smf-minimize"
    @Option(help: "Output format: xml, svcadm or json.") var format: ProfileFormat = .xml
    @Flag(help: "Replace an existing output file.") var force = false

    func run() throws {
        let session = input.session(wanted: request.want)
        let planInput = try session.planInput()
        let repo = try session.repository()
        // The one decision: the writer below and the findings at the end.
        let decision = try session.profileDecision()
        let text: String
        do {
            switch format {
            case .xml: text = try ProfileWriter.xml(planInput, name: name, decision: decision)
            case .svcadm: text = try ProfileWriter.svcadmScript(planInput, decision: decision)
            case .json: text = try ProfileWriter.json(planInput, decision: decision).versioned.render()
            }
        } catch {
            printError("smf-minimize: \(error.description)")
            throw stoppedByFinding(repo)
        }
        // Every plan proves itself (docs/BOOT.md): the profile, booted, must
        // bring every member it enables online.
        let check = try session.profileProof()
        StandardStream.error("smf-minimize: \(check.text)")
        if !check.ok { throw stoppedByFinding(repo) }
        if let output {
            do {
                try ArtefactWriter.writeFile(output, content: text, executable: format == .svcadm, force: force)
            } catch {
                printError("smf-minimize: \(error.description)")
                throw stoppedByFinding(repo)
            }
        } else {
            emit(text)
        }
        // What the writer left out (names that may not be written): listed on
        // standard error as diagnostics, and the command exits 1.
        for d in decision.findings { printError(d.description) }
        try finish(Outcome(repo, closure: try session.analysis().closure, findings: !decision.findings.isEmpty))
    }
}
