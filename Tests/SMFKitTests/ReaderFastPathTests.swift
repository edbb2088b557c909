import Testing
@testable import SMFKit

/// The reader reads attributes in place (a performance change); the cases
/// that must still go through libxml2 keep their meaning.
@Suite struct ReaderFastPathTests {
    func read(_ text: String) -> ReadResult {
        ManifestReader().read(bytes: Array(text.utf8), path: "t.xml")
    }

    @Test func aDefaultFromTheInternalSubsetIsStillRead() {
        let r = read("""
        <?xml version="1.0"?>
        <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1" [
          <!ATTLIST create_default_instance enabled CDATA "true">
        ]>
        <service_bundle type='manifest' name='t'>
        <service name='a/b' type='service' version='1'>
          <create_default_instance/>
        </service>
        </service_bundle>
        """)
        #expect(r.bundle?.services.first?.createDefaultInstance?.enabled == true)
    }

    @Test func entityReferencesInAnAttributeAreJoined() {
        let r = read("""
        <?xml version="1.0"?>
        <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1" [
          <!ENTITY svc "network/x">
        ]>
        <service_bundle type='manifest' name='t'>
        <service name='&svc;/y' type='service' version='1'>
          <create_default_instance enabled='false'/>
          <dependency name='d' grouping='require_all' restart_on='none' type='service'>
            <service_fmri value='svc:/&svc;:default'/>
          </dependency>
        </service>
        </service_bundle>
        """)
        let s = r.bundle?.services.first
        #expect(s?.name == "network/x/y")
        #expect(s?.entity.dependencies.first?.entities.first?.value == "svc:/network/x:default")
    }

    @Test func anAbsentOrEmptyAttributeIsNilOrEmpty() {
        let r = read("""
        <?xml version="1.0"?>
        <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
        <service_bundle type='manifest' name='t'>
        <service name='a/b' type='service' version=''>
          <create_default_instance enabled='true'/>
        </service>
        </service_bundle>
        """)
        #expect(r.bundle?.services.first?.version == "")
        #expect(r.diagnostics.contains { $0.message.contains("'version'") })
    }
}
