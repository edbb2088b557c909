/// A value kept behind one reference and copied on the first write through
/// a reference that is shared: a struct that holds one is 8 bytes wide
/// whatever the value's size, and copying it (into a dictionary, an array,
/// a graph's columns) copies a reference.
///
/// The model's large declarations live in one (`EntityDecl`, a method's
/// context): they are copied often and written rarely (docs/PERFORMANCE.md,
/// "The model").
struct CopyOnWrite<Value: Hashable & Sendable>: Hashable, Sendable {
    private final class Box: @unchecked Sendable {
        // Written only through a reference known to be the only one
        // (`value`'s modify accessor), so no other thread can see a write.
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    init(_ value: Value) { box = Box(value) }

    var value: Value {
        get { box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }

    static func == (a: CopyOnWrite, b: CopyOnWrite) -> Bool { a.box === b.box || a.box.value == b.box.value }
    func hash(into h: inout Hasher) { box.value.hash(into: &h) }
}
