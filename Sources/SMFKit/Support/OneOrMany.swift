/// A list kept without an array of its own when it holds exactly one
/// element (docs/PERFORMANCE.md, "The model"): most properties have one
/// value and most composed groups one entity, and an array would cost an
/// allocation each. A list of one is always `.one`, so equal lists are equal
/// values.
enum OneOrMany<Element: Hashable & Sendable>: Hashable, Sendable {
    case one(Element)
    case list([Element])

    init(_ elements: [Element]) {
        self = elements.count == 1 ? .one(elements[0]) : .list(elements)
    }

    /// The elements in order, as an array (made for a single element).
    var array: [Element] {
        switch self {
        case .one(let e): [e]
        case .list(let list): list
        }
    }

    var count: Int {
        switch self {
        case .one: 1
        case .list(let list): list.count
        }
    }

    /// The `k`th element.
    subscript(k: Int) -> Element {
        switch self {
        case .one(let e):
            precondition(k == 0, "OneOrMany: index out of range")
            return e
        case .list(let list): return list[k]
        }
    }

    var first: Element? {
        switch self {
        case .one(let e): e
        case .list(let list): list.first
        }
    }

    /// Each element in order, without making the array.
    func forEach(_ body: (Element) throws -> Void) rethrows {
        switch self {
        case .one(let e): try body(e)
        case .list(let list): for e in list { try body(e) }
        }
    }
}
