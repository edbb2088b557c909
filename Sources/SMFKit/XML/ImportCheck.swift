/// svccfg's check of a whole bundle before it imports any of it (SMF032).
extension ServiceBundle {
    /// What `importProblem()` says of each bundle that defines services,
    /// this one and those nested in it, in the order
    /// `RepositoryBuilder.addSource` merges them.
    /// `valuesValid`: every `service_fmri` value of their dependencies and
    /// dependents is already known to be an FMRI (the reader checked them).
    func importChecks(valuesValid: Bool = false) -> [Diagnostic?] {
        var out: [Diagnostic?] = []
        func visit(_ b: ServiceBundle) {
            if b.type.definesServices { out.append(b.importProblem(valuesValid: valuesValid)) }
            for n in b.nested { visit(n) }
        }
        visit(self)
        return out
    }

    /// svccfg reads a whole bundle into memory before importing any of it
    /// (usr/src/cmd/svc/svccfg/svccfg_xml.c, lxml_get_bundle_file), and
    /// that reading checks every name and every `service_fmri` value
    /// (lxml_get_dependency: scf_value_set_from_string, libscf scf_type.c
    /// valid_fmri): one name it refuses, or one value that is not a valid
    /// FMRI, and nothing of the file is imported. The analysis keeps the file's services (and says
    /// so); a closure that reaches an invalid value reports it. The warning
    /// that says so, or nil when svccfg would import the bundle. The reader
    /// makes it on its own thread (`ReadResult.importChecks`), beside the
    /// parse, so that the merge does not check every value again; it is
    /// part of reading a bundle, as it is in svccfg.
    private func importProblem(valuesValid: Bool) -> Diagnostic? {
        // What is refused first, as a closure: the words are only made for it.
        var first: (what: () -> String, location: SourceLocation, value: String)?
        func note(_ what: @escaping () -> String, _ value: String, _ location: SourceLocation) {
            if let f = first, f.location <= location { return }
            first = (what, location, value)
        }
        func owner(_ service: String, _ instance: String?) -> String {
            instance.map { "\(service):\($0)" } ?? service
        }
        func check(_ e: EntityDecl, service: String, instance: String?) {
            for d in e.dependencies where !d.delete {
                // Visited in place: `entities` makes an array of a single one.
                d.forEachEntity { v in
                    guard !FMRI.isValid(v.value) else { return }
                    note({ "a value of dependency '\(d.name)' of svc:/\(owner(service, instance))" }, v.value, v.location)
                }
            }
            for d in e.dependents where !d.delete {
                if let t = d.target, !FMRI.isValid(t.value) {
                    note({ "the target of dependent '\(d.name)' of svc:/\(owner(service, instance))" }, t.value, t.location)
                }
            }
        }
        for s in services {
            if !FMRI.isValidServiceName(s.name) { note({ "the service name" }, s.name, s.location) }
            for i in s.instances where !FMRI.isValidComponent(i.name) {
                note({ "the instance name" }, i.name, i.location)
            }
            if valuesValid { continue }
            check(s.entity, service: s.name, instance: nil)
            for i in s.instances { check(i.entity, service: s.name, instance: i.name) }
        }
        guard let first else { return nil }
        let names = services.map { "svc:/\($0.name)" }
        let listed = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        let hint = containsPlaceholder(first.value) ? "; expand the placeholders before reading with \(defineHint(first.value))" : ""
        return Diagnostic(.warning, .bundleNotImportable,
            "svccfg import would refuse this whole manifest, because \(first.what()), '\(first.value)', is not valid (svccfg checks every name and service_fmri value before it imports anything): on illumos \(listed) would be absent. smf-minimize keeps the file's services and reports an invalid value when a closure reaches it\(hint)",
            at: first.location)
    }
}
