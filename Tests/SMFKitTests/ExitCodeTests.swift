import Foundation
import Testing
@testable import SMFKit

@Suite("Exit codes of the command (docs/EXIT-CODES.md)", .enabled(if: CLI.binary != nil, CLI.missingMessage),
       .timeLimit(.minutes(10)))
struct ExitCodeTests {
    @Test("lint on a good manifest exits 0 and prints nothing")
    func good() throws {
        let r = try CLI.run(["lint", TestPaths.fixture("bad/good.xml")])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("lint on a malformed manifest exits 1 with one file:line:column line")
    func findings() throws {
        let path = TestPaths.fixture("bad/malformed.xml")
        let r = try CLI.run(["lint", path])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("\(path):6:18: error: SMF010: "), "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").count == 1)
    }

    @Test("lint on a path that does not exist exits 2")
    func unreadable() throws {
        let r = try CLI.run(["lint", "/nonexistent/smf-minimize/manifest.xml"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("SMF001"))
    }

    @Test("an unknown option exits 64 with a usage message")
    func usage() throws {
        let r = try CLI.run(["lint", "--no-such-option", TestPaths.fixture("bad/good.xml")])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--no-such-option"))
    }

    @Test("a FIFO named on the command line exits 2 at once instead of blocking")
    func fifo() throws {
        let dir = TempDir()
        let fifo = dir.path + "/pipe.xml"
        try #require(mkfifo(fifo, 0o644) == 0)
        let r = try CLI.run(["inventory", fifo])
        #expect(r.status == 2)
    }

    @Test("the bad fixtures beside a good one: exit 1, one line per bad file, the good service inventoried")
    func badDirectory() throws {
        let dir = TestPaths.fixture("bad")
        let lint = try CLI.run(["lint", dir])
        #expect(lint.status == 1)
        #expect(lint.stdout.split(separator: "\n").count == 10, "\(lint.stdout)")
        let inventory = try CLI.run(["inventory", dir, "--format", "json"])
        #expect(inventory.stdout.contains("site/good"))
    }

    @Test("an external entity naming a local file: its content reaches neither stdout nor stderr, in any format")
    func xxeEndToEnd() throws {
        let dir = TempDir()
        let marker = "SMF-CLI-SECRET-\(UUID().uuidString)"
        let secret = dir.write("secret.txt", marker)
        dir.write("xxe.xml", """
        <?xml version='1.0'?>
        <!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1' [
        <!ENTITY xxe SYSTEM 'file://\(secret)'>
        ]>
        <service_bundle type='manifest' name='xxe'>
          <service name='site/xxe' type='service' version='1'>
            <create_default_instance enabled='true'/>
            <template><common_name><loctext xml:lang='C'>&xxe;</loctext></common_name></template>
          </service>
        </service_bundle>
        """)
        for args in [["lint", dir.path], ["lint", dir.path, "--format", "json"],
                     ["inventory", dir.path], ["inventory", dir.path, "--format", "json"]] {
            let r = try CLI.run(args)
            #expect(!r.stdout.contains(marker) && !r.stderr.contains(marker), "\(args)")
        }
        let lint = try CLI.run(["lint", dir.path])
        #expect(lint.stdout.contains("SMF011"))
    }
}
