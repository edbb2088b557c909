/// One line of a closure drawn as a tree, in pre-order.
public struct TreeNode: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case instance, file, unresolved
        /// Stands for the children of an instance at the depth limit, which
        /// are not drawn; `name` says how many.
        case truncated
    }

    /// 0 for a requested instance, 1 for what it needs, ...
    public var depth: Int
    /// The index of the parent node in the list; nil for a root.
    public var parent: Int?
    public var kind: Kind
    /// An instance FMRI, a path, or the unresolved entity.
    public var name: String
    /// The edge from the parent (nil for a root).
    public var edge: Edge?
    /// True when this instance was already expanded above: it is not expanded again.
    public var repeated: Bool
}

extension DependencyGraph {
    /// The closure as a tree: each requested instance (FMRI order) is a root;
    /// the children of an instance are what it needs inside the closure, in
    /// (group name, entity) order: members named by its require_all,
    /// restarter and require_any groups, files of path entities, and
    /// entities that name nothing. Each instance is expanded once; later
    /// occurrences are marked `repeated` and have no children, so shared
    /// nodes and cycles never repeat or loop. Iterative (no recursion).
    ///
    /// With `maxDepth`, an instance first met at that depth is not
    /// expanded: one `truncated` node below it says how many children were
    /// left out, and later occurrences are `repeated` as usual. The tree has
    /// at most one node per member and per closure edge, at depths up to
    /// `maxDepth + 1`, so its text is bounded on a chain of any length.
    public func tree(of closure: Closure, maxDepth: Int? = nil) -> [TreeNode] {
        var nodes: [TreeNode] = []
        var expanded = [Bool](repeating: false, count: instanceCount)
        // Stack of nodes still to emit, as (node without index, instance id or -1).
        var stack: [(TreeNode, Int)] = []
        for r in closure.requestedIDs.reversed() {
            stack.append((TreeNode(depth: 0, parent: nil, kind: .instance, name: instanceFMRIs[r], edge: nil,
                                   repeated: false), r))
        }
        while let (node, id) = stack.popLast() {
            var node = node
            let index = nodes.count
            if id >= 0 && expanded[id] {
                node.repeated = true
                nodes.append(node)
                continue
            }
            nodes.append(node)
            guard id >= 0 else { continue }
            expanded[id] = true
            if let maxDepth, node.depth >= maxDepth {
                let k = children(of: id, parent: index, depth: 0, closure, count: true).count
                if k > 0 {
                    nodes.append(TreeNode(depth: node.depth + 1, parent: index, kind: .truncated,
                                          name: "… \(k) more edge\(k == 1 ? "" : "s") below depth \(maxDepth) not shown",
                                          edge: nil, repeated: false))
                }
                continue
            }
            stack += children(of: id, parent: index, depth: node.depth + 1, closure, count: false).reversed()
        }
        return nodes
    }

    /// The children of instance `id` in the tree, in (group name, entity)
    /// order; with `count`, placeholders only (their number is what counts).
    private func children(of id: Int, parent index: Int, depth: Int, _ closure: Closure, count: Bool) -> [(TreeNode, Int)] {
        var children: [(TreeNode, Int)] = []
        let blank = TreeNode(depth: depth, parent: index, kind: .instance, name: "", edge: nil, repeated: false)
        for g in groupRange(ofInstance: id) where isClosureGroup(g) {
            for e in entityRange(ofGroup: g) {
                let t = Int(entityTarget[e])
                switch entityKind[e] {
                case .instance, .service:
                    for v in instancesNamed(byEntity: e) where closure.isMember[v] {
                        children.append(count ? (blank, v) : (TreeNode(depth: depth, parent: index, kind: .instance,
                                                                       name: instanceFMRIs[v], edge: edge(entity: e, group: g, to: v),
                                                                       repeated: false), v))
                    }
                case .file:
                    children.append(count ? (blank, -1) : (TreeNode(depth: depth, parent: index, kind: .file, name: files[t],
                                                                    edge: edge(entity: e, group: g), repeated: false), -1))
                case .unresolved:
                    // An unresolved alternative of a require_any group is not needed.
                    if groupGrouping[g] == .requireAny { continue }
                    children.append(count ? (blank, -1) : (TreeNode(depth: depth, parent: index, kind: .unresolved,
                                                                    name: unresolvedNames[t], edge: edge(entity: e, group: g),
                                                                    repeated: false), -1))
                }
            }
        }
        return children
    }
}
