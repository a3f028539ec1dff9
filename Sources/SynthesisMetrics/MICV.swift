import Data
import Foundation
import ImageCodecs

/// Mean Instance Color Variation of one class over a set of generated images (paper 2, eq. 3,
/// with spade.md §9.2's precise definition), plus the §9.1 variants logged beside it.
public struct MICVResult: Sendable, Equatable, CustomStringConvertible {
    /// The Cityscapes label id of the class (car 26, person 24).
    public let labelId: UInt8
    public let className: String
    /// Images with at least two instances of the class: the ones averaged.
    public let imageCount: Int
    /// Images skipped because they hold fewer than two instances of the class.
    public let skippedImages: Int
    /// Instances in the counted images.
    public let instanceCount: Int
    /// The harness default: the mean over counted images of the population std per channel of
    /// the instances' mean RGB in [0, 1], averaged over R, G, B (NaN when no image counts).
    public var micv: Double { variants.populationStd }
    /// Every variant of §9.1, each averaged over the counted images the same way.
    public let variants: ColorVariation

    public var description: String {
        let v = variants
        return "MICV \(className) = \(fmt(micv)) over \(imageCount) images "
            + "(\(skippedImages) skipped with < 2 instances, \(instanceCount) instances); "
            + "variants: x255 \(fmt(255 * micv)), sample std \(fmt(v.sampleStd)), "
            + "euclidean std \(fmt(v.euclideanStd)), variance \(fmt(v.variance)), "
            + "pooled std \(fmt(v.pooledStd))"
    }
}

/// The spread of the instances' mean colours of one image, under each reading of the paper's
/// definition (spade.md §9.1), in [0, 1] units.
public struct ColorVariation: Sendable, Equatable {
    /// Default: population (1/n) std per channel, averaged over the 3 channels.
    public var populationStd: Double
    /// Sample (1/(n-1)) std per channel, averaged over the channels.
    public var sampleStd: Double
    /// sqrt of the sum of the channels' population variances (the "total" std).
    public var euclideanStd: Double
    /// Population variance per channel, averaged over the channels.
    public var variance: Double
    /// Population std of all 3n numbers pooled (measures hue too; logged, not recommended).
    public var pooledStd: Double

    static let zero = ColorVariation(
        populationStd: 0, sampleStd: 0, euclideanStd: 0, variance: 0, pooledStd: 0)
    static let nan = ColorVariation(
        populationStd: .nan, sampleStd: .nan, euclideanStd: .nan, variance: .nan, pooledStd: .nan)

    static func + (a: Self, b: Self) -> Self {
        Self(
            populationStd: a.populationStd + b.populationStd, sampleStd: a.sampleStd + b.sampleStd,
            euclideanStd: a.euclideanStd + b.euclideanStd, variance: a.variance + b.variance,
            pooledStd: a.pooledStd + b.pooledStd)
    }

    static func / (a: Self, n: Double) -> Self {
        Self(
            populationStd: a.populationStd / n, sampleStd: a.sampleStd / n,
            euclideanStd: a.euclideanStd / n, variance: a.variance / n,
            pooledStd: a.pooledStd / n)
    }
}

public enum MICV {
    /// The classes the paper reports: car (26) and person (24).
    public static let paperClasses: [UInt8] = [Cityscapes.id("car"), Cityscapes.id("person")]

    /// MICV of each class in `classes` over generated `images` and their instance maps.
    ///
    /// Instances of class c are the ids v >= 1000 with v / 1000 == c (groups, stored as the
    /// plain label id, are excluded; no minimum size). Each instance's mean RGB is taken in
    /// [0, 1] (value / 255) over its pixels; an image with n >= 2 instances contributes
    /// `ColorVariation.of(means)`, the others are skipped and counted. The instance maps must
    /// already be at the images' size: resize them first with `nearestResized` (PIL rule).
    ///
    /// - Parameter names: the images' files, used in errors (default "image <index>").
    /// - Throws: `MetricsError` for unequal list lengths, an image whose size differs from
    ///   its instance map, or a class that has no instances in Cityscapes.
    public static func compute(
        images: [RGBImage], instances: [InstanceMap], classes: [UInt8] = paperClasses,
        names: [String]? = nil
    ) throws -> [MICVResult] {
        let names = names ?? images.indices.map { "image \($0)" }
        guard images.count == instances.count && names.count == images.count else {
            throw MetricsError(
                "MICV",
                "\(images.count) images, \(instances.count) instance maps and "
                    + "\(names.count) names: one instance map and one name per image are needed")
        }
        for c in classes where !Cityscapes.hasInstances(c) {
            throw MetricsError("MICV", "label id \(c) is not a Cityscapes class with instances")
        }
        for (i, (image, map)) in zip(images, instances).enumerated() {
            guard image.width == map.width && image.height == map.height else {
                throw MetricsError(
                    names[i],
                    "the image is \(image.width)x\(image.height) but its instance map "
                        + "is \(map.width)x\(map.height); resize the map to the image size first")
            }
        }
        return classes.map { c in
            var sum = ColorVariation.zero
            var counted = 0
            var skipped = 0
            var instanceCount = 0
            for (image, map) in zip(images, instances) {
                let means = instanceMeans(image, map, labelId: c)
                if means.count < 2 {
                    skipped += 1
                    continue
                }
                sum = sum + ColorVariation.of(means)
                counted += 1
                instanceCount += means.count
            }
            return MICVResult(
                labelId: c, className: Cityscapes.labels[Int(c)].name, imageCount: counted,
                skippedImages: skipped, instanceCount: instanceCount,
                variants: counted == 0 ? .nan : sum / Double(counted))
        }
    }

    /// The mean RGB in [0, 1] of each instance of `labelId` in `map`, in increasing id order.
    static func instanceMeans(_ image: RGBImage, _ map: InstanceMap, labelId: UInt8)
        -> [SIMD3<Double>]
    {
        var sums: [Int32: (SIMD3<Int64>, Int64)] = [:]  // lookup only; read in sorted id order
        let lo = Int32(labelId) * 1000
        let hi = lo + 1000
        for (i, v) in map.values.enumerated() where v >= lo && v < hi {
            let p = SIMD3<Int64>(
                Int64(image.pixels[3 * i]), Int64(image.pixels[3 * i + 1]),
                Int64(image.pixels[3 * i + 2]))
            let (s, n) = sums[v] ?? (.zero, 0)
            sums[v] = (s &+ p, n + 1)
        }
        return sums.keys.sorted().map { id in
            let (s, n) = sums[id]!
            return SIMD3<Double>(Double(s.x), Double(s.y), Double(s.z)) / (255 * Double(n))
        }
    }

    /// PIL `Image.resize(size, NEAREST)` of an instance map: output (x, y) reads source
    /// (floor((x + 0.5) * W_in / W_out), likewise y), clamped to the map (spade.md §1.2).
    public static func nearestResized(_ map: InstanceMap, width: Int, height: Int) -> InstanceMap {
        precondition(width > 0 && height > 0, "nearestResized: target size \(width)x\(height)")
        func source(_ o: Int, _ n: Int, _ m: Int) -> Int {
            min(Int(((Double(o) + 0.5) * Double(n) / Double(m)).rounded(.down)), n - 1)
        }
        let xs = (0..<width).map { source($0, map.width, width) }
        var out = [Int32]()
        out.reserveCapacity(width * height)
        for y in 0..<height {
            let row = source(y, map.height, height) * map.width
            for x in xs { out.append(map.values[row + x]) }
        }
        return InstanceMap(width: width, height: height, values: out)
    }
}

extension ColorVariation {
    /// The variation of the instance mean colours `means` (n >= 2), every variant.
    public static func of(_ means: [SIMD3<Double>]) -> ColorVariation {
        precondition(means.count >= 2, "ColorVariation.of: \(means.count) instances")
        let n = Double(means.count)
        let centre = means.reduce(SIMD3<Double>.zero, +) / n
        var squares = SIMD3<Double>.zero
        for m in means { squares += (m - centre) * (m - centre) }
        let population = squares / n
        let sample = squares / (n - 1)
        let all = means.flatMap { [$0.x, $0.y, $0.z] }
        let allMean = all.reduce(0, +) / Double(all.count)
        let pooled = all.reduce(0) { $0 + ($1 - allMean) * ($1 - allMean) } / Double(all.count)
        func meanOf(_ v: SIMD3<Double>) -> Double { (v.x + v.y + v.z) / 3 }
        return ColorVariation(
            populationStd: meanOf(population.squareRoot()),
            sampleStd: meanOf(sample.squareRoot()),
            euclideanStd: (population.x + population.y + population.z).squareRoot(),
            variance: meanOf(population), pooledStd: pooled.squareRoot())
    }
}

/// A number with 6 significant digits for log lines.
func fmt(_ x: Double) -> String { String(format: "%.6g", x) }
