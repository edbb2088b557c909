// Text and JSON for the graph analyses: closure, why, dependents, tree,
// cycles. The shapes are documented in docs/CLOSURE.md.

extension Edge {
    /// `{"from", "to", "entity", "group", "grouping", "restart_on", "origin", "declarer", "file", "line"}`
    public var json: JSON {
        .object([
            ("from", .string(from)),
            ("to", .string(to)),
            ("entity", .string(entity)),
            ("group", .string(group)),
            ("grouping", .string(grouping.rawValue)),
            ("restart_on", .string(restartOn.rawValue)),
            ("origin", .string(origin.kind)),
            ("declarer", .opt(origin.declarer)),
            ("file", .string(location.file)),
            ("line", .int(location.line)),
        ])
    }

}

extension ResolvedRequest {
    public var json: JSON {
        .object([
            ("request", .string(request)),
            ("match", .string(match.rawValue)),
            ("instances", .strings(instances)),
            ("serviceChoices", .array(serviceChoices.map {
                .object([("service", .string($0.service)), ("chosen", .string($0.chosen)), ("others", .strings($0.others)),
                         ("reason", .string($0.reason))])
            })),
        ])
    }

    /// `ssh -> svc:/network/ssh:default (service svc:/network/ssh, by preference; no other instance)`
    public var text: String {
        var s = "\(tty(request)) -> \(tty(instances.joined(separator: ", ")))"
        for c in serviceChoices {
            if c.others.isEmpty {
                s += " (service \(tty(c.service)) resolved to \(tty(c.chosen)), its only instance)"
            } else {
                s += " (service \(tty(c.service)) resolved to \(tty(c.chosen)) by preference, \(tty(c.reason)); other instances: "
                    + tty(c.others.joined(separator: ", ")) + ")"
            }
        }
        return s
    }
}

/// `closure` output.
public struct ClosureReport: Sendable {
    public var closure: Closure
    public var requests: [ResolvedRequest]
    /// With `--packages`: the closure's packages (`PackageView.section`), as JSON.
    public var packages: JSON?

    public init(_ closure: Closure, requests: [ResolvedRequest], packages: JSON? = nil) {
        self.closure = closure
        self.requests = requests
        self.packages = packages
    }

    /// `{"closure", "choices", "unresolved", "files", "conflicts", "requested", "resolvedRequests", "resolutions"}`
    public var json: JSON {
        .object([
            ("closure", .strings(closure.members)),
            ("choices", .array(closure.choices.map {
                .object([("instance", .string($0.instance)), ("group", .string($0.group)),
                         ("chosen", .string($0.chosen)), ("alternatives", .strings($0.alternatives))])
            })),
            ("unresolved", .array(closure.unresolved.map {
                .object([("instance", .string($0.instance)), ("group", .string($0.group)), ("entity", .string($0.entity))])
            })),
            ("invalid", .array(closure.invalid.map {
                .object([("instance", .string($0.instance)), ("group", .string($0.group)), ("value", .string($0.value))] + $0.location.jsonMembers)
            })),
            ("files", .array(closure.files.map {
                .object([("instance", .string($0.instance)), ("path", .string($0.path)), ("group", .string($0.group))] + $0.location.jsonMembers)
            })),
            ("conflicts", .array(closure.conflicts.map {
                .object([("instance", .string($0.instance)), ("group", .string($0.group)), ("excluded", .string($0.excluded))] + $0.location.jsonMembers)
            })),
            ("requested", .strings(closure.requested)),
            ("resolvedRequests", .array(requests.map(\.json))),
            ("resolutions", .array(closure.resolutions.map {
                .object([("instance", .string($0.instance)), ("group", .string($0.group)), ("service", .string($0.service)),
                         ("chosen", .string($0.chosen)), ("alternatives", .strings($0.alternatives))])
            })),
        ] + (packages.map { [("packages", $0)] } ?? []))
    }

    public var text: String {
        var out = "requested:\n"
        for r in requests { out += "  \(r.text)\n" }
        out += "closure (\(closure.members.count) instance\(closure.members.count == 1 ? "" : "s")):\n"
        for m in closure.members { out += "  \(tty(m))\n" }
        if !closure.choices.isEmpty {
            out += "choices (require_any groups, in the order made):\n"
            for c in closure.choices {
                let alt = c.alternatives.isEmpty ? "no alternative" : "over " + c.alternatives.joined(separator: ", ")
                out += "  \(tty(c.instance)) group '\(tty(c.group))': \(tty(c.chosen)), \(tty(alt))\n"
            }
        }
        if !closure.resolutions.isEmpty {
            out += "services resolved by preference (require_all entities naming a service):\n"
            for r in closure.resolutions {
                let alt = r.alternatives.isEmpty ? "its only instance" : "over " + r.alternatives.joined(separator: ", ")
                out += "  \(tty(r.instance)) group '\(tty(r.group))': \(tty(r.service)) -> \(tty(r.chosen)), \(tty(alt))\n"
            }
        }
        if !closure.files.isEmpty {
            out += "required files (path dependencies that must exist):\n"
            for f in closure.files { out += "  \(tty(f.path))  needed by \(tty(f.instance)) group '\(tty(f.group))' at \(f.location.short)\n" }
        }
        if !closure.unresolved.isEmpty {
            out += "unresolved (entities that name nothing):\n"
            for u in closure.unresolved { out += "  \(tty(u.instance)) group '\(tty(u.group))': \(tty(u.entity))\n" }
        }
        if !closure.invalid.isEmpty {
            out += "invalid (values that are not FMRIs; svccfg import refuses the whole manifest holding one, so on illumos its services would be absent):\n"
            for v in closure.invalid { out += "  \(tty(v.instance)) group '\(tty(v.group))': '\(tty(v.value))' at \(v.location.short)\n" }
        }
        if !closure.conflicts.isEmpty {
            out += "conflicts (exclude_all entities inside the closure):\n"
            for c in closure.conflicts {
                out += "  \(tty(c.instance)) group '\(tty(c.group))' excludes \(tty(c.excluded)), also in the closure (\(c.location.short))\n"
            }
        }
        return out
    }
}

/// `why` output.
public struct WhyReport: Sendable {
    public var answer: WhyAnswer
    public var requests: [ResolvedRequest]
    public var closure: Closure

    public init(_ answer: WhyAnswer, closure: Closure, requests: [ResolvedRequest]) {
        self.answer = answer
        self.closure = closure
        self.requests = requests
    }

    /// `{"target", "status", "inClosure", "requested", "chain", "leavesClosureAt", "directEdges"}`
    public var json: JSON {
        .object([
            ("target", .string(answer.target)),
            ("status", .string(answer.status.rawValue)),
            ("inClosure", .bool(answer.status == .inClosure || answer.status == .requested)),
            ("requested", .strings(closure.requested)),
            ("chain", .array(answer.chain.map(\.json))),
            ("leavesClosureAt", answer.leavesClosureAt.map { .int($0) } ?? .null),
            ("directEdges", .array(answer.directEdges.map(\.json))),
        ])
    }

    public var text: String {
        let wanted = closure.requested.joined(separator: ", ")
        var out = ""
        switch answer.status {
        case .requested:
            out += "\(tty(answer.target)) was requested itself.\n"
        case .inClosure:
            out += "\(tty(answer.target)) is in the closure of \(tty(wanted)), through \(answer.chain.count) edge\(answer.chain.count == 1 ? "" : "s"):\n"
            out += chainText(answer.chain, leaves: nil)
        case .reachable:
            out += "\(tty(answer.target)) is NOT in the closure of \(tty(wanted)).\n"
            if let k = answer.leavesClosureAt, k < answer.chain.count {
                let e = answer.chain[k]
                if e.grouping == .optionalAll {
                    out += "The closure does not follow \(tty(e.from))'s optional_all group '\(tty(e.group))' (a disabled optional dependency is satisfied); following it would reach the target:\n"
                } else {
                    out += "\(tty(e.from))'s \(e.grouping.rawValue) group '\(tty(e.group))' is satisfied by another member of the closure, so this alternative is not taken; taking it would reach the target:\n"
                }
            }
            out += chainText(answer.chain, leaves: answer.leavesClosureAt)
        case .unreachable:
            out += "\(tty(answer.target)) is NOT in the closure of \(tty(wanted)), and no edge from the closure leads to it.\n"
        }
        if !answer.directEdges.isEmpty {
            out += "edges from closure members straight to it (not followed):\n"
            for e in answer.directEdges { out += "  \(EdgeWords.arrow(e))\n" }
        }
        return out
    }

    private func chainText(_ chain: [Edge], leaves: Int?) -> String {
        guard let first = chain.first else { return "" }
        var out = "  \(tty(first.from))\n"
        for (k, e) in chain.enumerated() {
            let mark = k == leaves ? "  <- leaves the closure" : ""
            out += "  -> \(tty(e.to))\n       \(EdgeWords.detail(e))\(mark)\n"
        }
        return out
    }
}

/// `dependents` output.
public struct DependentsReport: Sendable {
    public var target: String
    public var dependents: [DependentEntry]

    public init(target: String, dependents: [DependentEntry]) {
        self.target = target
        self.dependents = dependents
    }

    /// `{"target", "dependents": [{"instance", "depth", "edge"}]}`
    public var json: JSON {
        .object([
            ("target", .string(target)),
            ("dependents", .array(dependents.map {
                .object([("instance", .string($0.instance)), ("depth", .int($0.depth)), ("edge", $0.edge.json)])
            })),
        ])
    }

    public var text: String {
        if dependents.isEmpty {
            return "Nothing enabled in the baseline needs \(tty(target)) through a hard edge; disabling it stops nothing else.\n"
        }
        var out = "Disabling \(tty(target)) stops \(dependents.count) baseline-enabled instance\(dependents.count == 1 ? "" : "s"):\n"
        for d in dependents {
            out += "  \(tty(d.instance))  [depth \(d.depth)] needs \(tty(d.edge.to)): \(EdgeWords.detail(d.edge))\n"
        }
        return out
    }
}

/// `tree` output.
public struct TreeReport: Sendable {
    public var nodes: [TreeNode]

    public init(_ nodes: [TreeNode]) { self.nodes = nodes }

    /// `{"nodes": [{"depth", "parent", "kind", "name", "repeated", "edge"}]}`, in pre-order.
    public var json: JSON {
        .object([("nodes", .array(nodes.map { n in
            .object([
                ("depth", .int(n.depth)),
                ("parent", n.parent.map { .int($0) } ?? .null),
                ("kind", .string(n.kind.rawValue)),
                ("name", .string(n.name)),
                ("repeated", .bool(n.repeated)),
                ("edge", n.edge?.json ?? .null),
            ])
        }))])
    }

    /// Box-drawing tree; repeated instances say `(see above)`.
    public var text: String {
        var lastChild = [Int: Int]()  // parent index -> index of its last child
        for (i, n) in nodes.enumerated() { if let p = n.parent { lastChild[p] = i } }
        var out = ""
        var open: [Bool] = []  // for each depth above, whether its branch continues
        for (i, n) in nodes.enumerated() {
            if n.depth == 0 {
                out += tty(n.name) + (n.repeated ? "  (see above)" : "") + "\n"
                open = []
                continue
            }
            let isLast = n.parent.map { lastChild[$0] == i } ?? true
            if open.count >= n.depth { open.removeLast(open.count - (n.depth - 1)) }
            var line = ""
            for cont in open { line += cont ? "│   " : "    " }
            line += isLast ? "└── " : "├── "
            let label: String
            if let e = n.edge {
                label = e.origin == .restarter ? "[restarter]" : "[\(e.grouping.rawValue) '\(tty(e.group))']"
            } else {
                label = ""
            }
            let name: String
            switch n.kind {
            case .instance: name = tty(n.name) + (n.repeated ? "  (see above)" : "")
            case .file: name = "file \(tty(n.name))"
            case .unresolved: name = "\(tty(n.name))  (unresolved: names nothing)"
            case .truncated: name = tty(n.name)
            }
            out += line + (label.isEmpty ? "" : label + " ") + name + "\n"
            open.append(!isLast)
        }
        return out
    }
}

/// `cycles` output.
public struct CyclesReport: Sendable {
    public var cycles: [Cycle]

    public init(_ cycles: [Cycle]) { self.cycles = cycles }

    /// `{"cycles": [[members...], ...], "edges": [[edge, ...], ...]}`: `edges[k]` are the edges of `cycles[k]`.
    public var json: JSON {
        .object([
            ("cycles", .array(cycles.map { .strings($0.members) })),
            ("edges", .array(cycles.map { .array($0.edges.map(\.json)) })),
        ])
    }

    public var text: String {
        if cycles.isEmpty { return "No dependency cycle.\n" }
        var out = ""
        for (k, c) in cycles.enumerated() {
            out += "cycle \(k + 1): \(tty(c.members.joined(separator: ", ")))\n"
            for e in c.edges { out += "  \(EdgeWords.arrow(e))\n" }
        }
        return out
    }
}

extension Cycle {
    /// An SMF050 error, placed at the first edge.
    public var diagnostic: Diagnostic {
        let edges = self.edges.map(EdgeWords.cycleStep)
        let what = members.count == 1 ? "\(members[0]) depends on itself" : "dependency cycle among \(members.joined(separator: ", "))"
        return Diagnostic(.error, .cycle,
                          "\(what): \(edges.joined(separator: "; ")); svc.startd refuses the edge that closes a cycle and puts the instance in maintenance",
                          at: self.edges.first?.location ?? SourceLocation(file: "<unknown>"))
    }
}
