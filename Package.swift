// swift-tools-version: 6.1
// The reproduction harness for two computer-vision papers (CAC multi-domain segmentation and
// instance-aware SPADE). See README.md.
//
// Targets depend one way: Tensors <- NN <- Models; ImageCodecs <- Data; Storage (HDF5);
// Results (run folders, goldens, claims) <- Reports <- one target per paper (Paper2 reuses
// Paper1's segmenter training for its mIoU and proxy FID) <- Harness (the
// registry of papers and the verification every command shares) <- repro. Bench measures the
// kernels and reuses the Results probe and formatting. No HTTP dependency enters a library.
import PackageDescription

let package = Package(
    name: "repro",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "repro", targets: ["repro"]),
        .library(name: "Harness", targets: ["Harness"]),
        .library(name: "Bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),  // tests: workflow YAML
    ],
    targets: [
        // MARK: - C libraries, each imported by exactly one Swift file
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5"),
        .systemLibrary(name: "CLAPACKE", path: "Sources/CLAPACKE"),
        .systemLibrary(name: "CMPI", path: "Sources/CMPI"),  // Open MPI (data parallelism)
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CPeak"),  // FMA-throughput loops for the benchmark's machine peak
        .target(name: "CMeasure"),  // a named C function callgrind counts instructions in
        .target(name: "CWinograd"),  // Winograd data transforms, one build per instruction set

        // MARK: - Numerics and models
        .target(
            name: "Tensors",
            dependencies: [
                "COpenBLAS", "CWinograd", .product(name: "Numerics", package: "swift-numerics"),
            ]),
        .target(name: "NN", dependencies: ["Tensors"]),
        .target(name: "Models", dependencies: ["Tensors", "NN"]),

        // MARK: - Files and data
        .target(name: "FileIO"),  // atomic writes shared by every file format
        .target(name: "Storage", dependencies: ["Tensors", "NN", "FileIO", "CHDF5"]),
        .target(name: "ImageCodecs", dependencies: ["FileIO", "CPNG", "CJPEG"]),
        .target(name: "Data", dependencies: ["Tensors", "ImageCodecs"]),

        // MARK: - Metrics of generated images (paper 2)
        .target(
            name: "SynthesisMetrics",
            dependencies: ["Tensors", "NN", "Storage", "ImageCodecs", "Data", "Models", "CLAPACKE"]),

        // MARK: - The harness
        .target(
            name: "Results",
            dependencies: [
                "Tensors", "Storage", "FileIO",
                .product(name: "Numerics", package: "swift-numerics"),
            ]),
        .target(name: "Reports", dependencies: ["Results"]),
        .target(
            name: "Paper1",
            dependencies: [
                "Tensors", "NN", "Storage", "ImageCodecs", "Data", "Models", "Results", "Reports",
            ]),
        .target(
            name: "Paper2",
            dependencies: [
                "Tensors", "NN", "ImageCodecs", "Data", "Models", "Results", "Reports", "Storage",
                "SynthesisMetrics", "Paper1", "FileIO",
            ]),
        .target(
            name: "Bench",
            dependencies: [
                "Tensors", "NN", "Models", "ImageCodecs", "Paper2", "Results", "Reports", "CPeak",
            ]),
        .target(name: "Harness", dependencies: ["Results", "Reports", "Paper1", "Paper2"]),
        .target(name: "Cluster", dependencies: ["Results", "CMPI"]),  // MPI processes of a run
        .target(
            name: "History",
            dependencies: [
                "Results", "Reports", "Bench", "Harness", "Paper1", "Paper2", "Models", "NN",
                "Tensors", "Storage", "Data", "CMeasure",
            ]),

        // MARK: - The naturalness study (paper 2 Table 2); HTTP stays in SurveyServer
        .target(
            name: "Survey",
            dependencies: ["Tensors", "Results", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "SurveyServer",
            dependencies: [
                "Survey", "Tensors", .product(name: "Hummingbird", package: "hummingbird"),
            ],
            resources: [.copy("Page")]),
        .executableTarget(
            name: "repro",
            dependencies: [
                "Harness", "Results", "Reports", "Bench", "Data", "Tensors", "Survey",
                "SurveyServer", "History", "Paper1", "Paper2", "Cluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: - Test support (not a product)
        .target(
            name: "TestSupport",
            dependencies: [
                "Tensors", "Storage", .product(name: "Numerics", package: "swift-numerics"),
            ]),

        // MARK: - Unit test bundles
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "Storage", "TestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensors", "TestSupport"]),
        .testTarget(
            name: "StorageTests", dependencies: ["Storage", "NN", "Tensors", "TestSupport"]),
        .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs", "TestSupport"]),
        .testTarget(
            name: "ModelsTests",
            dependencies: ["Models", "NN", "Storage", "Tensors", "TestSupport"]),
        .testTarget(
            name: "DataTests", dependencies: ["Data", "ImageCodecs", "Tensors", "TestSupport"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "Tensors", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Results"]),
        .testTarget(
            name: "Paper1Tests",
            dependencies: [
                "Paper1", "Results", "Reports", "Data", "Models", "NN", "Storage", "Tensors",
                "TestSupport",
            ]),
        .testTarget(
            name: "Paper2Tests",
            dependencies: [
                "Paper2", "Results", "Models", "NN", "ImageCodecs", "Data", "Tensors", "Storage",
                "SynthesisMetrics", "TestSupport",
            ]),
        .testTarget(
            name: "SynthesisMetricsTests",
            dependencies: [
                "SynthesisMetrics", "ImageCodecs", "Data", "Models", "NN", "Storage", "Tensors",
                "TestSupport",
            ]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Results"]),
        .testTarget(
            name: "HarnessTests",
            dependencies: [
                "Harness", "Results", "Paper1", "TestSupport",
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "HistoryTests",
            dependencies: ["History", "Results", "Paper1", "Paper2", "TestSupport"]),
        .testTarget(
            name: "ReproTests",
            dependencies: [
                "repro", "Results", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "SurveyTests",
            dependencies: [
                "Survey", "SurveyServer", "ImageCodecs", "Data", "Tensors", "TestSupport", "Paper2",
                "Results",
            ]),
    ]
)
