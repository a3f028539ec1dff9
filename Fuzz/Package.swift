// swift-tools-version: 6.1
// Coverage-guided fuzz targets (libFuzzer) for the readers of untrusted input. Kept in a
// nested package so the main build never links libFuzzer; build and run with scripts/fuzz.sh.
import PackageDescription

let package = Package(
    name: "repro-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "repro", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzOverrides", dependencies: [.product(name: "Harness", package: "repro")]),
    ]
)
