import Testing
@testable import SMFKit

@Suite("Merging bundles into the repository")
struct RepositoryTests {
    @Test("instances are united across files; the first definition of a group, method or instance wins, with a warning naming both places")
    func firstReadWins() throws {
        let a = manifest("""
          <service name='app/web' type='service' version='1'>
            <dependency name='net' grouping='require_all' restart_on='none' type='service'>
              <service_fmri value='svc:/net/one'/>
            </dependency>
            <instance name='apache' enabled='true'/>
          </service>
          <service name='net/one' type='service' version='1'><create_default_instance enabled='true'/></service>
          <service name='net/two' type='service' version='1'><create_default_instance enabled='true'/></service>
        """)
        let b = manifest("""
          <service name='app/web' type='service' version='1'>
            <dependency name='net' grouping='require_all' restart_on='none' type='service'>
              <service_fmri value='svc:/net/two'/>
            </dependency>
            <instance name='apache' enabled='false'/>
            <instance name='nginx' enabled='false'/>
          </service>
        """)
        let repo = repository([("a.xml", a), ("b.xml", b)])
        let web = try #require(repo.services["app/web"])
        #expect(web.instanceOrder == ["apache", "nginx"])
        #expect(web.definitions.count == 2)
        let apache = try #require(repo.instance("app/web", "apache"))
        #expect(apache.enabled == true)
        #expect(apache.groups.map(\.name) == ["net"])
        #expect(apache.groups[0].entities.map(\.fmri) == [.service("net/one")])
        let dup = repo.diagnostics.filter { $0.code == .duplicateGroup }
        #expect(dup.count == 1)
        #expect(dup.first?.location.file.hasSuffix("b.xml") == true)
        #expect(dup.first?.message.contains("a.xml:5") == true)
        #expect(repo.diagnostics.contains { $0.code == .duplicateInstance && $0.location.file.hasSuffix("b.xml") })
    }

    @Test("composition: instance groups override service groups of the same name; dependents become groups of their target; the restarter is kept apart")
    func composition() throws {
        let doc = manifest("""
          <service name='site/a' type='service' version='1'>
            <restarter><service_fmri value='svc:/network/inetd:default'/></restarter>
            <dependency name='net' grouping='require_all' restart_on='none' type='service'>
              <service_fmri value='svc:/site/b'/>
            </dependency>
            <dependency name='fs' grouping='optional_all' restart_on='none' type='service'>
              <service_fmri value='svc:/site/b'/>
            </dependency>
            <instance name='one' enabled='true'>
              <dependency name='net' grouping='require_any' restart_on='error' type='service'>
                <service_fmri value='svc:/site/c:default'/>
              </dependency>
            </instance>
            <instance name='two' enabled='false'>
              <restarter><service_fmri value='svc:/system/svc/restarter:default'/></restarter>
            </instance>
          </service>
          <service name='site/b' type='service' version='1'>
            <create_default_instance enabled='true'/>
            <dependent name='b_wants_a' grouping='require_all' restart_on='restart'>
              <service_fmri value='svc:/site/a'/>
            </dependent>
          </service>
          <service name='site/c' type='service' version='1'>
            <create_default_instance enabled='false'/>
            <dependent name='net' grouping='require_all' restart_on='none'>
              <service_fmri value='svc:/site/a:one'/>
            </dependent>
          </service>
          <service name='network/inetd' type='restarter' version='1'><create_default_instance enabled='true'/></service>
        """)
        let repo = repository([("m.xml", doc)])
        let one = try #require(repo.instance("site/a", "one"))
        #expect(one.groups.map(\.name) == ["b_wants_a", "fs", "net"])
        let net = try #require(one.groups.first { $0.name == "net" })
        #expect(net.grouping == .requireAny)
        #expect(net.origin == .instanceDependency)
        #expect(net.entities.map(\.fmri) == [.instance(service: "site/c", instance: "default")])
        let inverted = try #require(one.groups.first { $0.name == "b_wants_a" })
        #expect(inverted.grouping == .requireAll)
        #expect(inverted.restartOn == .restart)
        #expect(inverted.type == "service")
        #expect(inverted.origin == .dependent(declarer: "svc:/site/b"))
        #expect(inverted.entities.map(\.fmri) == [.service("site/b")])
        #expect(one.restarter?.fmri == "svc:/network/inetd:default")
        // site/c's dependent 'net' clashes with one's own group 'net': the target's group wins.
        #expect(repo.diagnostics.contains { $0.code == .dependentNameClash })
        let two = try #require(repo.instance("site/a", "two"))
        #expect(two.groups.map(\.name) == ["b_wants_a", "fs", "net"])
        #expect(two.groups.first { $0.name == "net" }?.origin == .serviceDependency)
        // The instance names svc.startd itself: no restarter edge.
        #expect(two.restarter == nil)
    }

    @Test("delete='true' drops the element; dependents with absent targets and unresolved entities are warnings")
    func deleteAndDangling() throws {
        let doc = manifest("""
          <service name='site/a' type='service' version='1'>
            <create_default_instance enabled='true'/>
            <dependency name='gone' grouping='require_all' restart_on='none' type='service' delete='true'>
              <service_fmri value='svc:/site/nothing'/>
            </dependency>
            <dependency name='missing' grouping='require_all' restart_on='none' type='service'>
              <service_fmri value='svc:/site/absent'/>
            </dependency>
            <dependency name='opt' grouping='optional_all' restart_on='none' type='service'>
              <service_fmri value='svc:/site/absent2'/>
            </dependency>
            <dependent name='d' grouping='optional_all' restart_on='none'>
              <service_fmri value='svc:/site/elsewhere'/>
            </dependent>
          </service>
        """)
        let repo = repository([("m.xml", doc)])
        let a = try #require(repo.instance("site/a", "default"))
        #expect(a.groups.map(\.name) == ["missing", "opt"])
        #expect(repo.counts.dependencies == 3)
        let unresolved = repo.diagnostics.filter { $0.code == .unresolvedDependency }
        #expect(unresolved.map(\.severity) == [.warning, .note])
        #expect(unresolved.first?.location.line == 10)
        #expect(unresolved.first?.location.column == 7)
        #expect(repo.diagnostics.contains { $0.code == .dependentTargetAbsent && $0.severity == .warning })
        #expect(!repo.diagnostics.hasErrors)
    }

    @Test("the baseline: manifest enabled, then each profile layer in order; unknown instances in profiles are ignored")
    func baselineLayers() throws {
        let doc = manifest("""
          <service name='site/a' type='service' version='1'><create_default_instance enabled='false'/></service>
          <service name='site/b' type='service' version='1'><create_default_instance enabled='true'/></service>
          <service name='site/c' type='service' version='1'><instance name='x' enabled='false'/></service>
        """)
        let p1 = manifest("""
          <service name='site/a' version='1' type='service'><instance name='default' enabled='true'/></service>
          <service name='site/c' version='1' type='service'><instance name='x' enabled='true'/></service>
          <service name='site/zzz' version='1' type='service'><instance name='default' enabled='true'/></service>
        """, type: "profile")
        let p2 = manifest("""
          <service name='site/c' version='1' type='service'><instance name='x' enabled='false'/></service>
        """, type: "profile")
        let repo = repository([("m.xml", doc)], profiles: [("p1.xml", p1), ("p2.xml", p2)])
        #expect(repo.baseline.map(\.fmri) == ["svc:/site/a:default", "svc:/site/b:default"])
        #expect(repo.instance("site/c", "x")?.enabledBy?.file.hasSuffix("p2.xml") == true)
        #expect(repo.diagnostics.contains { $0.code == .profileUnknownInstance && $0.message.contains("site/zzz") })
        #expect(repo.layers.count == 2)
        // A profile read as a PATH is linted but is not a layer.
        let asPath = repository([("m.xml", doc), ("p1.xml", p1)])
        #expect(asPath.baseline.map(\.fmri) == ["svc:/site/b:default"])
        #expect(asPath.counts.profiles == 1)
    }

    @Test("an include in a profile layer is read before the profile; an absolute one without a root is a warning naming the href")
    func layerIncludes() throws {
        let doc = manifest("""
          <service name='site/a' type='service' version='1'><create_default_instance enabled='false'/></service>
          <service name='site/b' type='service' version='1'><create_default_instance enabled='false'/></service>
        """)
        let inc = manifest("<service name='site/a' version='1' type='service'><instance name='default' enabled='true'/></service>", type: "profile")
        let top = """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
        <service_bundle type='profile' name='top' xmlns:xi='http://www.w3.org/2003/XInclude'>
          <xi:include href='inc.xml'/>
          <xi:include href='file:/etc/svc/profile/name_service.xml'/>
          <service name='site/b' version='1' type='service'><instance name='default' enabled='true'/></service>
        </service_bundle>
        """
        let dir = TempDir()
        let m = dir.write("m.xml", doc)
        dir.write("inc.xml", inc)
        let t = dir.write("top.xml", top)
        let repo = Loader.load(InputSpec(paths: [m], profiles: [t]))
        #expect(repo.baseline.map(\.fmri) == ["svc:/site/a:default", "svc:/site/b:default"])
        let w = try #require(repo.diagnostics.first { $0.code == .includeUnresolved })
        #expect(w.message.contains("file:/etc/svc/profile/name_service.xml"))
        #expect(w.location.line == 5)
    }

    @Test("the sorted views are computed once and follow every change of services, in the changed copy only")
    func sortedViewsFollowChanges() throws {
        let doc = manifest("""
          <service name='site/b' type='service' version='1'><create_default_instance enabled='true'/></service>
          <service name='site/a' type='service' version='1'><create_default_instance enabled='false'/></service>
        """)
        let repo = repository([("m.xml", doc)])
        #expect(repo.serviceNames == ["site/a", "site/b"])
        #expect(repo.instances.map(\.fmri) == ["svc:/site/a:default", "svc:/site/b:default"])
        #expect(repo.baseline.map(\.fmri) == ["svc:/site/b:default"])

        var changed = repo
        changed.services["site/a"]?.instances["default"]?.enabled = true
        #expect(changed.baseline.map(\.fmri) == ["svc:/site/a:default", "svc:/site/b:default"])
        changed.services["site/c"] = try #require(repo.services["site/a"]).renamed("site/c")
        #expect(changed.serviceNames == ["site/a", "site/b", "site/c"])
        #expect(changed.instances.map(\.fmri) == ["svc:/site/a:default", "svc:/site/b:default", "svc:/site/c:default"])
        // The original keeps its own views.
        #expect(repo.baseline.map(\.fmri) == ["svc:/site/b:default"])
        #expect(repo.serviceNames == ["site/a", "site/b"])
        // The graph is built from the same views.
        #expect(DependencyGraph(changed).instanceFMRIs == changed.instances.map(\.fmri))
    }
}

private extension Service {
    /// The service under another name, its instances with it.
    func renamed(_ n: String) -> Service {
        var s = self
        s.name = n
        for (k, var i) in s.instances { i.service = n; s.instances[k] = i }
        return s
    }
}
