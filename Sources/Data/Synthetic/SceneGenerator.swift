import ImageCodecs
import Tensors

/// The camera a synthetic scene was rendered with (pixels and metres), for metadata files.
public struct SceneCamera: Sendable, Equatable, Codable {
    public let focal: Float
    public let cx: Float
    public let cy: Float
    public let height: Float
}

/// One generated street scene: image, label ids and instance ids, all `height` x `width`.
public struct SyntheticScene: Sendable, Equatable {
    public let domain: SceneDomain
    /// Anti-aliased RGB rendering.
    public let image: RGBImage
    /// Cityscapes label ids (0...33), not anti-aliased.
    public let labelIds: LabelMap
    /// Cityscapes instance encoding: `labelId * 1000 + k` for instance classes, `labelId` elsewhere.
    public let instanceIds: InstanceMap
    /// Weather / time of day ("overcast", "sunny", "night", "rain", "fog").
    public let condition: String
    public let camera: SceneCamera

    /// Train ids (0...18, 255 ignore) through the shared label table.
    public var trainIds: LabelMap { labelIds.map { Cityscapes.trainIdOfLabelId[Int($0)] } }
}

/// The procedural street-scene generator of spec/synthetic-data.md.
///
/// A scene is a pure function of (domain, split, index, seed, size): every random choice comes
/// from `randomSource(domain:split:index:seed:)`, drawn in a fixed order (look and camera,
/// street layout, canvas texture seed, rain seed, backdrop, population). Pixel grain and sensor
/// noise are hash textures keyed by words drawn from that source.
public enum SceneGenerator {
    /// Supersampling factor per axis for anti-aliasing (odd, so labels sample pixel centres).
    public static let defaultSupersampling = 3

    /// The random stream of one scene: `RandomSource(seed:).split(domain).split(split).split(index)`.
    public static func randomSource(domain: SceneDomain, split: String, index: Int, seed: UInt64)
        -> RandomSource
    {
        RandomSource(seed: seed).split(domain.rawValue).split(split).split(index)
    }

    /// Renders scene `index` of `split` in `domain` at `height` x `width`.
    public static func generate(
        domain: SceneDomain, split: String, index: Int, seed: UInt64, height: Int, width: Int,
        supersampling: Int = defaultSupersampling
    ) -> SyntheticScene {
        precondition(
            height >= 8 && width >= 8,
            "SceneGenerator: size \(height)x\(width) is too small (min 8x8)")
        var rng = randomSource(domain: domain, split: split, index: index, seed: seed)
        let (look, camera) = Look.sample(domain, width: width, height: height, rng: &rng)
        let (image, ids) = render(
            look: look, camera: camera, height: height, width: width, supersampling: supersampling,
            rng: &rng)
        let labels = ids.map { UInt8($0 < 1000 ? $0 : $0 / 1000) }
        return SyntheticScene(
            domain: domain, image: image,
            labelIds: LabelMap(width: width, height: height, values: labels),
            instanceIds: InstanceMap(width: width, height: height, values: ids),
            condition: look.condition.rawValue,
            camera: SceneCamera(
                focal: camera.focal, cx: camera.cx, cy: camera.horizon, height: camera.height))
    }

    /// Draws the street, backdrop and population of `look` and `camera` from `rng` (in the
    /// order of the type's note) and finishes the image: the RGB image and instance ids.
    static func render(
        look: Look, camera: Camera, height: Int, width: Int, supersampling: Int,
        rng: inout RandomSource
    ) -> (RGBImage, [Int32]) {
        let street = StreetLayout.sample(&rng, look: look)
        let canvas = Canvas(
            width: width, height: height, factor: supersampling, grainSeed: rng.nextUInt32())
        let finishSeed = rng.nextUInt32()
        var p = Painter(canvas: canvas, camera: camera, look: look)

        let w = Float(width), h = Float(height)
        p.canvas.fill(
            [SIMD2(-1, -1), SIMD2(w + 1, -1), SIMD2(w + 1, h + 1), SIMD2(-1, h + 1)],
            .paint(
                top: look.skyTop, bottom: look.skyHorizon, y0: 0, y1: camera.horizon, grain: 0,
                id: Int32(Cityscapes.id("sky"))))
        drawGround(&p, street, rng: &rng)
        let backdrop = sampleBackdrop(street, look: look, rng: &rng)
        let population = samplePopulation(street, look: look, rng: &rng)
        for item in backdrop { item.shadow?(&p) }
        for layer in [backdrop, population] {
            let order = layer.indices.sorted { a, b in
                layer[a].depth != layer[b].depth ? layer[a].depth > layer[b].depth : a < b
            }
            for i in order { layer[i].draw(&p) }
        }
        if let hood = look.hood { drawHood(&p, fraction: hood) }
        if look.rain { drawRain(&p.canvas, count: width * height / 300, seed: finishSeed) }

        var pixels = p.canvas.resolve()
        Finisher(width: width, height: height, look: look, seed: finishSeed).apply(
            &pixels, glows: p.glows)
        let bytes = pixels.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) }
        return (RGBImage(width: width, height: height, pixels: bytes), p.canvas.ids)
    }
}
