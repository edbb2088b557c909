#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes the trimmed profile (docs/PLAN.md) and its variant for a
/// zone that already booted (an `svcadm` script).
public enum ProfileWriter {
    /// The exact DOCTYPE svccfg requires of a profile.
    public static let doctype = "<!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>"

    /// A closure with a conflict gives no profile.
    public struct ConflictError: Error, Sendable, CustomStringConvertible {
        public var conflicts: [Conflict]
        public var description: String {
            "no profile written: the closure holds a conflict that svc.startd would never satisfy:\n"
                + conflicts.map { "  " + Escape.terminal($0.description) }.joined(separator: "\n")
        }
    }

    /// One line of the decision: an instance, enabled or not, and why.
    public struct Entry: Sendable, Hashable {
        public var service: String
        public var serviceType: String
        public var instance: String
        public var enabled: Bool
        public var reason: String?
        public var fmri: String { instanceFMRI(service, instance) }
    }

    /// Every instance of the repository that may be written (see
    /// `ArtefactNames`), in FMRI order, with its decision.
    public static func entries(_ input: PlanInput) throws(ConflictError) -> [Entry] {
        try decide(input, nil).entries
    }

    /// What the writers leave out or change, one diagnostic each (SMF070,
    /// SMF071, SMF072), sorted: the instances whose names may not be written,
    /// and the service types outside the DTD. Not empty means the command
    /// exits 1.
    public static func findings(_ input: PlanInput) -> [Diagnostic] {
        walk(input).findings
    }

    /// The decision every writer starts from, made once: the entries and
    /// the findings of `walk`, and the closure's conflicts (which refuse
    /// every artefact).
    public struct Decision: Sendable, Hashable {
        public var entries: [Entry]
        public var findings: [Diagnostic]
        public var conflicts: [Conflict]
    }

    /// The one walk, kept for several writers (a session makes it once for
    /// the profile, svcadm.sh and the findings of the left-out names).
    /// - Complexity: O(n) in the repository's instances.
    public static func decision(_ input: PlanInput) -> Decision {
        let (entries, findings) = walk(input)
        return Decision(entries: entries, findings: findings, conflicts: input.conflicts)
    }

    /// `walk` (or the decision already made), refused when the closure
    /// holds a conflict: what every writer starts from.
    private static func decide(_ input: PlanInput, _ made: Decision?) throws(ConflictError) -> (entries: [Entry], findings: [Diagnostic]) {
        if !input.conflicts.isEmpty { throw ConflictError(conflicts: input.conflicts) }
        if let made { return (made.entries, made.findings) }
        return walk(input)
    }

    /// The one walk over the repository's instances, each passed through
    /// `ArtefactNames` once: the instances that may be written, with their
    /// decision, and the diagnostics for what is left out or changed.
    private static func walk(_ input: PlanInput) -> (entries: [Entry], findings: [Diagnostic]) {
        let members = Set(input.closure)
        var entries: [Entry] = []
        var findings: [Diagnostic] = []
        // Each service and instance read in place, not copied out of the
        // repository (the walk visits every instance).
        for name in input.repo.serviceNames {
            input.repo.services.withValue(name) { svc in
                guard !svc.instances.isEmpty else { return }
                let type = ArtefactNames.serviceType(svc)
                var writable = false
                for inst in svc.instances.keys.sorted() {
                    let location = svc.instances.withValue(inst) { $0.location } ?? svc.location
                    let fmri = instanceFMRI(name, inst)
                    if var d = ArtefactNames.check(service: name, instance: inst, at: location) {
                        if members.contains(fmri) {
                            d.message += "; it is in the closure, so this artefact does not enable it and the request is not met"
                        }
                        findings.append(d)
                        continue
                    }
                    writable = true
                    let on = members.contains(fmri) || fmri == startdFMRI
                    entries.append(Entry(service: name, serviceType: type.type, instance: inst, enabled: on,
                                         reason: on ? input.reason(fmri) : nil))
                }
                if writable, let d = type.diagnostic { findings.append(d) }
            }
        }
        return (entries, findings.sortedForOutput())
    }

    /// The profile XML. `name` is the bundle's name.
    public static func xml(_ input: PlanInput, name: String = "smf-minimize", decision: Decision? = nil) throws(ConflictError) -> String {
        let (entries, findings) = try decide(input, decision)
        var out = "<?xml version='1.0'?>\n" + doctype + "\n"
        out += "<!--\n"
        out += comment("  Trimmed profile written by smf-minimize for: " + input.wanted.joined(separator: " ")) + "\n"
        out += "  \(entries.filter(\.enabled).count) of \(entries.count) instances enabled.\n"
        out += "  Install it before the zone's first boot as /etc/svc/profile/site/\(Escape.xmlAttribute(name)).xml\n"
        out += "  (svccfg applies each profile path only once per repository).\n"
        if !findings.isEmpty {
            out += "  Left out or changed, so that nothing from a manifest reaches this file unchecked\n"
            out += "  (an instance left out keeps the state its manifests give it):\n"
            for d in findings { out += "  " + comment(ArtefactNames.commentLine(d)) + "\n" }
        }
        out += "-->\n"
        out += "<service_bundle type='profile' name='\(Escape.xmlAttribute(name))'>\n"
        var current: String?
        for e in entries {
            if e.service != current {
                if current != nil { out += "  </service>\n" }
                out += "  <service name='\(Escape.xmlAttribute(e.service))' version='1' type='\(Escape.xmlAttribute(e.serviceType))'>\n"
                current = e.service
            }
            if e.enabled, let r = e.reason {
                out += "    <!-- " + comment(Escape.terminal(r)) + " -->\n"
            }
            out += "    <instance name='\(Escape.xmlAttribute(e.instance))' enabled='\(e.enabled)'/>\n"
        }
        if current != nil { out += "  </service>\n" }
        out += "</service_bundle>\n"
        return out
    }

    /// A shell script of `svcadm enable`/`disable` lines for a zone that
    /// already booted.
    public static func svcadmScript(_ input: PlanInput, decision: Decision? = nil) throws(ConflictError) -> String {
        let (entries, findings) = try decide(input, decision)
        var out = "#!/bin/sh\n"
        out += "# Trimmed SMF configuration written by smf-minimize for: " + oneLine(input.wanted.joined(separator: " ")) + "\n"
        out += "# For a zone that has already booted: run it inside the zone as root.\n"
        out += "# Enables the \(entries.filter(\.enabled).count) instances of the closure, then disables the others.\n"
        out += "# svc:/system/svc/restarter:default is svc.startd itself and is left alone.\n"
        if !findings.isEmpty {
            out += "# Left out or changed, so that nothing from a manifest reaches this script unchecked\n"
            out += "# (an instance left out keeps its state):\n"
            for d in findings { out += "#   " + ArtefactNames.commentLine(d) + "\n" }
        }
        out += "set -e\n"
        // Every word goes through shellWord (Support/Shell.swift); the FMRIs
        // passed ArtefactNames, so they never start with '-'.
        for e in entries where e.enabled && e.fmri != startdFMRI {
            out += "/usr/sbin/svcadm enable \(shellWord(e.fmri))    # \(oneLine(e.reason ?? ""))\n"
        }
        for e in entries where !e.enabled {
            out += "/usr/sbin/svcadm disable \(shellWord(e.fmri))\n"
        }
        return out
    }

    /// The decision as JSON: `{"wanted", "enable": [{"fmri", "reason"}], "disable": [fmri],
    /// "leftOut": [{"code", "message", "file", "line"}]}`.
    public static func json(_ input: PlanInput, decision: Decision? = nil) throws(ConflictError) -> JSON {
        let (entries, findings) = try decide(input, decision)
        return .object([
            ("wanted", .strings(input.wanted)),
            ("enable", .array(entries.filter(\.enabled).map {
                .object([("fmri", .string($0.fmri)), ("reason", .opt($0.reason))])
            })),
            ("disable", .strings(entries.filter { !$0.enabled }.map(\.fmri))),
            ("leftOut", .array(findings.map {
                .object([("code", .string($0.code.rawValue)), ("message", .string($0.message))] + $0.location.jsonMembers)
            })),
        ])
    }

    /// Text safe inside `<!-- -->`: no `--`, no trailing `-`, no control
    /// characters (those from input are escaped by `Escape.terminal` before;
    /// any left here are dropped, newline and tab kept).
    public static func comment(_ s: String) -> String {
        // Scalars, not Characters: "-" followed by a combining mark is one
        // Character, but "--" in the bytes still breaks the comment.
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where (u.value >= 0x20 && !(0x7f...0x9f).contains(u.value)) || u == "\n" || u == "\t" {
            if u == "-", out.last == "-" { out.append(" ") }
            out.append(u)
        }
        if out.last == "-" { out.append(" ") }
        return String(out)
    }

    /// One line for a shell comment: controls escaped (`Escape.terminal`),
    /// so that nothing after a newline is read as a command.
    static func oneLine(_ s: String) -> String { Escape.terminal(s) }
}
