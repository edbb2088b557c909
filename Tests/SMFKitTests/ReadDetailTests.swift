import Foundation
import Testing
@testable import SMFKit

/// `ReadDetail.structure`: the reader checks every element as before (the
/// same diagnostics) and keeps the bundle less the properties, the exec
/// lines and the method contexts; the graph and the closure are the same; a session that was
/// asked for less reads again, whole, when a stage needs more.
@Suite("ReadDetail: what the reader keeps")
struct ReadDetailTests {
    /// `bundle` as `.structure` should keep it: without the properties of
    /// property groups and exec methods, without exec lines (empty), without
    /// method contexts.
    static func structural(_ bundle: ServiceBundle) -> ServiceBundle {
        func strip(_ e: EntityDecl) -> EntityDecl {
            var e = e
            e.methodContext = nil
            e.methods = e.methods.map { m in
                var m = m
                m.context = nil
                m.properties = []
                m.exec = ""
                return m
            }
            e.propertyGroups = e.propertyGroups.map { pg in
                var pg = pg
                pg.properties = []
                return pg
            }
            return e
        }
        var b = bundle
        b.services = b.services.map { s in
            var s = s
            s.entity = strip(s.entity)
            s.instances = s.instances.map { i in
                var i = i
                i.entity = strip(i.entity)
                return i
            }
            return s
        }
        b.nested = b.nested.map(structural)
        return b
    }

    static func readBoth(bytes: [UInt8], path: String) -> (full: ReadResult, structure: ReadResult) {
        let full = ManifestReader().read(bytes: bytes, path: path)
        let structure = ManifestReader(options: ReaderOptions(detail: .structure)).read(bytes: bytes, path: path)
        return (full, structure)
    }

    /// Compares the two readings of one file; returns a problem, or nil.
    static func compare(bytes: [UInt8], path: String) -> String? {
        compare(readBoth(bytes: bytes, path: path), path: path)
    }

    static func compare(_ readings: (full: ReadResult, structure: ReadResult), path: String) -> String? {
        let (full, structure) = readings
        if full.diagnostics != structure.diagnostics { return "\(path): the diagnostics differ" }
        if full.importChecks != structure.importChecks { return "\(path): the import checks differ" }
        if full.bundle.map(structural) != structure.bundle { return "\(path): the bundle is not the full one less its properties, exec lines and contexts" }
        return nil
    }

    static let problems = """
    <?xml version="1.0"?>
    <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
    <service_bundle type='manifest' name='t'>
    <service name='site/p' type='service' version='1'>
      <create_default_instance enabled='true'/>
      <method_context working_directory='/tmp'>
        <method_credential group='staff'/>
        <method_environment>
          <envvar name='9BAD' value='x'/>
          <envvar name='GOOD' value='y'/>
          <envvar value='nameless'/>
        </method_environment>
      </method_context>
      <exec_method type='method' name='start' exec='/lib/svc/method/p' timeout_seconds='60'>
        <method_context><method_profile/></method_context>
        <propval name='m' type='astring' value='1'/>
        <propval name='novalue' type='astring'/>
      </exec_method>
      <exec_method type='method' name='stop' timeout_seconds='60'/>
      <exec_method type='method' name='refresh' exec='' timeout_seconds='60'/>
      <property_group name='config' type='application'>
        <propval name='port' type='count' value='80'/>
        <propval name='' type='astring' value='empty name'/>
        <propval type='astring' value='no name'/>
        <propval name='empty' type='astring' value=''/>
        <propval name='missing' type='astring'/>
        <property name='list' type='astring'>
          <astring_list><value_node value='a'/><value_node value='b'/></astring_list>
        </property>
        <property type='astring'/>
      </property_group>
      <property_group name='startd' type='framework'>
        <propval name='duration' type='astring' value='transient'/>
      </property_group>
      <instance name='second' enabled='false'>
        <method_context><method_credential user='daemon'/></method_context>
        <property_group name='i' type='application'><propval name='x' type='boolean' value='true'/></property_group>
      </instance>
    </service>
    </service_bundle>
    """

    @Test("a manifest with every kind of property and context problem: the same diagnostics, the structure kept")
    func problemsSaidTheSame() throws {
        let bytes = Array(Self.problems.utf8)
        let (full, structure) = Self.readBoth(bytes: bytes, path: "p.xml")
        // The full reading has the properties this test strips, and the
        // diagnostics of the missing names, values, user and profile name.
        let service = try #require(full.bundle?.services.first)
        #expect(service.entity.propertyGroups.map(\.properties.count) == [3, 1])
        #expect(service.entity.methodContext?.environment.count == 2)
        #expect(full.diagnostics.filter { $0.code == .missingAttribute }.count >= 6)
        #expect(full.diagnostics.contains { $0.code == .badEnvName })
        // The structure reading says the same and keeps the rest.
        #expect(full.diagnostics == structure.diagnostics)
        let kept = try #require(structure.bundle?.services.first)
        #expect(kept.entity.propertyGroups.map(\.name) == ["config", "startd"])
        #expect(kept.entity.propertyGroups.allSatisfy { $0.properties.isEmpty })
        #expect(kept.entity.methodContext == nil)
        #expect(service.entity.methods.map(\.exec) == ["/lib/svc/method/p", "", ""])
        #expect(full.diagnostics.contains { $0.message == "<exec_method> lacks its required 'exec' attribute" })
        #expect(kept.entity.methods.map(\.exec) == ["", "", ""])
        #expect(kept.entity.methods.map(\.name) == ["start", "stop", "refresh"])
        #expect(kept.entity.methods.allSatisfy { $0.properties.isEmpty && $0.context == nil })
        #expect(kept.instances.first?.entity.propertyGroups.map(\.name) == ["i"])
        #expect(Self.compare(bytes: bytes, path: "p.xml") == nil)
    }

    static func xmlFiles(under dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".xml") }.sorted().map { dir + "/" + $0 }
    }

    @Test("every fixture and the bundled sample: the same diagnostics, the bundle less its properties and contexts")
    func fixturesAndSample() throws {
        let files = Self.xmlFiles(under: TestPaths.packageRoot + "/Tests/Fixtures")
            + Self.xmlFiles(under: TestPaths.packageRoot + "/manifests")
        #expect(files.count > 50)
        var withProperties = 0
        for path in files {
            guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else { continue }
            let readings = Self.readBoth(bytes: bytes, path: path)
            if let problem = Self.compare(readings, path: path) { Issue.record("\(problem)") }
            if readings.full.bundle.map({ Self.structural($0) != $0 }) == true { withProperties += 1 }
        }
        // The comparison saw files whose properties it dropped.
        #expect(withProperties > 10)
    }

    @Test("the corpora: every file the same but its properties and contexts",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func corpora() throws {
        let files = Self.xmlFiles(under: TestPaths.illumos) + Self.xmlFiles(under: TestPaths.oi)
        #expect(files.count > 300)
        for path in files {
            guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else { continue }
            if let problem = Self.compare(bytes: bytes, path: path) { Issue.record("\(problem)") }
        }
    }

    static let sample = TestPaths.packageRoot + "/manifests"

    /// How many properties the repository's services and instances keep.
    static func properties(in repo: Repository) -> Int {
        func count(_ e: EntityDecl) -> Int { e.propertyGroups.reduce(0) { $0 + $1.properties.count } }
        return repo.services.values.reduce(0) { n, s in
            n + count(s.entity) + s.instances.values.reduce(0) { $0 + count($1.entity) }
        }
    }

    @Test("the graph and the closures from a structure repository are the full one's")
    func sameGraph() throws {
        let full = Loader.loadInput(InputSpec(root: Self.sample)).repository
        var spec = InputSpec(root: Self.sample)
        spec.detail = .structure
        let structure = Loader.loadInput(spec).repository
        #expect(full.diagnostics == structure.diagnostics)
        #expect(full.counts == structure.counts)
        #expect(full.instanceFMRIs == structure.instanceFMRIs)
        let a = DependencyGraph(full), b = DependencyGraph(structure)
        #expect(a.instanceFMRIs == b.instanceFMRIs)
        #expect((0..<a.edgeCount).map(a.entityText) == (0..<b.edgeCount).map(b.entityText))
        for i in 0..<a.instanceFMRIs.count {
            let ca = a.closure(of: [i]), cb = b.closure(of: [i])
            #expect(ca.members == cb.members)
            #expect(ca.choices == cb.choices)
            #expect(ca.resolutions == cb.resolutions)
            #expect(ca.files == cb.files)
        }
        // What only the full one holds.
        #expect(Self.properties(in: full) > 20)
        #expect(Self.properties(in: structure) == 0)
    }

    @Test("a structure session reads again, whole, for a stage that needs more, and gives what a full session gives")
    func sessionReadsAgain() throws {
        var options = SessionOptions()
        options.root = Self.sample
        options.wanted = ["network/http:nginx"]
        let full = Session(options)
        options.detail = .structure
        let structure = Session(options)

        // The closure needs no detail: one reading.
        #expect(try structure.closure().members == full.closure().members)
        #expect(structure.evaluations[.input] == 1)
        #expect(Self.properties(in: try structure.repository()) == 0)

        // The verdict does: read again, whole, and every stage again.
        let verdict = try structure.verdict()
        #expect(structure.evaluations[.input] == 2)
        #expect(structure.evaluations[.closure] == nil || structure.evaluations[.closure] == 1)
        #expect(Self.properties(in: try structure.repository()) == Self.properties(in: try full.repository()))
        #expect(Self.properties(in: try full.repository()) > 20)
        let fullVerdict = try full.verdict()
        #expect(verdict.choice == fullVerdict.choice)
        #expect(verdict.reasons == fullVerdict.reasons)
        #expect(verdict.roles == fullVerdict.roles)
        #expect(verdict.realWork == fullVerdict.realWork)
        #expect(verdict.methods.map(\.fmri) == fullVerdict.methods.map(\.fmri))
        #expect(verdict.methods.map(\.longRunning) == fullVerdict.methods.map(\.longRunning))
        #expect(try structure.ladder() == full.ladder())
        let reports = (try structure.report(files: false, usedDefault: false, arguments: []).data,
                       try full.report(files: false, usedDefault: false, arguments: []).data)
        #expect(reports.0.verdict == reports.1.verdict)
        #expect(reports.0.verdictReasons == reports.1.verdictReasons)
        // Asked again, nothing is read a third time.
        _ = try structure.verdict()
        _ = try structure.bootPrediction(enableList: nil, globalZone: false)
        #expect(structure.evaluations[.input] == 2)
    }

    @Test("boot and audit on a structure session read whole too")
    func bootReadsAgain() throws {
        var options = SessionOptions()
        options.root = Self.sample
        let full = Session(options)
        options.detail = .structure
        let structure = Session(options)
        _ = try structure.graph()
        #expect(structure.evaluations[.input] == 1)
        let a = try structure.bootPrediction(enableList: nil, globalZone: false)
        let b = try full.bootPrediction(enableList: nil, globalZone: false)
        #expect(structure.evaluations[.input] == 2)
        #expect(a.prediction.explanations.map(\.fmri) == b.prediction.explanations.map(\.fmri))
        #expect(a.prediction.explanations.map(\.state) == b.prediction.explanations.map(\.state))
    }

    @Test("a session asked for the structure keeps no exec line, unless it has package manifests (whose report names the methods' packages)")
    func packagesKeepTheExecLines() throws {
        func execs(_ o: SessionOptions) throws -> [String] {
            let repo = try Session(o).repository()
            return repo.services.flatMap { $0.value.entity.methods.map(\.exec) + $0.value.instances.flatMap { $0.value.entity.methods.map(\.exec) } }
        }
        var o = SessionOptions()
        o.paths = [TestPaths.fixture("packages") + "/src"]
        o.detail = .structure
        let bare = try execs(o)
        #expect(!bare.isEmpty)
        #expect(bare.allSatisfy { $0.isEmpty })
        o.packagesDirectory = TestPaths.fixture("packages") + "/pkg"
        let withPackages = try execs(o)
        #expect(withPackages.count == bare.count)
        #expect(withPackages.contains { $0.hasPrefix("/") })
        o.detail = .full
        let full = try execs(o)
        #expect(full.sorted() == withPackages.sorted())
    }
}
