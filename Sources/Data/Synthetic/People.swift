import Tensors

/// Clothing and skin colours of one person.
struct Outfit {
    let top: Color, bottom: Color, skin: Color, hair: Color, shoes: Color

    static let clothes: [Color] = [
        Color(0.8, 0.15, 0.15), Color(0.15, 0.25, 0.6), Color(0.9, 0.9, 0.88),
        Color(0.12, 0.12, 0.14),
        Color(0.2, 0.5, 0.3), Color(0.9, 0.75, 0.2), Color(0.55, 0.35, 0.6), Color(0.45, 0.3, 0.2),
        Color(0.95, 0.5, 0.6), Color(0.3, 0.6, 0.8), Color(0.6, 0.6, 0.58), Color(0.85, 0.45, 0.15),
    ]
    static let trousers: [Color] = [
        Color(0.12, 0.14, 0.25), Color(0.1, 0.1, 0.1), Color(0.35, 0.35, 0.38),
        Color(0.55, 0.45, 0.3),
        Color(0.2, 0.3, 0.5), Color(0.7, 0.65, 0.55),
    ]
    static let skins: [Color] = [
        Color(0.93, 0.76, 0.63), Color(0.8, 0.6, 0.45), Color(0.55, 0.38, 0.27),
        Color(0.36, 0.24, 0.17),
    ]
    static let hairs: [Color] = [
        Color(0.08, 0.06, 0.05), Color(0.3, 0.2, 0.1), Color(0.6, 0.45, 0.25), Color(0.5, 0.5, 0.5),
    ]

    static func sample(_ rng: inout RandomSource) -> Outfit {
        Outfit(
            top: clothes[rng.int(below: clothes.count)] * rng.uniform(0.8, 1.1),
            bottom: trousers[rng.int(below: trousers.count)] * rng.uniform(0.8, 1.15),
            skin: skins[rng.int(below: skins.count)], hair: hairs[rng.int(below: hairs.count)],
            shoes: Color(repeating: rng.uniform(0.05, 0.4)))
    }
}

/// A pedestrian standing or walking at ground point (x, z), drawn as a billboard.
struct Person {
    let x: Float, z: Float
    let height: Float
    let outfit: Outfit
    /// Walking stride phase in [-1, 1] (0 standing).
    let stride: Float

    func draw(_ p: inout Painter) {
        guard z > 1.5 else { return }
        let id = p.newInstance(Cityscapes.id("person"))
        let h = height
        p.castShadow(
            [
                SIMD2(x - 0.25, z - 0.15), SIMD2(x + 0.25, z - 0.15), SIMD2(x + 0.25, z + 0.15),
                SIMD2(x - 0.25, z + 0.15),
            ], height: h)
        p.contactShadow(x0: x - 0.2, x1: x + 0.2, z0: z - 0.1, z1: z + 0.1)
        drawFigure(
            &p, at: p.billboard(x: x, z: z), depth: z, id: id, h: h, outfit: outfit, stride: stride,
            seated: false)
    }
}

/// Draws a human figure in billboard coordinates (u right, v up, metres); `seated` bends the legs.
func drawFigure(
    _ p: inout Painter, at: (SIMD2<Float>) -> SIMD2<Float>, depth z: Float, id: Int32, h: Float,
    outfit: Outfit,
    stride: Float, seated: Bool, lift: Float = 0
) {
    let k = h / 1.75
    let top = p.look.surface(outfit.top, .front, depth: z),
        bottom = p.look.surface(outfit.bottom, .front, depth: z)
    let skin = p.look.surface(outfit.skin, .front, depth: z),
        hair = p.look.surface(outfit.hair, .front, depth: z)
    let shoes = p.look.surface(outfit.shoes, .front, depth: z)
    func quad(_ a: SIMD2<Float>, _ b: SIMD2<Float>, _ wa: Float, _ wb: Float, _ c: Color) {
        let d = b - a
        let n = SIMD2(-d.y, d.x) / max((d * d).sum().squareRoot(), 1e-4)
        p.canvas.fill(
            [at(a + n * wa / 2), at(b + n * wb / 2), at(b - n * wb / 2), at(a - n * wa / 2)],
            .solid(c, id: id))
    }
    let hip = 0.52 * k + lift
    // Legs.
    for s: Float in [-1, 1] {
        let footX = s * 0.09 * k + stride * s * 0.16 * k
        let foot = seated ? SIMD2(s * 0.14 * k, lift - 0.42 * k) : SIMD2(footX, 0.04 * k)
        quad(SIMD2(s * 0.08 * k, hip), foot + SIMD2(0, 0.04 * k), 0.15 * k, 0.11 * k, bottom)
        quad(
            foot + SIMD2(-0.01 * k, 0.05 * k), foot + SIMD2(0.02 * k, -0.03 * k), 0.12 * k,
            0.12 * k, shoes)
    }
    // Torso.
    let shoulder = hip + 0.31 * k
    p.canvas.fill(
        [
            at(SIMD2(-0.17 * k, hip - 0.04 * k)), at(SIMD2(0.17 * k, hip - 0.04 * k)),
            at(SIMD2(0.22 * k, shoulder)), at(SIMD2(-0.22 * k, shoulder)),
        ],
        .paint(
            top: top * 1.08, bottom: top * 0.88, y0: at(SIMD2(0, shoulder)).y,
            y1: at(SIMD2(0, hip)).y, grain: 0, id: id))
    p.canvas.fillEllipse(
        center: at(SIMD2(0, shoulder)),
        radii: SIMD2(0.22 * k, 0.05 * k) * p.camera.scale(atDepth: z), .solid(top, id: id))
    // Arms.
    for s: Float in [-1, 1] {
        let hand =
            seated
            ? SIMD2(s * 0.26 * k, shoulder - 0.3 * k)
            : SIMD2(s * 0.27 * k - stride * s * 0.08 * k, hip - 0.08 * k)
        quad(SIMD2(s * 0.21 * k, shoulder - 0.03 * k), hand, 0.1 * k, 0.08 * k, top * 0.95)
        p.canvas.fillEllipse(
            center: at(hand), radii: SIMD2(0.04, 0.045) * k * p.camera.scale(atDepth: z),
            .solid(skin, id: id))
    }
    // Neck, head, hair.
    quad(SIMD2(0, shoulder - 0.02 * k), SIMD2(0, shoulder + 0.08 * k), 0.08 * k, 0.08 * k, skin)
    let s = p.camera.scale(atDepth: z)
    let head = SIMD2(0, shoulder + 0.17 * k)
    p.canvas.fillEllipse(center: at(head), radii: SIMD2(0.09, 0.115) * k * s, .solid(skin, id: id))
    p.canvas.fillEllipse(
        center: at(head + SIMD2(0, 0.045 * k)), radii: SIMD2(0.095, 0.08) * k * s,
        .solid(hair, id: id))
}

/// A bicycle or motorcycle, with or without a rider, seen from the side (crossing) or the rear.
struct TwoWheeler {
    let x: Float, z: Float
    let motor: Bool
    /// +1 moving right, -1 moving left (side view); 0 seen from the rear.
    let direction: Float
    let frame: Color
    let rider: Outfit?
    let riderHeight: Float

    func draw(_ p: inout Painter) {
        guard z > 2 else { return }
        let vehicleId = p.newInstance(Cityscapes.id(motor ? "motorcycle" : "bicycle"))
        let at = p.billboard(x: x, z: z)
        let s = p.camera.scale(atDepth: z)
        let tyre = p.look.surface(Color(0.05, 0.05, 0.05), .front, depth: z)
        let body = p.look.surface(frame, .front, depth: z)
        let r: Float = motor ? 0.32 : 0.34
        let tw: Float = motor ? 0.1 : 0.045
        p.castShadow(
            [
                SIMD2(x - 0.3, z - 0.8), SIMD2(x + 0.3, z - 0.8), SIMD2(x + 0.3, z + 0.8),
                SIMD2(x - 0.3, z + 0.8),
            ], height: 1.4)
        p.contactShadow(x0: x - 0.15, x1: x + 0.15, z0: z - 0.5, z1: z + 0.5)
        func bar(_ a: SIMD2<Float>, _ b: SIMD2<Float>, _ w: Float, _ c: Color, _ id: Int32) {
            let d = b - a
            let n = SIMD2(-d.y, d.x) / max((d * d).sum().squareRoot(), 1e-4) * (w / 2)
            p.canvas.fill([at(a + n), at(b + n), at(b - n), at(a - n)], .solid(c, id: id))
        }
        if direction != 0 {
            let d = direction
            let rear = SIMD2<Float>(-0.55 * d, r), front = SIMD2<Float>(0.55 * d, r)
            for c in [rear, front] {
                let outer = Canvas.ellipse(center: at(c), radii: SIMD2(r, r) * s)
                let inner = Canvas.ellipse(center: at(c), radii: SIMD2(r - tw, r - tw) * s)
                p.canvas.fill([outer, inner], .solid(tyre, id: vehicleId))
                bar(c, SIMD2(0, 0.32), 0.035, body, vehicleId)
            }
            if motor {
                p.canvas.fill(
                    [
                        at(SIMD2(-0.45 * d, 0.45)), at(SIMD2(0.45 * d, 0.45)),
                        at(SIMD2(0.4 * d, 0.85)), at(SIMD2(-0.4 * d, 0.8)),
                    ],
                    .solid(body, id: vehicleId))
            } else {
                bar(SIMD2(0, 0.32), SIMD2(-0.15 * d, 0.85), 0.04, body, vehicleId)
                bar(SIMD2(-0.15 * d, 0.8), SIMD2(0.38 * d, 0.85), 0.04, body, vehicleId)
                bar(SIMD2(0, 0.32), SIMD2(0.38 * d, 0.85), 0.04, body, vehicleId)
            }
            bar(front, SIMD2(0.42 * d, 1.0), 0.04, body, vehicleId)
            bar(SIMD2(0.36 * d, 1.0), SIMD2(0.5 * d, 1.02), 0.04, tyre, vehicleId)
        } else {
            p.canvas.fillEllipse(
                center: at(SIMD2(0, r)), radii: SIMD2(tw * 0.8, r) * s, .solid(tyre, id: vehicleId))
            bar(SIMD2(-0.28, 1.0), SIMD2(0.28, 1.0), 0.035, tyre, vehicleId)
            if motor {
                p.canvas.fill(
                    [
                        at(SIMD2(-0.2, 0.35)), at(SIMD2(0.2, 0.35)), at(SIMD2(0.24, 0.8)),
                        at(SIMD2(-0.24, 0.8)),
                    ], .solid(body, id: vehicleId))
                p.canvas.fillEllipse(
                    center: at(SIMD2(0, 0.62)), radii: SIMD2(0.07, 0.04) * s,
                    .solid(p.look.emissive(Color(0.9, 0.1, 0.05), depth: z), id: vehicleId))
                if p.look.night {
                    p.glow(at: SIMD3(x, 0.62, z), radius: 0.5, Color(0.9, 0.1, 0.05))
                }
            } else {
                bar(SIMD2(0, 0.1), SIMD2(0, 0.85), 0.05, body, vehicleId)
            }
        }
        guard let rider else { return }
        let riderId = p.newInstance(Cityscapes.id("rider"))
        if direction != 0 {
            drawSideRider(
                &p, at: at, depth: z, id: riderId, outfit: rider, k: riderHeight / 1.75,
                d: direction)
        } else {
            drawFigure(
                &p, at: at, depth: z, id: riderId, h: riderHeight, outfit: rider, stride: 0,
                seated: true, lift: 0.42)
        }
    }
}

/// A rider seen from the side on a bicycle or motorcycle moving in direction `d` (+1 right):
/// seated on the saddle, leaning to the handlebars, one leg on each pedal.
func drawSideRider(
    _ p: inout Painter, at: (SIMD2<Float>) -> SIMD2<Float>, depth z: Float, id: Int32,
    outfit: Outfit, k: Float, d: Float
) {
    func c(_ x: Color) -> Color { p.look.surface(x, .front, depth: z) }
    func limb(_ a: SIMD2<Float>, _ b: SIMD2<Float>, _ w: Float, _ color: Color) {
        let a = SIMD2(a.x * d, a.y) * k, b = SIMD2(b.x * d, b.y) * k
        let t = b - a
        let n = SIMD2(-t.y, t.x) / max((t * t).sum().squareRoot(), 1e-4) * (w * k / 2)
        p.canvas.fill([at(a + n), at(b + n), at(b - n), at(a - n)], .solid(color, id: id))
    }
    let hip = SIMD2<Float>(-0.16, 0.97), shoulder = SIMD2<Float>(0.1, 1.45),
        hand = SIMD2<Float>(0.4, 1.02)
    // Far leg (darker), then torso, near leg and arm.
    limb(hip, SIMD2(0.02, 0.64), 0.14, c(outfit.bottom * 0.75))
    limb(SIMD2(0.02, 0.64), SIMD2(-0.1, 0.36), 0.11, c(outfit.bottom * 0.75))
    limb(hip, shoulder, 0.3, c(outfit.top))
    limb(hip, SIMD2(0.16, 0.72), 0.15, c(outfit.bottom))
    limb(SIMD2(0.16, 0.72), SIMD2(0.08, 0.24), 0.11, c(outfit.bottom))
    limb(SIMD2(0.08, 0.24), SIMD2(0.2, 0.22), 0.08, c(outfit.shoes))
    limb(shoulder, hand, 0.09, c(outfit.top * 0.9))
    let s = p.camera.scale(atDepth: z)
    let head = SIMD2(0.2 * d, 1.62) * k
    p.canvas.fillEllipse(
        center: at(head), radii: SIMD2(0.1, 0.115) * k * s, .solid(c(outfit.skin), id: id))
    p.canvas.fillEllipse(
        center: at(head + SIMD2(-0.02 * d, 0.05) * k), radii: SIMD2(0.11, 0.08) * k * s,
        .solid(c(outfit.hair), id: id))
}
