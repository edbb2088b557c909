import Testing
@testable import SMFKit

/// `ZoneRoles.classify` and `GiveUps.visibleEntry` answer most instances
/// (those whose service's first component no key starts with) without
/// parsing the FMRI (docs/PERFORMANCE.md, "The eighth round"). The answer
/// must be the one the table gives from the parsed FMRI, for every
/// spelling: kept here against the parsing path as the reference.
@Suite struct ZoneRoleTableTests {
    /// FMRIs of every kind: the table's own keys as instances, services and
    /// patterns' matches, their neighbours by one byte, other heads, and
    /// spellings the test of the first component leaves to the parser.
    static var fmris: [String] {
        var out: [String] = []
        let keys = ZoneRoles.rows.map(\.key) + GiveUps.visible.map(\.key)
        for key in keys {
            let base = key.hasSuffix("*") ? String(key.dropLast()) + "x" : key
            let service = base.split(separator: ":").first.map(String.init) ?? base
            out += ["svc:/\(base)", "svc:/\(service):default", "svc:/\(service)x:default", "svc:/\(service)/sub:default",
                    "svc:/x\(service):default", "svc://localhost/\(service):default", "svc:/\(service)", "\(service):default"]
        }
        for head in ["application", "site", "systemx", "networ", "milestones", "ldom", "a", "SYSTEM", "sys-tem"] {
            out += ["svc:/\(head)/foo:default", "svc:/\(head):default", "svc:/\(head)/foo", "svc:/\(head)/foo:1bad",
                    "svc:/\(head)/foo:default:extra", "svc:/\(head)//foo:default", "svc:/\(head)/f oo:default",
                    "svc:/\(head)/caf\u{E9}:default"]
        }
        out += ["", "svc:", "svc:/", "svc://", "svc:/:default", "file://localhost/etc/passwd", "svc:/system/console-login:vt2"]
        return out
    }

    @Test("classify equals the table read from the parsed FMRI, at both IP types")
    func classifyEqualsParsed() {
        var fast = 0
        for f in Self.fmris {
            for ip in IPType.allCases {
                let r = ZoneRoles.classify(f, ipType: ip)
                #expect(r == ZoneRoles.classifyParsed(f, ipType: ip), "\(f) \(ip)")
            }
            if let head = ZoneRoles.serviceHead(f), !ZoneRoles.rowHeads.contains(head) { fast += 1 }
        }
        // The test of the first component was taken, not only the parser.
        #expect(fast > 40)
    }

    @Test("every key holds a '/' before its ':' or '*', so a first component outside rowHeads matches no row")
    func keysHaveAHead() {
        for key in ZoneRoles.rows.map(\.key) + GiveUps.visible.map(\.key) {
            let head = key.prefix { $0 != "/" && $0 != ":" && $0 != "*" }
            #expect(key.dropFirst(head.count).first == "/", "\(key)")
        }
    }

    @Test("visibleEntry equals the lookup of the parsed service and instance")
    func visibleEqualsParsed() {
        func reference(_ fmri: String) -> String? {
            guard case .instance(let service, let inst)? = FMRI(parsing: fmri) else { return nil }
            return GiveUps.visible.first { $0.key == "\(service):\(inst)" }?.what
                ?? GiveUps.visible.first { $0.key == service }?.what
        }
        var found = 0
        for f in Self.fmris {
            #expect(GiveUps.visibleEntry(f)?.what == reference(f), "\(f)")
            if reference(f) != nil { found += 1 }
        }
        #expect(found >= GiveUps.visible.count)
    }

    @Test("serviceHead reads only the plain spelling svc:/HEAD/...")
    func heads() {
        #expect(ZoneRoles.serviceHead("svc:/application/foo:default") == "application")
        #expect(ZoneRoles.serviceHead("svc:/milestone:default") == "milestone")
        #expect(ZoneRoles.serviceHead("svc://localhost/system/cron:default") == nil)
        #expect(ZoneRoles.serviceHead("system/cron:default") == nil)
        #expect(ZoneRoles.serviceHead("svc:/system") == nil)
    }
}
