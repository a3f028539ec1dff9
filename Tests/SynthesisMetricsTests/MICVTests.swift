import Data
import ImageCodecs
import Testing

@testable import SynthesisMetrics

@Suite struct MICVTests {
    /// An image of `width` x 2 whose columns are painted from `columns`: (rgb, instance id).
    static func scene(_ columns: [((UInt8, UInt8, UInt8), Int32)]) -> (RGBImage, InstanceMap) {
        let w = columns.count
        var image = RGBImage(width: w, height: 2)
        var map = InstanceMap(width: w, height: 2, repeating: 0)
        for y in 0..<2 {
            for (x, (rgb, id)) in columns.enumerated() {
                let i = 3 * (y * w + x)
                (image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]) = rgb
                map[x, y] = id
            }
        }
        return (image, map)
    }

    /// spade.md §9.3 on images: A has 3 cars of mean RGB (0.2, 0.2, 0.2), (0.4, 0.3, 0.2),
    /// (0.6, 0.4, 0.2) (0.3 = the mean of 76 and 77 over 255), B 2 identical cars, C 1 car.
    /// Groups (id 26), other classes and stuff do not count.
    static func workedExample() -> ([RGBImage], [InstanceMap]) {
        let a = scene([
            ((51, 51, 51), 26000), ((51, 51, 51), 26000),
            ((102, 76, 51), 26001), ((102, 77, 51), 26001),
            ((153, 102, 51), 26005), ((153, 102, 51), 26005),
            ((255, 0, 0), 26), ((0, 255, 0), 24000), ((0, 0, 255), 7), ((9, 9, 9), 0),
        ])
        let b = scene([((128, 128, 128), 26000), ((128, 128, 128), 26001), ((1, 2, 3), 24003)])
        let c = scene([((10, 200, 30), 26000), ((200, 10, 30), 26)])
        return ([a.0, b.0, c.0], [a.1, b.1, c.1])
    }

    @Test func workedExampleOnMeans() {
        let v = ColorVariation.of([
            SIMD3(0.2, 0.2, 0.2), SIMD3(0.4, 0.3, 0.2), SIMD3(0.6, 0.4, 0.2),
        ])
        #expect(abs(v.populationStd - 0.08164966) < 1e-8)
        #expect(abs(v.sampleStd - 0.1) < 1e-12)
        #expect(abs(v.euclideanStd - 0.18257419) < 1e-8)
        #expect(abs(v.pooledStd - 0.13333333) < 1e-8)
        #expect(abs(v.variance - 0.01111111) < 1e-8)
    }

    @Test func workedExampleOnImages() throws {
        let (images, maps) = Self.workedExample()
        let results = try MICV.compute(images: images, instances: maps)
        let car = results[0]
        #expect(car.labelId == 26 && car.className == "car")
        #expect(car.imageCount == 2 && car.skippedImages == 1 && car.instanceCount == 5)
        #expect(abs(car.micv - 0.04082483) < 1e-8, "\(car.micv)")
        #expect(abs(255 * car.micv - 10.41) < 0.005)
        // Image B contributes 0 to every variant, so each is half of image A's.
        #expect(abs(car.variants.sampleStd - 0.05) < 1e-12)
        #expect(abs(car.variants.euclideanStd - 0.18257419 / 2) < 1e-8)
        #expect(abs(car.variants.variance - 0.01111111 / 2) < 1e-8)
        // Person: one instance per image at most: no image counts, MICV is NaN.
        let person = results[1]
        #expect(person.className == "person" && person.imageCount == 0 && person.skippedImages == 3)
        #expect(person.micv.isNaN)
        #expect(car.description.contains("MICV car = 0.0408248 over 2 images"))
    }

    @Test func imageOfAnotherSizeThanItsMapIsAnErrorNamingIt() {
        let (images, maps) = Self.workedExample()
        let small = InstanceMap(width: 3, height: 1, repeating: 0)
        #expect {
            try MICV.compute(
                images: images, instances: [maps[0], small, maps[2]],
                names: ["gen/a.png", "gen/b.png", "gen/c.png"])
        } throws: { error in
            let e = error as! MetricsError
            return e.subject == "gen/b.png" && e.problem.contains("3x2 but its instance map is 3x1")
        }
        #expect(throws: MetricsError.self) {
            try MICV.compute(images: images, instances: maps, classes: [7])
        }
        #expect(throws: MetricsError.self) {
            try MICV.compute(images: images, instances: [maps[0]])
        }
    }

    /// PIL NEAREST samples pixel centres: 2048 -> 512 reads columns 4j + 2 (spade.md §1.2).
    /// Expected values from PIL 13 `Image.fromarray(int32).resize(size, NEAREST)`.
    @Test func nearestResizeFollowsPIL() {
        let map = InstanceMap(width: 8, height: 4, values: (0..<32).map { Int32($0) })
        let down: [Int32] = [18, 22]
        #expect(MICV.nearestResized(map, width: 2, height: 1).values == down)
        let two = InstanceMap(width: 2, height: 1, values: [5, 7])
        let up: [Int32] = [5, 7, 7, 5, 7, 7]
        #expect(MICV.nearestResized(two, width: 3, height: 2).values == up)
        let odd = InstanceMap(width: 7, height: 5, values: (0..<35).map { Int32($0) })
        let oddExpected: [Int32] = [1, 3, 5, 8, 10, 12, 22, 24, 26, 29, 31, 33]
        #expect(MICV.nearestResized(odd, width: 3, height: 4).values == oddExpected)
    }
}
