extension Plan {
    /// The members that disable themselves or fail in the zone, each with
    /// the members it keeps offline: what the graph's one "what goes down"
    /// walk (`DependencyGraph.dependents(of:running:)`) breaks when it does
    /// not come online and exactly `members` are enabled. So a member goes
    /// offline through a `require_all` group or a restarter edge, and
    /// through a `require_any` group none of whose entities can still come
    /// online, as svc.startd keeps it (usr/src/cmd/svc/startd/graph.c).
    ///
    /// `members` are graph ids; `roles` are their roles, one per member in
    /// ascending id order (`ZoneRoles.roles(members, ...)`), so that no
    /// member is classified twice.
    ///
    /// - Complexity: one walk per blocked member, each O(*V* + the edges
    ///   into what it breaks).
    public static func blocked(_ members: [Int], roles: [RoleAssignment], graph: DependencyGraph) -> [BlockedMember] {
        let ids = members.sorted()
        precondition(ids.count == roles.count, "one role per member")
        var running = [Bool](repeating: false, count: graph.instanceCount)
        for m in ids { running[m] = true }
        var out: [BlockedMember] = []
        for (id, r) in zip(ids, roles) where r.role.blocksDependents {
            let down = graph.dependents(of: id, running: running).map(\.instance)
            out.append(BlockedMember(fmri: r.fmri, role: r.role, note: r.note, keepsOffline: down))
        }
        return out
    }
}
