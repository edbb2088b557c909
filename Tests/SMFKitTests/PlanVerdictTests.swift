import Foundation
import Testing
@testable import SMFKit

@Suite("Roles, verdict and ladder")
struct PlanVerdictTests {
    let lookup = PlanFixtures.lookup

    @Test("the role table: instance rows and patterns before service rows, IP type changes network rows")
    func roles() {
        // the milestones that run rc directories: not known without a root; the others are plumbing
        #expect(ZoneRoles.classify("svc:/milestone/multi-user:default", ipType: .shared).role == .unknownWork)
        #expect(ZoneRoles.classify("svc:/milestone/network:default", ipType: .shared).role == .plumbing)
        #expect(ZoneRoles.classify("svc:/network/loopback:default", ipType: .shared).note.hasSuffix("(usr/src/cmd/svc/milestone/net-loopback)"))
        #expect(ZoneRoles.classify("svc:/network/loopback:default", ipType: .shared).source == "usr/src/cmd/svc/milestone/net-loopback")
        #expect(ZoneRoles.classify("svc:/system/svc/restarter:default", ipType: .shared).role == .plumbing)
        #expect(ZoneRoles.classify("svc:/system/console-login:vt2", ipType: .shared).role == .disablesInZone)
        #expect(ZoneRoles.classify("svc:/system/console-login:default", ipType: .shared).role == .daemon)
        #expect(ZoneRoles.classify("svc:/network/physical:default", ipType: .shared).role == .noopSharedIP)
        #expect(ZoneRoles.classify("svc:/network/physical:nwam", ipType: .shared).role == .unknownWork)
        let excl = ZoneRoles.classify("svc:/network/physical:default", ipType: .exclusive)
        #expect(excl.role == .setup)
        if case .byHand(let h)? = excl.replacement { #expect(h.contains("ipadm create-addr")) } else { Issue.record("no by-hand replacement") }
        #expect(ZoneRoles.classify("svc:/network/routing/route:default", ipType: .shared).role == .noopSharedIP)
        #expect(ZoneRoles.classify("svc:/network/routing/route:default", ipType: .exclusive).role == .daemon)
        #expect(ZoneRoles.classify("svc:/network/install:default", ipType: .shared).role == .disablesInZone)
        #expect(ZoneRoles.classify("svc:/system/pools:default", ipType: .shared).role == .failsInZone)
        #expect(ZoneRoles.classify("svc:/system/filesystem/local:default", ipType: .shared).replacement == .command("/sbin/mountall -l"))
        #expect(ZoneRoles.classify("svc:/system/utmp:default", ipType: .shared).replacement == .command("/usr/bin/touch /var/adm/utmpx /var/adm/wtmpx"))
        #expect(ZoneRoles.classify("svc:/site/whatever:default", ipType: .shared).role == .unknownWork)
        #expect(ZoneRoles.classify("svc:/site/whatever:default", ipType: .shared).role.doesRealWork)
    }

    @Test("the same request: blank zone in a shared-IP zone, trimmed profile in an exclusive-IP zone")
    func sharedVersusExclusive() {
        let input = PlanFixtures.app()
        let shared = Plan.verdict(input, ipType: .shared, lookup: lookup)
        #expect(shared.choice == .blankZone, "\(shared.reasons)")
        #expect(shared.realWork == ["svc:/site/app:default", "svc:/system/filesystem/local:default", "svc:/system/filesystem/minimal:default"])
        #expect(shared.reasons.contains(.realWork(RealWorkCount(
            ipType: .shared, realWork: 3, closure: 7, wanted: ["svc:/site/app:default"], setup: 2, daemons: [],
            legacyScripts: [], unknown: 0, legacyUnknown: []))))
        // each replacement command once, with the members it replaces
        #expect(shared.reasons.contains(.setupCommands([SetupCommand(command: "/sbin/mountall -l", fmris: [
            "svc:/system/filesystem/local:default", "svc:/system/filesystem/minimal:default"])])))
        #expect(shared.risks == [.bootFlagsIgnored, .haltNotShutdown, .noSupervision, .laterManifests])
        let excl = Plan.verdict(input, ipType: .exclusive, lookup: lookup)
        #expect(excl.choice == .trimmedProfile)
        let byHand = excl.reasons.compactMap { r -> (fmri: String, lines: String, sameAs: String?)? in
            if case .setupByHand(let f, _, let lines, let sameAs) = r { return (f, lines, sameAs) }
            return nil
        }
        #expect(byHand.map(\.fmri) == ["svc:/network/ip-interface-management:default", "svc:/network/loopback:default", "svc:/network/physical:default"])
        #expect(byHand[0].lines.contains("ipadm create-addr") && byHand[0].sameAs == nil)
        // the same by-hand lines are written out once
        #expect(byHand[2].sameAs == "svc:/network/ip-interface-management:default")
        #expect(byHand.filter { $0.lines.contains("ipadm create-if") && $0.sameAs == nil }.count == 1)
        #expect(excl.reasons.contains(.networkByHand(ipType: .exclusive, fmris: byHand.map(\.fmri))))
        #expect(excl.risks == [.profileBeforeFirstBoot])
        #expect(excl.realWork.count == 6)
        expectGolden("app-plan-shared.txt", PlanReport(input: input, verdict: shared, ladder: Ladder.rungs(input, verdict: shared)).text)
        expectGolden("app-plan-exclusive.json", PlanReport(input: input, verdict: excl, ladder: Ladder.rungs(input, verdict: excl)).json.render())
    }

    @Test("a wanted service whose script calls svcprop tips the verdict to the profile in both IP types")
    func svcpropTrimmed() {
        for ip in IPType.allCases {
            let v = Plan.verdict(PlanFixtures.fsOnly("svc:/site/web:default"), ipType: ip, lookup: lookup)
            #expect(v.choice == .trimmedProfile)
            guard case .cannotRunWithoutSMF("svc:/site/web:default", let why)? = v.reasons.first else {
                Issue.record("\(v.reasons)"); continue
            }
            #expect(why.contains { $0.contains("runs svcprop") }, "\(why)")
        }
    }

    @Test("a service needing only file systems is a blank zone in both IP types, and unknown without its script")
    func fsOnly() {
        for ip in IPType.allCases {
            #expect(Plan.verdict(PlanFixtures.fsOnly("svc:/site/solo:default"), ipType: ip, lookup: lookup).choice == .blankZone)
        }
        let unknown = Plan.verdict(PlanFixtures.fsOnly("svc:/site/solo:default"), ipType: .shared)
        #expect(unknown.choice == .trimmedProfile)
        guard case .mayNotRunWithoutSMF("svc:/site/solo:default", let why)? = unknown.reasons.first else {
            Issue.record("\(unknown.reasons)"); return
        }
        #expect(why.contains { $0.contains("no --methods or --root maps it to a file here") }, "\(why)")
    }

    @Test("a member that disables itself in a zone is named with the members it keeps offline")
    func blocked() {
        let v = Plan.verdict(PlanFixtures.halclient(), ipType: .shared, lookup: lookup)
        #expect(v.blocked == [BlockedMember(fmri: "svc:/system/hal:default", role: .disablesInZone,
                                            note: "its method runs 'svcadm disable $SMF_FMRI' in a non-global zone (usr/src/cmd/hal/hald/solaris/svc-hal)",
                                            keepsOffline: ["svc:/site/halclient:default"])])
        #expect(v.reasons.contains(.blocked(v.blocked[0], ipType: .shared)))
        #expect(v.reasons.contains(.wantedKeptOffline(wanted: ["svc:/site/halclient:default"], by: "svc:/system/hal:default")))
        #expect(v.choice == .blankZone)
        // without the method scripts: the profile, whose risks name the blocked member's dependents
        let profile = Plan.verdict(PlanFixtures.halclient(), ipType: .shared)
        #expect(profile.choice == .trimmedProfile && !profile.blocked.isEmpty)
        #expect(profile.risks == [.profileBeforeFirstBoot, .blockedInSvcsX])
        let rungs = Ladder.rungs(PlanFixtures.halclient(), verdict: v)
        #expect(rungs[2].doesNotWork.contains { $0.hasPrefix("svc:/system/hal:default disables itself") && $0.contains("svc:/site/halclient:default") })
    }

    @Test("a conflict makes the verdict a profile that cannot be written, with the conflict named")
    func conflict() {
        let c = Conflict(instance: "svc:/network/physical:default", group: "nwam", excluded: "svc:/network/physical:nwam",
                         location: SourceLocation(file: "network.xml", line: 12))
        let v = Plan.verdict(PlanFixtures.app(conflicts: [c]), ipType: .shared, lookup: lookup)
        #expect(v.choice == .trimmedProfile)
        #expect(v.reasons.first == .conflict(c))
    }

    @Test("the ladder has five rungs with the enabled sets of docs/SEMANTICS.md (The ladder) and their long-running services")
    func ladder() {
        let input = PlanFixtures.app()
        let v = Plan.verdict(input, ipType: .shared, lookup: lookup)
        let r = Ladder.rungs(input, verdict: v)
        #expect(r.map(\.number) == [1, 2, 3, 4, 5])
        #expect(r[0].enabled.isEmpty && r[0].launched.isEmpty)
        #expect(r[1].enabled.isEmpty && r[1].launched == ["svc:/site/app:default"])
        #expect(r[1].longRunning == ["svc:/site/app:default"])
        #expect(r[2].enabled == input.closure)
        // datalink-management exits at once in a zone and ip-interface-management
        // in a shared-IP zone (their roles): neither is long-running here.
        #expect(r[2].longRunning == ["svc:/site/app:default"])
        #expect(r[3].enabled == (input.closure + ["svc:/system/system-log:default"]).sorted())
        #expect(r[3].longRunning.contains("svc:/system/system-log:default"))
        #expect(r[4].enabled == PlanFixtures.repo.baseline.map(\.fmri))
        #expect(r[4].doesNotWork.contains { $0.hasPrefix("svc:/system/hal:default disables itself") })
    }
}
