import Testing
@testable import SMFKit

@Suite("Inventory of the real corpora")
struct CorpusInventoryTests {
    @Test("illumos usr/: the counts the issue names, read from the files", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func illumosCounts() throws {
        let repo = Loader.load(InputSpec(paths: [TestPaths.illumosUsr]))
        #expect(repo.counts.manifests == 182)
        #expect(repo.counts.profiles == 14)
        #expect(repo.counts.services == 183)
        #expect(repo.counts.instances == 195)
        #expect(repo.counts.dependencies == 367)
        #expect(repo.counts.dependents == 69)
        #expect(repo.counts.restarters == 2)
        #expect(repo.counts.servicesWithoutInstances == 2)
        // 61 enabled declarations in manifests, 60 distinct instances (boot-config twice).
        #expect(repo.counts.baselineEnabled == 60)
        #expect(repo.instances.filter { $0.restarter?.fmri == "svc:/network/inetd:default" }.count == 31)
        #expect(!repo.diagnostics.hasErrors)
    }

    @Test("illumos and OpenIndiana together read with no error", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func bothCorporaNoError() throws {
        let repo = Loader.load(InputSpec(paths: [TestPaths.illumos, TestPaths.oi]))
        let errors = repo.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.prefix(5))")
        #expect(repo.services["network/http"] != nil)
        #expect(repo.counts.files > 300)
    }

    @Test("DTD validation of the illumos manifests finds nothing, and console-login dangles only without the generated manifest", .enabled(if: TestPaths.corporaPresent, corporaMissingMessage))
    func dtdAndConsoleLogin() throws {
        let alone = Loader.load(InputSpec(paths: [TestPaths.illumosUsr], dtdPath: TestPaths.dtd))
        #expect(alone.diagnostics.filter { $0.code == .dtdInvalid }.isEmpty)
        let dangling = alone.diagnostics.filter { $0.message.contains("svc:/system/console-login") }
        #expect(dangling.count >= 2)
        let with = Loader.load(InputSpec(paths: [TestPaths.illumosUsr, TestPaths.illumos + "/generated"], dtdPath: TestPaths.dtd))
        #expect(with.diagnostics.filter { $0.message.contains("svc:/system/console-login") && $0.code != .duplicateGroup }.isEmpty)
        #expect(with.diagnostics.filter { $0.code == .dtdInvalid }.isEmpty)
    }
}
