import Foundation

/// A light source drawn as a soft additive glow after rendering (lamps, headlights at night).
struct Glow {
    let center: SIMD2<Float>
    let radius: Float
    let color: Color
}

/// Draws world-space geometry onto a `Canvas` through a `Camera` and a `Look`, and hands out
/// Cityscapes instance ids (`labelId * 1000 + k`, k counting from 0 per class in drawing order).
struct Painter {
    var canvas: Canvas
    let camera: Camera
    let look: Look
    var glows: [Glow] = []
    private var instanceCount = [Int32](repeating: 0, count: 34)

    init(canvas: Canvas, camera: Camera, look: Look) {
        self.canvas = canvas
        self.camera = camera
        self.look = look
    }

    /// A fresh instance id of class `labelId` (an instance class).
    mutating func newInstance(_ labelId: UInt8) -> Int32 {
        precondition(
            Cityscapes.hasInstances(labelId), "newInstance: label \(labelId) has no instances")
        let k = instanceCount[Int(labelId)]
        instanceCount[Int(labelId)] += 1
        return Int32(labelId) * 1000 + k
    }

    // MARK: - Ground

    /// A ground rectangle x in [x0, x1], z in [z0, z1], split in depth slices so that light and
    /// haze follow depth.
    mutating func ground(
        x0: Float, x1: Float, z0: Float, z1: Float, _ albedo: Color, id: Int32, grain: Float = 0
    ) {
        var a = max(z0, camera.near)
        guard z1 > a else { return }
        while a < z1 {
            let b = min(z1, a * 1.5 + 0.5)
            let pa0 = camera.project(SIMD3(x0, 0, a)), pa1 = camera.project(SIMD3(x1, 0, a))
            let pb0 = camera.project(SIMD3(x0, 0, b)), pb1 = camera.project(SIMD3(x1, 0, b))
            let far = look.surface(albedo, .up, depth: b),
                near = look.surface(albedo, .up, depth: a)
            canvas.fill(
                [pa0, pa1, pb1, pb0],
                .paint(top: far, bottom: near, y0: pb0.y, y1: pa0.y, grain: grain, id: id))
            a = b
        }
    }

    /// A ground polygon given by (x, z) corners, clipped to z >= near (no depth slicing).
    mutating func groundPolygon(_ xz: [SIMD2<Float>], _ ink: Ink) {
        let near = camera.near
        var clipped: [SIMD2<Float>] = []
        for (i, a) in xz.enumerated() {
            let b = xz[(i + 1) % xz.count]
            if a.y >= near { clipped.append(a) }
            if (a.y >= near) != (b.y >= near) {
                let t = (near - a.y) / (b.y - a.y)
                clipped.append(SIMD2(a.x + (b.x - a.x) * t, near))
            }
        }
        guard clipped.count >= 3 else { return }
        canvas.fill(clipped.map { camera.project(SIMD3($0.x, 0, $0.y)) }, ink)
    }

    /// The hard shadow of an object with footprint `xz` (corners) and `height`, if the look has sun.
    mutating func castShadow(_ xz: [SIMD2<Float>], height: Float) {
        guard let step = look.shadowStep else { return }
        let tip = xz.map { $0 + step * height }
        groundPolygon(convexHull(xz + tip), .shade(Color(repeating: look.shadowFactor)))
    }

    /// A soft contact shadow under a vehicle or person.
    mutating func contactShadow(x0: Float, x1: Float, z0: Float, z1: Float) {
        let m: Float = 0.25
        groundPolygon(
            [
                SIMD2(x0 - m, z0 - m), SIMD2(x1 + m, z0 - m), SIMD2(x1 + m, z1 + m),
                SIMD2(x0 - m, z1 + m),
            ],
            .shade(Color(repeating: 0.82)))
        groundPolygon(
            [SIMD2(x0, z0), SIMD2(x1, z0), SIMD2(x1, z1), SIMD2(x0, z1)],
            .shade(Color(repeating: 0.6)))
    }

    // MARK: - Vertical surfaces

    /// A wall in the plane x = `x`, spanning z in [z0, z1] and heights [y0, y1].
    mutating func sideWall(
        x: Float, z0: Float, z1: Float, y0: Float, y1: Float, _ albedo: Color, id: Int32,
        grain: Float = 0
    ) {
        var a = max(z0, camera.near)
        guard z1 > a else { return }
        let facing: Facing = x > 0 ? .left : .right
        while a < z1 {
            let b = min(z1, a * 1.6 + 1)
            let c = look.surface(albedo, facing, depth: (a + b) / 2)
            canvas.fill(
                [
                    camera.project(SIMD3(x, y0, a)), camera.project(SIMD3(x, y1, a)),
                    camera.project(SIMD3(x, y1, b)), camera.project(SIMD3(x, y0, b)),
                ],
                .paint(
                    top: c * 1.04, bottom: c * 0.94, y0: camera.project(SIMD3(x, y1, b)).y,
                    y1: camera.project(SIMD3(x, y0, b)).y, grain: grain, id: id))
            a = b
        }
    }

    /// A rectangle facing the camera at depth `z`: x in [x0, x1], heights [y0, y1].
    mutating func front(x0: Float, x1: Float, y0: Float, y1: Float, z: Float, _ ink: Ink) {
        guard z >= camera.near else { return }
        let a = camera.project(SIMD3(x0, y1, z)), b = camera.project(SIMD3(x1, y0, z))
        canvas.fill([SIMD2(a.x, a.y), SIMD2(b.x, a.y), SIMD2(b.x, b.y), SIMD2(a.x, b.y)], ink)
    }

    /// A box x in [x0, x1], y in [y0, y1], z in [z0, z1]: its visible side face and its front face.
    mutating func box(
        x0: Float, x1: Float, y0: Float, y1: Float, z0: Float, z1: Float, _ albedo: Color,
        id: Int32,
        grain: Float = 0
    ) {
        guard z0 >= camera.near else { return }
        if x1 < 0 {
            sideWall(x: x1, z0: z0, z1: z1, y0: y0, y1: y1, albedo, id: id, grain: grain)
        } else if x0 > 0 {
            sideWall(x: x0, z0: z0, z1: z1, y0: y0, y1: y1, albedo, id: id, grain: grain)
        }
        if y1 < camera.height {
            let c = look.surface(albedo * 1.05, .up, depth: z0)
            canvas.fill(
                [
                    camera.project(SIMD3(x0, y1, z0)), camera.project(SIMD3(x1, y1, z0)),
                    camera.project(SIMD3(x1, y1, z1)), camera.project(SIMD3(x0, y1, z1)),
                ],
                .solid(c, id: id, grain: grain))
        }
        let c = look.surface(albedo, .front, depth: z0)
        front(
            x0: x0, x1: x1, y0: y0, y1: y1, z: z0,
            .paint(
                top: c * 1.05, bottom: c * 0.9, y0: camera.project(SIMD3(0, y1, z0)).y,
                y1: camera.project(SIMD3(0, y0, z0)).y, grain: grain, id: id))
    }

    // MARK: - Billboards (people, bicycles, signs)

    /// Maps local billboard coordinates (metres: u right, v up) standing at ground point (x, z).
    func billboard(x: Float, z: Float) -> (SIMD2<Float>) -> SIMD2<Float> {
        let origin = camera.project(SIMD3(x, 0, z))
        let s = camera.scale(atDepth: z)
        return { p in SIMD2(origin.x + s * p.x, origin.y - s * p.y) }
    }

    /// Adds a glow at world point `p` with world radius `radius`.
    mutating func glow(at p: SIMD3<Float>, radius: Float, _ color: Color) {
        guard p.z > camera.near else { return }
        let r = radius * camera.scale(atDepth: p.z)
        guard r > 0.3 else { return }
        glows.append(
            Glow(
                center: camera.project(p), radius: r,
                color: look.atmosphere(color, depth: p.z * 0.5)))
    }
}

/// The convex hull of `points` (Andrew's monotone chain), counter-clockwise in (x, y).
func convexHull(_ points: [SIMD2<Float>]) -> [SIMD2<Float>] {
    let p = points.sorted { $0.x < $1.x || ($0.x == $1.x && $0.y < $1.y) }
    guard p.count > 2 else { return p }
    func cross(_ o: SIMD2<Float>, _ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float {
        (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
    }
    var lower: [SIMD2<Float>] = [], upper: [SIMD2<Float>] = []
    for q in p {
        while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], q) <= 0 {
            lower.removeLast()
        }
        lower.append(q)
    }
    for q in p.reversed() {
        while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], q) <= 0 {
            upper.removeLast()
        }
        upper.append(q)
    }
    return Array(lower.dropLast() + upper.dropLast())
}
