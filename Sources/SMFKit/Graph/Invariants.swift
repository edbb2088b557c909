// The invariants of DependencyGraph's flat arrays, as the analyses assume
// them (the comment at the top of DependencyGraph.swift states the layout).
// In the manner of swift-collections' `_checkInvariants()`, but returning
// the violations rather than trapping, so that a test can corrupt a graph
// and see what is found. `DependencyGraph.init` asserts that there are
// none in debug builds.

extension DependencyGraph {
    /// Every violated invariant of the flat arrays, in words (empty when the
    /// graph is consistent): lengths, ids in range, the sort orders the
    /// analyses rely on, compressed rows that start at 0, never decrease
    /// and end at their list's length, lookups that invert the id arrays,
    /// group ownership, and reverse edges that mirror the forward ones.
    ///
    /// - Complexity: O(*V* + *E*) plus the sort checks' string comparisons.
    func checkInvariants() -> [String] {
        var v: [String] = []
        let n = instanceFMRIs.count, ns = serviceNames.count
        let ng = groupOwner.count, ne = entityKind.count

        func lengths(_ what: String, _ counts: [Int], _ expected: Int) {
            for c in counts where c != expected { v.append("\(what): length \(c), expected \(expected)"); return }
        }
        func rows(_ what: String, _ start: [Int32], rows: Int, total: Int) {
            guard start.count == rows + 1 else { v.append("\(what): \(start.count) starts for \(rows) rows"); return }
            if start.first != 0 { v.append("\(what): first start \(start[0]), expected 0") }
            if Int(start[rows]) != total { v.append("\(what): last start \(start[rows]), expected \(total)") }
            for r in 0..<rows where start[r] > start[r + 1] { v.append("\(what): row \(r) starts after row \(r + 1)"); return }
        }
        func strictlySorted(_ what: String, _ a: [String]) {
            for i in a.indices.dropFirst() where !(a[i - 1] < a[i]) {
                v.append("\(what): '\(a[i - 1])' before '\(a[i])' (not sorted or repeated)")
                return
            }
        }

        // Instances.
        lengths("instance arrays", [instanceValues.count, instanceNames.count, instanceService.count,
                                    instanceEnabled.count, instanceIsDefault.count], n)
        strictlySorted("instanceFMRIs", instanceFMRIs)
        if instanceIndex.count != n { v.append("instanceIndex: \(instanceIndex.count) keys for \(n) instances") }
        for (i, f) in instanceFMRIs.enumerated() where instanceIndex[f].map(Int.init) != i {
            v.append("instanceIndex[\(f)] is not \(i)")
            break
        }
        for i in 0..<min(n, instanceValues.count) where instanceValues[i].fmri != instanceFMRIs[i] {
            v.append("instanceValues[\(i)] is \(instanceValues[i].fmri), not \(instanceFMRIs[i])")
            break
        }

        // Services and their instances.
        strictlySorted("serviceNames", serviceNames)
        if serviceIndex.count != ns { v.append("serviceIndex: \(serviceIndex.count) keys for \(ns) services") }
        for (s, name) in serviceNames.enumerated() where serviceIndex[name].map(Int.init) != s {
            v.append("serviceIndex[\(name)] is not \(s)")
            break
        }
        lengths("servicePreferred", [servicePreferred.count], ns)
        rows("serviceInstanceStart", serviceInstanceStart, rows: ns, total: serviceInstances.count)
        if serviceInstances.count != n { v.append("serviceInstances: \(serviceInstances.count) entries for \(n) instances") }
        var listed = [Bool](repeating: false, count: n)
        if serviceInstanceStart.count == ns + 1 && servicePreferred.count == ns {
            for s in 0..<ns {
                let range = instanceRange(ofService: s)
                guard range.lowerBound <= range.upperBound, range.upperBound <= serviceInstances.count else { continue }
                var last = -1
                for k in range {
                    let i = Int(serviceInstances[k])
                    guard i >= 0 && i < n else { v.append("service \(s): instance id \(i) out of range"); continue }
                    if i <= last { v.append("service \(s): instances not ascending") }
                    last = i
                    if listed[i] { v.append("instance \(i) listed under two services") }
                    listed[i] = true
                    if i < instanceService.count && Int(instanceService[i]) != s {
                        v.append("instance \(i) listed under service \(s) but says \(instanceService[i])")
                    }
                }
                let p = Int(servicePreferred[s])
                if range.isEmpty ? p != -1 : !range.contains(where: { Int(serviceInstances[$0]) == p }) {
                    v.append("servicePreferred[\(s)] = \(p) is not one of its instances")
                }
            }
        }
        for i in 0..<min(n, instanceService.count) where !listed[i] && instanceService[i] >= 0 {
            v.append("instance \(i) is not listed under its service")
            break
        }

        // Files and unresolved names.
        strictlySorted("files", files)
        strictlySorted("unresolvedNames", unresolvedNames)
        lengths("unresolvedIsInvalid", [unresolvedIsInvalid.count], unresolvedNames.count)

        // Groups.
        lengths("group arrays", [groupGrouping.count, groupRestartOn.count], ng)
        rows("instanceGroupStart", instanceGroupStart, rows: n, total: ng)
        rows("groupEntityStart", groupEntityStart, rows: ng, total: ne)
        if instanceGroupStart.count == n + 1 && instanceValues.count == n {
            for i in 0..<n {
                let range = groupRange(ofInstance: i)
                guard range.lowerBound <= range.upperBound, range.upperBound <= ng else { continue }
                // The graph's groups of an instance are the repository's, in
                // order (their names, origins and locations are read there),
                // then the restarter's.
                let declared = instanceValues[i].groups
                let hasRestarter = instanceValues[i].restarter != nil
                if range.count != declared.count + (hasRestarter ? 1 : 0) {
                    v.append("instance \(i): \(range.count) groups, where its repository instance has \(declared.count)\(hasRestarter ? " and a restarter" : "")")
                    continue
                }
                var previous: String?
                for g in range {
                    if Int(groupOwner[g]) != i { v.append("group \(g) is in instance \(i)'s rows but owned by \(groupOwner[g])") }
                    let k = g - range.lowerBound
                    let entities = k < declared.count ? declared[k].entityCount + declared[k].invalidEntities.count : 1
                    if groupEntityStart.count == ng + 1 && Int(groupEntityStart[g + 1] - groupEntityStart[g]) != entities {
                        v.append("group \(g): \(groupEntityStart[g + 1] - groupEntityStart[g]) entities, where its repository group has \(entities)")
                    }
                    // The restarter group comes last, after the groups sorted by name.
                    guard k < declared.count else { continue }
                    if let p = previous, !(p < declared[k].name) {
                        v.append("instance \(i): groups '\(p)' and '\(declared[k].name)' not sorted by name")
                    }
                    previous = declared[k].name
                }
            }
        }

        // Entities.
        lengths("entity arrays", [entityTarget.count, entityGroup.count], ne)
        for e in 0..<min(ne, entityTarget.count) {
            let t = Int(entityTarget[e])
            let bound: Int
            switch entityKind[e] {
            case .instance: bound = n
            case .service: bound = ns
            case .file: bound = files.count
            case .unresolved: bound = unresolvedNames.count
            }
            if t < 0 || t >= bound { v.append("entity \(e) (\(entityKind[e])): target \(t) out of range 0..<\(bound)") }
            if entityKind[e] == .service && t >= 0 && t < ns && serviceInstanceStart.count == ns + 1
                && instanceRange(ofService: t).isEmpty {
                v.append("entity \(e) names service \(t), which has no instance")
            }
        }
        if groupEntityStart.count == ng + 1 && entityGroup.count == ne {
            for g in 0..<ng {
                let range = entityRange(ofGroup: g)
                guard range.lowerBound <= range.upperBound, range.upperBound <= ne else { continue }
                for e in range where Int(entityGroup[e]) != g { v.append("entityGroup[\(e)] is \(entityGroup[e]), not \(g)"); break }
            }
        }

        // Reverse edges: each row ascending, and the rows together exactly
        // the entities of that kind.
        func mirror(_ what: String, _ kind: EntityKind, _ start: [Int32], _ list: [Int32], rows count: Int) {
            rows(what, start, rows: count, total: list.count)
            guard start.count == count + 1, Int(start[count]) == list.count else { return }
            var seen = 0
            for r in 0..<count {
                var last = -1
                for k in Int(start[r])..<max(Int(start[r]), Int(start[r + 1])) {
                    let e = Int(list[k])
                    guard e >= 0 && e < ne && e < entityTarget.count else { v.append("\(what): entity \(e) out of range"); continue }
                    if e <= last { v.append("\(what): row \(r) not ascending") }
                    last = e
                    if entityKind[e] != kind || Int(entityTarget[e]) != r {
                        v.append("\(what): entity \(e) is listed under \(r) but names \(entityKind[e]) \(entityTarget[e])")
                    }
                    seen += 1
                }
            }
            let forward = entityKind.filter { $0 == kind }.count
            if seen != forward { v.append("\(what): \(seen) reverse edges for \(forward) forward edges") }
        }
        mirror("instanceNamedBy", .instance, instanceNamedByStart, instanceNamedBy, rows: n)
        mirror("serviceNamedBy", .service, serviceNamedByStart, serviceNamedBy, rows: ns)
        return v
    }
}
