// swift-tools-version: 6.1
// A libFuzzer harness over the reader and the merge. Kept in its own package
// so that `swift build`/`swift test` at the root never build it.
// Build and run with scripts/fuzz.sh (it passes -sanitize=fuzzer,address).
import PackageDescription

let package = Package(
    name: "SMFFuzz",
    dependencies: [
        .package(name: "smf-minimize", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "SMFFuzz",
            dependencies: ["CFuzzDriver", .product(name: "SMFKit", package: "smf-minimize")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
