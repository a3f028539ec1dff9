import Foundation
import Tensors

/// A four-wheeled road vehicle as boxes: car, truck, bus or tram.
struct Vehicle {
    enum Kind { case car, truck, bus, train }
    let kind: Kind
    /// Footprint: x in [x0, x1], z in [z0, z1].
    let x0: Float, x1: Float, z0: Float, z1: Float
    let paint: Color
    /// True when we see the vehicle's rear (driving away); false for oncoming traffic.
    let rearView: Bool
    /// Cargo box or roof colour (trucks, buses).
    let accent: Color

    static let carPalette: [Color] = [
        Color(0.75, 0.1, 0.1), Color(0.1, 0.2, 0.6), Color(0.85, 0.85, 0.85), Color(0.1, 0.1, 0.1),
        Color(0.5, 0.52, 0.55), Color(0.15, 0.45, 0.25), Color(0.85, 0.65, 0.1),
        Color(0.55, 0.15, 0.45),
        Color(0.2, 0.55, 0.75), Color(0.9, 0.4, 0.1), Color(0.35, 0.25, 0.18),
        Color(0.7, 0.72, 0.75),
        Color(0.95, 0.95, 0.92), Color(0.3, 0.32, 0.36), Color(0.6, 0.05, 0.2),
        Color(0.45, 0.6, 0.2),
    ]

    var label: UInt8 {
        switch kind {
        case .car: Cityscapes.id("car")
        case .truck: Cityscapes.id("truck")
        case .bus: Cityscapes.id("bus")
        case .train: Cityscapes.id("train")
        }
    }

    var height: Float {
        switch kind {
        case .car: 1.45
        case .truck: 3.4
        case .bus: 3.1
        case .train: 3.5
        }
    }

    func draw(_ p: inout Painter) {
        guard z0 > p.camera.near + 0.5 else { return }
        let id = p.newInstance(label)
        p.castShadow([SIMD2(x0, z0), SIMD2(x1, z0), SIMD2(x1, z1), SIMD2(x0, z1)], height: height)
        p.contactShadow(x0: x0, x1: x1, z0: z0, z1: z1)
        let tyre = Color(0.06, 0.06, 0.06)
        let glass = Color(0.1, 0.13, 0.17)
        let w = x1 - x0, l = z1 - z0
        // Wheels under the body (visible between body and ground).
        p.box(
            x0: x0 + 0.05, x1: x0 + 0.3, y0: 0, y1: 0.45, z0: z0 + 0.5, z1: z0 + 1.1, tyre, id: id)
        p.box(
            x0: x1 - 0.3, x1: x1 - 0.05, y0: 0, y1: 0.45, z0: z0 + 0.5, z1: z0 + 1.1, tyre, id: id)
        let side = x1 < 0 ? x1 : x0 > 0 ? x0 : nil
        switch kind {
        case .car:
            p.box(x0: x0, x1: x1, y0: 0.25, y1: 0.95, z0: z0, z1: z1, paint, id: id, grain: 0.03)
            let c0 = z0 + l * (rearView ? 0.28 : 0.32), c1 = z0 + l * (rearView ? 0.75 : 0.72)
            p.box(x0: x0 + 0.1, x1: x1 - 0.1, y0: 0.95, y1: height, z0: c0, z1: c1, paint, id: id)
            p.front(
                x0: x0 + 0.2, x1: x1 - 0.2, y0: 1.0, y1: height - 0.08, z: c0,
                .solid(
                    p.look.surface(glass, .front, depth: c0) + p.look.surface(
                        Color(0.12, 0.14, 0.16), .up, depth: c0) * 0.6, id: id))
            if let sx = side {
                let inset: Float = sx > 0 ? 0.1 : -0.1
                p.sideWall(
                    x: sx + inset, z0: c0 + 0.15, z1: c1 - 0.15, y0: 1.0, y1: height - 0.08, glass,
                    id: id)
                for wz in [z0 + 0.75, z1 - 0.8] { wheel(&p, x: sx, z: wz, r: 0.33, id: id) }
            }
            lights(&p, y: 0.72, id: id)
            p.front(
                x0: x0 + w / 2 - 0.26, x1: x0 + w / 2 + 0.26, y0: 0.42, y1: 0.54, z: z0 - 0.01,
                .solid(p.look.surface(Color(0.9, 0.9, 0.88), .front, depth: z0), id: id))
        case .truck:
            let cab = rearView ? z1 - 2.3 : z0 + 2.3
            let cargo0 = rearView ? z0 : cab + 0.3, cargo1 = rearView ? cab - 0.3 : z1
            p.box(
                x0: x0, x1: x1, y0: 0.5, y1: 2.7, z0: rearView ? cab : z0, z1: rearView ? z1 : cab,
                paint, id: id)
            p.box(
                x0: x0, x1: x1, y0: 0.6, y1: height, z0: cargo0, z1: cargo1, accent, id: id,
                grain: 0.05)
            if !rearView {
                p.front(
                    x0: x0 + 0.15, x1: x1 - 0.15, y0: 1.6, y1: 2.5, z: z0,
                    .solid(p.look.surface(glass, .front, depth: z0), id: id))
            }
            if let sx = side {
                for wz in [z0 + 1.0, z1 - 1.2, z1 - 2.3] { wheel(&p, x: sx, z: wz, r: 0.5, id: id) }
            }
            lights(&p, y: 0.8, id: id)
        case .bus, .train:
            p.box(x0: x0, x1: x1, y0: 0.3, y1: height, z0: z0, z1: z1, paint, id: id, grain: 0.03)
            p.box(x0: x0, x1: x1, y0: height - 0.25, y1: height, z0: z0, z1: z1, accent, id: id)
            p.front(
                x0: x0 + 0.15, x1: x1 - 0.15, y0: 1.5, y1: height - 0.4, z: z0,
                .solid(p.look.surface(glass, .front, depth: z0), id: id))
            if let sx = side {
                let inset: Float = sx > 0 ? 0.02 : -0.02
                p.sideWall(
                    x: sx + inset, z0: z0 + 0.6, z1: z1 - 0.6, y0: 1.4, y1: height - 0.45,
                    p.look.night ? Color(0.9, 0.85, 0.6) : glass, id: id)
                if kind == .bus {
                    for wz in [z0 + 2.2, z1 - 3.0] { wheel(&p, x: sx, z: wz, r: 0.5, id: id) }
                }
            }
            lights(&p, y: 0.7, id: id)
        }
    }

    private func wheel(_ p: inout Painter, x: Float, z: Float, r: Float, id: Int32) {
        guard z - r > p.camera.near else { return }
        let pts = (0..<12).map { i -> SIMD2<Float> in
            let t = Float(i) * Float.pi / 6
            return p.camera.project(SIMD3(x, r + r * _sin(t), z + r * _cos(t)))
        }
        p.canvas.fill(
            pts, .solid(p.look.surface(Color(0.05, 0.05, 0.05), .front, depth: z), id: id))
        let hub = pts.map { c -> SIMD2<Float> in
            let centre = p.camera.project(SIMD3(x, r, z))
            return centre + (c - centre) * 0.5
        }
        p.canvas.fill(
            hub, .solid(p.look.surface(Color(0.55, 0.55, 0.57), .front, depth: z), id: id))
    }

    private func lights(_ p: inout Painter, y: Float, id: Int32) {
        let lamp = rearView ? Color(0.85, 0.08, 0.06) : Color(0.95, 0.93, 0.8)
        let lit = p.look.night ? (rearView ? Color(1, 0.2, 0.15) : Color(1, 1, 0.9)) : lamp
        for cx in [x0 + 0.08, x1 - 0.33] {
            p.front(
                x0: cx, x1: cx + 0.25, y0: y - 0.08, y1: y + 0.08, z: z0 - 0.01,
                .solid(
                    p.look.night
                        ? p.look.emissive(lit, depth: z0) : p.look.surface(lamp, .front, depth: z0),
                    id: id))
            if p.look.night {
                p.glow(
                    at: SIMD3(cx + 0.12, y, z0), radius: rearView ? 0.6 : 1.5,
                    rearView ? Color(0.9, 0.1, 0.05) : Color(1, 0.95, 0.8))
            } else if p.look.condition == .rain || p.look.condition == .fog {
                p.glow(
                    at: SIMD3(cx + 0.12, y, z0), radius: 0.35,
                    rearView ? Color(0.5, 0.06, 0.03) : Color(0.6, 0.6, 0.5))
            }
        }
    }
}

@inline(__always) func _sin(_ x: Float) -> Float { Float(sin(Double(x))) }
@inline(__always) func _cos(_ x: Float) -> Float { Float(cos(Double(x))) }
