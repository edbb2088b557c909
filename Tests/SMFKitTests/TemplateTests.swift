import Foundation
import Testing
@testable import SMFKit

@Suite("Templated manifests and --define")
struct TemplateTests {
    /// A manifest as a build system leaves it, with four placeholder styles
    /// and SMF's own method tokens that must never be touched.
    static let templated = manifest("""
      <service name='application/@SMF_NAME@' version='1' type='service'>
        <create_default_instance enabled='true'/>
        <dependency name='net' grouping='require_all' restart_on='none' type='service'>
          <service_fmri value='svc:/$(DEP_SVC)'/>
        </dependency>
        <exec_method type='method' name='start' exec='@@PREFIX@@/bin/app %m -c %{config/file} -i %i' timeout_seconds='60'/>
        <property_group name='config' type='application'>
          <propval name='version' type='astring' value='%%%VERSION%%%'/>
          <propval name='shell' type='astring' value='${HOME}/x'/>
        </property_group>
      </service>
    """, name: "@SMF_NAME@")

    static let defines = ["SMF_NAME": "web", "DEP_SVC": "milestone/network", "PREFIX": "/opt/app", "VERSION": "1.2"]

    @Test("without --define: SMF030 warnings that name each placeholder and say what to type")
    func withoutDefines() throws {
        let dir = TempDir()
        let p = dir.write("app.xml", Self.templated)
        let repo = Loader.load(InputSpec(paths: [p]))
        let ph = repo.diagnostics.filter { $0.code == .placeholder }
        #expect(ph.contains { $0.message.contains("@SMF_NAME@") && $0.message.contains("--define SMF_NAME=VALUE") && $0.severity == .warning })
        #expect(ph.contains { $0.message.contains("$(DEP_SVC)") && $0.message.contains("--define DEP_SVC=VALUE") })
        #expect(repo.diagnostics.filter { $0.code == .badName || $0.code == .badFMRI }.isEmpty)
        #expect(repo.services["application/@SMF_NAME@"] != nil)
    }

    @Test("with --define: names, FMRIs, exec and values expanded; %m, %i and %{pg/prop} untouched; undefined ${HOME} left alone")
    func withDefines() throws {
        let dir = TempDir()
        let p = dir.write("app.xml", Self.templated)
        let repo = Loader.load(InputSpec(paths: [p], defines: Self.defines))
        #expect(repo.diagnostics.filter { $0.code == .placeholder }.isEmpty)
        let svc = try #require(repo.services["application/web"])
        let start = try #require(svc.entity.methods.first)
        #expect(start.exec == "/opt/app/bin/app %m -c %{config/file} -i %i")
        let config = try #require(svc.entity.propertyGroups.first { $0.name == "config" })
        #expect(config.property("version")?.values == ["1.2"])
        #expect(config.property("shell")?.values == ["${HOME}/x"])
        let inst = try #require(repo.instance("application/web", "default"))
        #expect(inst.groups.first { $0.name == "net" }?.entities.map(\.fmri) == [.service("milestone/network")])
        // Lines do not move: the service is still at the line it was written on.
        #expect(svc.location.line == 4)
    }

    @Test("two files defining the same unexpanded name: SMF051, each file's service kept as its own, named with its file")
    func templateConflict() throws {
        let dir = TempDir()
        let a = dir.write("a.xml", manifest("""
          <service name='application/@SMF_NAME@' version='1' type='service'>
            <instance name='one' enabled='true'/>
          </service>
        """))
        let b = dir.write("b.xml", manifest("""
          <service name='application/@SMF_NAME@' version='1' type='service'>
            <instance name='two' enabled='true'/>
          </service>
        """))
        let repo = Loader.load(InputSpec(paths: [a, b]))
        let conflict = try #require(repo.diagnostics.first { $0.code == .templateConflict })
        #expect(conflict.location.file == b)
        #expect(conflict.message.contains(a))
        #expect(conflict.message.contains("@SMF_NAME@"))
        #expect(repo.services["application/@SMF_NAME@"] == nil)
        #expect(repo.instance("application/@SMF_NAME@{\(a)}", "one") != nil)
        #expect(repo.instance("application/@SMF_NAME@{\(b)}", "two") != nil)
        #expect(repo.instance("application/@SMF_NAME@{\(a)}", "two") == nil)
        // One file alone keeps its bare name.
        let single = Loader.load(InputSpec(paths: [a]))
        #expect(single.instance("application/@SMF_NAME@", "one") != nil)
        #expect(single.diagnostics.filter { $0.code == .templateConflict }.isEmpty)

        // Expanded, the same two files are one service with two instances, as svccfg would merge them.
        let expanded = Loader.load(InputSpec(paths: [a, b], defines: ["SMF_NAME": "web"]))
        #expect(expanded.diagnostics.filter { $0.code == .templateConflict }.isEmpty)
        #expect(expanded.services["application/web"]?.instances.count == 2)
    }

    @Test("a file that is not valid UTF-8 is never rewritten: a warning names the placeholders, and the rest reads as before")
    func notUTF8() throws {
        let dir = TempDir()
        var bytes = Array(manifest("""
          <service name='application/@SMF_NAME@' version='1' type='service'>
            <create_default_instance enabled='true'/>
          </service>
        """).utf8)
        // Put a Latin-1 byte in a comment.
        let marker = Array("<service_bundle".utf8)
        if let i = (0..<(bytes.count - marker.count)).first(where: { Array(bytes[$0..<($0 + marker.count)]) == marker }) {
            bytes.insert(contentsOf: Array("<!-- caf".utf8) + [0xe9] + Array(" -->\n".utf8), at: i)
        }
        let p = dir.path + "/latin1.xml"
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        let repo = Loader.load(InputSpec(paths: [p], defines: ["SMF_NAME": "web"]))
        #expect(repo.diagnostics.contains { $0.code == .placeholder && $0.message.contains("not valid UTF-8") && $0.message.contains("@SMF_NAME@") })
        #expect(repo.services["application/web"] == nil)
    }

    @Test("Placeholders.substitute(bytes:) replaces only defined names and never SMF method tokens")
    func substituteBytes() {
        let text = "exec='@A@ %m %i %{a/b} %%%B%%% $(C) ${D} @@E@@ @undefined@'"
        guard case .substituted(let out) = Placeholders.substitute(bytes: Array(text.utf8),
                                                                   defines: ["A": "1", "B": "2", "C": "3", "D": "4", "E": "5"]) else {
            Issue.record("expected a substitution")
            return
        }
        #expect(String(decoding: out, as: UTF8.self) == "exec='1 %m %i %{a/b} 2 3 4 5 @undefined@'")
        #expect(Placeholders.substitute(bytes: Array("%m %{x/y}".utf8), defines: ["m": "no"]) == .unchanged)
        #expect(Placeholders.substitute(bytes: Array("plain".utf8), defines: ["A": "1"]) == .unchanged)
    }

    @Test("--define applies to profiles too: a templated site profile enables the expanded instance")
    func definesInProfiles() throws {
        let dir = TempDir()
        let m = dir.write("m.xml", manifest("""
          <service name='application/web' version='1' type='service'>
            <create_default_instance enabled='false'/>
          </service>
        """))
        let prof = dir.write("p.xml", profile([("application/@SMF_NAME@", "default", true)]))
        let repo = Loader.load(InputSpec(paths: [m], profiles: [prof], defines: ["SMF_NAME": "web"]))
        #expect(repo.instance("application/web", "default")?.enabled == true)
    }
}
