import Testing
@testable import SMFKit
#if canImport(Glibc)
import Glibc
#endif

/// The reader keeps one parser context and one element record across the
/// documents it reads, and matches names as bytes (issue 18): a document
/// must read the same whatever was read before it with the same reader.
@Suite struct ReaderReuseTests {
    static let doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE service_bundle SYSTEM \"/usr/share/lib/xml/dtd/service_bundle.dtd.1\""

    static func manifest(_ name: String, body: String = "", subset: String = "") -> String {
        """
        \(doctype)\(subset.isEmpty ? "" : " [\n\(subset)\n]")>
        <service_bundle type='manifest' name='\(name)' xmlns:xi='http://www.w3.org/2001/XInclude'>
        <service name='site/\(name)' type='service' version='1'>
          <create_default_instance enabled='true'/>
          \(body)
          <exec_method type='method' name='start' exec='/bin/true' timeout_seconds='60'/>
          <template><common_name><loctext xml:lang='C'>  the   \(name)
            service </loctext></common_name></template>
        </service>
        </service_bundle>
        """
    }

    /// Documents that leave state behind in a parser context: entities and
    /// attribute defaults in a DOCTYPE, a namespace declared on an element
    /// the parse stopped inside, an amplification stop, names never seen.
    static let documents: [(String, String)] = [
        ("entities.xml", manifest("a", body: "&deps;", subset: """
          <!ENTITY deps "<dependency name='net' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/milestone/network'/></dependency>">
          <!ATTLIST dependency delete CDATA 'true'>
        """)),
        ("undeclared.xml", manifest("b", body: "&deps;")),
        ("defaults-gone.xml", manifest("c", body: """
          <dependency name='fs' grouping='require_all' restart_on='none' type='service'><service_fmri value='svc:/system/filesystem/local'/></dependency>
        """)),
        ("stopped-in-namespace.xml", """
        \(doctype)>
        <service_bundle type='manifest' name='d'>
        <service name='site/d' type='service' version='1' xmlns:p='urn:p'>
          <p:x><dependency name='n' grouping='require_all' restart_on='none' type='service'>
          <service_fmri value='svc:/a' & broken
        """),
        ("prefix-after.xml", """
        \(doctype)>
        <service_bundle type='manifest' name='e'>
        <service name='site/e' type='service' version='1'>
          <create_default_instance enabled='true'/>
          <p:dependency name='n' grouping='require_all' restart_on='none' type='service'/>
          <xi:include href='/x.xml'/>
        </service>
        </service_bundle>
        """),
        ("amplified.xml", """
        \(doctype) [
          <!ENTITY a "<propval name='p' type='astring' value='0123456789012345678901234567890123456789'/>">
          <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
          <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
          <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
        ]>
        <service_bundle type='manifest' name='f'><service name='site/f' type='service' version='1'>
        <property_group name='g' type='application'>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</property_group>
        </service></service_bundle>
        """),
        ("plain.xml", manifest("g")),
        ("many-names.xml", """
        \(doctype)>
        <service_bundle type='manifest' name='h'><service name='site/h' type='service' version='1'>
        \((0..<5000).map { "<n\($0) a\($0)='v'/>" }.joined())
        <create_default_instance enabled='false'/>
        </service></service_bundle>
        """),
        ("after-many-names.xml", manifest("i")),
        ("not-a-bundle.xml", "<?xml version='1.0'?><x:root xmlns:x='urn:x'/>"),
        ("last.xml", manifest("j", body: "&deps;", subset: """
          <!ENTITY deps "<dependent name='net' grouping='optional_all' restart_on='none'><service_fmri value='svc:/milestone/multi-user'/></dependent>">
        """)),
    ]

    @Test func oneReaderReadsEachDocumentAsAFreshReaderDoes() {
        let shared = ManifestReader()
        for (path, text) in Self.documents + Self.documents.reversed() {
            let again = shared.read(bytes: Array(text.utf8), path: path)
            let fresh = ManifestReader().read(bytes: Array(text.utf8), path: path)
            #expect(again.bundle == fresh.bundle, "\(path)")
            #expect(again.diagnostics == fresh.diagnostics, "\(path)")
        }
    }

    @Test func theDocumentsReadAsExpected() throws {
        let reader = ManifestReader()
        func read(_ i: Int) -> ReadResult {
            reader.read(bytes: Array(Self.documents[i].1.utf8), path: Self.documents[i].0)
        }
        let a = try #require(read(0).bundle?.services.first)
        #expect(a.entity.dependencies.map(\.name) == ["net"])
        #expect(a.entity.dependencies.first?.delete == true)  // the ATTLIST default
        #expect(a.entity.commonName == "the a service")
        let b = read(1)  // the entity of the document before is not this one's
        #expect(b.bundle?.services.first?.entity.dependencies.isEmpty == true)
        #expect(b.diagnostics.map(\.message) == ["Entity 'deps' not defined"])
        let c = try #require(read(2).bundle?.services.first)
        #expect(c.entity.dependencies.first?.delete == false)  // no default left from the first document
        let d = read(3)
        #expect(d.bundle == nil)
        let e = try #require(read(4).bundle?.services.first)
        #expect(e.entity.dependencies.isEmpty)  // p: is undeclared here: not a dependency
        let f = read(5)
        #expect(f.bundle == nil)
        #expect(f.diagnostics.first?.code == .xmlAmplification)
        #expect(read(6).bundle?.services.first?.entity.commonName == "the g service")
        #expect(read(7).bundle?.services.first?.createDefaultInstance?.enabled == false)
        #expect(read(8).bundle?.services.first?.name == "site/i")
        #expect(read(9).diagnostics.first?.message.hasPrefix("the root element is <root>,") == true)
        let j = try #require(read(10).bundle?.services.first)
        #expect(j.entity.dependents.first?.target?.value == "svc:/milestone/multi-user")
    }

    @Test func everyKnownNameIsMatchedAndNearNamesAreNot() {
        func code(_ s: String, element: Bool) -> UInt8 {
            var bytes = Array(s.utf8)
            bytes.append(0)
            return bytes.withUnsafeBufferPointer {
                element ? ElementName.named($0.baseAddress!).rawValue : AttributeName.named($0.baseAddress!).rawValue
            }
        }
        for e in ElementName.all {
            #expect(code(e.text, element: true) == e.rawValue, "\(e.text)")
            for near in [String(e.text.dropLast()), e.text + "s", e.text.uppercased(), "x" + e.text, e.text + "\u{e9}"] {
                #expect(code(near, element: true) == ElementName.other.rawValue, "\(near)")
            }
        }
        for a in AttributeName.all {
            #expect(code(a.text, element: false) == a.rawValue, "\(a.text)")
            for near in [String(a.text.dropLast()), a.text + "s", a.text.uppercased(), "_" + a.text] {
                #expect(code(near, element: false) == AttributeName.other.rawValue, "\(near)")
            }
        }
        #expect(code("", element: true) == 0)
        #expect(code("lang", element: false) == 0)  // only xml:lang is .xmlLang
    }

    /// The common name's fast path (ASCII bytes collapsed) against the
    /// String split and join it replaces, over text pieces that make blanks,
    /// CR LF pairs, combining marks and non-ASCII letters, in one or several
    /// text callbacks.
    @Test func theCollapsedTextIsWhatSplittingAndJoiningGives() {
        let pieces = [" ", "  ", "\n", "\t", "\r", "\r\n", "a", "bc", "\u{e9}", "e\u{301}", " \u{301}", "x y"]
        var generator = SystemRandomNumberGenerator()
        var fast = 0
        for round in 0..<2000 {
            let n = Int.random(in: 0...6, using: &generator)
            let chunks = (0..<n).map { _ in pieces.randomElement(using: &generator)! }
            let tree = ElementTree()
            let name = Array("loctext".utf8) + [0]
            name.withUnsafeBufferPointer { tree.storage.pointee.start(localname: $0.baseAddress!, prefix: nil, uri: nil,
                                                                      line: 1, count: 0, attributes: nil) }
            // One callback per chunk, or all in one (libxml2 does both).
            for chunk in round % 2 == 0 ? chunks : [chunks.joined()] {
                let bytes = Array(chunk.utf8)
                if !bytes.isEmpty { bytes.withUnsafeBufferPointer { tree.storage.pointee.characters($0.baseAddress!, $0.count) } }
            }
            tree.storage.pointee.end()
            let slow = tree.text(0).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
                .joined(separator: " ")
            if let quick = tree.collapsedASCIIText(0) {
                fast += 1
                #expect(quick == slow, "\(String(reflecting: chunks))")
            }
        }
        #expect(fast > 100)  // the fast path was taken often enough to be checked
    }

    /// FileBytes reads a file with one C string of its name and stops at
    /// the size fstat gave: every size reads whole, a raw-byte name too.
    @Test func filesOfEverySizeReadWholeAndRawNamesResolve() throws {
        let dir = TempDir()
        for size in [1, 2, 4095, 4096, 4097, 65536, 65537, 300_001] {
            let text = String((0..<size).map { i in Character(Unicode.Scalar(UInt8(0x61 + i % 26))) })
            let path = dir.write("f\(size).xml", text)
            let got = try FileBytes.read(path, limit: 1 << 20).get()
            #expect(got == Array(text.utf8), "size \(size)")
        }
        #expect(try FileBytes.read(dir.write("empty.xml", ""), limit: 10).get() == [])
        if case .failure(.tooLarge(let n, let limit)) = FileBytes.read(dir.write("big.xml", "0123456789"), limit: 9) {
            #expect(n == 10 && limit == 9)
        } else {
            Issue.record("a file over the limit is refused")
        }
        // A name holding the byte 0xFF (not UTF-8): decoded with an escape, read back by its bytes.
        let raw = PathName.decode(Array((dir.path + "/raw-").utf8) + [0xFF] + Array(".xml".utf8))
        #expect(PathName.mayHoldEscapes(raw))
        let fd = PathName.withCString(raw) { open($0, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        #expect(fd >= 0)
        _ = "raw".withCString { write(fd, $0, 3) }
        close(fd)
        #expect(try FileBytes.read(raw, limit: 10).get() == Array("raw".utf8))
        if case .failure(.missing) = FileBytes.read(dir.path + "/none.xml", limit: 10) {} else {
            Issue.record("a missing file is .missing")
        }
        for name in ["", "plain.xml", "caf\u{e9}.xml", "\u{10FFFF}", "a\u{10FF80}b"] {
            #expect(PathName.mayHoldEscapes(name) == name.utf8.contains(0xF4), "\(String(reflecting: name))")
        }
    }
}
