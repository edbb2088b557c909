import Testing
@testable import SMFKit

/// The byte-level name checks and trimming (a performance change) must give
/// exactly what the original Character-level definitions give, kept here as
/// the reference.
@Suite struct FMRIFastPathTests {
    static func referenceComponent(_ c: String) -> Bool {
        guard let first = c.first, first.isASCII, first.isLetter else { return false }
        return c.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." || $0 == ",") }
    }

    static func referenceServiceName(_ name: String) -> Bool {
        if name.isEmpty { return false }
        var body = Substring(name)
        if let comma = body.firstIndex(of: ",") {
            let vendor = body[body.startIndex..<comma]
            guard let f = vendor.first, f.isASCII, f.isLetter,
                  vendor.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") })
            else { return false }
            body = body[body.index(after: comma)...]
        }
        let comps = body.split(separator: "/", omittingEmptySubsequences: false)
        return !comps.isEmpty && comps.allSatisfy { referenceComponent(String($0)) }
    }

    static func referenceTrim(_ s: String) -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let a = s.firstIndex(where: { !ws($0) }), let e = s.lastIndex(where: { !ws($0) }) else { return "" }
        return String(s[a...e])
    }

    /// The original, Character-level parser.
    static func referenceParse(_ raw: String) -> FMRI? {
        let text = referenceTrim(raw)
        if text.isEmpty { return nil }
        if text.hasPrefix("file:") {
            var rest = Substring(text.dropFirst(5))
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                guard let slash = rest.firstIndex(of: "/") else { return nil }
                let scope = rest[rest.startIndex..<slash]
                guard scope.isEmpty || scope == "localhost" else { return nil }
                rest = rest[slash...]
            }
            guard rest.hasPrefix("/"), rest.count > 1 else { return nil }
            return .path(String(rest))
        }
        var rest = Substring(text)
        if rest.hasPrefix("svc:") { rest = rest.dropFirst(4) }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var scope = rest[rest.startIndex..<end]
            if scope.hasSuffix("@localhost") { scope = scope.dropLast(10) }
            guard scope.isEmpty || scope == "localhost" else { return nil }
            rest = rest[end...]
        }
        if rest.hasPrefix("/") { rest = rest.dropFirst() }
        if rest.contains("/:properties") { return nil }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let service = String(parts[0])
        guard referenceServiceName(service) else { return nil }
        if parts.count == 2 {
            let inst = String(parts[1])
            guard referenceComponent(inst) else { return nil }
            return .instance(service: service, instance: inst)
        }
        return .service(service)
    }

    static let samples: [String] = [
        "", "a", "A", "1", "_", "a1", "network/ssh", "network//ssh", "/network", "network/", "a/b/c",
        "SUNW,foo/bar", ",foo", "SUNW,", "SUNW.x,foo", "SUNW_x-y,foo/bar", "a,b,c", "a-b_c.d,e",
        "caf\u{e9}", "e\u{301}", "a,\u{301}b", "a/\u{301}b", "a\r\nb", "a\rb", "a b", "a\tb", "Z9",
        "9a", "-a", ".a", "a:b", "milestone/multi-user-server", "application/web/p1/server3",
        "svc:/network/ssh:default", "svc:network/ssh", "svc://localhost/a/b:i", "svc://@localhost/a", "svc://x@localhost/a",
        "svc://localhost", "svc://", "svc:/", "svc:", "/a/b:i", "a/b:i", "a/b:i:j", "a/b:", ":i", "svc:/a/b:i/:properties/x",
        "file://localhost/etc/x", "file:///p", "file:/p", "file:/", "file://", "file://host/p", "file:p", "file://localhost",
        "svc:/SUNW,x/y:z", "svc:/a/b:i,j.k", " svc:/a/b:i ", "svc:/a/b:i\r\n", "svc:/caf\u{e9}:i", "svc:/a:\u{e9}",
        " network/ssh ", "\tx\n", "x\r\n", "\r\nx", " ", "\r\n", "\n\u{301}", "x \u{301}", "ab\u{301}",
    ]

    @Test func serviceNameChecksMatchTheCharacterDefinitions() {
        var strings = Self.samples
        // Random strings over an alphabet with the awkward cases.
        let alphabet: [String] = ["a", "Z", "0", "_", "-", ".", ",", "/", ":", " ", "\r", "\n", "\r\n", "\u{301}", "\u{e9}", "\t",
                                  "svc:", "file:", "//", "localhost", "@localhost", "/:properties", "x"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20000 {
            var s = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let len = Int(state >> 60)
            for _ in 0..<len {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                s += alphabet[Int(state >> 33) % alphabet.count]
            }
            strings.append(s)
        }
        for s in strings {
            #expect(FMRI.isValidServiceName(s) == Self.referenceServiceName(s), "service name \(s.debugDescription)")
            #expect(FMRI.isValidComponent(s) == Self.referenceComponent(s), "component \(s.debugDescription)")
            #expect(s.trimmingWhitespace() == Self.referenceTrim(s), "trim \(s.debugDescription)")
            #expect(FMRI(parsing: s) == Self.referenceParse(s), "parse \(s.debugDescription)")
            #expect(FMRI.isValid(s) == (Self.referenceParse(s) != nil), "isValid \(s.debugDescription)")
            #expect(Self.kind(FMRI.shape(of: s)) == Self.kind(Self.referenceParse(s)), "shape \(s.debugDescription)")
        }
    }

    /// The case of a parse, without its names (what `FMRI.shape(of:)` keeps).
    static func kind(_ f: FMRI?) -> String {
        switch f {
        case .service?: "service"
        case .instance?: "instance"
        case .path?: "path"
        case nil: "refused"
        }
    }

    @Test func propertyGroupFMRIsStillNameNothing() {
        #expect(FMRI(parsing: "svc:/network/ssh:default/:properties/general") == nil)
        #expect(FMRI(parsing: "svc:/network/ssh/:properties") == nil)
        #expect(FMRI(parsing: "svc:/network/ssh:default") == .instance(service: "network/ssh", instance: "default"))
        #expect(FMRI(parsing: "svc:/a/:propertie") == nil)
        #expect(FMRI(parsing: "svc:/SUNW,x/y:z") == .instance(service: "SUNW,x/y", instance: "z"))
    }
}
