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

/// pytorch-fid's Inception-v3 against PyTorch (Tests/Fixtures/scripts/make_inception.py).
@Suite struct InceptionTests {
    /// Set `name` of inception_w16_io.h5: its uint8 images and pytorch-fid's features.
    static func io(_ name: String) throws -> ([RGBImage], Tensor) {
        let file = try Fixture.open("inception_w16_io.h5")
        let (shape, values) = try file.int32s("\(name).images")
        let (n, h, w) = (shape[0], shape[1], shape[2])
        let images = (0..<n).map { i in
            RGBImage(
                width: w, height: h,
                pixels: values[(i * h * w * 3)..<((i + 1) * h * w * 3)].map { UInt8($0) })
        }
        return (images, try file.tensor("\(name).features"))
    }

    /// The reduced-width network (every channel / 16, same blocks and keys) with seeded random
    /// weights gives PyTorch's features (measured max diff 4e-7 relative), through
    /// pytorch-fid's resize (up from 41x57 and down from 311x333) and scaling.
    @Test(arguments: ["small", "large"])
    func featuresMatchPytorchFID(set: String) throws {
        let extractor = try InceptionExtractor(
            weightsFile: Fixture.path("inception_w16.h5"), widthDivisor: 16)
        let (images, expected) = try Self.io(set)
        let f = try extractor.features(of: images)
        #expect(f.count == images.count && f.dimension == 128)
        let scale = expected.data.map { abs($0) }.max()!
        let worst = zip(f.values, expected.data).map { abs($0 - Double($1)) }.max()!
        #expect(worst <= 1e-5 * Double(scale), "max |diff| \(worst), max |feature| \(scale)")
    }

    /// The full-width network registers exactly the keys and shapes of pytorch-fid's
    /// `fid_inception_v3()` state_dict (its published weight file), less the classifier.
    @Test func fullWidthKeysMatchPytorchFID() throws {
        let text = try String(
            contentsOfFile: Fixture.path("keys/fid_inception_v3.txt"), encoding: .utf8)
        let expected = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("fc.") }
        let store = ParameterStore()
        let net = FIDInceptionV3(widthDivisor: 1, at: Scope(store))
        let mine = store.entries.map { e in
            "\(e.key) [\(e.shape.map(String.init).joined(separator: ","))]"
        }
        #expect(mine == expected)
        #expect(net.featureDimension == 2048)
    }

    /// The identity printed beside the scores: name, weights hash, input size, layer.
    @Test func identityNamesTheWeights() throws {
        let path = Fixture.path("inception_w16.h5")
        let extractor = try InceptionExtractor(weightsFile: path, widthDivisor: 16)
        let id = extractor.identity
        #expect(id.weightsSHA256 == (try SHA256.hex(ofFile: path)))
        #expect(id.inputWidth == 299 && id.inputHeight == 299 && id.dimension == 128)
        #expect(id.isProxy)  // a reduced-width test network is not paper-comparable
        #expect(id.description.contains("input 299x299, pool3"))
    }

    /// Full width, for a user who has pytorch-fid's weights (or to check a converted file):
    /// `inception_convert.py weights.pth inception.h5 --reference features.h5`, then
    /// `REPRO_FID_WEIGHTS=inception.h5 REPRO_FID_REFERENCE=features.h5 swift test --filter
    /// Inception`. Not run by default: no machine here has the weights.
    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["REPRO_FID_WEIGHTS"] != nil),
        arguments: ["small", "large"])
    func fullWidthMatchesPytorchFID(set: String) throws {
        let env = ProcessInfo.processInfo.environment
        let extractor = try InceptionExtractor(weightsFile: env["REPRO_FID_WEIGHTS"]!)
        #expect(extractor.identity.name == "pytorch-fid-inception-v3")
        #expect(!extractor.identity.isProxy && extractor.identity.dimension == 2048)
        let (images, _) = try Self.io(set)
        let expected = try HDF5File(reading: env["REPRO_FID_REFERENCE"]!).tensor("\(set).features")
        let f = try extractor.features(of: images)
        let scale = expected.data.map { abs($0) }.max()!
        let worst = zip(f.values, expected.data).map { abs($0 - Double($1)) }.max()!
        print("full-width \(set): max |diff| \(worst), max |feature| \(scale)")
        #expect(worst <= 1e-4 * Double(scale), "max |diff| \(worst), max |feature| \(scale)")
    }

    /// SHA-256 against FIPS 180-4 examples.
    @Test func sha256KnownAnswers() {
        #expect(
            SHA256.hex(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex([UInt8]())
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(
            SHA256.hex(long)
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // A file read in pieces (4 MiB + 1 bytes of 'a') equals `sha256sum` of the same bytes.
        let path = NSTemporaryDirectory() + "repro-sha256-\(getpid())"
        _ = FileManager.default.createFile(
            atPath: path, contents: Foundation.Data(repeating: 0x61, count: (4 << 20) + 1))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            (try? SHA256.hex(ofFile: path))
                == "acd560a1e1d523c090ab93aed616d154b7b5e8206a153cced729d83f2c7dcfc3")
    }
}
