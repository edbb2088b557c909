import Testing
@testable import SMFKit

/// The report's text is wrapped on bytes when it is plain ASCII; the
/// Character-based wrap is the reference it must equal.
@Suite("Text wrapping: the ASCII fast path equals the Character wrap")
struct TextWrapTests {
    @Test("random ASCII texts with runs of blanks, long words and ANSI escapes wrap the same at every width")
    func asciiEqualsCharacters() {
        var rng = SplitMix64(seed: 0x5eed)
        let pieces = ["svc:/network/ssh:default", "a", "", " ", "  ", "\u{1B}[1m", "\u{1B}[0m", "word", "x\ty", "line\nbreak",
                      String(repeating: "long", count: 30), "-", ",", "(1,698)"]
        for _ in 0..<3000 {
            let count = Int(rng.next() % 40)
            var text = ""
            for _ in 0..<count {
                text += pieces[Int(rng.next() % UInt64(pieces.count))]
                if rng.next() % 2 == 0 { text += " " }
            }
            let width = 1 + Int(rng.next() % 100)
            let style = TextStyle(color: false, width: width)
            let indent = ["", "  ", "    - "][Int(rng.next() % 3)]
            let first: String? = rng.next() % 2 == 0 ? nil : "* "
            #expect(style.wrapASCII(text, indent: indent, first: first) == style.wrapCharacters(text, indent: indent, first: first),
                    "width \(width), text \(text.debugDescription)")
        }
    }

    @Test("replacing in ASCII text on bytes finds what the Character search finds, CR LF included")
    func asciiReplaceMatchesCharacters() {
        func reference(_ text: String, _ target: String, _ with: String) -> String {
            var out = "", rest = Substring(text)
            while let r = rest.firstRange(of: target) {
                out += rest[rest.startIndex..<r.lowerBound]
                out += with
                rest = rest[r.upperBound...]
            }
            return out + rest
        }
        var rng = SplitMix64(seed: 0xc1ea)
        let pieces = ["/w/", "m", "/", "\r", "\n", "\r\n", "a", " "]
        var wrong = 0
        for _ in 0..<4_000 {
            func random(_ n: Int) -> String { (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
            let text = random(Int(rng.next() % 30)), target = random(1 + Int(rng.next() % 3))
            if target.isEmpty { continue }
            if text.asciiReplacingAll(target, with: "<>") != reference(text, target, "<>") { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    @Test("a text with a character outside ASCII takes the Character wrap")
    func nonASCII() {
        let style = TextStyle(color: false, width: 40)
        let text = "café crème brûlée à la carte, svc:/network/http:nginx déjà vu"
        #expect(style.wrap(text) == style.wrapCharacters(text))
        #expect(style.wrap(text) == "café crème brûlée à la carte,\nsvc:/network/http:nginx déjà vu")
    }

    @Test("escapes count nothing: a bold word fits where its letters fit")
    func escapes() {
        let style = TextStyle(color: true, width: 40)
        let bold = "\u{1B}[1m" + String(repeating: "a", count: 30) + "\u{1B}[0m"
        #expect(style.wrap(bold + " bcdefghi jk") == bold + " bcdefghi\njk")
        #expect(style.wrap(bold + " bcdefghi jk") == style.wrapCharacters(bold + " bcdefghi jk"))
    }
}

/// The byte checks that stand in for String's own where bytes decide.
@Suite("String byte checks: isASCII and hasSameBytes")
struct StringByteCheckTests {
    @Test("isASCII and hasSameBytes against the UTF-8 view, on random texts with canonically equal forms")
    func againstTheUTF8View() {
        var rng = SplitMix64(seed: 7)
        let pieces = ["a", "svc:/", "network/ssh", "é", "e\u{301}", "\u{212A}", "K", "\u{7F}", "\u{80}", "\u{1F1EB}\u{1F1F7}", "", " "]
        var asciiSeen = 0, equalNotSame = 0
        for _ in 0..<5_000 {
            var a = "", b = ""
            for _ in 0..<rng.int(0..<5) { a += rng.pick(pieces) }
            for _ in 0..<rng.int(0..<5) { b += rng.pick(pieces) }
            if rng.chance(0.3) { b = a }
            #expect(a.isASCII == a.utf8.allSatisfy { $0 < 0x80 })
            #expect(a.hasSameBytes(as: b) == Array(a.utf8).elementsEqual(Array(b.utf8)))
            if a.isASCII { asciiSeen += 1 }
            if a == b && !a.hasSameBytes(as: b) { equalNotSame += 1 }
        }
        #expect("é" == "e\u{301}" && !"é".hasSameBytes(as: "e\u{301}"))
        #expect(asciiSeen > 500)
        #expect(equalNotSame > 0)
    }

    @Test("String.joined gives the bytes of the parts one after the other, small, large and outside ASCII")
    func joinedParts() {
        var rng = SplitMix64(seed: 11)
        let pieces = ["/", "lib", "svc/manifest/site", "é", "e\u{301}", "\u{1F1EB}\u{1F1F7}", "", String(repeating: "d", count: 40), "x.xml"]
        for _ in 0..<2_000 {
            let parts = (0..<rng.int(0..<5)).map { _ in rng.pick(pieces) }
            let j: String
            switch parts.count {
            case 0: j = String.joined()
            case 1: j = String.joined(parts[0])
            case 2: j = String.joined(parts[0], parts[1])
            case 3: j = String.joined(parts[0], parts[1], parts[2])
            default: j = String.joined(parts[0], parts[1], parts[2], parts[3])
            }
            let expected = parts.prefix(4).flatMap { Array($0.utf8) }
            #expect(Array(j.utf8) == expected)
            #expect(j == parts.prefix(4).joined())
        }
    }
}
