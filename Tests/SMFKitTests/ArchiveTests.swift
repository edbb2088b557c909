import Foundation
import Testing
@testable import SMFKit

/// What two repositories must share to be "the same" once read back:
/// services, instances, composed groups, restarters, methods, property
/// groups and the baseline (locations differ by construction).
func shape(_ repo: Repository) -> [String] {
    var out: [String] = []
    for name in repo.serviceNames {
        guard let s = repo.services[name] else { continue }
        out.append("service \(name) type=\(s.type) name=\(s.commonName ?? "-")")
        out.append("  methods " + s.entity.methods.map { "\($0.name)=\($0.exec)@\($0.timeoutSeconds)" }.joined(separator: " "))
        out.append("  pgs " + s.entity.propertyGroups.map { pg in
            "\(pg.name)[" + pg.properties.map { "\($0.name)=\($0.values.joined(separator: ","))" }.joined(separator: ";") + "]"
        }.joined(separator: " "))
        if let ctx = s.entity.methodContext {
            out.append("  context \(ctx.workingDirectory ?? "-") \(ctx.credential?.user ?? "-") \(ctx.credential?.privileges ?? "-") \(ctx.environment.map { "\($0.name)=\($0.value)" })")
        }
        for iname in s.instances.keys.sorted() {
            guard let i = s.instances[iname] else { continue }
            out.append("  instance \(iname) enabled=\(i.enabled) restarter=\(i.restarter?.fmri ?? "-")")
            for g in i.groups {
                out.append("    group \(g.name) \(g.grouping.rawValue) \(g.restartOn.rawValue) \(g.type) \(g.origin.kind) \(g.entities.map(\.fmri.description))")
            }
            out.append("    methods " + i.entity.methods.map { "\($0.name)=\($0.exec)" }.joined(separator: " "))
            out.append("    pgs " + i.entity.propertyGroups.map(\.name).joined(separator: " "))
        }
    }
    return out
}

@Suite("Archives: svccfg archive output read as a repository, and written by ArchiveWriter")
struct ArchiveTests {
    static let rich = manifest("""
      <service name='site/db' version='1' type='service'>
        <dependency name='net' grouping='require_all' restart_on='error' type='service'>
          <service_fmri value='svc:/milestone/network:default'/>
        </dependency>
        <dependency name='conf' grouping='require_all' restart_on='none' type='path'>
          <service_fmri value='file:///etc/db.conf'/>
        </dependency>
        <dependent name='db_multi-user' grouping='optional_all' restart_on='none'>
          <service_fmri value='svc:/milestone/multi-user'/>
        </dependent>
        <method_context working_directory='/var/db'>
          <method_credential user='db' group='db' privileges='basic,net_privaddr'/>
          <method_environment>
            <envvar name='LANG' value='C &amp; "quoted" &apos;x&apos;'/>
          </method_environment>
        </method_context>
        <exec_method type='method' name='start' exec='/lib/svc/method/db %m' timeout_seconds='60'/>
        <exec_method type='method' name='stop' exec=':kill' timeout_seconds='30'/>
        <property_group name='startd' type='framework'>
          <propval name='duration' type='astring' value='transient'/>
        </property_group>
        <property_group name='config' type='application'>
          <property name='hosts' type='host'>
            <host_list>
              <value_node value='a.example'/>
              <value_node value='b.example'/>
            </host_list>
          </property>
        </property_group>
        <instance name='main' enabled='true'>
          <dependency name='extra' grouping='optional_all' restart_on='none' type='service'>
            <service_fmri value='svc:/site/cache'/>
          </dependency>
          <property_group name='inst' type='application'>
            <propval name='port' type='count' value='5432'/>
          </property_group>
        </instance>
        <instance name='replica' enabled='false'/>
        <template>
          <common_name>
            <loctext xml:lang='C'>the database</loctext>
          </common_name>
        </template>
      </service>
      <service name='site/cache' version='1' type='service'>
        <restarter>
          <service_fmri value='svc:/network/inetd:default'/>
        </restarter>
        <create_default_instance enabled='true'/>
      </service>
      <service name='network/inetd' version='1' type='restarter'>
        <create_default_instance enabled='true'/>
      </service>
      <service name='milestone/network' version='1' type='milestone'>
        <create_default_instance enabled='true'/>
      </service>
      <service name='milestone/multi-user' version='1' type='milestone'>
        <create_default_instance enabled='true'/>
      </service>
    """)

    @Test("an archive written from a repository reads back to the same services, instances, groups and baseline")
    func roundTrip() throws {
        let dir = TempDir()
        let m = dir.write("rich.xml", Self.rich)
        let prof = dir.write("p.xml", profile([("site/db", "replica", true), ("site/cache", "default", false)]))
        let original = Loader.load(InputSpec(paths: [m], profiles: [prof]))
        #expect(!original.diagnostics.hasErrors, "\(original.diagnostics)")
        let xml = ArchiveWriter.render(original)
        let a = dir.write("archive.xml", xml)
        let back = Loader.load(InputSpec(paths: [a]))
        #expect(!back.diagnostics.hasErrors, "\(back.diagnostics)")
        #expect(back.counts.archives == 1)
        #expect(shape(back) == shape(original))
        #expect(back.baseline.map(\.fmri) == original.baseline.map(\.fmri))
        #expect(back.instance("site/db", "replica")?.enabled == true)
        #expect(back.instance("site/cache", "default")?.enabled == false)
        // Written twice, byte for byte the same; and again from the read-back repository.
        #expect(ArchiveWriter.render(original) == xml)
        #expect(ArchiveWriter.render(back) == xml)
    }

    @Test("the written archive is valid against service_bundle.dtd.1", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func archiveValidates() throws {
        let dir = TempDir()
        let m = dir.write("rich.xml", Self.rich)
        let a = dir.write("archive.xml", ArchiveWriter.render(Loader.load(InputSpec(paths: [m]))))
        let back = Loader.load(InputSpec(paths: [a], dtdPath: TestPaths.dtd))
        #expect(back.diagnostics.filter { $0.code == .dtdInvalid }.isEmpty, "\(back.diagnostics.filter { $0.code == .dtdInvalid })")
    }

    @Test("the illumos corpus with generic_limited_net as a layer survives an archive round trip", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func corpusRoundTrip() throws {
        let dir = TempDir()
        let original = Loader.load(InputSpec(paths: [TestPaths.illumosUsr, TestPaths.illumos + "/generated"],
                                             profiles: [TestPaths.illumosUsr + "/src/cmd/svc/profile/generic_limited_net.xml"]))
        let a = dir.write("all.xml", ArchiveWriter.render(original))
        let back = Loader.load(InputSpec(paths: [a], dtdPath: TestPaths.dtd))
        #expect(back.counts.files == 1)
        #expect(back.counts.services == original.counts.services)
        #expect(back.counts.instances == original.counts.instances)
        #expect(back.baseline.map(\.fmri) == original.baseline.map(\.fmri))
        #expect(shape(back) == shape(original))
        #expect(back.diagnostics.filter { $0.code == .dtdInvalid }.isEmpty)
    }

    @Test("svccfg archive output (type='archive', general/enabled in each instance) is read as a whole repository")
    func svccfgArchiveShape() throws {
        let dir = TempDir()
        let a = dir.write("repo.xml", """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
        <service_bundle type='archive' name='none'>
          <service name='system/cron' type='service' version='0'>
            <dependency name='usr' grouping='require_all' restart_on='none' type='service'>
              <service_fmri value='svc:/system/filesystem/local'/>
            </dependency>
            <exec_method name='start' type='method' exec='/lib/svc/method/svc-cron' timeout_seconds='60'>
              <method_context/>
            </exec_method>
            <instance name='default' enabled='true'>
              <property_group name='general' type='framework'>
                <propval name='enabled' type='boolean' value='true'/>
              </property_group>
            </instance>
          </service>
          <service name='system/filesystem/local' type='service' version='0'>
            <instance name='default' enabled='false'/>
          </service>
        </service_bundle>
        """)
        let repo = Loader.load(InputSpec(paths: [a]))
        #expect(repo.counts.archives == 1)
        #expect(repo.counts.manifests == 0)
        #expect(repo.baseline.map(\.fmri) == ["svc:/system/cron:default"])
        #expect(repo.instance("system/cron", "default")?.groups.map(\.name) == ["usr"])
        #expect(!repo.diagnostics.hasErrors)
    }

    @Test("svccfg extract output (a profile with property groups) works as --profile: enabled applied, the rest noted SMF028")
    func extractAsProfile() throws {
        let dir = TempDir()
        let m = dir.write("rich.xml", Self.rich)
        let extract = dir.write("extract.xml", """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
        <service_bundle type='profile' name='extract'>
          <service name='site/db' type='service' version='0'>
            <instance name='main' enabled='false'>
              <property_group name='inst' type='application'>
                <propval name='port' type='count' value='6543'/>
              </property_group>
            </instance>
            <instance name='replica' enabled='true'/>
          </service>
          <service name='system/not-installed' type='service' version='0'>
            <instance name='default' enabled='true'/>
          </service>
        </service_bundle>
        """)
        let repo = Loader.load(InputSpec(paths: [m], profiles: [extract]))
        #expect(repo.layers == [extract])
        #expect(repo.instance("site/db", "main")?.enabled == false)
        #expect(repo.instance("site/db", "replica")?.enabled == true)
        #expect(repo.diagnostics.contains { $0.code == .profileNotModelled })
        #expect(repo.diagnostics.contains { $0.code == .profileUnknownInstance })
        #expect(!repo.diagnostics.hasErrors)
    }
}
