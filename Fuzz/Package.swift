// swift-tools-version: 6.1
// Coverage-guided fuzz targets (libFuzzer) for the readers of untrusted input: PNG, HDF5
// tensors, checkpoints and `--set` overrides. A nested package, so the main build never links
// libFuzzer. Build and run with scripts/fuzz.sh; seed corpora live in Fuzz/Corpus/<target>.
import PackageDescription

let harness: Target.Dependency = .product(name: "Harness", package: "repro")

let package = Package(
    name: "repro-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "repro", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(name: "FuzzPNG", dependencies: ["CFuzzDriver", harness]),
        .executableTarget(name: "FuzzHDF5", dependencies: ["CFuzzDriver", harness]),
        .executableTarget(name: "FuzzCheckpoint", dependencies: ["CFuzzDriver", harness]),
        .executableTarget(name: "FuzzOverrides", dependencies: ["CFuzzDriver", harness]),
    ]
)
