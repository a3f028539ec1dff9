import Foundation
import Tensors

/// Which way a surface faces; decides its lighting.
enum Facing {
    /// Ground and other horizontal surfaces.
    case up
    /// Vertical, facing the camera (normal -z).
    case front
    /// Vertical, normal -x (seen on objects right of the camera).
    case left
    /// Vertical, normal +x (seen on objects left of the camera).
    case right
}

/// The appearance of one scene: light, weather, colour treatment and camera artefacts.
struct Look {
    /// The evaluation domain, or nil for the pretext scenes of pretraining (PretextScenes).
    let domain: SceneDomain?
    let condition: Condition
    /// Colour saturation applied to every albedo (1 = as designed).
    let saturation: Float
    /// Light reaching each facing (ambient + direct sun), multiplied into albedos.
    let lightUp: Float, lightFront: Float, lightLeft: Float, lightRight: Float
    /// Colour of the light.
    let lightTint: Color
    /// Ground offset (dx, dz) of a shadow per metre of height; nil without hard shadows.
    let shadowStep: SIMD2<Float>?
    /// Shadow darkening factor.
    let shadowFactor: Float
    /// Atmospheric blend towards `fogColor`: fraction 1 - exp(-depth * fogDensity).
    let fogColor: Color
    let fogDensity: Float
    /// Sky gradient, zenith and horizon.
    let skyTop: Color, skyHorizon: Color
    /// Object count multiplier.
    let density: Float
    /// Whether the ego-vehicle hood is visible, and its height as a fraction of the image.
    let hood: Float?
    /// Camera artefacts (applied after rendering).
    let noise: Float
    let motionBlur: Int
    let blockNoise: Float
    let vignette: Float
    let contrast: Float
    let tint: Color
    let rain: Bool

    var night: Bool { condition == .night }

    /// The colour of a surface with `albedo`, facing `facing`, seen at `depth` metres.
    func surface(_ albedo: Color, _ facing: Facing, depth: Float) -> Color {
        let light: Float
        switch facing {
        case .up: light = lightUp
        case .front: light = lightFront
        case .left: light = lightLeft
        case .right: light = lightRight
        }
        return atmosphere(saturate(albedo) * light * lightTint, depth: depth)
    }

    /// An emissive colour (lamps, lit windows): no lighting, only saturation and atmosphere.
    func emissive(_ c: Color, depth: Float) -> Color { atmosphere(saturate(c), depth: depth) }

    func saturate(_ c: Color) -> Color {
        let g = (c.x * 0.299 + c.y * 0.587 + c.z * 0.114)
        return Color(repeating: g) + (c - Color(repeating: g)) * saturation
    }

    func atmosphere(_ c: Color, depth: Float) -> Color {
        let a = 1 - expf(-max(depth, 0) * fogDensity)
        return c + (fogColor - c) * a
    }

    /// Samples the look and camera of a scene of `domain` at `width` x `height`.
    static func sample(_ domain: SceneDomain, width: Int, height: Int, rng: inout RandomSource) -> (
        Look, Camera
    ) {
        let w = Float(width), h = Float(height)
        switch domain {
        case .city:
            let cam = Camera(focal: 1.105 * w, cx: w / 2, horizon: 0.43 * h, height: 1.22)
            let grey = rng.uniform(0.74, 0.86)
            let look = Look(
                domain: .city, condition: .overcast, saturation: 0.55,
                lightUp: 0.95, lightFront: 0.8, lightLeft: 0.72, lightRight: 0.76,
                lightTint: Color(0.97, 1.0, 0.98), shadowStep: nil, shadowFactor: 0.6,
                fogColor: Color(grey, grey + 0.01, grey + 0.02), fogDensity: 0.006,
                skyTop: Color(grey - 0.08, grey - 0.05, grey - 0.02),
                skyHorizon: Color(grey + 0.08, grey + 0.09, grey + 0.1),
                density: 1.0, hood: rng.uniform(0.13, 0.17),
                noise: 0.018, motionBlur: 0, blockNoise: 0, vignette: 0.12, contrast: 0.92,
                tint: Color(0.96, 1.0, 0.97), rain: false)
            return (look, cam)
        case .synth:
            let fov = rng.uniform(45, 70) * Float.pi / 180
            let cam = Camera(
                focal: w / 2 / tanf(fov / 2), cx: w / 2 + rng.uniform(-0.03, 0.03) * w,
                horizon: rng.uniform(0.36, 0.52) * h, height: rng.uniform(1.1, 2.1))
            let azimuth = rng.uniform(-1.2, 1.2)
            let elevation = rng.uniform(0.35, 0.9)
            let sunX = sinf(azimuth), sunZ = cosf(azimuth) * (rng.bernoulli(0.5) ? 1 : -1)
            let len = 1 / tanf(elevation)
            let direct = rng.uniform(0.55, 0.75)
            let look = Look(
                domain: .synth, condition: .sunny, saturation: 1.3,
                lightUp: 0.35 + direct * sinf(elevation) + 0.1,
                lightFront: 0.4 + direct * max(0, -sunZ) * cosf(elevation),
                lightLeft: 0.4 + direct * max(0, -sunX) * cosf(elevation),
                lightRight: 0.4 + direct * max(0, sunX) * cosf(elevation),
                lightTint: Color(1.05, 1.0, 0.92), shadowStep: SIMD2(-sunX * len, -sunZ * len),
                shadowFactor: 0.5,
                fogColor: Color(0.75, 0.84, 0.95), fogDensity: 0.003,
                skyTop: Color(0.16, 0.38, 0.78), skyHorizon: Color(0.62, 0.78, 0.95),
                density: 1.5, hood: nil,
                noise: 0, motionBlur: 0, blockNoise: 0, vignette: 0, contrast: 1.08,
                tint: Color(1, 1, 1), rain: false)
            return (look, cam)
        case .bdd:
            let fov = rng.uniform(68, 80) * Float.pi / 180
            let cam = Camera(
                focal: w / 2 / tanf(fov / 2), cx: w / 2 + rng.uniform(-0.02, 0.02) * w,
                horizon: rng.uniform(0.48, 0.6) * h, height: rng.uniform(1.3, 1.5))
            let r = rng.uniform()
            let condition: Condition =
                r < 0.3
                ? .night : r < 0.45 ? .rain : r < 0.58 ? .fog : r < 0.75 ? .overcast : .sunny
            let hood: Float? = rng.bernoulli(0.5) ? rng.uniform(0.08, 0.14) : nil
            let blur = rng.int(in: 0...3)
            let block = rng.uniform(0.3, 0.8)
            let tint = Color(
                rng.uniform(0.95, 1.08), rng.uniform(0.95, 1.05), rng.uniform(0.88, 1.02))
            switch condition {
            case .night:
                let look = Look(
                    domain: .bdd, condition: .night, saturation: 0.8,
                    lightUp: 0.24, lightFront: 0.18, lightLeft: 0.15, lightRight: 0.15,
                    lightTint: Color(1.0, 0.85, 0.6), shadowStep: nil, shadowFactor: 0.7,
                    fogColor: Color(0.03, 0.03, 0.06), fogDensity: 0.02,
                    skyTop: Color(0.01, 0.01, 0.04), skyHorizon: Color(0.07, 0.06, 0.1),
                    density: 0.9, hood: hood, noise: 0.03, motionBlur: blur + 1, blockNoise: block,
                    vignette: 0.3,
                    contrast: 1.0, tint: tint, rain: false)
                return (look, cam)
            case .rain, .fog:
                let g = rng.uniform(0.55, 0.72)
                let look = Look(
                    domain: .bdd, condition: condition, saturation: 0.5,
                    lightUp: 0.8, lightFront: 0.66, lightLeft: 0.6, lightRight: 0.62,
                    lightTint: Color(0.95, 0.98, 1.02), shadowStep: nil, shadowFactor: 0.7,
                    fogColor: Color(g, g + 0.01, g + 0.03),
                    fogDensity: condition == .fog ? rng.uniform(0.03, 0.06) : 0.015,
                    skyTop: Color(g - 0.06, g - 0.05, g - 0.03),
                    skyHorizon: Color(g + 0.02, g + 0.03, g + 0.05),
                    density: 0.9, hood: hood, noise: 0.025, motionBlur: blur, blockNoise: block,
                    vignette: 0.25,
                    contrast: 0.8, tint: tint, rain: condition == .rain)
                return (look, cam)
            default:
                let sunny = condition == .sunny
                let look = Look(
                    domain: .bdd, condition: condition, saturation: sunny ? 0.95 : 0.7,
                    lightUp: sunny ? 1.05 : 0.9, lightFront: sunny ? 0.85 : 0.76,
                    lightLeft: sunny ? 0.7 : 0.68, lightRight: sunny ? 0.95 : 0.72,
                    lightTint: sunny ? Color(1.05, 1.0, 0.9) : Color(1, 1, 1),
                    shadowStep: sunny ? SIMD2(rng.uniform(-1.5, 1.5), rng.uniform(-1.0, 1.0)) : nil,
                    shadowFactor: 0.6,
                    fogColor: Color(0.8, 0.83, 0.88), fogDensity: 0.008,
                    skyTop: sunny ? Color(0.35, 0.55, 0.85) : Color(0.62, 0.66, 0.72),
                    skyHorizon: sunny ? Color(0.8, 0.86, 0.93) : Color(0.8, 0.82, 0.86),
                    density: 1.0, hood: hood, noise: 0.02, motionBlur: blur, blockNoise: block,
                    vignette: 0.25,
                    contrast: 1.0, tint: tint, rain: false)
                return (look, cam)
            }
        }
    }
}
