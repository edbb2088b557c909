import Foundation

/// Writes the trimmed profile (semantics.md section 7) and its variant for a
/// zone that already booted (an `svcadm` script).
public enum ProfileWriter {
    /// The exact DOCTYPE svccfg requires of a profile.
    public static let doctype = "<!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>"

    /// A closure with a conflict gives no profile.
    public struct ConflictError: Error, Sendable, CustomStringConvertible {
        public var conflicts: [PlanConflict]
        public var description: String {
            "no profile written: the closure holds a conflict that svc.startd would never satisfy:\n"
                + conflicts.map { "  " + $0.description }.joined(separator: "\n")
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

    /// Every instance of the repository, in FMRI order, with its decision.
    public static func entries(_ input: PlanInput) throws(ConflictError) -> [Entry] {
        if !input.conflicts.isEmpty { throw ConflictError(conflicts: input.conflicts) }
        let members = Set(input.closure)
        var out: [Entry] = []
        for name in input.repo.serviceNames {
            guard let svc = input.repo.services[name], !svc.instances.isEmpty else { continue }
            for inst in svc.instances.keys.sorted() {
                let fmri = instanceFMRI(name, inst)
                let on = members.contains(fmri) || fmri == startdFMRI
                out.append(Entry(service: name, serviceType: svc.type, instance: inst, enabled: on,
                                 reason: on ? input.reason(fmri) : nil))
            }
        }
        return out
    }

    /// The profile XML. `name` is the bundle's name.
    public static func xml(_ input: PlanInput, name: String = "smf-minimize") throws(ConflictError) -> String {
        let entries = try entries(input)
        var out = "<?xml version='1.0'?>\n" + doctype + "\n"
        out += "<!--\n"
        out += comment("  Trimmed profile written by smf-minimize for: " + input.wanted.joined(separator: " ")) + "\n"
        out += "  \(entries.filter(\.enabled).count) of \(entries.count) instances enabled.\n"
        out += "  Install it before the zone's first boot as /etc/svc/profile/site/\(xmlAttr(name)).xml\n"
        out += "  (svccfg applies each profile path only once per repository).\n"
        out += "-->\n"
        out += "<service_bundle type='profile' name='\(xmlAttr(name))'>\n"
        var current: String?
        for e in entries {
            if e.service != current {
                if current != nil { out += "  </service>\n" }
                out += "  <service name='\(xmlAttr(e.service))' version='1' type='\(xmlAttr(e.serviceType))'>\n"
                current = e.service
            }
            if e.enabled, let r = e.reason {
                out += "    <!-- " + comment(r) + " -->\n"
            }
            out += "    <instance name='\(xmlAttr(e.instance))' enabled='\(e.enabled)'/>\n"
        }
        if current != nil { out += "  </service>\n" }
        out += "</service_bundle>\n"
        return out
    }

    /// A shell script of `svcadm enable`/`disable` lines for a zone that
    /// already booted.
    public static func svcadmScript(_ input: PlanInput) throws(ConflictError) -> String {
        let entries = try entries(input)
        var out = "#!/bin/sh\n"
        out += "# Trimmed SMF configuration written by smf-minimize for: " + oneLine(input.wanted.joined(separator: " ")) + "\n"
        out += "# For a zone that has already booted: run it inside the zone as root.\n"
        out += "# Enables the \(entries.filter(\.enabled).count) instances of the closure, then disables the others.\n"
        out += "# svc:/system/svc/restarter:default is svc.startd itself and is left alone.\n"
        out += "set -e\n"
        for e in entries where e.enabled && e.fmri != startdFMRI {
            out += "/usr/sbin/svcadm enable \(e.fmri)    # \(oneLine(e.reason ?? ""))\n"
        }
        for e in entries where !e.enabled {
            out += "/usr/sbin/svcadm disable \(e.fmri)\n"
        }
        return out
    }

    /// The decision as JSON: `{"wanted", "enable": [{"fmri", "reason"}], "disable": [fmri]}`.
    public static func json(_ input: PlanInput) throws(ConflictError) -> JSON {
        let entries = try entries(input)
        return .object([
            ("wanted", .strings(input.wanted)),
            ("enable", .array(entries.filter(\.enabled).map {
                .object([("fmri", .string($0.fmri)), ("reason", .opt($0.reason))])
            })),
            ("disable", .strings(entries.filter { !$0.enabled }.map(\.fmri))),
        ])
    }

    /// Escapes an attribute value written between single quotes.
    public static func xmlAttr(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default:
                if c.value < 0x20 { continue }  // not allowed in XML 1.0
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Text safe inside `<!-- -->`: no `--`, no trailing `-`, no control characters.
    public static func comment(_ s: String) -> String {
        var out = String(s.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" }.map(Character.init))
        while out.contains("--") { out = out.replacingOccurrences(of: "--", with: "- -") }
        if out.hasSuffix("-") { out += " " }
        return out
    }

    static func oneLine(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
