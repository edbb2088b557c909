/// The contents of one `service_bundle` file, as written, with the place of
/// every element. This is what the reader produces and the merge consumes; it
/// makes no decision about what wins when files disagree.
public struct ServiceBundle: Sendable, Hashable {
    /// `manifest`, `profile`, `archive`, or whatever the file says.
    public var type: BundleType
    public var name: String
    public var location: SourceLocation
    public var services: [ServiceDecl]
    /// `xi:include` elements, in file order (resolved by the input layer).
    public var includes: [IncludeDecl]
    /// Bundles nested inside this one, flattened in document order.
    public var nested: [ServiceBundle]

    public init(type: BundleType, name: String, location: SourceLocation,
                services: [ServiceDecl] = [], includes: [IncludeDecl] = [], nested: [ServiceBundle] = []) {
        self.type = type
        self.name = name
        self.location = location
        self.services = services
        self.includes = includes
        self.nested = nested
    }

    /// Every service of this bundle and of its nested bundles, in document order.
    ///
    /// - Complexity: O(services of the bundle and its nested ones): a new array each access.
    public var allServices: [ServiceDecl] {
        services + nested.flatMap(\.allServices)
    }
}

public enum BundleType: Sendable, Hashable, CustomStringConvertible {
    case manifest, profile, archive
    case other(String)

    public init(_ raw: String) {
        switch raw {
        case "manifest": self = .manifest
        case "profile": self = .profile
        case "archive": self = .archive
        default: self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .manifest: "manifest"
        case .profile: "profile"
        case .archive: "archive"
        case .other(let s): s
        }
    }

    /// Manifests and archives define services; profiles only change them.
    public var definesServices: Bool {
        switch self {
        case .manifest, .archive: true
        default: false
        }
    }
}

public struct IncludeDecl: Sendable, Hashable {
    public var href: String
    public var location: SourceLocation
    public init(href: String, location: SourceLocation) {
        self.href = href
        self.location = location
    }
}

/// A `<service>` element.
public struct ServiceDecl: Sendable, Hashable {
    /// The name without `svc:/`, e.g. `network/ssh`.
    public var name: String
    /// `service`, `restarter` or `milestone`.
    public var type: String
    public var version: String
    public var location: SourceLocation
    /// `<create_default_instance enabled=…>`; nil when absent.
    public var createDefaultInstance: CreateDefaultInstance?
    public var entity: EntityDecl
    public var instances: [InstanceDecl]

    public init(name: String, type: String, version: String, location: SourceLocation,
                createDefaultInstance: CreateDefaultInstance? = nil,
                entity: EntityDecl = EntityDecl(), instances: [InstanceDecl] = []) {
        self.name = name
        self.type = type
        self.version = version
        self.location = location
        self.createDefaultInstance = createDefaultInstance
        self.entity = entity
        self.instances = instances
    }
}

public struct CreateDefaultInstance: Sendable, Hashable {
    public var enabled: Bool?
    public var location: SourceLocation
    public init(enabled: Bool?, location: SourceLocation) {
        self.enabled = enabled
        self.location = location
    }
}

/// An `<instance>` element.
public struct InstanceDecl: Sendable, Hashable {
    public var name: String
    /// nil when the attribute is absent (allowed in profiles only).
    public var enabled: Bool?
    public var location: SourceLocation
    public var entity: EntityDecl

    public init(name: String, enabled: Bool?, location: SourceLocation, entity: EntityDecl = EntityDecl()) {
        self.name = name
        self.enabled = enabled
        self.location = location
        self.entity = entity
    }
}

/// What services and instances share: restarter, dependencies, dependents,
/// methods, method context, property groups and the template's name.
///
/// Its fields are kept behind one reference, copied on write
/// (`CopyOnWrite`): an EntityDecl is 8 bytes where its fields take about
/// 300, and services and instances are copied into several containers.
public struct EntityDecl: Sendable, Hashable {
    private struct Fields: Sendable, Hashable {
        var restarter: RestarterDecl?
        var dependencies: [DependencyDecl] = []
        var dependents: [DependentDecl] = []
        /// Behind a reference of its own: 200 bytes inline, absent from most entities.
        var methodContextBox: CopyOnWrite<MethodContext>?
        var methods: [ExecMethod] = []
        var propertyGroups: [PropertyGroup] = []
        var commonName: String?
    }

    private var fields: CopyOnWrite<Fields>

    /// One box shared by every empty declaration until it is written.
    private static let empty = CopyOnWrite(Fields())

    public var restarter: RestarterDecl? {
        get { fields.value.restarter }
        _modify { yield &fields.value.restarter }
    }
    public var dependencies: [DependencyDecl] {
        get { fields.value.dependencies }
        _modify { yield &fields.value.dependencies }
    }
    public var dependents: [DependentDecl] {
        get { fields.value.dependents }
        _modify { yield &fields.value.dependents }
    }
    public var methodContext: MethodContext? {
        get { fields.value.methodContextBox?.value }
        set { fields.value.methodContextBox = newValue.map(CopyOnWrite.init) }
    }
    public var methods: [ExecMethod] {
        get { fields.value.methods }
        _modify { yield &fields.value.methods }
    }
    public var propertyGroups: [PropertyGroup] {
        get { fields.value.propertyGroups }
        _modify { yield &fields.value.propertyGroups }
    }
    /// `template/common_name/loctext` (the `C` locale when there are several).
    public var commonName: String? {
        get { fields.value.commonName }
        _modify { yield &fields.value.commonName }
    }

    public init() { fields = Self.empty }

    public init(restarter: RestarterDecl? = nil, dependencies: [DependencyDecl] = [],
                dependents: [DependentDecl] = [], methodContext: MethodContext? = nil,
                methods: [ExecMethod] = [], propertyGroups: [PropertyGroup] = [], commonName: String? = nil) {
        fields = CopyOnWrite(Fields(restarter: restarter, dependencies: dependencies, dependents: dependents,
                                    methodContextBox: methodContext.map(CopyOnWrite.init), methods: methods,
                                    propertyGroups: propertyGroups, commonName: commonName))
    }
}

public struct RestarterDecl: Sendable, Hashable {
    /// The `service_fmri` value; nil when the element is empty.
    public var fmri: String?
    public var location: SourceLocation
    public init(fmri: String?, location: SourceLocation) {
        self.fmri = fmri
        self.location = location
    }
}

/// The four groupings of the DTD.
public enum Grouping: String, Sendable, Hashable, CaseIterable, Comparable {
    case requireAll = "require_all"
    case requireAny = "require_any"
    case optionalAll = "optional_all"
    case excludeAll = "exclude_all"

    private var rank: Int { Grouping.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Grouping, b: Grouping) -> Bool { a.rank < b.rank }

    /// Groupings that must be satisfied for the instance to start.
    public var isHard: Bool { self == .requireAll || self == .requireAny }
}

/// The four `restart_on` values, ordered as svc.startd orders them.
public enum RestartOn: String, Sendable, Hashable, CaseIterable {
    case none, error, restart, refresh
}

/// One `service_fmri` value with its place.
public struct EntityRef: Sendable, Hashable {
    public var value: String
    public var location: SourceLocation
    public init(value: String, location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// A `<dependency>` element. Invalid groupings or restart_on values are
/// reported by the reader and the element is kept out of the model.
///
/// Its single entity (nearly every dependency has one) is kept without an
/// array of its own, and its type as a byte (docs/PERFORMANCE.md, "The
/// seventh round"): a 100k tree declares 660,000 dependencies, whose
/// one-element arrays were 30 MB.
public struct DependencyDecl: Sendable, Hashable {
    public var name: String
    private var held: OneOrMany<EntityRef>
    /// A type other than `service` and `path`, as written (diagnosed).
    private var otherType: CopyOnWrite<String>?
    public var location: SourceLocation
    public var grouping: Grouping
    public var restartOn: RestartOn
    public var delete: Bool
    private var typeCode: UInt8

    /// `service` or `path` (anything else is diagnosed, and kept as written).
    public var type: String {
        get { DependencyTypeCode.text(typeCode) ?? otherType?.value ?? "" }
        set {
            typeCode = DependencyTypeCode.code(newValue)
            otherType = typeCode == DependencyTypeCode.other ? CopyOnWrite(newValue) : nil
        }
    }

    /// The `service_fmri` values in order.
    public var entities: [EntityRef] {
        get { held.array }
        set { held = OneOrMany(newValue) }
    }

    /// The number of `entities`.
    public var entityCount: Int { held.count }

    /// Each of `entities` in order, without making the list.
    public func forEachEntity(_ body: (EntityRef) throws -> Void) rethrows { try held.forEach(body) }

    /// The only entity, when there is exactly one.
    public var onlyEntity: EntityRef? {
        if case .one(let e) = held { e } else { nil }
    }

    public init(name: String, grouping: Grouping, restartOn: RestartOn, type: String,
                delete: Bool = false, entities: [EntityRef], location: SourceLocation) {
        self.name = name
        self.held = OneOrMany(entities)
        self.otherType = nil
        self.location = location
        self.grouping = grouping
        self.restartOn = restartOn
        self.delete = delete
        self.typeCode = 0
        self.type = type
    }
}

/// A dependency's type as a byte: the two svc.startd knows, or another
/// (whose text its holder keeps).
enum DependencyTypeCode {
    static let service: UInt8 = 0
    static let path: UInt8 = 1
    static let other: UInt8 = 2

    static func code(_ type: String) -> UInt8 {
        switch type {
        case "service": service
        case "path": path
        default: other
        }
    }

    /// The text of a code, nil for `other`.
    static func text(_ code: UInt8) -> String? {
        switch code {
        case service: "service"
        case path: "path"
        default: nil
        }
    }
}

/// A `<dependent>` element: svccfg turns it into a dependency group of its target.
public struct DependentDecl: Sendable, Hashable {
    public var name: String
    public var grouping: Grouping
    public var restartOn: RestartOn
    public var delete: Bool
    public var override: Bool
    /// The target; nil when the element had no `service_fmri` (diagnosed).
    public var target: EntityRef?
    public var location: SourceLocation

    public init(name: String, grouping: Grouping, restartOn: RestartOn, delete: Bool = false,
                override: Bool = false, target: EntityRef?, location: SourceLocation) {
        self.name = name
        self.grouping = grouping
        self.restartOn = restartOn
        self.delete = delete
        self.override = override
        self.target = target
        self.location = location
    }
}

/// An `<exec_method>` element.
public struct ExecMethod: Sendable, Hashable {
    /// `method` or `monitor`.
    public var type: String
    public var name: String
    public var exec: String
    public var timeoutSeconds: String
    /// Behind a reference (`CopyOnWrite`): most methods have none, and one
    /// inline would triple the size of every method.
    public var context: MethodContext? {
        get { contextBox?.value }
        set { contextBox = newValue.map(CopyOnWrite.init) }
    }
    private var contextBox: CopyOnWrite<MethodContext>?
    /// `propval`/`property` children of the method (its own property group).
    public var properties: [Property]
    public var location: SourceLocation
    // Last, after the location: 96 bytes where it took 104 between the
    // strings and the references (docs/PERFORMANCE.md, "The seventh round").
    public var delete: Bool

    public init(type: String, name: String, exec: String, timeoutSeconds: String, delete: Bool = false,
                context: MethodContext? = nil, properties: [Property] = [], location: SourceLocation) {
        self.type = type
        self.name = name
        self.exec = exec
        self.timeoutSeconds = timeoutSeconds
        self.delete = delete
        self.contextBox = context.map(CopyOnWrite.init)
        self.properties = properties
        self.location = location
    }
}

/// A `<method_context>` element.
public struct MethodContext: Sendable, Hashable {
    public var workingDirectory: String?
    public var project: String?
    public var resourcePool: String?
    public var securityFlags: String?
    public var credential: MethodCredential?
    /// `method_profile name=`: an RBAC exec_attr profile.
    public var profile: String?
    public var environment: [EnvVar]
    public var location: SourceLocation

    public init(workingDirectory: String? = nil, project: String? = nil, resourcePool: String? = nil,
                securityFlags: String? = nil, credential: MethodCredential? = nil, profile: String? = nil,
                environment: [EnvVar] = [], location: SourceLocation) {
        self.workingDirectory = workingDirectory
        self.project = project
        self.resourcePool = resourcePool
        self.securityFlags = securityFlags
        self.credential = credential
        self.profile = profile
        self.environment = environment
        self.location = location
    }
}

public struct MethodCredential: Sendable, Hashable {
    public var user: String
    public var group: String?
    public var suppGroups: String?
    public var privileges: String?
    public var limitPrivileges: String?
    public init(user: String, group: String? = nil, suppGroups: String? = nil,
                privileges: String? = nil, limitPrivileges: String? = nil) {
        self.user = user
        self.group = group
        self.suppGroups = suppGroups
        self.privileges = privileges
        self.limitPrivileges = limitPrivileges
    }
}

public struct EnvVar: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A `<property_group>` element.
public struct PropertyGroup: Sendable, Hashable {
    public var name: String
    public var type: String?
    // In this order, 56 bytes (64 with the properties before the location).
    public var delete: Bool
    public var location: SourceLocation
    public var properties: [Property]

    public init(name: String, type: String?, delete: Bool = false, properties: [Property] = [],
                location: SourceLocation) {
        self.name = name
        self.type = type
        self.delete = delete
        self.properties = properties
        self.location = location
    }

    public func property(_ name: String) -> Property? { properties.first { $0.name == name } }
}

/// A `<propval>` (one value) or `<property>` (a typed value list).
public struct Property: Sendable, Hashable {
    public var name: String
    public var type: String?
    /// The values in order; a single value (every `propval`) is kept
    /// without an array (`OneOrMany`).
    public var values: [String] {
        get { held.array }
        set { held = OneOrMany(newValue) }
    }
    public var location: SourceLocation

    private var held: OneOrMany<String>

    public init(name: String, type: String?, values: [String], location: SourceLocation) {
        self.init(name: name, type: type, held: OneOrMany(values), location: location)
    }

    /// A property of one value (a `propval`), made without an array.
    init(name: String, type: String?, value: String, location: SourceLocation) {
        self.init(name: name, type: type, held: .one(value), location: location)
    }

    private init(name: String, type: String?, held: OneOrMany<String>, location: SourceLocation) {
        self.name = name
        self.type = type
        self.held = held
        self.location = location
    }

    /// The first value, read without making the list.
    public var firstValue: String? { held.first }
}
