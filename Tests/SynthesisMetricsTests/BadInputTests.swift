import Data
import Foundation
import ImageCodecs
import Models
import NN
import Storage
import Tensors
import TestSupport
import Testing

@testable import SynthesisMetrics

/// A cheap extractor for wiring tests: the image's mean R, G, B and their spread, labelled a
/// proxy (the shape a harness-trained extractor plugs in with).
struct MeanColorExtractor: FeatureExtractor {
    let identity = ExtractorIdentity(
        name: "mean-color", weightsSHA256: SHA256.hex([UInt8]()), weightsFile: "(none)",
        inputWidth: 0, inputHeight: 0, featureLayer: "pixel mean and mean square",
        dimension: 6, isProxy: true)

    func features(of images: [RGBImage]) throws -> FeatureMatrix {
        FeatureMatrix(
            rows: images.map { img in
                var f = [Double](repeating: 0, count: 6)
                for (i, p) in img.pixels.enumerated() {
                    f[i % 3] += Double(p) / 255
                    f[3 + i % 3] += Double(p) * Double(p) / 65025
                }
                return f.map { $0 / Double(img.width * img.height) }
            })
    }
}

/// Bad input (issue 9, item 7): each a thrown error naming the file and the problem.
@Suite struct BadInputTests {
    /// A fresh folder under the temporary directory holding PNGs of the given sizes.
    static func folder(_ name: String, sizes: [(Int, Int)]) throws -> String {
        let dir = NSTemporaryDirectory() + "repro-metrics-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (i, (w, h)) in sizes.enumerated() {
            let pixels = (0..<(w * h * 3)).map { UInt8(truncatingIfNeeded: $0 * 7 + i * 31) }
            try PNG.write(rgb8: pixels, width: w, height: h, to: "\(dir)/img\(i).png")
        }
        return dir
    }

    @Test func foldersOfDifferentSizesAreAnError() throws {
        let real = try Self.folder("real", sizes: [(8, 4), (8, 4)])
        let generated = try Self.folder("gen", sizes: [(4, 2), (4, 2), (4, 2)])
        #expect {
            try FID.score(
                real: ImageSet(folder: real), generated: ImageSet(folder: generated),
                extractor: MeanColorExtractor())
        } throws: { error in
            let e = error as! MetricsError
            return e.subject.contains(real) && e.subject.contains(generated)
                && e.problem.contains("8x4 real against 4x2 generated")
        }
    }

    @Test func imagesOfDifferentSizesInOneFolderAreAnError() throws {
        let mixed = try Self.folder("mixed", sizes: [(8, 4), (8, 4), (6, 4)])
        #expect {
            try FID.statistics(of: ImageSet(folder: mixed), extractor: MeanColorExtractor())
        } throws: { error in
            let e = error as! MetricsError
            return e.subject == "\(mixed)/img2.png" && e.problem.contains("is 6x4 but")
        }
    }

    @Test func fewerThanTwoImagesIsAnError() throws {
        let one = try Self.folder("one", sizes: [(8, 4)])
        let two = try Self.folder("two", sizes: [(8, 4), (8, 4)])
        #expect {
            try FID.score(
                real: ImageSet(folder: two), generated: ImageSet(folder: one),
                extractor: MeanColorExtractor())
        } throws: { error in
            let e = error as! MetricsError
            return e.subject == one && e.problem.contains("at least two images, found 1")
        }
        #expect(throws: MetricsError.self) { try ImageSet(folder: "/nonexistent/folder") }
    }

    /// End to end with a pluggable extractor: the score equals the distance of the statistics
    /// of its features, and is labelled a proxy with the extractor's identity.
    @Test func scoreWithAPluggableExtractor() throws {
        let real = try Self.folder("score-real", sizes: [(8, 4), (8, 4), (8, 4)])
        let generated = try Self.folder("score-gen", sizes: [(8, 4), (8, 4)])
        let e = MeanColorExtractor()
        let score = try FID.score(
            real: ImageSet(folder: real), generated: ImageSet(folder: generated), extractor: e,
            batchSize: 2)
        let images = { (set: ImageSet) in try (0..<set.count).map { try set.image($0) } }
        let a = try FID.statistics(features: e.features(of: images(ImageSet(folder: real))))
        let b = try FID.statistics(features: e.features(of: images(ImageSet(folder: generated))))
        #expect(score.value == (try FID.distance(a, b)).value)
        #expect(score.realCount == 3 && score.generatedCount == 2 && score.label == "FID-proxy")
        #expect(score.description.hasPrefix("FID-proxy = "))
        #expect(score.description.contains("proxy mean-color, weights sha256 e3b0c44298fc1c14"))
    }

    /// A file that is not a pytorch-fid Inception-v3: another network's checkpoint, the same
    /// network at another width (wrong shapes), a .pth that was not converted, no file.
    @Test func weightsThatAreNotInceptionAreAnErrorNamingTheFile() throws {
        let dir = try Self.folder("weights", sizes: [])
        let other = ParameterStore()
        var random = RandomSource(seed: 3)
        _ = Conv2d(3, 4, kernel: 3, at: Scope(other) / "backbone" / "conv1", random: &random)
        try Checkpoint().save(other, to: "\(dir)/resnet.h5")
        let narrow = ParameterStore()
        _ = FIDInceptionV3(widthDivisor: 16, at: Scope(narrow))
        try Checkpoint().save(narrow, to: "\(dir)/w16.h5")
        _ = FileManager.default.createFile(
            atPath: "\(dir)/x.pth", contents: Foundation.Data("PK\u{3}\u{4} not hdf5".utf8))

        func expectRefused(_ path: String, _ widthDivisor: Int, _ needle: String) {
            #expect {
                try InceptionExtractor(weightsFile: path, widthDivisor: widthDivisor)
            } throws: { error in
                let e = error as! MetricsError
                return e.subject == path && e.problem.contains(needle)
            }
        }
        expectRefused("\(dir)/resnet.h5", 16, "not a pytorch-fid Inception-v3 weight file")
        expectRefused("\(dir)/w16.h5", 8, "Conv2d_1a_3x3.conv.weight")
        expectRefused("\(dir)/x.pth", 16, "inception_convert.py")
        expectRefused("\(dir)/missing.h5", 16, "no such Inception-v3 weights file")
        expectRefused("\(dir)/w16.h5", 3, "width divisor 3 is not one of")
        // The same file at its own width loads, with the published file's unused classifier.
        let withClassifier = ParameterStore()
        _ = FIDInceptionV3(widthDivisor: 16, at: Scope(withClassifier))
        _ = (Scope(withClassifier) / "fc").parameter("weight", Tensor(zeros: [1008, 128]))
        try Checkpoint().save(withClassifier, to: "\(dir)/fc.h5")
        let loaded = try InceptionExtractor(weightsFile: "\(dir)/fc.h5", widthDivisor: 16)
        #expect(loaded.identity.dimension == 128)
    }
}
