import Foundation
import Testing
@testable import SMFKit

/// The package manifests of illumos-gate (../shared/corpora/illumos-gate/usr/src/pkg).
@Suite("Package manifests of illumos-gate")
struct PackageCorpusTests {
    static let pkg = TestPaths.illumos + "/usr/src/pkg"
    static var present: Bool { FileManager.default.fileExists(atPath: pkg + "/manifests/SUNWcsd.p5m") }

    /// The global-zone-only SMF manifests of a few packages, by hand from
    /// their .p5m files and transforms/global_zone_only_component:
    /// - SUNWcsd.p5m: `<include global_zone_only_component>` (line 32), whose
    ///   `default variant.opensolaris.zone global` reaches sysevent.xml (line 75).
    /// - system-storage-fibre-channel-port-utility.p5m: no include; three
    ///   manifests carry variant.opensolaris.zone=global on the action.
    /// - service-storage-fibre-channel-fc-fabric.p5m: devices-fc-fabric.xml
    ///   carries it on its continuation line.
    /// - service-fault-management.p5m: the include, but fmd.xml and
    ///   notify-params.xml say __NODEFAULT: delivered to every zone.
    /// - service-network-ssh-common.p5m: no include, no variant: ssh.xml in every zone.
    /// - SUNWcs.p5m: hostid.xml only under $(i386_ONLY), in every zone.
    static let expected: [String: [String]] = [
        "SUNWcsd": ["lib/svc/manifest/system/sysevent.xml"],
        "system/storage/fibre-channel/port-utility": [
            "lib/svc/manifest/network/npiv_config.xml",
            "lib/svc/manifest/system/fcoe_initiator.xml",
            "lib/svc/manifest/system/fcoe_target.xml",
        ],
        "service/storage/fibre-channel/fc-fabric": ["lib/svc/manifest/system/device/devices-fc-fabric.xml"],
        "service/fault-management": [],
        "service/network/ssh-common": [],
    ]

    @Test("the global-zone-only SMF manifests of chosen packages are those the transform rules give by hand",
          .enabled(if: present, "../shared/corpora/illumos-gate/usr/src/pkg is absent: the package corpus tests are skipped"))
    func chosenPackages() throws {
        let set = PackageSet.read(directory: Self.pkg)
        #expect(set.diagnostics.filter { $0.severity == .error }.isEmpty, "\(set.diagnostics.prefix(3))")
        let manifests = set.smfManifests
        for (package, paths) in Self.expected {
            let global = manifests.filter { $0.package == package && $0.globalZoneOnly }.map(\.path).sorted()
            #expect(global == paths, "\(package)")
        }
        let fm = try #require(set.deliveries["lib/svc/manifest/system/fmd.xml"])
        #expect(fm.package == "service/fault-management" && fm.zones == nil)
        let ssh = try #require(set.deliveries["lib/svc/manifest/network/ssh.xml"])
        #expect(ssh.package == "service/network/ssh-common" && ssh.inNonGlobalZone(arch: .i386))
        // The citation of sysevent.xml: the action line, the rule and the include line.
        let sysevent = try #require(set.deliveries["lib/svc/manifest/system/sysevent.xml"])
        #expect(sysevent.action.location.line == 75)
        #expect(sysevent.action.zoneSetBy?.location.file.hasSuffix("transforms/global_zone_only_component") == true)
        #expect(sysevent.action.zoneSetBy?.includedVia.map(\.line) == [32])
        #expect(set.deliveries["lib/svc/manifest/system/device/devices-fc-fabric.xml"]?.action.location.line == 38)
        // $(i386_ONLY): hostid.xml on i386, not on sparc.
        #expect(set.deliveries["lib/svc/manifest/system/hostid.xml"]?.inNonGlobalZone(arch: .i386) == true)
        #expect(PackageSet.read(directory: Self.pkg, arch: .sparc).deliveries["lib/svc/manifest/system/hostid.xml"] == nil)
        // The whole set: 174 manifest paths, 30 of them global-zone-only.
        #expect(manifests.count == 174)
        #expect(manifests.filter(\.globalZoneOnly).count == 30)
    }

    @Test("on the illumos base, the zone-view closure of network/ssh loses npiv_config, fc-fabric and sysevent, each explained",
          .enabled(if: present, "../shared/corpora/illumos-gate/usr/src/pkg is absent: the package corpus tests are skipped"))
    func sshInAZone() throws {
        let profile = TestPaths.illumosUsr + "/src/cmd/svc/profile/generic_limited_net.xml"
        let paths = [TestPaths.illumosUsr, TestPaths.illumos + "/generated"]
        let gone = ["svc:/network/npiv_config:default", "svc:/system/device/fc-fabric:default", "svc:/system/sysevent:default"]

        let plain = Loader.loadInput(InputSpec(paths: paths, profiles: [profile]))
        let g0 = DependencyGraph(plain.repository)
        let r0 = try RequestResolver.resolve(["network/ssh"], in: g0)
        let c0 = g0.closure(of: r0.flatMap(\.instanceIDs))
        #expect(gone.allSatisfy(c0.members.contains), "without the zone view they are in the closure")

        let loaded = Loader.loadInput(InputSpec(paths: paths, profiles: [profile],
                                                packages: PackageOptions(directory: Self.pkg, zoneView: true)))
        let view = try #require(loaded.packages)
        #expect(view.excluded.count == 30)
        let graph = DependencyGraph(loaded.repository)
        let requests = try RequestResolver.resolve(["network/ssh"], in: graph)
        let closure = graph.closure(of: requests.flatMap(\.instanceIDs))
        #expect(!closure.members.isEmpty)
        #expect(gone.allSatisfy { !closure.members.contains($0) }, "\(closure.members)")
        let section = view.section(closure: closure.members, in: loaded.repository)
        #expect(section.relevantExclusions.map(\.services) == [["network/npiv_config"], ["system/sysevent"], ["system/device/fc-fabric"]])
        let notes = section.relevantExclusions.map(\.note)
        #expect(notes[0].contains("package system/storage/fibre-channel/port-utility, file manifests/system-storage-fibre-channel-port-utility.p5m:37"))
        #expect(notes[1].contains("package SUNWcsd, file manifests/SUNWcsd.p5m:75"))
        #expect(notes[1].contains("included at manifests/SUNWcsd.p5m:32"))
        #expect(notes[2].contains("package service/storage/fibre-channel/fc-fabric, file manifests/service-storage-fibre-channel-fc-fabric.p5m:38"))
        #expect(notes.allSatisfy { $0.hasPrefix("absent (global zone only: ") })
        #expect(section.packages.map(\.package) == ["SUNWcs", "service/network/ssh-common"])
        #expect(section.packages.last?.paths == ["lib/svc/manifest/network/ssh.xml", "lib/svc/method/sshd"])
    }
}
