import Testing
@testable import SMFKit

@Suite("Reading one manifest into a bundle")
struct ReaderTests {
    static let full = """
    <?xml version='1.0'?>
    <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1' [
      <!ENTITY daemon "/usr/sbin/exampled">
    ]>
    <service_bundle type='manifest' name='example'>
      <service name='site/example' type='service' version='1'>
        <create_default_instance enabled='false'/>
        <restarter>
          <service_fmri value='svc:/network/inetd:default'/>
        </restarter>
        <dependency name='net' grouping='require_any' restart_on='error' type='service'>
          <service_fmri value='svc:/milestone/network'/>
          <service_fmri value='network/loopback:default'/>
        </dependency>
        <dependency name='conf' grouping='require_all' restart_on='refresh' type='path' delete='true'>
          <service_fmri value='file://localhost/etc/example.conf'/>
        </dependency>
        <dependent name='example_multi-user' grouping='optional_all' restart_on='none' override='true'>
          <service_fmri value='svc:/milestone/multi-user'/>
        </dependent>
        <method_context working_directory='/var/example' project='example' resource_pool='pool_default' security_flags='aslr'>
          <method_credential user='daemon' group='other' supp_groups='staff' privileges='basic,net_privaddr' limit_privileges='all'/>
          <method_environment>
            <envvar name='LANG' value='C'/>
            <envvar name='PATH' value='/usr/bin'/>
          </method_environment>
        </method_context>
        <exec_method type='method' name='start' exec='&daemon; -c %{config/file} %m' timeout_seconds='60'>
          <method_context>
            <method_profile name='Network Management'/>
          </method_context>
          <propval name='x' type='astring' value='y'/>
        </exec_method>
        <exec_method type='method' name='stop' exec=':kill' timeout_seconds='-1'/>
        <property_group name='startd' type='framework'>
          <propval name='duration' type='astring' value='child'/>
        </property_group>
        <property_group name='config' type='application'>
          <propval name='file' type='astring' value='/etc/example.conf'/>
          <property name='hosts' type='astring'>
            <astring_list>
              <value_node value='a'/>
              <value_node value='b'/>
            </astring_list>
          </property>
        </property_group>
        <instance name='second' enabled='true'>
          <dependency name='net' grouping='require_all' restart_on='none' type='service'>
            <service_fmri value='svc://localhost/network/physical:default'/>
          </dependency>
        </instance>
        <stability value='Unstable'/>
        <template>
          <common_name>
            <loctext xml:lang='fr'>exemple</loctext>
            <loctext xml:lang='C'>
              example
              daemon
            </loctext>
          </common_name>
        </template>
      </service>
    </service_bundle>
    """

    func readFull() throws -> (ServiceBundle, [Diagnostic]) {
        let r = ManifestReader().read(bytes: Array(Self.full.utf8), path: "example.xml")
        let b = try #require(r.bundle)
        return (b, r.diagnostics)
    }

    @Test("every element the analysis needs is read, with its line")
    func readsEverything() throws {
        let (b, diags) = try readFull()
        #expect(diags.isEmpty, "\(diags)")
        #expect(b.type == .manifest)
        #expect(b.name == "example")
        let s = try #require(b.services.first)
        #expect(s.name == "site/example")
        #expect(s.type == "service")
        #expect(s.version == "1")
        #expect(s.location.line == 6)
        #expect(s.createDefaultInstance?.enabled == false)
        #expect(s.entity.restarter?.fmri == "svc:/network/inetd:default")
        #expect(s.entity.dependencies.map(\.name) == ["net", "conf"])
        let net = s.entity.dependencies[0]
        #expect(net.grouping == .requireAny)
        #expect(net.restartOn == .error)
        #expect(net.entities.map(\.value) == ["svc:/milestone/network", "network/loopback:default"])
        #expect(net.location.line == 11)
        #expect(net.entities[1].location.line == 13)
        #expect(s.entity.dependencies[1].delete == true)
        #expect(s.entity.dependencies[1].type == "path")
        let dep = try #require(s.entity.dependents.first)
        #expect(dep.grouping == .optionalAll)
        #expect(dep.override == true)
        #expect(dep.target?.value == "svc:/milestone/multi-user")
        let ctx = try #require(s.entity.methodContext)
        #expect(ctx.workingDirectory == "/var/example")
        #expect(ctx.project == "example")
        #expect(ctx.resourcePool == "pool_default")
        #expect(ctx.securityFlags == "aslr")
        #expect(ctx.credential == MethodCredential(user: "daemon", group: "other", suppGroups: "staff",
                                                   privileges: "basic,net_privaddr", limitPrivileges: "all"))
        #expect(ctx.environment == [EnvVar(name: "LANG", value: "C"), EnvVar(name: "PATH", value: "/usr/bin")])
        #expect(s.entity.methods.map(\.name) == ["start", "stop"])
        // The internal entity is expanded; method tokens are left alone.
        #expect(s.entity.methods[0].exec == "/usr/sbin/exampled -c %{config/file} %m")
        #expect(s.entity.methods[0].context?.profile == "Network Management")
        #expect(s.entity.methods[0].properties.first?.values == ["y"])
        #expect(s.entity.methods[1].timeoutSeconds == "-1")
        #expect(s.entity.propertyGroups.map(\.name) == ["startd", "config"])
        #expect(s.entity.propertyGroups[0].property("duration")?.values == ["child"])
        #expect(s.entity.propertyGroups[1].property("hosts")?.values == ["a", "b"])
        #expect(s.entity.commonName == "example daemon")
        #expect(s.instances.map(\.name) == ["second"])
        #expect(s.instances[0].enabled == true)
        #expect(s.instances[0].entity.dependencies.first?.entities.first?.value == "svc://localhost/network/physical:default")
    }

    @Test("profiles read services and instances with enabled, and their includes")
    func readsProfile() throws {
        let text = """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
        <service_bundle type='profile' name='p' xmlns:xi='http://www.w3.org/2003/XInclude'>
          <xi:include href='file:/etc/svc/profile/name_service.xml'/>
          <service name='system/cron' version='1' type='service'>
            <instance name='default' enabled='true'/>
          </service>
          <service name='network/login' version='1' type='service'>
            <instance name='rlogin'/>
          </service>
        </service_bundle>
        """
        let r = ManifestReader().read(bytes: Array(text.utf8), path: "p.xml")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let b = try #require(r.bundle)
        #expect(b.type == .profile)
        #expect(b.includes.map(\.href) == ["file:/etc/svc/profile/name_service.xml"])
        #expect(b.includes[0].location.line == 4)
        #expect(b.services.map(\.name) == ["system/cron", "network/login"])
        #expect(b.services[0].instances[0].enabled == true)
        // enabled is optional in a profile: no diagnostic, and nil.
        #expect(b.services[1].instances[0].enabled == nil)
    }

    @Test("nested bundles and archives read like manifests")
    func nestedAndArchive() throws {
        let text = """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
        <service_bundle type='archive' name='a'>
          <service name='a/one' type='service' version='1'><create_default_instance enabled='true'/></service>
          <service_bundle type='archive' name='inner'>
            <service name='a/two' type='service' version='1'><instance name='x' enabled='false'/></service>
          </service_bundle>
        </service_bundle>
        """
        let r = ManifestReader().read(bytes: Array(text.utf8), path: "a.xml")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let b = try #require(r.bundle)
        #expect(b.type == .archive)
        #expect(b.allServices.map(\.name) == ["a/one", "a/two"])
        let repo = repository([("a.xml", text)])
        #expect(repo.instance("a/one", "default")?.enabled == true)
        #expect(repo.instance("a/two", "x") != nil)
        #expect(repo.counts.archives == 2)
    }

    @Test("a nested bundle of another type is an error naming both types")
    func nestedOtherType() throws {
        let text = manifest("<service_bundle type='profile' name='inner'/>")
        let r = ManifestReader().read(bytes: Array(text.utf8), path: "n.xml")
        let d = try #require(r.diagnostics.first { $0.code == .nestedBundleType })
        #expect(d.severity == .error)
        #expect(d.location.line == 4)
        #expect(d.message.contains("'profile' inside a 'manifest'"))
    }

    @Test("the reader's own checks: required attributes and enumerations, with line and column")
    func ownChecks() throws {
        let text = manifest("""
          <service name='a/b' type='daemon' version='1'>
            <create_default_instance enabled='yes'/>
            <dependency name='x' grouping='require_some' restart_on='never' type='service'>
              <service_fmri value='svc:/c/d'/>
            </dependency>
            <dependency grouping='require_all' restart_on='none' type='file'>
              <service_fmri value='svc:/c/d'/>
            </dependency>
            <dependency name='p' grouping='require_all' restart_on='none' type='path'>
              <service_fmri value='svc:/c/d'/>
            </dependency>
            <instance name='i'/>
          </service>
        """)
        let r = ManifestReader().read(bytes: Array(text.utf8), path: "c.xml")
        let codes = r.diagnostics.map { "\($0.location.line):\($0.location.column):\($0.code.rawValue)" }
        #expect(codes.contains("4:3:SMF021"), "service type 'daemon': \(codes)")
        #expect(codes.contains("5:5:SMF021"), "enabled='yes': \(codes)")
        #expect(codes.contains("6:5:SMF021"), "grouping: \(codes)")
        #expect(r.diagnostics.filter { $0.location.line == 6 && $0.code == .badEnumeration }.count == 2, "grouping and restart_on")
        #expect(codes.contains("9:5:SMF020"), "missing name: \(codes)")
        #expect(codes.contains("13:7:SMF023"), "path dependency naming a service: \(codes)")
        #expect(codes.contains("15:5:SMF020"), "instance without enabled: \(codes)")
        #expect(r.diagnostics.allSatisfy { $0.location.file == "c.xml" })
    }

    @Test("DTD validation reports what the DTD finds, at the element", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func dtdValidation() throws {
        guard case .success(let bytes) = FileBytes.read(TestPaths.dtd, limit: 1 << 20) else {
            Issue.record("cannot read the DTD")
            return
        }
        let reader = ManifestReader(options: ReaderOptions(dtd: DTDSource(path: TestPaths.dtd, bytes: bytes)))
        #expect(reader.dtdProblems.isEmpty)
        let bad = manifest("""
          <service name='a/b' type='service' version='1'>
            <instance name='i' enabled='true'/>
            <create_default_instance enabled='true'/>
          </service>
        """)
        let r = reader.read(bytes: Array(bad.utf8), path: "v.xml")
        let dtd = r.diagnostics.filter { $0.code == .dtdInvalid }
        #expect(dtd.count == 1, "\(r.diagnostics)")
        #expect(dtd.first?.location.line == 4)
        #expect(dtd.first?.message.contains("does not follow the DTD") == true)
        // A valid manifest gives nothing; a profile is not validated.
        let (good, _) = try readFull()
        #expect(good.services.count == 1)
        let okDiags = reader.read(bytes: Array(Self.full.utf8), path: "ok.xml").diagnostics
        #expect(okDiags.isEmpty, "\(okDiags)")
        let profile = manifest("<service name='a/b' version='1' type='service'><instance name='i'/></service>", type: "profile")
        #expect(reader.read(bytes: Array(profile.utf8), path: "p.xml").diagnostics.isEmpty)
    }
}

@Suite("FMRIs")
struct FMRITests {
    @Test("every spelling of a service or instance FMRI names the same thing", arguments: [
        "svc:/network/ssh:default", "svc:network/ssh:default", "svc://localhost/network/ssh:default",
        "/network/ssh:default", "network/ssh:default", "  svc:/network/ssh:default ",
    ])
    func instanceSpellings(_ s: String) {
        #expect(FMRI(parsing: s) == .instance(service: "network/ssh", instance: "default"))
        #expect(FMRI(parsing: s)?.description == "svc:/network/ssh:default")
    }

    @Test("path FMRIs", arguments: ["file://localhost/etc/ssh/sshd_config", "file:///etc/ssh/sshd_config", "file:/etc/ssh/sshd_config"])
    func paths(_ s: String) {
        #expect(FMRI(parsing: s) == .path("/etc/ssh/sshd_config"))
    }

    @Test("invalid FMRIs are refused", arguments: ["", "svc:/", "svc:/1abc", "svc:/a//b", "svc:/a/b:c:d", "file://remote/etc/x",
                                                   "svc:/a/b/:properties/pg", "file:relative", "svc:/a b"])
    func invalid(_ s: String) {
        #expect(FMRI(parsing: s) == nil)
    }

    @Test("service FMRIs and vendor prefixes")
    func services() {
        #expect(FMRI(parsing: "svc:/milestone/network") == .service("milestone/network"))
        #expect(FMRI(parsing: "svc:/com.example,app/web:default") == .instance(service: "com.example,app/web", instance: "default"))
    }

    @Test("placeholders are found, method tokens are not")
    func placeholders() {
        #expect(Placeholders.find(in: "svc:/@SMF_NAME@:@@INST@@ $(VERSION) ${X} %%%V%%%") == ["@SMF_NAME@", "@@INST@@", "$(VERSION)", "${X}", "%%%V%%%"])
        #expect(Placeholders.find(in: "%m %i %{config/file} %% user@host").isEmpty)
        #expect(Placeholders.substitute("@@PREFIX@@/bin/x $(V)", defines: ["PREFIX": "/opt/a", "V": "2"]) == "/opt/a/bin/x 2")
    }
}
