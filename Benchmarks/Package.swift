// swift-tools-version: 6.1
// The benchmarks of smf-minimize: a package of its own, so that `swift build`
// and `swift test` at the root never build ordo-one/benchmark.
//
//   cd Benchmarks && swift package benchmark        (see docs/PERFORMANCE.md)
//   swift run -c release --package-path Benchmarks smf-stages PATH...
import PackageDescription

let package = Package(
    name: "smf-minimize-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "smf-minimize", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // ordo-one/benchmark finds its targets by their folder's parent being
        // named "Benchmarks": this package's root.
        .executableTarget(
            name: "SMFBenchmarks",
            dependencies: [
                .product(name: "SMFKit", package: "smf-minimize"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "SMFBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Times each stage of the pipeline in one process (no dependency on
        // the benchmark library); used by scripts/compare.sh.
        .executableTarget(
            name: "smf-stages",
            dependencies: [.product(name: "SMFKit", package: "smf-minimize")],
            path: "Sources/smf-stages"
        ),
    ],
    swiftLanguageModes: [.v6]
)
