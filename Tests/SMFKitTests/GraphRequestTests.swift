import Testing
@testable import SMFKit

/// Command-line names, matched as svcs matches them (docs/SEMANTICS.md, "FMRIs").
@Suite("Graph: request matching")
struct GraphRequestTests {
    static let g = graph(
        svc("network/ssh", defaultInstance(false)),
        svc("network/smtp", inst("sendmail", true)),
        svc("milestone/network", defaultInstance(true)),
        svc("network/physical", defaultInstance(true) + inst("nwam", false)),
        svc("network/login", inst("rlogin", false) + inst("klogin", false)),
        svc("network/empty", ""),
        svc("system/network-extra", defaultInstance(false)))

    func resolve(_ name: String) throws -> ResolvedRequest { try RequestResolver.resolve(name, in: Self.g) }

    func failure(_ name: String) -> RequestError? {
        do { _ = try resolve(name); return nil } catch { return error as? RequestError }
    }

    @Test("a complete FMRI matches exactly, in every spelling libscf accepts")
    func exact() throws {
        #expect(try resolve("svc:/network/ssh:default").instances == ["svc:/network/ssh:default"])
        #expect(try resolve("svc://localhost/network/physical:nwam").instances == ["svc:/network/physical:nwam"])
        let service = try resolve("svc:/network/physical")
        #expect(service.instances == ["svc:/network/physical:default"])
        #expect(service.match == .exact)
        #expect(failure("svc:/network/sshd")?.reason == .unknown)
    }

    @Test("an abbreviation starts at a / or : boundary and ends at the end or at a ':'")
    func abbreviations() throws {
        #expect(try resolve("ssh").instances == ["svc:/network/ssh:default"])
        #expect(try resolve("network/ssh").instances == ["svc:/network/ssh:default"])
        #expect(try resolve("sendmail").instances == ["svc:/network/smtp:sendmail"])
        #expect(try resolve("smtp:sendmail").instances == ["svc:/network/smtp:sendmail"])
        // `network` is milestone/network only: not every service under network/, not network-extra
        #expect(try resolve("network").instances == ["svc:/milestone/network:default"])
        #expect(failure("sh")?.reason == .unknown)
        #expect(failure("work/ssh")?.reason == .unknown)
    }

    @Test("a service match resolves by preference and says which instance it chose and which others exist")
    func serviceByPreference() throws {
        let r = try resolve("physical")
        #expect(r.instances == ["svc:/network/physical:default"])
        #expect(r.serviceChoices.map(\.service) == ["svc:/network/physical"])
        #expect(r.serviceChoices.map(\.chosen) == ["svc:/network/physical:default"])
        #expect(r.serviceChoices.map(\.others) == [["svc:/network/physical:nwam"]])
        #expect(r.serviceChoices.first?.reason == "the only instance enabled in the baseline", "\(r.serviceChoices)")
        #expect(try resolve("nwam").instances == ["svc:/network/physical:nwam"])
        #expect(try resolve("nwam").serviceChoices.isEmpty)
        // no default, none enabled: nothing to prefer one by, an error listing them (FMRI order alone is no reason)
        let login = failure("login")
        #expect(login?.reason == .severalInstances)
        #expect(login?.candidates == ["svc:/network/login:klogin", "svc:/network/login:rlogin"])
        #expect(failure("network/empty")?.reason == .noInstance)
    }

    @Test("a glob is matched over full FMRIs and every match is wanted")
    func globs() throws {
        #expect(try resolve("network/physical:*").instances == ["svc:/network/physical:default", "svc:/network/physical:nwam"])
        #expect(try resolve("*mail").instances == ["svc:/network/smtp:sendmail"])
        #expect(try resolve("network/*mail").instances == ["svc:/network/smtp:sendmail"])
        #expect(try resolve("network/login:[rk]login").instances == ["svc:/network/login:klogin", "svc:/network/login:rlogin"])
        #expect(try resolve("network/login:[!r]*").instances == ["svc:/network/login:klogin"])
        #expect(try resolve("svc:/milestone/?etwork").instances == ["svc:/milestone/network:default"])
        #expect(failure("nothing*")?.reason == .unknown)
    }

    @Test("ambiguous and unknown names are errors that list candidates or near misses")
    func errors() {
        let ambiguous = failure("default")
        #expect(ambiguous?.reason == .ambiguous)
        #expect(ambiguous?.candidates.contains("svc:/network/ssh:default") == true)
        #expect(ambiguous?.description.contains("svc:/milestone/network:default") == true)
        let typo = failure("ssh:defualt")
        #expect(typo?.reason == .unknown)
        #expect(typo?.candidates.first == "svc:/network/ssh:default")
        #expect(failure("sshd")?.candidates.contains("svc:/network/ssh") == true)
        #expect(failure("smtp:")?.reason == .unknown)
        #expect(failure("")?.reason == .invalid)
    }

    @Test("a resolved service enters the closure through the instance it resolved to")
    func requestIntoClosure() throws {
        let r = try RequestResolver.resolve(["ssh", "network/physical:*"], in: Self.g)
        let c = Self.g.closure(of: r.flatMap(\.instanceIDs))
        #expect(c.requested == ["svc:/network/physical:default", "svc:/network/physical:nwam", "svc:/network/ssh:default"])
    }
}
