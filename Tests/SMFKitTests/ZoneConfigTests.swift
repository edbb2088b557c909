import Foundation
import Testing
@testable import SMFKit

@Suite("--zonecfg: zonecfg export parsing")
struct ZoneConfigTests {
    static let exclusive = """
    create -b
    set zonepath=/zones/web
    set brand=ipkg
    set autoboot=true
    set ip-type=exclusive
    set limitpriv=default,dtrace_proc
    set bootargs="-m verbose"
    add net
    set physical=web0
    set allowed-address=10.0.0.5/24
    set defrouter=10.0.0.1
    end
    add fs
    set dir=/data
    set special=/tank/data
    set type=lofs
    add options [ro,nodevices]
    end
    add attr
    set name=comment
    set type=string
    set value="a web zone; with a semicolon"
    end

    """

    static let shared = """
    create -b
    set zonepath=/zones/mail
    set brand=sparse
    set autoboot=false
    set ip-type=shared
    add net
    set address=192.168.1.20/24
    set physical=e1000g0
    end

    """

    @Test("an exclusive-IP export: ip-type, brand, zonepath, limitpriv, quoted values and resources")
    func exclusiveZone() throws {
        let z = ZoneConfig.parse(Self.exclusive, path: "web.zonecfg")
        #expect(z.diagnostics.isEmpty, "\(z.diagnostics)")
        #expect(z.createOptions == ["-b"])
        #expect(z.ipType == .exclusive)
        #expect(z.brand == "ipkg")
        #expect(z.zonepath == "/zones/web")
        #expect(z.autoboot == true)
        #expect(z.limitpriv == ["default", "dtrace_proc"])
        #expect(z.value("bootargs") == "-m verbose")
        #expect(z.resources.map(\.type) == ["net", "fs", "attr"])
        let net = try #require(z.nets.first)
        #expect(net.value("physical") == "web0")
        #expect(net.value("allowed-address") == "10.0.0.5/24")
        #expect(net.line == 8)
        #expect(z.resources[1].value("options") == "[ro,nodevices]")
        #expect(z.resources[2].value("value") == "a web zone; with a semicolon")
    }

    @Test("a shared-IP export")
    func sharedZone() {
        let z = ZoneConfig.parse(Self.shared, path: "mail.zonecfg")
        #expect(z.diagnostics.isEmpty)
        #expect(z.ipType == .shared)
        #expect(z.brand == "sparse")
        #expect(z.autoboot == false)
        #expect(z.limitpriv.isEmpty)
        #expect(z.nets.first?.value("address") == "192.168.1.20/24")
    }

    @Test("no ip-type line means shared (zonecfg's default); an unknown one is nil with a warning")
    func ipTypeDefaults() {
        #expect(ZoneConfig.parse("create -b\nset zonepath=/z\n", path: "x").ipType == .shared)
        let odd = ZoneConfig.parse("create -b\nset ip-type=bogus\n", path: "x")
        #expect(odd.ipType == nil)
        #expect(odd.diagnostics.first?.code == .zonecfgUnreadable)
        #expect(odd.diagnostics.first?.location.line == 2)
    }

    @Test("odd lines are SMF061 warnings with file:line:column, and the rest is still read")
    func oddLines() {
        let text = """
        create -b
          frobnicate now
        set zonepath
        end
        add net
        set physical=a0
        add fs
        set dir=/x
        set ip-type=exclusive
        """
        let z = ZoneConfig.parse(text, path: "odd.zonecfg")
        let lines = z.diagnostics.map(\.location.line)
        #expect(z.diagnostics.allSatisfy { $0.code == .zonecfgUnreadable && $0.severity == .warning })
        #expect(lines.contains(2))
        #expect(z.diagnostics.first { $0.location.line == 2 }?.location.column == 3)
        #expect(lines.contains(3))
        #expect(lines.contains(4))
        #expect(lines.contains(7))   // add inside an unfinished add
        #expect(z.resources.map(\.type) == ["net", "fs"])
        // ip-type inside the unterminated `add fs` belongs to the resource, not the zone.
        #expect(z.ipType == .shared)
    }

    @Test("a file that is not a zonecfg export, and a missing file, are diagnosed through the loader")
    func notAnExport() {
        let dir = TempDir()
        let p = dir.write("random.txt", "hello world\nthis is not zonecfg\n")
        let z = ZoneConfig.read(path: p)
        #expect(z.diagnostics.count >= 2)
        let input = Loader.loadInput(InputSpec(paths: [dir.write("m.xml", manifest(""))], zonecfgPath: dir.path + "/absent.zonecfg"))
        #expect(input.zoneConfig != nil)
        #expect(input.repository.diagnostics.contains { $0.code == .zonecfgUnreadable && $0.message.hasPrefix("--zonecfg:") })
    }

    @Test("the loader exposes the parsed zone configuration")
    func loaderExposesIt() {
        let dir = TempDir()
        let p = dir.write("web.zonecfg", Self.exclusive)
        let input = Loader.loadInput(InputSpec(paths: [dir.write("m.xml", manifest(""))], zonecfgPath: p))
        #expect(input.zoneConfig?.ipType == .exclusive)
        #expect(input.zoneConfig?.path == p)
    }
}
