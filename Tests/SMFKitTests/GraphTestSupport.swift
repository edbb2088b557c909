@testable import SMFKit

// Small builders for inline manifests in the graph tests.

/// `<service name=...>` with `body`, version 1, type service.
func svc(_ name: String, _ body: String, type: String = "service") -> String {
    "<service name='\(name)' type='\(type)' version='1'>\n\(body)\n</service>"
}

/// A `<dependency>` with one `service_fmri` per entity.
func dep(_ name: String, _ grouping: String, _ entities: [String], restartOn: String = "none",
         type: String = "service", delete: Bool = false) -> String {
    let fmris = entities.map { "  <service_fmri value='\($0)'/>" }.joined(separator: "\n")
    return "<dependency name='\(name)' grouping='\(grouping)' restart_on='\(restartOn)' type='\(type)'\(delete ? " delete='true'" : "")>\n\(fmris)\n</dependency>"
}

/// A `<dependent>`.
func dependent(_ name: String, _ grouping: String, _ target: String, restartOn: String = "none") -> String {
    "<dependent name='\(name)' grouping='\(grouping)' restart_on='\(restartOn)'>\n  <service_fmri value='\(target)'/>\n</dependent>"
}

/// `<create_default_instance enabled=.../>`
func defaultInstance(_ enabled: Bool) -> String { "<create_default_instance enabled='\(enabled)'/>" }

/// `<instance name=... enabled=...>body</instance>`
func inst(_ name: String, _ enabled: Bool, _ body: String = "") -> String {
    "<instance name='\(name)' enabled='\(enabled)'>\(body)</instance>"
}

/// `<restarter>` naming `fmri`.
func restarter(_ fmri: String) -> String { "<restarter><service_fmri value='\(fmri)'/></restarter>" }

/// A graph of one manifest holding `services`.
func graph(_ services: String...) -> DependencyGraph {
    DependencyGraph(repository([("m.xml", manifest(services.joined(separator: "\n")))]))
}

extension DependencyGraph {
    /// The closure of instances named by canonical FMRI (test helper; unknown names are dropped).
    func closure(ofFMRIs fmris: [String]) -> Closure {
        closure(of: fmris.compactMap { instanceID($0) })
    }
}
