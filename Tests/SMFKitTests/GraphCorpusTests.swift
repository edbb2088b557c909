import Testing
@testable import SMFKit

/// Facts that follow from the rules, checked against what the real
/// manifests say (read by hand; cited beside each check).
@Suite("Graph: the real illumos and OpenIndiana manifests")
struct GraphCorpusTests {
    static func illumos() -> DependencyGraph { DependencyGraph(Loader.load(InputSpec(paths: [TestPaths.illumosUsr]))) }

    static func closure(_ g: DependencyGraph, _ names: [String]) throws -> Closure {
        g.closure(of: try RequestResolver.resolve(names, in: g).flatMap(\.instanceIDs))
    }

    @Test("npiv_config's require_all dependent on filesystem/local pulls npiv_config:default into its closure", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func npivDependent() throws {
        let g = Self.illumos()
        // usr/src/cmd/fcinfo/npiv_config.xml: <dependent name='npiv-filesystem' grouping='require_all'> svc:/system/filesystem/local
        let c = try Self.closure(g, ["svc:/system/filesystem/local:default"])
        #expect(c.members.contains("svc:/network/npiv_config:default"))
        let why = g.why(try #require(g.instanceID("svc:/network/npiv_config:default")), in: c)
        #expect(why.chain.count == 1)
        #expect(why.chain.first?.group == "npiv-filesystem")
        #expect(why.chain.first?.origin == .dependent(declarer: "svc:/network/npiv_config"))
        #expect(why.chain.first?.location.file.hasSuffix("cmd/fcinfo/npiv_config.xml") == true)
    }

    @Test("ssh's closure has network/physical:default (not nwam, by preference) and requires /etc/ssh/sshd_config", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func sshClosure() throws {
        let g = Self.illumos()
        // ssh.xml: require_all 'net-physical' -> svc:/network/physical (service); physical:default is enabled, nwam is not
        let c = try Self.closure(g, ["network/ssh"])
        #expect(c.requested == ["svc:/network/ssh:default"])
        #expect(c.members.contains("svc:/network/physical:default"))
        #expect(!c.members.contains("svc:/network/physical:nwam"))
        let physical = c.resolutions.first { $0.service == "svc:/network/physical" }
        #expect(physical?.chosen == "svc:/network/physical:default")
        #expect(physical?.alternatives == ["svc:/network/physical:nwam"])
        // ssh.xml: require_all path dependency 'config_data' on /etc/ssh/sshd_config
        #expect(c.files.contains { $0.instance == "svc:/network/ssh:default" && $0.path == "/etc/ssh/sshd_config" })
        // the one exclude_all of the gate (physical:default excludes nwam) is not a conflict here
        #expect(c.conflicts.isEmpty)
        // ssh.xml's optional_all fs-autofs is not followed
        #expect(!c.members.contains("svc:/system/filesystem/autofs:default"))
    }

    @Test("the inetd-delegated telnet pulls network/inetd:default through its restarter edge", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func telnetRestarter() throws {
        let g = Self.illumos()
        // telnet.xml: <restarter><service_fmri value='svc:/network/inetd:default'/></restarter>
        let c = try Self.closure(g, ["telnet"])
        #expect(c.members.contains("svc:/network/inetd:default"))
        let why = g.why(try #require(g.instanceID("svc:/network/inetd:default")), in: c)
        #expect(why.chain.map(\.origin) == [.restarter])
        #expect(why.chain.first?.from == "svc:/network/telnet:default")
        #expect(why.chain.first?.location.file.hasSuffix("usr.sbin/telnet.xml") == true)
        // svc.startd's own instance is never a member through a restarter edge
        #expect(!c.members.contains(startdFMRI))
    }

    @Test("the closure is byte for byte the same between two runs", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func stable() throws {
        func render() throws -> String {
            let g = Self.illumos()
            let r = try RequestResolver.resolve(["ssh", "telnet", "network/smtp:sendmail"], in: g)
            let c = g.closure(of: r.flatMap(\.instanceIDs))
            return ClosureReport(c, requests: r).json.render() + TreeReport(g.tree(of: c)).text
        }
        let first = try render()
        #expect(first == (try render()))
        #expect(first.contains("\"closure\": ["))
    }

    @Test("every member of a closure has a why-chain, and the gate has no dependency cycle", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func whyAndCycles() throws {
        let g = Self.illumos()
        let c = try Self.closure(g, ["ssh", "telnet", "sendmail"])
        for m in c.memberIDs {
            #expect([.requested, .inClosure].contains(g.why(m, in: c).status), "\(g.instanceFMRIs[m])")
        }
        // usr/src/cmd/svc/startd/graph.c: the gate's graph is acyclic
        #expect(g.cycles().isEmpty)
        // disabling npiv_config blocks filesystem/local (a require_all dependent; usr/src/cmd/svc/svccfg/svccfg_libscf.c)
        let deps = g.dependents(of: try #require(g.instanceID("svc:/network/npiv_config:default")))
        #expect(deps.contains { $0.instance == "svc:/system/filesystem/local:default" && $0.depth == 1 })
    }

    @Test("with OpenIndiana on top, apache24's closure has its required milestones and not its optional autofs", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func openIndianaApache() throws {
        let g = DependencyGraph(Loader.load(InputSpec(paths: [TestPaths.illumos + "/usr", TestPaths.oi])))
        // http-apache24.xml: instance apache24 (one of six network/http instances)
        let request = try RequestResolver.resolve("network/http:apache24", in: g)
        #expect(request.instances == ["svc:/network/http:apache24"])
        let c = g.closure(of: request.instanceIDs)
        // its require_all groups: 'network' -> milestone/network:default, 'filesystem-local' -> filesystem/local:default
        #expect(c.members.contains("svc:/milestone/network:default"))
        #expect(c.members.contains("svc:/system/filesystem/local:default"))
        // its optional_all 'autofs' is not followed
        #expect(!c.members.contains("svc:/system/filesystem/autofs:default"))
        // no other http instance is needed
        #expect(c.members.filter { $0.hasPrefix("svc:/network/http:") } == ["svc:/network/http:apache24"])
        // `http` alone names the service, which has six disabled instances and none named default:
        // nothing to prefer one by, so an error that lists them all (svcadm enable refuses it too)
        let http = #expect(throws: RequestError.self) { try RequestResolver.resolve("http", in: g) }
        #expect(http?.reason == .severalInstances)
        #expect(http?.candidates.contains("svc:/network/http:apache24") == true)
        #expect((http?.candidates.count ?? 0) >= 6)
    }
}
