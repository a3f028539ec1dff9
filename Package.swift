// swift-tools-version: 6.1
// The reproduction harness for two computer-vision papers (CAC multi-domain segmentation and
// instance-aware SPADE). See README.md.
import PackageDescription

let package = Package(
    name: "repro",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "repro", targets: ["repro"]),
        .library(name: "Harness", targets: ["Harness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
    ],
    targets: [
        // MARK: - C libraries, each imported by exactly one Swift file
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5"),
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CPeak"),  // FMA-throughput loops for the benchmark's machine peak

        // MARK: - Library targets
        .target(
            name: "Tensors",
            dependencies: ["COpenBLAS", .product(name: "Numerics", package: "swift-numerics")]),
        .target(name: "NN", dependencies: ["Tensors"]),
        .target(name: "Storage", dependencies: ["Tensors", "NN", "CHDF5", "CPNG"]),
        .target(name: "Data", dependencies: ["Tensors", "Storage", "CJPEG"]),
        .target(name: "Models", dependencies: ["Tensors", "NN"]),
        .target(name: "Harness", dependencies: ["Tensors", "NN", "Storage", "Data", "Models", "CPeak"]),
        .target(name: "Survey", dependencies: ["Tensors", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "SurveyServer",
            dependencies: ["Survey", "Tensors", .product(name: "Hummingbird", package: "hummingbird")],
            resources: [.copy("Page")]),
        .executableTarget(
            name: "repro",
            dependencies: [
                "Harness", "Data", "Survey", "SurveyServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: - Test support (not a product)
        .target(name: "TestSupport", dependencies: ["Tensors", "NN", "Storage"]),

        // MARK: - Unit test bundles
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "NN", "Storage", "Tensors", "TestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "TestSupport"]),
        .testTarget(name: "DataTests", dependencies: ["Data", "TestSupport"]),
        .testTarget(name: "SurveyTests", dependencies: ["Survey", "SurveyServer", "Data", "Storage", "Tensors"]),
    ]
)
