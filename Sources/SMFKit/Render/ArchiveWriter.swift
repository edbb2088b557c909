/// Writes a `Repository` as a `type='archive'` service bundle, the shape
/// `svccfg archive` writes: every service with its restarter, dependencies,
/// dependents, method context, exec_methods, property groups and template
/// name, and every instance with its baseline `enabled` and its own
/// declarations. Reading the archive back gives the same services,
/// instances, composed groups and baseline.
///
/// Output is deterministic: services sorted by name, instances in the order
/// they were first declared, everything else in file order. The element
/// order follows the DTD, so the archive validates against
/// `service_bundle.dtd.1`.
public enum ArchiveWriter {
    public static func render(_ repo: Repository, name: String = "none") -> String {
        var w = XMLOut()
        w.line(0, "<?xml version='1.0'?>")
        w.line(0, "<!DOCTYPE service_bundle SYSTEM '\(serviceBundleDTDPath)'>")
        let left = leftOut(repo)
        if !left.isEmpty {
            // Names that may not be written (Render/ArtefactNames.swift).
            w.line(0, "<!--")
            w.line(1, "Left out or changed, so that nothing from a manifest reaches this file unchecked:")
            for d in left { w.line(1, ProfileWriter.comment(ArtefactNames.commentLine(d))) }
            w.line(0, "-->")
        }
        w.line(0, "<service_bundle type='archive' name=\(attr(name))>")
        for sname in repo.serviceNames {
            guard let svc = repo.services[sname], FMRI.isValidServiceName(svc.name) else { continue }
            let type = ArtefactNames.serviceType(svc).type
            w.line(1, "<service name=\(attr(svc.name)) version=\(attr(svc.version.isEmpty ? "1" : svc.version)) type=\(attr(type))>")
            writeEntity(svc.entity, into: &w, depth: 2) { w in
                for iname in svc.instanceOrder {
                    guard let inst = svc.instances[iname], FMRI.isValidComponent(inst.name) else { continue }
                    let open = "<instance name=\(attr(inst.name)) enabled=\(attr(inst.enabled ? "true" : "false"))"
                    if isEmpty(inst.entity) {
                        w.line(2, open + "/>")
                    } else {
                        w.line(2, open + ">")
                        writeEntity(inst.entity, into: &w, depth: 3) { _ in }
                        w.line(2, "</instance>")
                    }
                }
            }
            w.line(1, "</service>")
        }
        w.line(0, "</service_bundle>")
        return w.text
    }

    /// What `render` leaves out or changes (SMF070, SMF071, SMF072): services
    /// and instances whose names may not be written, and types outside the DTD.
    public static func leftOut(_ repo: Repository) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for sname in repo.serviceNames {
            guard let svc = repo.services[sname] else { continue }
            if !FMRI.isValidServiceName(svc.name) {
                // The whole service, its instances with it.
                if let d = ArtefactNames.check(service: svc.name, instance: "default", at: svc.location) {
                    out.append(Diagnostic(d.severity, d.code,
                                          d.message.replacingAll(instanceFMRI(svc.name, "default") + " is", with: "svc:/\(svc.name) and its instances are"),
                                          at: d.location))
                }
                continue
            }
            if let d = ArtefactNames.serviceType(svc).diagnostic { out.append(d) }
            for iname in svc.instanceOrder {
                guard let inst = svc.instances[iname] else { continue }
                if let d = ArtefactNames.check(service: svc.name, instance: inst.name, at: inst.location) { out.append(d) }
            }
        }
        return out.sortedForOutput()
    }

    private static func isEmpty(_ e: EntityDecl) -> Bool {
        e.restarter?.fmri == nil && e.dependencies.allSatisfy(\.delete) && e.dependents.allSatisfy(\.delete)
            && e.methodContext == nil && e.methods.allSatisfy(\.delete) && e.propertyGroups.allSatisfy(\.delete)
            && e.commonName == nil
    }

    /// The children shared by service and instance, in DTD order; `middle`
    /// writes what comes between the property groups and the template (the
    /// instances of a service).
    private static func writeEntity(_ e: EntityDecl, into w: inout XMLOut, depth d: Int, middle: (inout XMLOut) -> Void) {
        if let r = e.restarter, let fmri = r.fmri {
            w.line(d, "<restarter>")
            w.line(d + 1, "<service_fmri value=\(attr(fmri))/>")
            w.line(d, "</restarter>")
        }
        for dep in e.dependencies where !dep.delete {
            let open = "<dependency name=\(attr(dep.name)) grouping=\(attr(dep.grouping.rawValue)) restart_on=\(attr(dep.restartOn.rawValue)) type=\(attr(dep.type))"
            if dep.entityCount == 0 {
                w.line(d, open + "/>")
                continue
            }
            w.line(d, open + ">")
            dep.forEachEntity { w.line(d + 1, "<service_fmri value=\(attr($0.value))/>") }
            w.line(d, "</dependency>")
        }
        for dep in e.dependents where !dep.delete {
            guard let target = dep.target else { continue }
            let override = dep.override ? " override='true'" : ""
            w.line(d, "<dependent name=\(attr(dep.name)) grouping=\(attr(dep.grouping.rawValue)) restart_on=\(attr(dep.restartOn.rawValue))\(override)>")
            w.line(d + 1, "<service_fmri value=\(attr(target.value))/>")
            w.line(d, "</dependent>")
        }
        if let ctx = e.methodContext { writeContext(ctx, into: &w, depth: d) }
        for m in e.methods where !m.delete {
            let open = "<exec_method type=\(attr(m.type)) name=\(attr(m.name)) exec=\(attr(m.exec)) timeout_seconds=\(attr(m.timeoutSeconds.isEmpty ? "0" : m.timeoutSeconds))"
            if m.context == nil && m.properties.isEmpty {
                w.line(d, open + "/>")
                continue
            }
            w.line(d, open + ">")
            if let ctx = m.context { writeContext(ctx, into: &w, depth: d + 1) }
            for p in m.properties { writeProperty(p, into: &w, depth: d + 1) }
            w.line(d, "</exec_method>")
        }
        for pg in e.propertyGroups where !pg.delete {
            let open = "<property_group name=\(attr(pg.name)) type=\(attr(pg.type ?? "application"))"
            if pg.properties.isEmpty {
                w.line(d, open + "/>")
                continue
            }
            w.line(d, open + ">")
            for p in pg.properties { writeProperty(p, into: &w, depth: d + 1) }
            w.line(d, "</property_group>")
        }
        middle(&w)
        if let cn = e.commonName {
            w.line(d, "<template>")
            w.line(d + 1, "<common_name>")
            w.line(d + 2, "<loctext xml:lang='C'>\(Escape.xmlText(cn))</loctext>")
            w.line(d + 1, "</common_name>")
            w.line(d, "</template>")
        }
    }

    private static func writeContext(_ ctx: MethodContext, into w: inout XMLOut, depth d: Int) {
        var open = "<method_context"
        if let v = ctx.workingDirectory { open += " working_directory=\(attr(v))" }
        if let v = ctx.project { open += " project=\(attr(v))" }
        if let v = ctx.resourcePool { open += " resource_pool=\(attr(v))" }
        if let v = ctx.securityFlags { open += " security_flags=\(attr(v))" }
        if ctx.credential == nil && ctx.profile == nil && ctx.environment.isEmpty {
            w.line(d, open + "/>")
            return
        }
        w.line(d, open + ">")
        if let p = ctx.profile {
            w.line(d + 1, "<method_profile name=\(attr(p))/>")
        } else if let c = ctx.credential {
            var s = "<method_credential user=\(attr(c.user))"
            if let v = c.group { s += " group=\(attr(v))" }
            if let v = c.suppGroups { s += " supp_groups=\(attr(v))" }
            if let v = c.privileges { s += " privileges=\(attr(v))" }
            if let v = c.limitPrivileges { s += " limit_privileges=\(attr(v))" }
            w.line(d + 1, s + "/>")
        }
        if !ctx.environment.isEmpty {
            w.line(d + 1, "<method_environment>")
            for ev in ctx.environment { w.line(d + 2, "<envvar name=\(attr(ev.name)) value=\(attr(ev.value))/>") }
            w.line(d + 1, "</method_environment>")
        }
        w.line(d, "</method_context>")
    }

    private static let propertyTypes: Set<String> = [
        "count", "integer", "opaque", "host", "hostname", "net_address", "net_address_v4", "net_address_v6",
        "time", "astring", "ustring", "boolean", "fmri", "uri",
    ]

    private static func writeProperty(_ p: Property, into w: inout XMLOut, depth d: Int) {
        let type = p.type.flatMap { propertyTypes.contains($0) ? $0 : nil } ?? "astring"
        if p.values.count == 1 {
            w.line(d, "<propval name=\(attr(p.name)) type=\(attr(type)) value=\(attr(p.values[0]))/>")
            return
        }
        if p.values.isEmpty {
            w.line(d, "<property name=\(attr(p.name)) type=\(attr(type))/>")
            return
        }
        w.line(d, "<property name=\(attr(p.name)) type=\(attr(type))>")
        w.line(d + 1, "<\(type)_list>")
        for v in p.values { w.line(d + 2, "<value_node value=\(attr(v))/>") }
        w.line(d + 1, "</\(type)_list>")
        w.line(d, "</property>")
    }

    /// A quoted attribute value, as svccfg writes them (single quotes).
    static func attr(_ s: String) -> String {
        "'" + Escape.xmlAttribute(s) + "'"
    }
}

/// Lines of XML with two-space indentation.
struct XMLOut {
    var text = ""
    mutating func line(_ depth: Int, _ s: String) {
        text += String(repeating: "  ", count: depth) + s + "\n"
    }
}
