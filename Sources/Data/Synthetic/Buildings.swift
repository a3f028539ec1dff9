import Tensors

/// Something drawn in depth order: the painter's algorithm draws larger `depth` first.
/// `shadow`, if any, is drawn on the ground before every backdrop item.
struct Drawable {
    let depth: Float
    var shadow: ((inout Painter) -> Void)? = nil
    let draw: (inout Painter) -> Void
}

/// A building block along the street: a facade in the plane x = `x`, from z0 to z1.
struct Building {
    let x: Float
    let z0: Float, z1: Float
    let height: Float
    let depth: Float
    let wall: Color
    let glass: Color
    let floorHeight: Float
    let bay: Float
    let windowSize: SIMD2<Float>
    let shopFront: Bool
    let lit: [Bool]

    /// The building's hard shadow on the ground (sunny looks only).
    func castShadow(_ p: inout Painter) {
        let outer = x + (x > 0 ? depth : -depth)
        p.castShadow(
            [SIMD2(x, z0), SIMD2(outer, z0), SIMD2(outer, z1), SIMD2(x, z1)], height: height)
    }

    /// The side wall, windows, shop front and the end face towards the camera.
    func draw(_ p: inout Painter) {
        let id = Int32(Cityscapes.id("building"))
        let side: Float = x > 0 ? 1 : -1
        p.sideWall(x: x, z0: z0, z1: z1, y0: 0, y1: height, wall, id: id, grain: 0.06)
        // End face at z0, facing the camera (seen where the nearer block does not hide it).
        let outer = x + side * depth
        let c = p.look.surface(wall * 0.92, .front, depth: z0)
        p.front(
            x0: min(x, outer), x1: max(x, outer), y0: 0, y1: height, z: z0,
            .solid(c, id: id, grain: 0.06))
        // Cornice.
        p.sideWall(x: x, z0: z0, z1: z1, y0: height - 0.5, y1: height, wall * 0.7, id: id)
        let floors = max(0, Int((height - (shopFront ? 4.0 : 1.0)) / floorHeight))
        let columns = max(1, Int((z1 - z0 - 1) / bay))
        let zStart = z0 + (z1 - z0 - Float(columns) * bay) / 2 + (bay - windowSize.x) / 2
        let base: Float = shopFront ? 4.0 : 1.0
        let minPixels: Float = 0.7
        for f in 0..<floors {
            let y0 = base + Float(f) * floorHeight + 0.8
            for k in 0..<columns {
                let a = zStart + Float(k) * bay
                let b = a + windowSize.x
                guard b > p.camera.near, a > p.camera.near else { continue }
                let q = [
                    p.camera.project(SIMD3(x, y0, a)),
                    p.camera.project(SIMD3(x, y0 + windowSize.y, a)),
                    p.camera.project(SIMD3(x, y0 + windowSize.y, b)),
                    p.camera.project(SIMD3(x, y0, b)),
                ]
                if q[0].y - q[1].y < minPixels || abs(q[3].x - q[0].x) < minPixels * 0.5 {
                    continue
                }
                let isLit = p.look.night && lit[(f * columns + k) % lit.count]
                let top =
                    isLit
                    ? p.look.emissive(Color(1.0, 0.8, 0.45), depth: a)
                    : p.look.surface(glass * 1.3, x > 0 ? .left : .right, depth: a)
                let bottom =
                    isLit ? top * 0.8 : p.look.surface(glass, x > 0 ? .left : .right, depth: a)
                p.canvas.fill(
                    q, .paint(top: top, bottom: bottom, y0: q[1].y, y1: q[0].y, grain: 0, id: id))
            }
        }
        if shopFront {
            let glassFront = p.look.surface(glass * 0.8, x > 0 ? .left : .right, depth: z0)
            let lit = p.look.night ? p.look.emissive(Color(0.9, 0.85, 0.7), depth: z0) : glassFront
            p.sideWall(
                x: x, z0: z0 + 0.5, z1: z1 - 0.5, y0: 0.4, y1: 3.0,
                p.look.night ? lit : glass * 0.8, id: id)
            // Awning stripe.
            p.sideWall(
                x: x, z0: z0 + 0.3, z1: z1 - 0.3, y0: 3.1, y1: 3.6, wall * SIMD3(0.7, 0.5, 0.45),
                id: id)
        }
    }
}

private let wallPalette: [Color] = [
    Color(0.78, 0.72, 0.62), Color(0.85, 0.82, 0.74), Color(0.62, 0.6, 0.58),
    Color(0.7, 0.45, 0.36),
    Color(0.88, 0.86, 0.82), Color(0.75, 0.66, 0.5), Color(0.55, 0.5, 0.46), Color(0.8, 0.76, 0.55),
    Color(0.6, 0.64, 0.66), Color(0.68, 0.56, 0.48),
]

/// Samples the buildings and gap vegetation of both street sides, plus the skyline at the end.
func sampleBackdrop(_ s: StreetLayout, look: Look, rng: inout RandomSource) -> [Drawable] {
    var out: [Drawable] = []
    for side: Float in [-1, 1] {
        let line = side > 0 ? s.buildRight : s.buildLeft
        var z: Float = 1
        while z < s.farZ {
            if let c = s.crossing, z + 4 > c.z, z < c.z + c.width {
                z = c.z + c.width + rng.uniform(0, 1.5)
                continue
            }
            var length = rng.uniform(8, 30)
            if let c = s.crossing, z < c.z { length = min(length, c.z - z) }
            if rng.bernoulli(0.18) && z > 8 {
                // A gap: trees or a hedge behind the building line.
                let gap = rng.uniform(4, 10)
                let tree = Tree.sample(
                    x: line + side * rng.uniform(2, 5), z: z + gap / 2, rng: &rng)
                out.append(Drawable(depth: tree.z) { p in tree.draw(&p) })
                z += gap
                continue
            }
            let floorHeight = rng.uniform(2.9, 3.5)
            let columns = rng.int(in: 0...3)
            let building = Building(
                x: line + side * (rng.bernoulli(0.3) ? rng.uniform(0, 1.5) : 0),
                z0: z, z1: z + length,
                height: floorHeight * Float(rng.int(in: 2...5) + (rng.bernoulli(0.25) ? 2 : 0))
                    + rng.uniform(1.5, 4),
                depth: rng.uniform(8, 14),
                wall: wallPalette[rng.int(below: wallPalette.count)] * rng.uniform(0.85, 1.1),
                glass: Color(0.16, 0.2, 0.25) * rng.uniform(0.7, 1.3),
                floorHeight: floorHeight, bay: rng.uniform(2.4, 3.6) + Float(columns) * 0.2,
                windowSize: SIMD2(rng.uniform(1.0, 1.6), rng.uniform(1.3, 1.9)),
                shopFront: rng.bernoulli(0.4),
                lit: (0..<13).map { _ in rng.bernoulli(0.35) })
            out.append(
                Drawable(depth: building.z0, shadow: { p in building.castShadow(&p) }) { p in
                    building.draw(&p)
                })
            z += length + (rng.bernoulli(0.3) ? rng.uniform(0.5, 3) : 0)
        }
    }
    // The end of the street: a row of distant blocks across the view.
    var x: Float = -250
    var blocks: [(Float, Float, Float, Color)] = []
    while x < 250 {
        let w = rng.uniform(12, 35)
        blocks.append(
            (x, x + w, rng.uniform(6, 28), wallPalette[rng.int(below: wallPalette.count)]))
        x += w
    }
    let far = s.farZ
    out.append(
        Drawable(depth: far + 1) { p in
            let id = Int32(Cityscapes.id("building"))
            for (x0, x1, h, c) in blocks {
                p.front(
                    x0: x0, x1: x1, y0: 0, y1: h, z: far,
                    .solid(p.look.surface(c, .front, depth: far), id: id, grain: 0.05))
            }
        })
    return out
}
