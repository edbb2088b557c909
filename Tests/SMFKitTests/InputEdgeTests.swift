import Foundation
import Testing
@testable import SMFKit

/// Issue 13, items 1 to 6 and 8: names and entities are never dropped,
/// refused or guessed silently. Each test runs the built command on a
/// fixture in Tests/Fixtures/inputs/ shaped like the real case.
@Suite("Input edges through the command: placeholder names, invalid entities, duplicate instances, templates, several instances, wrong roots",
       .enabled(if: CLI.binary != nil, CLI.missingMessage), .timeLimit(.minutes(10)))
struct InputEdgeTests {
    static let dir = TestPaths.fixture("inputs")
    static let base = dir + "/base"

    // MARK: 1. Placeholder names

    @Test("an OmniOS-like instance nginx$(sVERSION) is accepted as printed; the suggestion for 'nginx' names --define sVERSION=VALUE")
    func placeholderNames() throws {
        let omnios = Self.dir + "/omnios"
        let printed = "svc:/network/http:nginx$(sVERSION)"
        let exact = try CLI.run(["closure", Self.base, omnios, "--want", printed])
        #expect(exact.status == 0, "\(exact.stderr)")
        #expect(exact.stdout.contains("  \(printed)\n"))
        #expect(exact.stdout.contains("svc:/milestone/network:default"))
        // without svc:/, and through svc://localhost/, as svcs takes them
        for spelling in ["network/http:nginx$(sVERSION)", "svc://localhost/network/http:nginx$(sVERSION)"] {
            let r = try CLI.run(["closure", Self.base, omnios, "--want", spelling, "--format", "json"])
            #expect(r.status == 0, "\(spelling): \(r.stderr)")
            #expect(r.stdout.contains("\"\(printed)\""))
        }
        // --target takes it too
        let why = try CLI.run(["why", Self.base, omnios, "--want", printed, "--target", printed])
        #expect(why.status == 0, "\(why.stderr)")

        let typo = try CLI.run(["closure", Self.base, omnios, "--want", "nginx"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean \(printed)?"), "\(typo.stderr)")
        #expect(typo.stderr.contains("--define sVERSION=VALUE"))

        // plan finds the instance's manifest under its printed name
        let plan = try CLI.run(["plan", Self.base, omnios, "--want", printed])
        #expect(plan.stdout.contains("exec: /opt/ooce/nginx-$(sVERSION)/sbin/nginx"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("is not an instance of the manifests read"))

        // expanded, the name is an ordinary instance
        let expanded = try CLI.run(["closure", Self.base, omnios, "--define", "sVERSION=124", "--want", "http:nginx124"])
        #expect(expanded.status == 0, "\(expanded.stderr)")
        #expect(expanded.stdout.contains("svc:/network/http:nginx124"))
    }

    // MARK: 2. Entities that do not parse

    @Test("pkgsrc-like values that are not FMRIs are kept: the closure lists them as invalid with file:line and exits 1")
    func invalidEntities() throws {
        let kafka = Self.dir + "/pkgsrc/net/kafka/manifest.xml"
        let r = try CLI.run(["closure", Self.base, kafka, "--want", "@SMF_NAME@"])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("invalid (values that are not FMRIs; svccfg import refuses the whole manifest"), "\(r.stdout)")
        #expect(r.stdout.contains("group 'zookeeper': 'svc:/@SMF_PREFIX@/zookeeper' at \(kafka):12"))

        let json = try CLI.run(["closure", Self.base, kafka, "--want", "@SMF_NAME@", "--format", "json"])
        #expect(json.status == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let invalid = try #require(object["invalid"] as? [[String: Any]])
        #expect(invalid.count == 1)
        #expect(invalid.first?["value"] as? String == "svc:/@SMF_PREFIX@/zookeeper")
        #expect(invalid.first?["line"] as? Int == 12)
        #expect((object["unresolved"] as? [Any])?.isEmpty == true)

        // A path dependency's invalid value counts as well (zookeeper's config).
        let zk = Self.dir + "/pkgsrc/databases/zookeeper/manifest.xml"
        let z = try CLI.run(["closure", Self.base, zk, "--want", "@SMF_NAME@"])
        #expect(z.status == 1)
        #expect(z.stdout.contains("group 'config': 'file://localhost@PREFIX@/etc/zookeeper/zoo.cfg' at \(zk):12"), "\(z.stdout)")

        // lint says what svccfg would do with the file: SMF032, once per file
        let lint = try CLI.run(["lint", Self.base, kafka])
        let refused = lint.stdout.split(separator: "\n").filter { $0.contains("SMF032") }
        #expect(refused.count == 1, "\(lint.stdout)")
        #expect(refused.first?.contains("svccfg import would refuse this whole manifest, because the service name, '@SMF_PREFIX@/@SMF_NAME@', is not valid") == true, "\(refused)")

        // expanded with --define, the closure is clean
        let expanded = try CLI.run(["closure", Self.base, Self.dir + "/pkgsrc", "--define", "SMF_PREFIX=pkgsrc",
                                    "--define", "PREFIX=/opt/local",
                                    "--define", Self.dir + "/pkgsrc/databases/zookeeper:SMF_NAME=zookeeper",
                                    "--define", kafka + ":SMF_NAME=kafka", "--want", "kafka"])
        #expect(expanded.status == 0, "\(expanded.stdout)\(expanded.stderr)")
        #expect(expanded.stdout.contains("svc:/pkgsrc/zookeeper:default"))
        #expect(expanded.stdout.contains("/opt/local/etc/zookeeper/zoo.cfg"))
        #expect(!expanded.stdout.contains("invalid"))
    }

    // MARK: 3. An instance defined in two files

    @Test("two mDNS-like packages define the same instance: its groups are united by name, the first of each name wins, the warning names both places")
    func instanceInTwoFiles() throws {
        let avahi = Self.dir + "/mdns/avahi.xml", mdnsd = Self.dir + "/mdns/mdnsd.xml"
        let r = try CLI.run(["closure", Self.base, Self.dir + "/login", Self.dir + "/mdns", "--want", "network/dns/multicast",
                             "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let members = try #require(object["closure"] as? [String])
        // 'identity' comes from the second file's instance only: it is kept
        #expect(members.contains("svc:/system/identity:node"))
        #expect(members.contains("svc:/milestone/network:default"))

        let tree = try CLI.run(["why", Self.base, Self.dir + "/login", Self.dir + "/mdns", "--want", "network/dns/multicast",
                                "--target", "system/identity:node"])
        #expect(tree.stdout.contains("\(mdnsd):"), "\(tree.stdout)")
        // 'network' is in both: the first read (avahi's, milestone/network) wins
        let network = try CLI.run(["why", Self.base, Self.dir + "/login", Self.dir + "/mdns", "--want", "network/dns/multicast",
                                   "--target", "milestone/network:default"])
        #expect(network.stdout.contains("group 'network'"), "\(network.stdout)")
        #expect(network.stdout.contains("\(avahi):11"), "\(network.stdout)")

        let lint = try CLI.run(["lint", Self.base, Self.dir + "/login", Self.dir + "/mdns"])
        let again = lint.stdout.split(separator: "\n").filter { $0.contains("SMF041") }
        #expect(again.count == 1)
        #expect(again.first?.hasPrefix("\(mdnsd):") == true)
        #expect(again.first?.contains("\(avahi):") == true)
        #expect(again.first?.contains("united") == true)
        #expect(lint.stdout.contains("\(mdnsd):7:7: warning: SMF042: dependency 'network' of svc:/network/dns/multicast:default is defined again; the first, at \(avahi):10, is kept"),
                "\(lint.stdout)")
    }

    // MARK: 4. A templated service in many files

    @Test("pkgsrc-like templates in two directories stay two services, each shown with its file, until --define PATH:NAME=VALUE expands each")
    func templatesInManyFiles() throws {
        let pkgsrc = Self.dir + "/pkgsrc"
        let zk = pkgsrc + "/databases/zookeeper/manifest.xml", kafka = pkgsrc + "/net/kafka/manifest.xml"
        let inv = try CLI.run(["inventory", Self.base, pkgsrc, "--format", "json"])
        #expect(inv.status == 0)
        #expect(inv.stdout.contains("\"services\" : 4") || inv.stdout.contains("\"services\": 4"), "\(inv.stdout)")

        let ambiguous = try CLI.run(["closure", Self.base, pkgsrc, "--want", "@SMF_NAME@"])
        #expect(ambiguous.status == 64)
        #expect(ambiguous.stderr.contains("'@SMF_NAME@' is ambiguous; it matches svc:/@SMF_PREFIX@/@SMF_NAME@{\(zk)}, svc:/@SMF_PREFIX@/@SMF_NAME@{\(kafka)}."),
                "\(ambiguous.stderr)")
        #expect(ambiguous.stderr.contains("--define PATH:SMF_PREFIX=VALUE --define PATH:SMF_NAME=VALUE"))
        // one file read alone: its template is that service
        let alone = try CLI.run(["closure", Self.base, kafka, "--want", "@SMF_NAME@"])
        #expect(alone.stdout.contains("  svc:/@SMF_PREFIX@/@SMF_NAME@:default\n"), "\(alone.stdout)\(alone.stderr)")

        let one = try CLI.run(["closure", Self.base, pkgsrc, "--want", "svc:/@SMF_PREFIX@/@SMF_NAME@{\(kafka)}:default"])
        #expect(one.status == 1, "\(one.stderr)")  // its invalid zookeeper entity
        #expect(one.stdout.contains("  svc:/@SMF_PREFIX@/@SMF_NAME@{\(kafka)}:default\n"))
        #expect(!one.stdout.contains(zk + "}"))

        // one directory's define, one file's define, a global one
        let expanded = try CLI.run(["inventory", Self.base, pkgsrc, "--define", "SMF_PREFIX=pkgsrc",
                                    "--define", pkgsrc + "/databases:SMF_NAME=zookeeper",
                                    "--define", kafka + ":SMF_NAME=kafka", "--format", "json"])
        #expect(expanded.status == 0, "\(expanded.stderr)")
        let names = try CLI.run(["closure", Self.base, pkgsrc, "--define", "SMF_PREFIX=pkgsrc",
                                 "--define", pkgsrc + "/databases:SMF_NAME=zookeeper",
                                 "--define", kafka + ":SMF_NAME=kafka", "--want", "svc:/pkgsrc/*"])
        #expect(names.stdout.contains("svc:/pkgsrc/kafka:default"), "\(names.stdout)\(names.stderr)")
        #expect(names.stdout.contains("svc:/pkgsrc/zookeeper:default"))
        // the deepest scope wins over a wider and a global one
        let deepest = try CLI.run(["closure", Self.base, pkgsrc, "--define", "SMF_PREFIX=pkgsrc", "--define", "SMF_NAME=wrong",
                                   "--define", pkgsrc + ":SMF_NAME=alsowrong", "--define", kafka + ":SMF_NAME=kafka",
                                   "--want", "svc:/pkgsrc/kafka:default"])
        #expect(deepest.status == 1, "\(deepest.stderr)")  // @PREFIX@ left in zookeeper is not reached; kafka names svc:/pkgsrc/zookeeper
        #expect(deepest.stdout.contains("svc:/pkgsrc/zookeeper"), "\(deepest.stdout)")
        #expect(deepest.stdout.contains("  svc:/pkgsrc/kafka:default\n"))

        let lint = try CLI.run(["lint", Self.base, pkgsrc])
        let conflict = lint.stdout.split(separator: "\n").filter { $0.contains("SMF051") }
        #expect(conflict.count == 1)
        #expect(conflict.first?.hasPrefix(kafka) == true)
        #expect(conflict.first?.contains(zk) == true)

        let missing = try CLI.run(["lint", pkgsrc, "--define", "/nonexistent/pkgsrc:SMF_NAME=x"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("/nonexistent/pkgsrc does not exist"))
    }

    // MARK: 5. Services with several instances

    @Test("--want login (rlogin, klogin, eklogin: none enabled, none default) is an error listing them; identity picks node and says why")
    func severalInstances() throws {
        let login = Self.dir + "/login"
        let r = try CLI.run(["closure", Self.base, login, "--want", "login"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("svc:/network/login:eklogin, svc:/network/login:klogin, svc:/network/login:rlogin"), "\(r.stderr)")
        #expect(r.stderr.contains("none is enabled in the baseline and none is named 'default'"))
        let target = try CLI.run(["dependents", Self.base, login, "--target", "login"])
        #expect(target.status == 64, "\(target.stdout)")

        let identity = try CLI.run(["closure", Self.base, login, "--want", "identity"])
        #expect(identity.status == 0)
        #expect(identity.stdout.contains("resolved to svc:/system/identity:node by preference, the only instance enabled in the baseline; other instances: svc:/system/identity:domain"),
                "\(identity.stdout)")
        // a profile enabling one instance gives the preference its reason
        let tmp = TempDir()
        let profile = tmp.write("site.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
            <service_bundle type="profile" name="site">
              <service name="network/login" type="service" version="1">
                <instance name="rlogin" enabled="true"/>
              </service>
            </service_bundle>
            """)
        let enabled = try CLI.run(["closure", Self.base, login, "--profile", profile, "--want", "login"])
        #expect(enabled.status == 0, "\(enabled.stderr)")
        #expect(enabled.stdout.contains("login -> svc:/network/login:rlogin"))
        let named = try CLI.run(["closure", Self.base, login, "--want", "login:klogin"])
        #expect(named.status == 0)
        // two enabled, none default: running is the reason, FMRI order breaks the tie among them, and it says so
        let two = tmp.write("two.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE service_bundle SYSTEM "/usr/share/lib/xml/dtd/service_bundle.dtd.1">
            <service_bundle type="profile" name="site">
              <service name="network/login" type="service" version="1">
                <instance name="rlogin" enabled="true"/>
                <instance name="klogin" enabled="true"/>
              </service>
            </service_bundle>
            """)
        let tie = try CLI.run(["closure", Self.base, login, "--profile", two, "--want", "login"])
        #expect(tie.status == 0, "\(tie.stderr)")
        #expect(tie.stdout.contains("resolved to svc:/network/login:klogin by preference, the first in FMRI order of the 2 instances enabled in the baseline"),
                "\(tie.stdout)")
    }

    // MARK: 8. graph --from and --to take names as --want does

    @Test("graph --from eklogin --to network draws the one edge; a name that matches nothing is an error")
    func graphNames() throws {
        let login = Self.dir + "/login"
        let r = try CLI.run(["graph", Self.base, login, "--from", "eklogin", "--to", "network"])
        #expect(r.status == 0, "\(r.stderr)")
        let edges = r.stdout.split(separator: "\n").filter { $0.contains(" -> ") }
        #expect(edges.count == 1, "\(r.stdout)")
        #expect(edges.first?.hasPrefix("  \"svc:/network/login:eklogin\" -> \"svc:/milestone/network:default\"") == true)
        let glob = try CLI.run(["graph", Self.base, login, "--from", "network/login:*", "--to", "milestone/*"])
        #expect(glob.stdout.split(separator: "\n").filter { $0.contains(" -> ") }.count == 3, "\(glob.stdout)")
        for bad in [["--from", "ssh"], ["--to", "nothing*"], ["--from", "login"]] {
            let e = try CLI.run(["graph", Self.base, login] + bad)
            #expect(e.status == 64, "\(bad): \(e.stdout)")
            #expect(e.stderr.contains(bad[0] + ":"), "\(e.stderr)")
        }
    }

    // MARK: 6. A wrong root

    @Test("--root at a zonepath warns on every command and, reading no manifest, exits 2 saying where it looked")
    func wrongRoot() throws {
        let zonepath = Self.dir + "/zonepath"
        for command in [["inventory"], ["lint"], ["closure", "--want", "network"], ["report", "--want", "network"],
                        ["graph"], ["cycles"]] {
            let r = try CLI.run([command[0], "--root", zonepath] + command.dropFirst())
            #expect(r.status == 2, "\(command): \(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains("looks like a zonepath"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("--root \(zonepath)/root"))
            #expect(r.stderr.contains("no manifest was read: looked for *.xml in \(zonepath)/lib/svc/manifest, \(zonepath)/var/svc/manifest"))
        }
        let right = try CLI.run(["inventory", "--root", zonepath + "/root"])
        #expect(right.status == 0, "\(right.stderr)")
        #expect(!right.stderr.contains("zonepath"))
        #expect(right.stdout.hasPrefix("Read 1 file: 1 manifest"))

        let empty = TempDir()
        let none = try CLI.run(["lint", empty.path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no manifest was read: looked for *.xml in \(empty.path) and found no file"))
    }
}

@Suite("--define PATH:NAME=VALUE: which definitions apply to a file")
struct ScopedDefineTests {
    @Test("global, then each scope holding the file, deepest last; a scope is a whole path component")
    func scopes() {
        let all = ["SMF_NAME": "global", "SMF_PREFIX": "pkgsrc",
                   Placeholders.scopedKey(scope: "/p/net", name: "SMF_NAME"): "net",
                   Placeholders.scopedKey(scope: "/p/net/kafka/manifest.xml", name: "SMF_NAME"): "kafka",
                   Placeholders.scopedKey(scope: "/p/databases", name: "SMF_NAME"): "db"]
        #expect(Placeholders.defines(for: "/p/net/kafka/manifest.xml", in: all) == ["SMF_NAME": "kafka", "SMF_PREFIX": "pkgsrc"])
        #expect(Placeholders.defines(for: "/p/net/other/manifest.xml", in: all)["SMF_NAME"] == "net")
        #expect(Placeholders.defines(for: "/p/databases/zk/m.xml", in: all)["SMF_NAME"] == "db")
        // /p/network is not under /p/net
        #expect(Placeholders.defines(for: "/p/network/m.xml", in: all)["SMF_NAME"] == "global")
        // paths are compared normalised: '.', '..' and '//' resolved
        #expect(Placeholders.defines(for: "/p//net/./x/../kafka/manifest.xml", in: all)["SMF_NAME"] == "kafka")
        #expect(Placeholders.normalizedPath("/a/./b//c/../d/") == "/a/b/d")
        // without a path, scoped definitions never apply
        let text = Array("@SMF_NAME@".utf8)
        #expect(Placeholders.substitute(bytes: text, defines: [Placeholders.scopedKey(scope: "/x", name: "SMF_NAME"): "v"]) == .unchanged)
        #expect(Placeholders.substitute(bytes: text, defines: [Placeholders.scopedKey(scope: "/x", name: "SMF_NAME"): "v"], path: "/x/m.xml")
                == .substituted(Array("v".utf8)))
    }
}
