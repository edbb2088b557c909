import CFuzzDriver
import SMFKit

/// The process entry point. SwiftPM links `main` to `SMFFuzz_main`, so this
/// hands control to libFuzzer's driver (linked by -sanitize=fuzzer).
@_cdecl("SMFFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var args = argv
    return LLVMFuzzerRunDriver(&count, &args) { data, size in
        fuzzOneInput(data, size)
    }
}

/// libFuzzer's entry point: one input is one file's bytes. It is read as a
/// manifest, then as a profile layer, and merged into a repository the way
/// Loader does, so that both the reader and the merge see every input.
/// Any crash, sanitizer report, or hang (libFuzzer's -timeout) is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes: [UInt8] = if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }
    // A small limit keeps the size-limit path reachable by the fuzzer.
    let reader = ManifestReader(options: ReaderOptions(maxFileSize: 1 << 20))
    let result = reader.read(bytes: bytes, path: "fuzz.xml")
    var builder = RepositoryBuilder()
    builder.addSource(result)
    if let bundle = result.bundle {
        // The same bundle applied again as a profile layer exercises the
        // override paths (instances that exist, and those that do not).
        builder.addLayer(name: "fuzz-layer.xml", bundles: [bundle], diagnostics: [])
    }
    let repo = builder.build()
    // Render what the CLI renders, so the emitters see hostile values too.
    let report = InventoryReport(repo)
    var total = report.json.render().utf8.count &+ report.text.utf8.count
    for d in repo.diagnostics { total &+= d.description.utf8.count }
    withExtendedLifetime(total) {}
    return 0
}
