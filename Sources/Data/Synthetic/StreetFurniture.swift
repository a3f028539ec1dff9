import Foundation
import Tensors

/// A tree: trunk and a canopy of overlapping blobs (all 'vegetation').
struct Tree {
    let x: Float, z: Float
    let trunkHeight: Float
    let radius: Float
    let leaves: Color
    let blobs: [SIMD3<Float>]  // (du, dv, radius scale) relative to the canopy centre

    static func sample(x: Float, z: Float, rng: inout RandomSource) -> Tree {
        let n = rng.int(in: 5...8)
        return Tree(
            x: x, z: z, trunkHeight: rng.uniform(2.0, 3.5), radius: rng.uniform(1.6, 3.2),
            leaves: Color(rng.uniform(0.18, 0.3), rng.uniform(0.32, 0.45), rng.uniform(0.1, 0.18)),
            blobs: (0..<n).map { _ in
                SIMD3(rng.uniform(-0.6, 0.6), rng.uniform(-0.45, 0.6), rng.uniform(0.5, 0.8))
            })
    }

    func draw(_ p: inout Painter) {
        guard z > 1 else { return }
        let id = Int32(Cityscapes.id("vegetation"))
        let at = p.billboard(x: x, z: z)
        let s = p.camera.scale(atDepth: z)
        let bark = p.look.surface(Color(0.3, 0.24, 0.18), .front, depth: z)
        p.canvas.fill(
            [
                at(SIMD2(-0.13, 0)), at(SIMD2(0.13, 0)),
                at(SIMD2(0.09, trunkHeight + radius * 0.5)),
                at(SIMD2(-0.09, trunkHeight + radius * 0.5)),
            ], .solid(bark, id: id))
        let centre = SIMD2<Float>(0, trunkHeight + radius * 0.8)
        for (i, b) in blobs.enumerated() {
            let shade: Float = 0.75 + 0.35 * Float(i) / Float(blobs.count)
            let c = p.look.surface(leaves * shade, .front, depth: z)
            let r = radius * b.z * s
            p.canvas.fillEllipse(
                center: at(centre + SIMD2(b.x, b.y) * radius), radii: SIMD2(r, r * 0.9),
                .paint(
                    top: c * 1.15, bottom: c * 0.8, y0: at(centre).y - r, y1: at(centre).y + r,
                    grain: 0.25, id: id))
        }
    }
}

/// A pole with what it carries: a street lamp, a traffic sign or a traffic light.
struct Pole {
    enum Kind { case lamp, sign, light }
    let kind: Kind
    let x: Float, z: Float
    let height: Float
    /// Sign shape (0 round, 1 triangle, 2 square, 3 rectangle) and colours, or light state.
    let variant: Int
    let facesCamera: Bool

    func draw(_ p: inout Painter) {
        guard z > 1 else { return }
        let pole = Int32(Cityscapes.id("pole"))
        let at = p.billboard(x: x, z: z)
        let metal = p.look.surface(Color(0.45, 0.46, 0.47), .front, depth: z)
        let r: Float = kind == .lamp ? 0.09 : 0.06
        p.castShadow(
            [SIMD2(x - r, z - r), SIMD2(x + r, z - r), SIMD2(x + r, z + r), SIMD2(x - r, z + r)],
            height: height)
        p.canvas.fill(
            [
                at(SIMD2(-r, 0)), at(SIMD2(r, 0)), at(SIMD2(r * 0.7, height)),
                at(SIMD2(-r * 0.7, height)),
            ],
            .paint(
                top: metal * 1.1, bottom: metal * 0.8, y0: at(SIMD2(0, height)).y, y1: at(.zero).y,
                grain: 0, id: pole))
        switch kind {
        case .lamp:
            // An arm over the road and a lamp head.
            let reach: Float = x > 0 ? -1.6 : 1.6
            p.canvas.fill(
                [
                    at(SIMD2(0, height - 0.1)), at(SIMD2(reach, height + 0.15)),
                    at(SIMD2(reach, height + 0.3)), at(SIMD2(0, height + 0.05)),
                ], .solid(metal, id: pole))
            let head = at(SIMD2(reach, height + 0.12))
            let s = p.camera.scale(atDepth: z)
            p.canvas.fillEllipse(
                center: head, radii: SIMD2(0.35 * s, 0.1 * s), .solid(metal * 0.8, id: pole))
            if p.look.night {
                p.canvas.fillEllipse(
                    center: head + SIMD2(0, 0.05 * s), radii: SIMD2(0.25 * s, 0.06 * s),
                    .solid(Color(1.0, 0.85, 0.55), id: pole))
                p.glow(at: SIMD3(x + reach, height, z), radius: 3.0, Color(0.7, 0.55, 0.3))
                let pool = (0..<16).map { i -> SIMD2<Float> in
                    let t = Float(i) * Float.pi / 8
                    return SIMD2(x + reach + 3.5 * _cos(t), z + 3.5 * _sin(t))
                }
                if z > 8 { p.groundPolygon(pool, .add(Color(0.09, 0.07, 0.04))) }
            }
        case .sign:
            let id = Int32(Cityscapes.id("traffic sign"))
            let c = SIMD2<Float>(0, height - 0.35)
            let back = p.look.surface(Color(0.55, 0.56, 0.58), .front, depth: z)
            let red = p.look.surface(Color(0.8, 0.1, 0.1), .front, depth: z)
            let white = p.look.surface(Color(0.92, 0.92, 0.9), .front, depth: z)
            let blue = p.look.surface(Color(0.1, 0.3, 0.75), .front, depth: z)
            let yellow = p.look.surface(Color(0.95, 0.75, 0.1), .front, depth: z)
            let s = p.camera.scale(atDepth: z)
            let centre = at(c)
            switch variant % 4 {
            case 0:
                p.canvas.fillEllipse(
                    center: centre, radii: SIMD2(0.33 * s, 0.33 * s),
                    .solid(facesCamera ? red : back, id: id))
                if facesCamera {
                    p.canvas.fillEllipse(
                        center: centre, radii: SIMD2(0.24 * s, 0.24 * s),
                        .solid(variant % 8 < 4 ? white : blue, id: id))
                }
            case 1:
                let tri = [
                    at(c + SIMD2(-0.38, 0.3)), at(c + SIMD2(0.38, 0.3)), at(c + SIMD2(0, -0.36)),
                ]
                p.canvas.fill(tri, .solid(facesCamera ? red : back, id: id))
                if facesCamera {
                    p.canvas.fill(
                        [
                            at(c + SIMD2(-0.24, 0.21)), at(c + SIMD2(0.24, 0.21)),
                            at(c + SIMD2(0, -0.2)),
                        ], .solid(white, id: id))
                }
            case 2:
                let d: [SIMD2<Float>] = [
                    SIMD2(0, 0.36), SIMD2(0.36, 0), SIMD2(0, -0.36), SIMD2(-0.36, 0),
                ]
                p.canvas.fill(d.map { at(c + $0) }, .solid(facesCamera ? white : back, id: id))
                if facesCamera { p.canvas.fill(d.map { at(c + $0 * 0.7) }, .solid(yellow, id: id)) }
            default:
                let q: [SIMD2<Float>] = [
                    SIMD2(-0.45, 0.3), SIMD2(0.45, 0.3), SIMD2(0.45, -0.3), SIMD2(-0.45, -0.3),
                ]
                p.canvas.fill(q.map { at(c + $0) }, .solid(facesCamera ? blue : back, id: id))
                if facesCamera {
                    p.canvas.fill(q.map { at(c + $0 * SIMD2(0.8, 0.15)) }, .solid(white, id: id))
                }
            }
        case .light:
            let id = Int32(Cityscapes.id("traffic light"))
            let housing = p.look.surface(Color(0.12, 0.12, 0.12), .front, depth: z)
            let s = p.camera.scale(atDepth: z)
            let top = height + 0.95
            p.canvas.fill(
                [
                    at(SIMD2(-0.17, height)), at(SIMD2(0.17, height)), at(SIMD2(0.17, top)),
                    at(SIMD2(-0.17, top)),
                ],
                .solid(housing, id: id))
            let lamps: [Color] = [Color(1, 0.15, 0.1), Color(1, 0.7, 0.1), Color(0.2, 1, 0.4)]
            for k in 0..<3 {
                let on = facesCamera && k == variant % 3
                let cy = top - 0.18 - Float(k) * 0.29
                let color = on ? p.look.emissive(lamps[k], depth: z) : housing * 1.6
                p.canvas.fillEllipse(
                    center: at(SIMD2(0, cy)), radii: SIMD2(0.1 * s, 0.1 * s), .solid(color, id: id))
                if on && (p.look.night || p.look.condition == .rain) {
                    p.glow(at: SIMD3(x, cy, z), radius: 0.8, lamps[k] * 0.8)
                }
            }
        }
    }
}

/// A low wall, fence or hedge along the sidewalk's outer edge.
struct Barrier {
    enum Kind { case wall, fence, hedge }
    let kind: Kind
    let x: Float, z0: Float, z1: Float
    let height: Float
    let color: Color

    func draw(_ p: inout Painter) {
        switch kind {
        case .wall:
            let id = Int32(Cityscapes.id("wall"))
            p.sideWall(x: x, z0: z0, z1: z1, y0: 0, y1: height, color, id: id, grain: 0.1)
            p.front(
                x0: x - 0.1, x1: x + 0.1, y0: 0, y1: height, z: z0,
                .solid(p.look.surface(color, .front, depth: z0), id: id))
        case .fence:
            let id = Int32(Cityscapes.id("fence"))
            p.sideWall(x: x, z0: z0, z1: z1, y0: height - 0.12, y1: height, color, id: id)
            p.sideWall(x: x, z0: z0, z1: z1, y0: 0.25, y1: 0.35, color, id: id)
            var z = z0
            while z < z1 {
                p.sideWall(x: x, z0: z, z1: z + 0.07, y0: 0, y1: height, color * 0.9, id: id)
                z += 0.22
            }
        case .hedge:
            let id = Int32(Cityscapes.id("vegetation"))
            p.box(
                x0: x - 0.4, x1: x + 0.4, y0: 0, y1: height, z0: z0, z1: z1, color, id: id,
                grain: 0.3)
        }
    }
}
