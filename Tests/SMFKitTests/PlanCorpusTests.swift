import Foundation
import Testing
@testable import SMFKit

/// The plan's "done when", on the real manifests: the illumos corpus with
/// the OpenIndiana one on top and the generic_limited_net profile as a
/// layer. For a web server (apache24, nginx), a database (postgresql_16)
/// and cron, an administrator gets a verdict checkable reason by reason, a
/// profile `svccfg apply` would accept, and a blank-zone inittab init would
/// boot.
@Suite("Plan: the real illumos and OpenIndiana manifests")
struct PlanCorpusTests {
    static let profilePath = TestPaths.illumosUsr + "/src/cmd/svc/profile/generic_limited_net.xml"
    static let paths = [TestPaths.illumosUsr, TestPaths.illumos + "/generated", TestPaths.oi]
    /// Loaded once for every test of the suite (empty when the corpora are absent).
    static let repo: Repository = Loader.load(InputSpec(paths: paths, profiles: [profilePath]))

    /// The requests, by exact FMRI (read in the manifests):
    /// oi-userland components/web/apache24/Solaris/http-apache24.xml (network/http, instance apache24),
    /// components/web/nginx/files/nginx-manifest.xml (network/http/nginx, instance default),
    /// components/database/postgresql-16/files/postgresql_16.xml (application/database/postgresql_16, instance default),
    /// illumos usr/src/cmd/cron/cron.xml (system/cron, instance default).
    static let requests = [
        "svc:/network/http:apache24",
        "svc:/network/http/nginx:default",
        "svc:/application/database/postgresql_16:default",
        "svc:/system/cron:default",
    ]

    static func input(_ fmri: String) throws -> PlanInput {
        try Analysis(repo: repo, requests: [fmri]).planInput()
    }

    /// Every `svc:/...` FMRI a sentence names.
    static func fmris(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "svc:/") {
            let tail = rest[r.lowerBound...]
            let f = tail.prefix { !" ,;()'\"".contains($0) }
            out.append(String(f))
            rest = rest[r.upperBound...]
        }
        return out
    }

    @Test("the requests name the real instances and their closures hold the file systems",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func requestsResolve() throws {
        for fmri in Self.requests {
            let input = try Self.input(fmri)
            #expect(input.wanted == [fmri])
            #expect(input.closure.contains("svc:/system/filesystem/local:default"), "\(fmri)")
            #expect(input.conflicts.isEmpty, "\(fmri): \(input.conflicts)")
        }
        // the abbreviations an administrator types resolve to the same instances
        for (name, fmri) in [("apache24", Self.requests[0]), ("nginx", Self.requests[1]),
                             ("postgresql_16", Self.requests[2]), ("cron", Self.requests[3])] {
            #expect(try Analysis(repo: Self.repo, requests: [name]).wanted == [fmri])
        }
    }

    @Test("every reason names checkable facts: FMRIs of the repository, the method program, counts that add up",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func reasonsCheckable() throws {
        for fmri in Self.requests {
            let input = try Self.input(fmri)
            for ip in IPType.allCases {
                let v = Plan.verdict(input, ipType: ip)
                #expect(!v.reasons.isEmpty)
                for reason in v.reasons {
                    // the sentence as printed: it names FMRIs of the closure, and only a few
                    let r = reason.words
                    let named = Self.fmris(in: r)
                    #expect(!named.isEmpty, "\(fmri) \(ip): a reason names no FMRI: \(r)")
                    for n in named {
                        #expect(Self.repo.instance(fmri: n) != nil, "\(fmri) \(ip): '\(n)' is not an instance of the repository: \(r)")
                        #expect(input.closure.contains(n) || input.optionalExtension.contains(n), "\(fmri) \(ip): '\(n)' is outside the closure: \(r)")
                    }
                    // a sentence summarises: never a long list of FMRIs
                    #expect(Set(named).count <= 6, "\(fmri) \(ip): \(Set(named).count) FMRIs in one reason: \(r)")
                }
                // without the method programs nothing is guessed: the profile, naming the program
                let inst = try #require(Self.repo.instance(fmri: fmri))
                let program = try #require(MethodAnalyzer.startMethod(of: inst, in: Self.repo)?.exec.split(separator: " ").first)
                #expect(v.choice == .trimmedProfile)
                guard case .mayNotRunWithoutSMF(fmri, let why)? = v.reasons.first else { Issue.record("\(v.reasons)"); continue }
                #expect(why.contains { $0.hasPrefix("\(program) was not inspected") }, "\(why)")
                // the count adds up to the closure, and the role of every member is kept
                let counted = try #require(v.reasons.lazy.compactMap { r -> RealWorkCount? in if case .realWork(let c) = r { c } else { nil } }.first)
                #expect(counted.realWork == v.realWork.count && counted.closure == input.closure.count && counted.ipType == ip)
                #expect(v.roles.map(\.fmri) == input.closure)
                // members not in the role table are named with what their manifest runs
                for r in v.roles where r.role == .unknownWork && r.fmri != fmri {
                    if LegacyRC.notKnown.directory(of: r.fmri) != nil {
                        // a milestone that runs an rc directory: without a root, not known
                        #expect(r.note.contains("is not known: no zone root was read"), "\(r.fmri): \(r.note)")
                        #expect(v.reasons.contains { if case .legacyNotKnown(r.fmri, let d) = $0 { !d.known && d.milestone.exec.hasPrefix("/sbin/rc") } else { false } },
                                "\(r.fmri) unnamed")
                    } else {
                        #expect(r.note.contains("not in the role table (no method script of it was read for the table)"), "\(r.fmri): \(r.note)")
                        #expect(counted.unknown > 0)
                        #expect(v.reasons.contains { if case .unknownRoles(_, let shown) = $0 { shown.contains { $0.fmri == r.fmri } } else { false } }
                                || v.reasons.contains { if case .unknownRoles(let n, let shown) = $0 { n > shown.count } else { false } }, "\(r.fmri) unnamed")
                    }
                }
                // a replacement command is given once, with every member it replaces
                let all = v.reasons.map(\.words).joined(separator: "\n")
                for c in Set(v.setupSteps.compactMap { s -> String? in if case .command(let c) = s.replacement { c } else { nil } }) {
                    #expect(all.components(separatedBy: c).count <= 2, "'\(c)' repeated in the reasons")
                }
            }
        }
    }

    @Test("the trimmed profile: valid against the real DTD, the exact DOCTYPE, every service with its own type, read back as the closure",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func profile() throws {
        let dir = TempDir()
        for fmri in Self.requests {
            let input = try Self.input(fmri)
            let xml = try ProfileWriter.xml(input, name: "smf-minimize")
            #expect(xml.hasPrefix("<?xml version='1.0'?>\n" + ProfileWriter.doctype + "\n"))
            #expect(xml.contains("<service_bundle type='profile' name='smf-minimize'>"))
            // every service with instances, in order, with version='1' and its own type
            let declared = xml.split(separator: "\n").filter { $0.hasPrefix("  <service name='") }.map(String.init)
            let expected = Self.repo.serviceNames.compactMap { n -> String? in
                guard let s = Self.repo.services[n], !s.instances.isEmpty else { return nil }
                return "  <service name='\(Escape.xmlAttribute(n))' version='1' type='\(Escape.xmlAttribute(s.type))'>"
            }
            #expect(declared == expected, "\(fmri): the service elements differ")
            #expect(xml.contains("<service name='system/svc/restarter' version='1' type='restarter'>"))
            #expect(xml.contains("<service name='network/http' version='1' type='service'>"))

            let path = dir.write(String(fmri.dropFirst(5).map { $0 == "/" || $0 == ":" ? "-" : $0 }) + ".xml", xml)
            if let result = xmllintValidate(path, dtd: TestPaths.dtd) {
                #expect(result.ok, "\(fmri): \(result.output)")
            } else {
                withKnownIssue("xmllint is not installed: the DTD check of the profile is skipped") { Issue.record("skipped") }
            }

            // read back on top of the shipped profile: exactly the closure and svc.startd's instance
            let back = Loader.load(InputSpec(paths: Self.paths, profiles: [Self.profilePath, path]))
            #expect(!back.diagnostics.hasErrors, "\(back.diagnostics.filter { $0.severity == .error })")
            let enabled = back.baseline.map(\.fmri)
            #expect(enabled == (input.closure + [startdFMRI]).sorted(), "\(fmri): the enabled set read back differs")

            // what svccfg apply and svc.startd need: no enabled instance waits on anything disabled
            let problems = DependencyCheck.unsatisfied(back, enabled: Set(enabled))
            #expect(problems.isEmpty, "\(fmri): \(problems)")
        }
    }

    @Test("the independent dependency check finds what svc.startd would keep offline",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func dependencyCheckBites() throws {
        let input = try Self.input("svc:/system/cron:default")
        var enabled = Set(input.closure + [startdFMRI])
        enabled.remove("svc:/system/filesystem/minimal:default")
        let problems = DependencyCheck.unsatisfied(Self.repo, enabled: enabled)
        #expect(problems.contains { $0.hasPrefix("svc:/milestone/single-user:default: require_all group 'filesystem-minimal'") }, "\(problems)")
    }

    @Test("the blank-zone inittab passes init's rules line by line and keeps the stock lines",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func inittab() throws {
        let stockText = try String(contentsOfFile: TestPaths.illumosUsr + "/src/cmd/initpkg/inittab", encoding: .utf8)
        let stock = stockText.split(separator: "\n").map(String.init)
        let stockEntries = InittabChecker.parse(stockText).entries
        #expect(stockEntries.map(\.id) == ["ap", "sp", "smf", "p3"])
        for fmri in Self.requests {
            let input = try Self.input(fmri)
            for ip in IPType.allCases {
                let v = Plan.verdict(input, ipType: ip)
                let text = try BlankZone.inittab(input, verdict: v, options: BlankZoneOptions(mode: .inittab, inittab: stock))
                Self.checkInittab(text, stock: stock, wanted: fmri)
            }
        }
    }

    static func checkInittab(_ text: String, stock: [String], wanted: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let (entries, problems) = InittabChecker.parse(text)
        #expect(problems.isEmpty, "\(wanted): \(problems)", sourceLocation: sourceLocation)
        let lines = text.split(separator: "\n").map(String.init)
        // the stock sysinit lines and the powerfail line are kept verbatim; the stock smf line is gone
        for l in stock where !l.hasPrefix("#") && !l.hasPrefix("smf:") {
            #expect(lines.contains(l), "\(wanted): stock line lost: \(l)", sourceLocation: sourceLocation)
        }
        #expect(!lines.contains { $0.hasPrefix("smf:") && $0.contains("svc.startd") }, sourceLocation: sourceLocation)
        let smf = entries.filter { $0.id == "smf" }
        #expect(smf.count == 1, "\(wanted): \(smf.count) smf lines", sourceLocation: sourceLocation)
        if let s = smf.first {
            #expect(!s.process.trimmingCharacters(in: .whitespaces).isEmpty, sourceLocation: sourceLocation)
            #expect(("exec " + s.process).utf8.count < 250, sourceLocation: sourceLocation)
        }
        for e in entries where e.id != "smf" {
            #expect(("exec " + e.process).utf8.count < 512, "\(wanted): \(e.id) too long", sourceLocation: sourceLocation)
        }
        // every line the tool adds runs at boot with its output redirected (init closes every descriptor)
        for e in entries where e.id.hasPrefix("zm") {
            #expect(e.action == "sysinit", sourceLocation: sourceLocation)
            #expect(e.process.contains(">>/dev/msglog 2>&1"), "\(wanted): \(e.process)", sourceLocation: sourceLocation)
        }
        // the file systems are mounted once, before anything is launched
        let mounts = entries.filter { $0.process.contains("/sbin/mountall -l") }
        #expect(mounts.count == 1, "\(wanted): mountall \(mounts.count) times", sourceLocation: sourceLocation)
        let launch = entries.firstIndex { $0.process.contains("SMF_FMRI=\(wanted)") }
        if let m = entries.firstIndex(where: { $0.process.contains("/sbin/mountall -l") }), let launch {
            #expect(m < launch, sourceLocation: sourceLocation)
        }
        #expect(launch != nil || lines.contains { $0.contains("SMF_FMRI=\(wanted)") }, "\(wanted) never launched", sourceLocation: sourceLocation)
    }

    @Test("cron, with its method script in a zone root: a blank zone in a shared-IP zone, a trimmed profile in an exclusive-IP zone",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func sharedVersusExclusive() throws {
        // an installed system: the illumos manifests under lib/svc/manifest, the OpenIndiana ones
        // under var/svc/manifest, generic.xml -> generic_limited_net.xml, and /lib/svc/method/svc-cron
        // as usr/src/cmd/svc/shell/smf_include.sh describes it (smf_include.sh, then cron in the background)
        let z = ZoneRoot.fromCorpora()
        let fm = FileManager.default
        var n = 0
        if let e = fm.enumerator(atPath: TestPaths.oi) {
            for rel in e.allObjects.compactMap({ $0 as? String }).sorted() where rel.hasSuffix(".xml") {
                n += 1
                let name = String(format: "%03d-", n) + (rel as NSString).lastPathComponent
                try fm.createDirectory(atPath: z.path + "/var/svc/manifest/site", withIntermediateDirectories: true)
                try fm.copyItem(atPath: TestPaths.oi + "/" + rel, toPath: z.path + "/var/svc/manifest/site/" + name)
            }
        }
        #expect(n > 100)
        let loaded = z.load()
        let repo = loaded.repository
        #expect(repo.instance(fmri: "svc:/network/http:apache24") != nil)
        #expect(repo.instance(fmri: "svc:/system/cron:default")?.enabled == true)
        let input = try Analysis(repo: repo, requests: ["cron"]).planInput()
        let lookup = ScriptLookup.root(z.path)

        let shared = Plan.verdict(input, ipType: .shared, lookup: lookup)
        #expect(shared.choice == .blankZone, "\(shared.reasons)")
        #expect(shared.methods.first?.canRunWithoutSMF == true)
        guard case .runsWithoutSMF("svc:/system/cron:default", .contract, _)? = shared.reasons.first else { Issue.record("\(shared.reasons)"); return }
        let commands = shared.reasons.compactMap { r -> [SetupCommand]? in if case .setupCommands(let c) = r { c } else { nil } }.first ?? []
        #expect(commands.contains(SetupCommand(command: "/sbin/mountall -l", fmris: [
            "svc:/system/filesystem/local:default", "svc:/system/filesystem/minimal:default", "svc:/system/filesystem/usr:default"])))
        #expect(shared.roles.first { $0.fmri == "svc:/network/loopback:default" }?.role == .noopSharedIP)

        let excl = Plan.verdict(input, ipType: .exclusive, lookup: lookup)
        #expect(excl.choice == .trimmedProfile, "\(excl.reasons)")
        // loopback:default is in cron's closure (single-user's require_any 'loopback-network'), and
        // ipmgmt through its dependent: in an exclusive-IP zone both are work for the zone's own stack
        let byHand = Self.byHand(excl)
        #expect(byHand["svc:/network/loopback:default"]?.note.hasPrefix("plumbs lo0") == true)
        #expect(byHand["svc:/network/loopback:default"]?.lines.contains("127.0.0.1/8 lo0/v4") == true)
        #expect(byHand["svc:/network/ip-interface-management:default"]?.lines.contains("ipadm create-addr") == true)
        #expect(Set(excl.reasons) != Set(shared.reasons))

        // the blank zone of the shared-IP verdict boots: init's rules, cron launched once, backgrounded by its script
        let stock = BlankZone.stockInittab
        let text = try BlankZone.inittab(input, verdict: shared, options: BlankZoneOptions(mode: .inittab, inittab: stock))
        Self.checkInittab(text, stock: stock, wanted: "svc:/system/cron:default")
        let cron = InittabChecker.parse(text).entries.filter { $0.process.contains("SMF_FMRI=svc:/system/cron:default") }
        #expect(cron.count == 1)
        #expect(cron.first?.process.contains("/lib/svc/method/svc-cron") == true)
        let notes = BlankZone.notes(input, verdict: shared, options: BlankZoneOptions())
        #expect(notes.contains("- svc:/system/sysevent:default is in the closure, not in the role table"))
        #expect(notes.contains("a blank zone does not start it: check that the wanted services do without it"))

        // and the same request without the script is not guessed: the profile in both IP types
        for ip in IPType.allCases {
            #expect(Plan.verdict(input, ipType: ip).choice == .trimmedProfile)
        }
    }

    @Test("apache24: the same verdict in both IP types, for different reasons (exclusive IP: the zone's network by hand)",
          .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func apacheReasonsDiffer() throws {
        let input = try Self.input("svc:/network/http:apache24")
        let shared = Plan.verdict(input, ipType: .shared)
        let excl = Plan.verdict(input, ipType: .exclusive)
        #expect(shared.choice == excl.choice)
        #expect(Self.byHand(shared).isEmpty)
        #expect(!shared.reasons.contains { if case .networkByHand = $0 { true } else { false } })
        #expect(Self.byHand(excl)["svc:/network/physical:default"]?.note.hasPrefix("plumbs the zone's interfaces") == true)
        #expect(excl.reasons.contains { if case .networkByHand(.exclusive, let f) = $0 { f.contains("svc:/network/physical:default") } else { false } })
        #expect(excl.realWork.count > shared.realWork.count)
        #expect(shared.setupSteps.allSatisfy { if case .command = $0.replacement { true } else { false } })
    }

    /// The verdict's by-hand setup reasons, by member.
    static func byHand(_ v: Verdict) -> [String: (note: String, lines: String)] {
        var out: [String: (note: String, lines: String)] = [:]
        for r in v.reasons { if case .setupByHand(let f, let note, let lines, _) = r { out[f] = (note, lines) } }
        return out
    }
}

/// An independent check of what svc.startd needs to bring the enabled set
/// online (usr/src/cmd/svc/startd/graph.c), written over the Repository's composed groups
/// and not over the graph module: every require_all entity must be enabled
/// (an instance, or a service with an enabled instance), every require_any
/// group must have one, the restarter must be enabled, and no exclude_all
/// entity may be enabled. Path entities are files, checked at start time,
/// and not judged here.
enum DependencyCheck {
    static func unsatisfied(_ repo: Repository, enabled: Set<String>) -> [String] {
        func up(_ e: GroupEntity) -> Bool? {
            switch e.fmri {
            case .instance(let s, let i): enabled.contains(instanceFMRI(s, i))
            case .service(let s): repo.services[s]?.instances.keys.contains { enabled.contains(instanceFMRI(s, $0)) } ?? false
            case .path: nil
            }
        }
        var out: [String] = []
        for fmri in enabled.sorted() {
            guard let inst = repo.instance(fmri: fmri) else {
                if fmri != startdFMRI { out.append("\(fmri): enabled but not in the repository") }
                continue
            }
            if let r = inst.restarter, !enabled.contains(r.fmri) {
                out.append("\(fmri): its restarter \(r.fmri) is not enabled")
            }
            for g in inst.groups {
                let states = g.entities.map(up)
                switch g.grouping {
                case .requireAll:
                    for (e, s) in zip(g.entities, states) where s == false {
                        out.append("\(fmri): require_all group '\(g.name)' names \(e.fmri), which is not enabled")
                    }
                case .requireAny:
                    if !states.isEmpty && !states.contains(where: { $0 != false }) {
                        out.append("\(fmri): require_any group '\(g.name)' has no enabled entity")
                    }
                case .excludeAll:
                    for (e, s) in zip(g.entities, states) where s == true {
                        out.append("\(fmri): exclude_all group '\(g.name)' names \(e.fmri), which is enabled")
                    }
                case .optionalAll:
                    break
                }
            }
        }
        return out
    }
}
