// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "smf-minimize",
    products: [
        .library(name: "SMFKit", targets: ["SMFKit"]),
        .executable(name: "smf-minimize", targets: ["smf-minimize"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Debian's libxml2-dev; SwiftPM asks pkg-config for the include path.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev", "pkg-config"]), .brew(["libxml2"])]
        ),
        .target(name: "SMFKit", dependencies: ["CLibXML2"]),
        .executableTarget(
            name: "smf-minimize",
            dependencies: ["SMFKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "SMFKitTests",
            dependencies: ["SMFKit"],
            resources: []
        ),
    ],
    swiftLanguageModes: [.v6]
)
