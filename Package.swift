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
    ],
    targets: [
        // MARK: - C libraries, each imported by exactly one Swift file
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5"),
        .systemLibrary(name: "CLAPACKE", path: "Sources/CLAPACKE"),
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
        .target(
            name: "SynthesisMetrics",
            dependencies: ["Tensors", "NN", "Storage", "Data", "Models", "CLAPACKE"]),
        .executableTarget(
            name: "repro",
            dependencies: ["Harness", "Data", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // MARK: - Test support (not a product)
        .target(name: "TestSupport", dependencies: ["Tensors", "NN", "Storage"]),

        // MARK: - Unit test bundles
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "NN", "Storage", "Tensors", "TestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "TestSupport"]),
        .testTarget(name: "DataTests", dependencies: ["Data", "TestSupport"]),
        .testTarget(
            name: "SynthesisMetricsTests",
            dependencies: [
                "SynthesisMetrics", "Data", "Models", "NN", "Storage", "Tensors", "TestSupport",
            ]),
    ]
)
