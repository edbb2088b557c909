import Testing
@testable import SMFKit

/// The reader records elements through libxml2's SAX2 callbacks (issue 18):
/// what libxml2's tree used to give must come out the same, in the cases a
/// tree answered by itself (entity replacement text, inherited xml:lang,
/// text spread over several nodes, prefixes).
@Suite struct SAXReaderTests {
    func read(_ text: String, dtd: DTDSource? = nil) -> ReadResult {
        ManifestReader(options: ReaderOptions(dtd: dtd)).read(bytes: Array(text.utf8), path: "t.xml")
    }

    static let head = """
    <?xml version="1.0"?>
    <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1" [
      <!ENTITY deps "<dependency name='net' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/milestone/network'/></dependency>">
      <!ENTITY who "the &amp; daemon">
    ]>
    """

    @Test func elementsInAnEntitysReplacementTextAreReadAtEveryReference() throws {
        let r = read(Self.head + """

        <service_bundle type='manifest' name='t'>
        <service name='a/b' type='service' version='1'>
          <create_default_instance enabled='false'/>
          &deps;
          <instance name='i' enabled='true'>
            &deps;
          </instance>
        </service>
        </service_bundle>
        """)
        let s = try #require(r.bundle?.services.first)
        #expect(s.entity.dependencies.map(\.name) == ["net"])
        #expect(s.entity.dependencies.first?.entities.first?.value == "svc:/milestone/network")
        #expect(s.entity.dependencies.first?.grouping == .requireAll)
        #expect(s.instances.first?.entity.dependencies.map(\.name) == ["net"])
        // The service's own elements keep the document's lines.
        #expect(s.location.line == 7)
        #expect(s.instances.first?.location.line == 10)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
    }

    @Test func theCommonNameIsTheLoctextInCInheritedFromAnAncestorWithItsTextJoined() throws {
        let r = read(Self.head + """

        <service_bundle type='manifest' name='t'>
        <service name='a/b' type='service' version='1'>
          <create_default_instance enabled='false'/>
          <template>
            <common_name>
              <loctext xml:lang='de'>der Dienst</loctext>
            </common_name>
          </template>
          <instance name='i' enabled='true'>
            <template xml:lang='C'>
              <common_name>
                <loctext xml:lang='fr'>le service</loctext>
                <loctext>&who; <![CDATA[<one>]]>
                  two</loctext>
              </common_name>
            </template>
          </instance>
        </service>
        </service_bundle>
        """)
        let s = try #require(r.bundle?.services.first)
        #expect(s.entity.commonName == "der Dienst")
        #expect(s.instances.first?.entity.commonName == "the & daemon <one> two")
    }

    @Test func enumeratedValuesAreComparedExactly() throws {
        let r = read(Self.head + """

        <service_bundle type='manifest' name='t'>
        <service name='a/b' type='milestone' version='1'>
          <create_default_instance enabled='TRUE'/>
          <dependency name='x' grouping='require_all ' restart_on='refresh' type='service'>
            <service_fmri value='svc:/a'/>
          </dependency>
          <dependency name='y' grouping='optional_all' restart_on='' type='service'>
            <service_fmri value='svc:/a'/>
          </dependency>
          <dependent name='z' grouping='exclude_all' restart_on='restart'>
            <service_fmri value='svc:/c'/>
          </dependent>
        </service>
        </service_bundle>
        """)
        let s = try #require(r.bundle?.services.first)
        #expect(s.type == "milestone")
        #expect(s.createDefaultInstance?.enabled == nil)
        #expect(s.entity.dependencies.isEmpty)
        #expect(s.entity.dependents.first?.grouping == .excludeAll)
        #expect(s.entity.dependents.first?.restartOn == .restart)
        let messages = r.diagnostics.map { "\($0.code.rawValue) \($0.location.line):\($0.location.column) \($0.message)" }
        #expect(messages == [
            "SMF021 8:3 <create_default_instance enabled='TRUE'>: the value must be 'true' or 'false'",
            "SMF021 9:3 <dependency> grouping 'require_all ' is not one of require_all, require_any, optional_all, exclude_all; svc.startd would put the instance in maintenance",
            "SMF020 12:3 <dependency> lacks its required 'restart_on' attribute",
        ], "\(messages)")
    }

    @Test func aPrefixedAttributeIsNotTheAttributeButStillCountsAsPresent() throws {
        let r = read(Self.head + """

        <service_bundle type='manifest' name='t' xmlns:x='urn:x'>
        <service name='a/b' type='service' version='1'>
          <create_default_instance x:enabled='true'/>
        </service>
        <x:service name='c/d' type='service' version='1'/>
        <y:service name='e/f' type='service' version='1'/>
        </service_bundle>
        """)
        let b = try #require(r.bundle)
        // xmlHasProp saw x:enabled (no "lacks its required 'enabled'"), xmlGetNoNsProp did not.
        #expect(b.services.first?.createDefaultInstance?.enabled == nil)
        #expect(!r.diagnostics.contains { $0.message.contains("'enabled'") }, "\(r.diagnostics)")
        // A declared prefix names the element by its local name; an undeclared one does not.
        #expect(b.services.map(\.name) == ["a/b", "c/d"])
    }

    @Test func theRootsNameIsTheOneWritten() {
        let r = read("<?xml version='1.0'?>\n<p:manifest xmlns:p='urn:p'/>\n")
        #expect(r.bundle == nil)
        #expect(r.diagnostics.map(\.message) == ["the root element is <manifest>, not <service_bundle>: not an SMF manifest or profile"])
        let u = read("<?xml version='1.0'?>\n<q:manifest/>\n")
        #expect(u.diagnostics.first?.message == "the root element is <q:manifest>, not <service_bundle>: not an SMF manifest or profile",
                "\(u.diagnostics)")
    }

    @Test func withADTDTheDocumentIsValidatedAndItsValuesStillRead() throws {
        let dtd = DTDSource(path: "t.dtd", bytes: Array("""
        <!ELEMENT service_bundle (service*)>
        <!ATTLIST service_bundle type CDATA #REQUIRED name CDATA #REQUIRED>
        <!ELEMENT service (create_default_instance?)>
        <!ATTLIST service name CDATA #REQUIRED type CDATA #REQUIRED version CDATA #REQUIRED>
        <!ELEMENT create_default_instance EMPTY>
        <!ATTLIST create_default_instance enabled (true|false) #REQUIRED>

        """.utf8))
        let r = read("""
        <?xml version="1.0"?>
        <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
        <service_bundle type='manifest' name='t'>
        <service name='a/b' type='service' version='1'>
          <create_default_instance enabled='true'/>
          <instance name='i' enabled='true'/>
        </service>
        </service_bundle>
        """, dtd: dtd)
        let s = try #require(r.bundle?.services.first)
        #expect(s.instances.map(\.name) == ["i"])
        let dtdErrors = r.diagnostics.filter { $0.code == .dtdInvalid }
        #expect(dtdErrors.map(\.message) == [
            "Element service content does not follow the DTD, expecting (create_default_instance)?, got (create_default_instance instance )",
            "No declaration for element instance",
            "No declaration for attribute name of element instance",
            "No declaration for attribute enabled of element instance",
        ], "\(r.diagnostics)")
        #expect(dtdErrors.map(\.location.line) == [4, 6, 6, 6])
    }

    @Test("an entity of elements referenced thousands of times stops at the entity-copy limit libxml2's tree builder applied",
          .timeLimit(.minutes(5)))
    func quadraticElements() {
        let deps = String(repeating: "<dependency name='d' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/a/b'/></dependency>", count: 400)
        let r = read("""
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1' [
        <!ENTITY e "\(deps)">
        ]>
        <service_bundle type='manifest' name='q'>
        <service name='site/q' type='service' version='1'>\(String(repeating: "&e;", count: 3000))</service>
        </service_bundle>
        """)
        #expect(r.bundle == nil)
        #expect(r.diagnostics.map(\.code) == [.xmlAmplification], "\(r.diagnostics)")
        #expect(r.diagnostics.first?.location.line == 6)
        #expect(r.diagnostics.first?.message == "Detected an entity reference loop")
    }
}
