import Foundation
import ImageCodecs
import Tensors

/// The scenes of the pretraining stage (issue 14): a fourth procedural domain that plays
/// ImageNet's role for paper 1 without touching its evaluation data.
///
/// Disjoint from the three domains in three ways. Scenes: every scene draws from
/// `RandomSource(seed:).split("pretext").split(index)`, a stream no evaluation scene uses (those
/// split by domain name first), so no street, object or camera of city, synth or bdd repeats.
/// Look: a dusk style of its own (low warm sun, long shadows, violet-orange sky, a random colour
/// cast per scene, a varied camera), unlike the overcast city, the noon synth or the dashcam
/// bdd. Labels: the 7 Cityscapes categories (flat, construction, object, nature, sky, human,
/// vehicle; void is ignored), coarser than the 19 classes the evaluation asks for, as
/// ImageNet's labels are another label set than Cityscapes'.
public enum PretextScenes {
    /// Classes of the pretext labels: the Cityscapes categories without void.
    public static let classes = 7

    /// Category label (0...6, 255 ignore) by Cityscapes label id, for all 256 byte values:
    /// evaluated classes map to their category id minus 1, everything else to 255.
    public static let categoryOfLabelId: [UInt8] = (0..<256).map { i in
        guard i < Cityscapes.labels.count, !Cityscapes.labels[i].ignoreInEval else { return 255 }
        return Cityscapes.labels[i].categoryId - 1
    }

    /// Pretext scene `index` of `seed` at `height` x `width`: the image and its category map.
    public static func generate(
        index: Int, seed: UInt64, height: Int, width: Int,
        supersampling: Int = SceneGenerator.defaultSupersampling
    ) -> (image: RGBImage, categories: LabelMap) {
        precondition(
            height >= 8 && width >= 8, "PretextScenes: size \(height)x\(width) is too small")
        var rng = RandomSource(seed: seed).split("pretext").split(index)
        let (look, camera) = dusk(width: width, height: height, rng: &rng)
        let (image, ids) = SceneGenerator.render(
            look: look, camera: camera, height: height, width: width, supersampling: supersampling,
            rng: &rng)
        let categories = ids.map { categoryOfLabelId[Int($0 < 1000 ? $0 : $0 / 1000)] }
        return (image, LabelMap(width: width, height: height, values: categories))
    }

    /// The dusk look: the sun low (5 to 20 degrees) in front of or behind the camera, warm
    /// light and long shadows, a violet zenith over an orange horizon, a colour cast per scene.
    static func dusk(width: Int, height: Int, rng: inout RandomSource) -> (Look, Camera) {
        let w = Float(width), h = Float(height)
        let fov = rng.uniform(50, 75) * Float.pi / 180
        let camera = Camera(
            focal: w / 2 / tanf(fov / 2), cx: w / 2 + rng.uniform(-0.04, 0.04) * w,
            horizon: rng.uniform(0.4, 0.56) * h, height: rng.uniform(1.2, 1.8))
        let azimuth = rng.uniform(-1.4, 1.4)
        let elevation = rng.uniform(0.09, 0.35)
        let sunX = sinf(azimuth), sunZ = cosf(azimuth) * (rng.bernoulli(0.5) ? 1 : -1)
        let length = min(1 / tanf(elevation), 6)
        let direct = rng.uniform(0.45, 0.65)
        let cast = Color(rng.uniform(0.9, 1.1), rng.uniform(0.88, 1.05), rng.uniform(0.85, 1.1))
        let look = Look(
            domain: nil, condition: .sunny, saturation: rng.uniform(0.7, 1.0),
            lightUp: 0.3 + direct * sinf(elevation) + 0.15,
            lightFront: 0.35 + direct * max(0, -sunZ) * cosf(elevation),
            lightLeft: 0.35 + direct * max(0, -sunX) * cosf(elevation),
            lightRight: 0.35 + direct * max(0, sunX) * cosf(elevation),
            lightTint: Color(1.12, 0.9, 0.7), shadowStep: SIMD2(-sunX * length, -sunZ * length),
            shadowFactor: 0.55,
            fogColor: Color(0.85, 0.6, 0.5), fogDensity: rng.uniform(0.004, 0.012),
            skyTop: Color(0.3, 0.22, 0.5), skyHorizon: Color(0.98, 0.62, 0.38),
            density: rng.uniform(0.8, 1.4), hood: nil,
            noise: 0.012, motionBlur: 0, blockNoise: 0, vignette: 0.15, contrast: 0.95,
            tint: cast, rain: false)
        return (look, camera)
    }
}
