/// The gate every artefact writer passes names through: a service or an
/// instance whose name the FMRI rules reject (lint's SMF029), or that still
/// holds an unexpanded build placeholder (SMF030, `nginx$(sVERSION)` without
/// `--define`), never reaches a profile, an svcadm script, an inittab or an
/// rc script. It is left out with a diagnostic (SMF070, SMF071), the artefact
/// says so in a comment, and the command exits 1 (findings).
///
/// svccfg refuses such a name when it imports the manifest (libuutil
/// `uu_check_name`, usr/src/lib/libuutil/common/uu_ident.c), so the instance
/// does not exist in a real repository; writing it would only give svcadm (or
/// the shell reading the script) a string that came from the manifest.
public enum ArtefactNames {
    /// The DTD's enumeration of `<service type>` (service_bundle.dtd.1).
    public static let serviceTypes: Set<String> = ["service", "restarter", "milestone"]

    /// nil when `svc:/service:instance` may be written into an artefact;
    /// otherwise the diagnostic that says why it is left out. `location` is
    /// where the instance (or the service) was declared.
    public static func check(service: String, instance: String, at location: SourceLocation) -> Diagnostic? {
        let fmri = instanceFMRI(service, instance)
        let serviceOK = FMRI.isValidServiceName(service)
        let instanceOK = FMRI.isValidComponent(instance)
        if serviceOK && instanceOK { return nil }
        let bad = !serviceOK ? "service name '\(service)'" : "instance name '\(instance)'"
        if containsPlaceholder(fmri) {
            return Diagnostic(.error, .artefactPlaceholder,
                              "\(fmri) is left out of the artefact: its \(bad) holds the unexpanded build placeholder \(placeholderList(fmri)); add \(defineHint(fmri)) to expand it",
                              at: location)
        }
        return Diagnostic(.error, .artefactBadName,
                          "\(fmri) is left out of the artefact: its \(bad) is not valid (each component must start with a letter and go on with letters, digits, '_', '-'; svccfg refuses it, see SMF029)",
                          at: location)
    }

    /// The `type` to write for a service, and the diagnostic when it is not
    /// the one read (a type outside the DTD's enumeration is written as
    /// `service`, so that the file stays valid; a profile does not set the type).
    public static func serviceType(_ svc: Service) -> (type: String, diagnostic: Diagnostic?) {
        if serviceTypes.contains(svc.type) { return (svc.type, nil) }
        return ("service", Diagnostic(.error, .artefactServiceType,
                                      "svc:/\(svc.name) has type '\(svc.type)', which is not service, restarter or milestone; written as type='service' so that the file stays valid",
                                      at: svc.location))
    }

    /// One line saying what was left out and why, for a comment in an
    /// artefact: `left out: MESSAGE (CODE at file:line)`, controls escaped
    /// (`Escape.terminal`), so that no newline can end the comment.
    public static func commentLine(_ d: Diagnostic) -> String {
        Escape.terminal("\(d.code.rawValue) at \(d.location.short): \(d.message)")
    }
}
