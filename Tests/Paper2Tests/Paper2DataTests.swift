import Data
import Foundation
import ImageCodecs
import Results
import TestSupport
import Tensors
import Testing

@testable import Paper2

/// Paper 2's data through the Cityscapes loader, and the errors for bad maps.
@Suite struct Paper2DataTests {
    let scratch = TemporaryFolder()

    func prepared() throws -> (Paper2RunConfig, Paper2Data) {
        var c = Paper2RunConfig.at(.smoke, .LIP)
        c.trainImages = 2
        c.valImages = 1
        c.batchSize = 2
        c.synchronize()
        return (c, try Paper2Data.prepare(c, cacheRoot: scratch.url))
    }

    @Test func batchHasLabelIdsAndInstances() throws {
        let (c, data) = try prepared()
        let s = try data.train.spadeSample(0)
        #expect(s.labelIds.values.contains { $0 == 26 } || s.labelIds.values.contains { $0 == 24 })
        #expect(s.instanceIds.values.contains { $0 >= 24_000 })
        let batch = try Paper2Data.batch(
            [0, 1], views: [.init(), .init(flip: true)], set: data.train, config: c)
        #expect(batch.input.semantics.shape == [2, 36, 32, 64])
        #expect(batch.input.position?.shape[1] == 128)
        #expect(batch.real.shape == [2, 3, 32, 64])
    }

    @Test func instanceMapOfAnotherSizeIsAnError() throws {
        let (c, data) = try prepared()
        let path = try data.train.spadeSample(0).instancePath
        try PNG.write(gray16: [UInt16](repeating: 0, count: 16 * 8), width: 16, height: 8, to: path)
        do {
            _ = try Paper2Data.batch(
                [0, 1], views: [.init(), .init()], set: data.train, config: c)
            Issue.record("expected a size error")
        } catch let error as ConditioningError {
            #expect(error.source == path && error.problem.contains("16x8"), "\(error)")
        }
    }

    @Test func labelIdOutsideThe35IsAnError() throws {
        let (c, data) = try prepared()
        let s = try data.train.spadeSample(1)
        var values = s.labelIds.values
        values[5] = 40
        try PNG.write(gray8: values, width: 64, height: 32, to: s.labelPath)
        do {
            _ = try Paper2Data.batch(
                [0, 1], views: [.init(), .init()], set: data.train, config: c)
            Issue.record("expected a label id error")
        } catch let error as ConditioningError {
            #expect(error.source == s.labelPath && error.problem.contains("40"), "\(error)")
        }
    }

    /// SPADE's scale_width_and_crop: the window lies where (u, v) puts it in the scaled scene,
    /// image and maps alike, and the flip comes after the crop.
    @Test func cropTakesTheWindowOfTheScaledScene() throws {
        var c = Paper2RunConfig.at(.smoke, .LIP)
        (c.trainImages, c.valImages, c.batchSize) = (2, 1, 2)
        (c.imageHeight, c.imageWidth, c.loadSize) = (32, 32, 64)
        c.synchronize()
        try c.validate()
        let data = try Paper2Data.prepare(c, cacheRoot: scratch.url)
        let scene = try data.train.spadeSample(0)
        #expect(scene.image.width == 64 && scene.image.height == 32)
        // u = 0.5 over 64 - 32 + 1 = 33 places: x = 16; v: one place only (height 32).
        let s = try Paper2Data.sample(data.train, 0, config: c, view: .init(u: 0.5, v: 0.9))
        #expect(s.image == ImageOps.crop(scene.image, x: 16, y: 0, width: 32, height: 32))
        #expect(s.labels == ImageOps.crop(scene.labelIds, x: 16, y: 0, width: 32, height: 32))
        #expect(
            s.instances == ImageOps.crop(scene.instanceIds, x: 16, y: 0, width: 32, height: 32))
        let flipped = try Paper2Data.sample(
            data.train, 0, config: c, view: .init(flip: true, u: 0.5, v: 0.9))
        #expect(flipped.image == Photometric.flipHorizontal(s.image))
        #expect(flipped.instances == Photometric.flipHorizontal(s.instances))
        let last = try Paper2Data.sample(data.train, 0, config: c, view: .init(u: 0.99999, v: 0))
        #expect(last.labels == ImageOps.crop(scene.labelIds, x: 32, y: 0, width: 32, height: 32))
        let batch = try Paper2Data.batch(
            [0, 1], views: [.init(u: 0.1), .init(u: 0.7)], set: data.train, config: c)
        #expect(batch.input.semantics.shape == [2, 36, 32, 32])
    }

    /// Training views: the flips do not depend on cropping (own stream), the crop places
    /// cover [0, 1); the val view of a scene is one fixed place.
    @Test func viewsAreDrawnFromTheirOwnStreams() {
        var f1 = RandomSource(seed: 3).split("flip"), c1 = RandomSource(seed: 3).split("crop")
        let views = Paper2Data.View.draw(400, flips: &f1, crops: &c1)
        var f2 = RandomSource(seed: 3).split("flip")
        #expect(views.map(\.flip) == (0..<400).map { _ in f2.bernoulli(0.5) })
        #expect(views.allSatisfy { (0..<1).contains($0.u) && (0..<1).contains($0.v) })
        #expect(views.contains { $0.u < 0.1 } && views.contains { $0.u > 0.9 })
        let a = Paper2Data.View.validation("x_000000_000001", sceneSeed: 0)
        #expect(a == Paper2Data.View.validation("x_000000_000001", sceneSeed: 0))
        #expect(!a.flip && a != Paper2Data.View.validation("x_000000_000002", sceneSeed: 0))
    }

    /// A crop larger than the scaled scene is a configuration error naming both sizes, and a
    /// configuration that does not crop records no loadSize (older hashes stay valid) while
    /// `--set loadSize=` still reaches it.
    @Test func cropSizesAreCheckedAndTheKeyIsOptional() throws {
        var c = Paper2RunConfig.at(.smoke, .LIP)
        (c.imageHeight, c.imageWidth, c.loadSize) = (32, 32, 48)
        c.synchronize()
        #expect(throws: ConfigError.self) { try c.validate() }
        do {
            try c.validate()
        } catch let error as ConfigError {
            #expect(error.description.contains("48x24") && error.description.contains("32x32"))
        }
        let plain = Paper2RunConfig.at(.smoke, .LIP)
        let json = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!json.contains("loadSize"))
        let set = try Override.apply([try Override(parsing: "loadSize=128")], to: plain)
        #expect(set.loadSize == 128)
        #expect(Override.keys(of: plain).contains("loadSize"))
        let decoded = try JSONDecoder().decode(
            Paper2RunConfig.self, from: try JSONEncoder().encode(set))
        #expect(decoded == set)
    }
}
