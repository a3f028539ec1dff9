import Tensors
import Testing
@testable import Data

@Suite struct CropPairTests {
    /// cac.md §2 worked examples (S = 320, image large enough that the size cap does not bite).
    @Test func workedExamples() {
        #expect(CropPairGeometry.snap(150, to: 37, stride: 8) == 149)
        let (a1, a2) = CropPairGeometry.overlapBoxes(
            x1: 37, y1: 0, x2: 149, y2: 0, cropSize: 320, imageWidth: 2000, imageHeight: 1000,
            stride: 8)
        #expect((a1.left, a1.right, a2.left, a2.right) == (112, 320, 0, 208))
        #expect((a1.left / 8, a1.right / 8, a2.left / 8, a2.right / 8) == (14, 40, 0, 26))
        #expect(CropPairGeometry.snap(30, to: 100, stride: 8) == 28)
        let (b1, b2) = CropPairGeometry.overlapBoxes(
            x1: 100, y1: 0, x2: 28, y2: 0, cropSize: 320, imageWidth: 2000, imageHeight: 1000,
            stride: 8)
        #expect((b1.left, b1.right, b2.left, b2.right) == (0, 248, 72, 320))
        #expect((b1.left / 8, b1.right / 8, b2.left / 8, b2.right / 8) == (0, 31, 9, 40))
        // A negative snapped corner moves one stride right.
        #expect(CropPairGeometry.snap(0, to: 3, stride: 8) == 3)
        #expect(CropPairGeometry.snap(0, to: 5, stride: 8) == 5)
        #expect(CropPairGeometry.snap(1, to: 13, stride: 8) == 5)
    }

    /// Over many seeds and image sizes: corners inside the padded image, offsets on the stride
    /// grid, IoU in [0.1, 1] unless the fallback made both crops equal, boxes on the grid with
    /// identical sizes and the same image content under both crops.
    @Test func invariantsOverManySeeds() {
        var rng = RandomSource(seed: 11).split("crop-invariants")
        var fallbacks = 0
        for trial in 0..<3000 {
            let s = 8 * rng.int(in: 2...12)
            let w = rng.int(in: s / 2...(4 * s)), h = rng.int(in: s / 2...(3 * s))
            var r = RandomSource(seed: UInt64(trial)).split("g")
            let g = CropPairGeometry.sample(imageWidth: w, imageHeight: h, cropSize: s, rng: &r)
            #expect(
                g.x1 >= 0 && g.y1 >= 0 && g.x1 + s <= g.paddedWidth && g.y1 + s <= g.paddedHeight)
            #expect(
                g.x2 >= 0 && g.y2 >= 0 && g.x2 + s <= g.paddedWidth && g.y2 + s <= g.paddedHeight)
            #expect((g.x2 - g.x1) % 8 == 0 && (g.y2 - g.y1) % 8 == 0)
            if g.accepted {
                #expect(g.iou >= 0.1 && g.iou <= 1.0)
            } else {
                fallbacks += 1
                #expect(g.x2 == g.x1 && g.y2 == g.y1)
            }
            let (b1, b2) = (g.overlap1, g.overlap2)
            for v in [b1.top, b1.left, b1.bottom, b1.right, b2.top, b2.left, b2.bottom, b2.right] {
                #expect(v % 8 == 0)
            }
            #expect(
                b1.height == b2.height && b1.width == b2.width && b1.height >= 0 && b1.width >= 0)
            // Same absolute location: crop-1 box corner + crop-1 origin = crop-2 box corner + crop-2 origin.
            #expect(b1.top + g.y1 == b2.top + g.y2 && b1.left + g.x1 == b2.left + g.x2)
            // Inside the unpadded image's stride-8 extent.
            #expect(g.y1 + b1.bottom <= max(h, s) && g.x1 + b1.right <= max(w, s))
        }
        #expect(fallbacks < 100)
    }

    /// The full pair pipeline: shapes, boxes, and pixels in the two overlaps agree (no flips,
    /// photometric off, checked on the un-normalised crops through the labels).
    @Test func pairPipelineOverlapsAgree() {
        let scene = SceneGenerator.generate(
            domain: .synth, split: "train", index: 2, seed: 5, height: 40, width: 80)
        let aug = PairAugmentation(base: 80, cropSize: 32)
        for seed in 0..<40 {
            var rng = RandomSource(seed: UInt64(seed))
            let p = aug(image: scene.image, trainIds: scene.trainIds, rng: &rng)
            #expect(p.crop1.shape == [1, 3, 32, 32] && p.label1.shape == [1, 32, 32])
            let (b1, b2) = (p.geometry.overlap1, p.geometry.overlap2)
            for r in 0..<b1.height {
                for c in 0..<b1.width {
                    let c1 = p.flip1 ? 31 - (b1.left + c) : b1.left + c
                    let c2 = p.flip2 ? 31 - (b2.left + c) : b2.left + c
                    #expect(
                        p.label1.data[(b1.top + r) * 32 + c1]
                            == p.label2.data[(b2.top + r) * 32 + c2])
                }
            }
        }
    }

    @Test func supervisedAugmentationShapes() {
        let scene = SceneGenerator.generate(
            domain: .city, split: "train", index: 1, seed: 5, height: 40, width: 80)
        var rng = RandomSource(seed: 9)
        let (x, y) = SupervisedAugmentation(base: 80, cropSize: 48, colorJitter: true)(
            image: scene.image, trainIds: scene.trainIds, rng: &rng)
        #expect(x.shape == [1, 3, 48, 48] && y.shape == [1, 48, 48])
        #expect(y.data.allSatisfy { ($0 >= 0 && $0 < 19) || $0 == 255 })
        var r1 = RandomSource(seed: 9), r2 = RandomSource(seed: 9)
        let aug = PairAugmentation(base: 80, cropSize: 32)
        let p1 = aug(image: scene.image, trainIds: scene.trainIds, rng: &r1),
            p2 = aug(image: scene.image, trainIds: scene.trainIds, rng: &r2)
        #expect(p1.crop1 == p2.crop1 && p1.crop2 == p2.crop2 && p1.geometry == p2.geometry)
        let batch = CropPairBatch([p1, p2])
        #expect(
            batch.crops1.shape == [2, 3, 32, 32] && batch.labels2.shape == [2, 32, 32]
                && batch.overlap1.count == 2)
    }
}
