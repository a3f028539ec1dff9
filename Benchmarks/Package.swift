// swift-tools-version: 6.1
// The benchmark suites (ordo-one/benchmark), nested so the main package never builds them.
// Run from this directory: swift package benchmark --no-progress [--filter 'conv.*']
import PackageDescription

let package = Package(
    name: "ReproBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "repro", path: "../"),
        .package(
            url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
            traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ConvBench",
            dependencies: [
                .product(name: "Bench", package: "repro"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ConvBench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
    ]
)
