/// Where something was read: a file, a 1-based line and a 1-based column
/// (0 when the column is not known).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file's number in `SourceFiles` (12 bytes in all, where a name, a
    /// line and a column would take 32: docs/PERFORMANCE.md, "The model").
    private var fileNumber: UInt32
    private var line32: Int32
    private var column32: Int32

    public var file: String {
        get { SourceFiles.shared.name(fileNumber) }
        set { fileNumber = SourceFiles.shared.number(newValue) }
    }
    public var line: Int {
        get { Int(line32) }
        set { line32 = Int32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(column32) }
        set { column32 = Int32(clamping: newValue) }
    }

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.init(fileNumber: SourceFiles.shared.number(file), line: line, column: column)
    }

    /// A location in a file already numbered (`SourceFiles.number`): what the
    /// reader makes for each element, without looking the name up again.
    init(fileNumber: UInt32, line: Int, column: Int = 0) {
        self.fileNumber = fileNumber
        self.line32 = Int32(clamping: line)
        self.column32 = Int32(clamping: column)
    }

    /// `file:line:column`, the form compilers and editors understand. The
    /// file name is escaped like any value from input (`Escape.terminal`):
    /// a file named `b\nfake.xml:1:1: error: ...` stays on its line.
    public var description: String { "\(Escape.terminal(file)):\(line):\(column)" }

    /// `file:line`, for prose (the file name escaped as in `description`).
    public var short: String { "\(Escape.terminal(file)):\(line)" }

    /// By file name, then line, then column. Two names that Swift calls
    /// equal but whose bytes differ (two files) are ordered by their bytes.
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.fileNumber != b.fileNumber {
            let fa = a.file, fb = b.file
            if fa != fb { return fa < fb }
            return fa.utf8.lexicographicallyPrecedes(fb.utf8)
        }
        return (a.line32, a.column32) < (b.line32, b.column32)
    }
}

/// How bad a finding is. Errors make `lint` exit 1; warnings do so with `--strict`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One finding about the input, with a stable code (see `docs/DIAGNOSTICS.md`).
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String

    public init(_ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation) {
        self.location = location
        self.severity = severity
        self.code = code
        // A message is one line of text whatever the input held: a value with a
        // newline or another C0/C1 control (`value="a&#x0A;b"`) is shown escaped
        // by the one terminal escaping (`Escape.terminal`), so it can neither
        // forge another `file:line:column` line nor drive a terminal.
        self.message = Escape.terminal(message)
    }

    /// `file:line:column: severity: CODE: message`
    public var description: String {
        "\(location): \(severity.rawValue): \(code.rawValue): \(message)"
    }
}

/// Stable diagnostic codes. Their meaning is documented in `docs/DIAGNOSTICS.md`;
/// a code is never reused for something else.
public enum DiagnosticCode: String, Sendable, Hashable, CaseIterable {
    // Input layer
    case pathMissing = "SMF001"          // a PATH that does not exist
    case pathUnreadable = "SMF002"       // not a regular file, a FIFO, a dangling link, an I/O error
    case symlinkLoop = "SMF003"          // a directory cycle while walking
    case fileTooLarge = "SMF004"         // over the reader's size limit
    case pathEscapesRoot = "SMF005"      // a link or include leaving --root
    // XML layer
    case xmlMalformed = "SMF010"         // libxml2 well-formedness error
    case xmlEntityRefused = "SMF011"     // an external entity or DTD that was not loaded
    case xmlEmpty = "SMF012"             // empty file
    case xmlEncoding = "SMF013"          // invalid UTF-8 or encoding
    case xmlNotBundle = "SMF014"         // root element is not service_bundle
    case dtdInvalid = "SMF015"           // DTD validation error (with --dtd)
    case dtdUnknown = "SMF016"           // DOCTYPE missing or naming another DTD
    case xmlAmplification = "SMF017"     // entity expansion limits hit
    // Manifest content
    case missingAttribute = "SMF020"     // a required attribute is absent or empty
    case badEnumeration = "SMF021"       // a value outside the DTD's enumeration
    case badFMRI = "SMF022"              // an FMRI that does not parse
    case badDependencyType = "SMF023"    // dependency type other than service/path, or a mismatch
    case badBundleType = "SMF025"        // bundle type other than manifest/profile/archive
    case nestedBundleType = "SMF026"     // nested bundle of another type
    case includeUnresolved = "SMF027"    // xi:include whose target cannot be found
    case profileNotModelled = "SMF028"   // a profile element svccfg applies that we do not model
    case badName = "SMF029"              // a service or instance name that breaks uu_check_name
    case placeholder = "SMF030"          // an unexpanded build placeholder
    case badEnvName = "SMF031"           // an envvar name that is not a portable environment variable name
    case bundleNotImportable = "SMF032"  // a manifest svccfg import refuses as a whole (an invalid value)
    // Repository
    case duplicateService = "SMF040"     // the same service with conflicting declarations
    case duplicateInstance = "SMF041"    // an instance declared twice
    case duplicateGroup = "SMF042"       // a dependency/dependent/method/pg declared twice
    case dependentTargetAbsent = "SMF043"// a dependent whose target is not in the repository
    case dependentNameClash = "SMF044"   // a dependent named like a group of its target
    case unresolvedDependency = "SMF045" // a dependency entity that names nothing
    case serviceWithoutInstance = "SMF046" // a service that has no instance (informational)
    case profileUnknownInstance = "SMF047" // a profile names an instance that does not exist
    case restarterInvalid = "SMF048"     // a restarter that names no instance
    case cycle = "SMF050"                // a dependency cycle
    case templateConflict = "SMF051"     // two files define the same unexpanded name
    // Zone / plan
    case zonecfgUnreadable = "SMF061"
    // Artefacts: what a writer left out or changed (Render/ArtefactNames.swift)
    case artefactBadName = "SMF070"      // an instance left out of an artefact: its FMRI breaks the name rules
    case artefactPlaceholder = "SMF071"  // an instance left out of an artefact: its name holds an unexpanded placeholder
    case artefactServiceType = "SMF072"  // a service type outside the DTD's enumeration, written as 'service'
    // Package manifests (--packages, docs/INPUTS.md)
    case packageDirectoryUnreadable = "SMF080" // --packages is not a directory, or holds no manifest
    case packageLineMalformed = "SMF081"       // an action line that does not parse
    case packageDirectiveMalformed = "SMF082"  // a malformed <include> or <transform>
    case packageIncludeUnresolved = "SMF083"   // an <include> whose file is not found, or a cycle
    case packageTransformNotModelled = "SMF084" // a transform operation that is read but not applied
    case packageWithoutFMRI = "SMF085"         // no set name=pkg.fmri
    case packageDuplicate = "SMF086"           // two files define the same package
    case zoneViewUnmatched = "SMF087"          // a manifest no package delivers, or a delivered manifest no file matches
    case packageMacroUnknown = "SMF088"        // a build macro before an action that is not modelled
    // Audit
    case auditLine = "SMF090"            // a line of an audited configuration that cannot be used
}

extension Array where Element == Diagnostic {
    /// Sorted by file, line, column, then code, for deterministic output.
    public func sortedForOutput() -> [Diagnostic] {
        sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            if a.code != b.code { return a.code.rawValue < b.code.rawValue }
            return a.message < b.message
        }
    }

    /// True when one of the diagnostics is an error.
    ///
    /// - Complexity: O(*n*).
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
