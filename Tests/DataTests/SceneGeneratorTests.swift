import Testing
@testable import Data

@Suite struct SceneGeneratorTests {
    static let h = 48, w = 96

    static func scene(_ d: SceneDomain, _ i: Int, seed: UInt64 = 3) -> SyntheticScene {
        SceneGenerator.generate(
            domain: d, split: "train", index: i, seed: seed, height: h, width: w)
    }

    @Test(arguments: SceneDomain.allCases) func sameInputsSameBytes(_ d: SceneDomain) {
        let a = Self.scene(d, 4), b = Self.scene(d, 4)
        #expect(a == b)
        #expect(a.image.pixels != Self.scene(d, 5).image.pixels)
        #expect(a.image.pixels != Self.scene(d, 4, seed: 4).image.pixels)
        let v = SceneGenerator.generate(
            domain: d, split: "val", index: 4, seed: 3, height: Self.h, width: Self.w)
        #expect(a.image.pixels != v.image.pixels)
    }

    @Test func anySizeWorks() {
        for (h, w) in [(8, 8), (31, 77), (64, 64), (40, 120)] {
            let s = SceneGenerator.generate(
                domain: .synth, split: "train", index: 0, seed: 1, height: h, width: w)
            #expect(s.image.width == w && s.image.height == h && s.labelIds.values.count == w * h)
        }
    }

    /// The instance map's label part equals the label map; instance classes carry k, others not.
    @Test(arguments: SceneDomain.allCases) func instanceEncodingMatchesLabels(_ d: SceneDomain) {
        for i in 0..<6 {
            let s = Self.scene(d, i)
            for (label, inst) in zip(s.labelIds.values, s.instanceIds.values) {
                #expect(Cityscapes.isValidLabelId(label))
                if Cityscapes.hasInstances(label) {
                    #expect(inst >= 1000 && inst / 1000 == Int32(label))
                } else {
                    #expect(inst == Int32(label))
                }
            }
            #expect(s.trainIds.values == Cityscapes.trainIds(fromLabelIds: s.labelIds.values))
        }
    }

    /// Scenes contain the street grammar: road, sky-or-building, and several instances.
    @Test(arguments: SceneDomain.allCases) func scenesHaveStreetContent(_ d: SceneDomain) {
        var classes = Set<UInt8>()
        var instances = 0
        for i in 0..<8 {
            let s = Self.scene(d, i)
            classes.formUnion(s.trainIds.values)
            instances += Set(s.instanceIds.values.filter { $0 >= 1000 }).count
        }
        for name in ["road", "sidewalk", "building", "sky", "car", "person", "pole", "vegetation"] {
            #expect(
                classes.contains(Cityscapes.label(name).trainId), "\(d): no \(name) in 8 scenes")
        }
        #expect(instances >= 16)
    }

    /// Paper 2's point: same-class instances touch (rows of parked cars, pedestrian groups).
    @Test func sameClassInstancesTouch() {
        // label id -> horizontally adjacent pixel pairs of two instances
        var touching: [Int32: Int] = [:]
        for i in 0..<10 {
            let s = SceneGenerator.generate(
                domain: .city, split: "train", index: i, seed: 3, height: 96, width: 192)
            let v = s.instanceIds.values
            for y in 0..<96 {
                for x in 0..<191 {
                    let a = v[y * 192 + x], b = v[y * 192 + x + 1]
                    if a >= 1000, b >= 1000, a != b, a / 1000 == b / 1000 {
                        touching[a / 1000, default: 0] += 1
                    }
                }
            }
        }
        #expect(touching[Int32(Cityscapes.id("car")), default: 0] > 20)
        #expect(touching[Int32(Cityscapes.id("person")), default: 0] > 5)
    }

    /// The city domain shows the ego hood (label 1) at the bottom centre.
    @Test func cityHasHood() {
        let s = Self.scene(.city, 0)
        #expect(s.labelIds[Self.w / 2, Self.h - 1] == Cityscapes.id("ego vehicle"))
    }

    /// Domain gap: mean saturation and brightness statistics differ between domains.
    @Test func domainGapIsMeasurable() {
        func stats(_ d: SceneDomain) -> (brightness: Double, saturation: Double) {
            var b = 0.0, s = 0.0, n = 0.0
            for i in 0..<12 {
                let img = Self.scene(d, i).image
                for p in 0..<(img.width * img.height) {
                    let r = Double(img.pixels[3 * p]), g = Double(img.pixels[3 * p + 1]),
                        bl = Double(img.pixels[3 * p + 2])
                    let mx = max(r, g, bl), mn = min(r, g, bl)
                    b += (r + g + bl) / 3
                    s += mx > 0 ? (mx - mn) / mx : 0
                    n += 1
                }
            }
            return (b / n, s / n)
        }
        let city = stats(.city), synth = stats(.synth), bdd = stats(.bdd)
        // Synscapes-like renders are the most saturated, Cityscapes-like the most muted.
        #expect(synth.saturation > city.saturation + 0.05)
        // The dashcam domain is darker on average (night share).
        #expect(bdd.brightness < city.brightness - 10)
    }
}
