import Foundation

/// A colour, r g b in [0, 1] (values above 1 are allowed until the final clamp).
typealias Color = SIMD3<Float>

/// How a filled shape changes the canvas.
enum Ink {
    /// Paints a colour, vertically graded from `top` (at pixel row `y0`) to `bottom` (at `y1`),
    /// with pixel-scale grain of relative amplitude `grain`, and writes `id` to the id layer.
    case paint(top: Color, bottom: Color, y0: Float, y1: Float, grain: Float, id: Int32)
    /// Multiplies the colour (shadows); ids unchanged.
    case shade(Color)
    /// Adds to the colour (lights, glows, reflections); ids unchanged.
    case add(Color)

    /// A flat colour with the id `id`.
    static func solid(_ c: Color, id: Int32, grain: Float = 0) -> Ink {
        .paint(top: c, bottom: c, y0: 0, y1: 1, grain: grain, id: id)
    }
}

/// A supersampled RGB canvas plus an aliased id layer sampled at pixel centres.
///
/// Texture grain is applied per output pixel at resolve time, with the amplitude of the surface
/// seen at the pixel centre (a hash texture keyed by `grainSeed`).
///
/// Shapes are polygons in output-pixel coordinates (x right, y down; pixel (i, j) covers
/// [i, i+1) x [j, j+1)). Colour is rendered on a `factor` x `factor` grid of samples per pixel
/// (even-odd rule, a sample is inside when its centre is) and box-filtered to the output size:
/// the image is anti-aliased. `factor` is odd, so each pixel's middle sample lies exactly on the
/// pixel centre; the id layer records what that sample was painted with, so the id map is the
/// un-anti-aliased rendering of the same shapes.
struct Canvas {
    let width: Int
    let height: Int
    let factor: Int
    let sampleWidth: Int
    let sampleHeight: Int
    /// Samples, `sampleHeight * sampleWidth`, rgb in lanes 0...2 (lane 3 unused: one aligned
    /// store per sample).
    var color: [SIMD4<Float>]
    /// Ids at pixel centres (Cityscapes instance encoding), `height * width`.
    var ids: [Int32]
    /// Relative amplitude of the pixel-scale texture grain of the surface at each pixel centre.
    var grain: [Float]
    private let grainSeed: UInt32
    private var crossings: [Float] = []

    init(width: Int, height: Int, factor: Int, grainSeed: UInt32) {
        precondition(
            factor >= 1 && factor % 2 == 1, "Canvas: supersampling factor \(factor) must be odd")
        precondition(width > 0 && height > 0, "Canvas: size \(height)x\(width)")
        self.width = width
        self.height = height
        self.factor = factor
        self.sampleWidth = width * factor
        self.sampleHeight = height * factor
        self.color = [SIMD4<Float>](repeating: .zero, count: width * height * factor * factor)
        self.ids = [Int32](repeating: 0, count: width * height)
        self.grain = [Float](repeating: 0, count: width * height)
        self.grainSeed = grainSeed
    }

    /// Fills the region enclosed by `contours` (even-odd rule) with `ink`.
    mutating func fill(_ contours: [[SIMD2<Float>]], _ ink: Ink) {
        let f = Float(factor)
        var minY = Float.infinity, maxY = -Float.infinity
        var minX = Float.infinity, maxX = -Float.infinity
        for c in contours {
            for p in c {
                minY = min(minY, p.y); maxY = max(maxY, p.y)
                minX = min(minX, p.x); maxX = max(maxX, p.x)
            }
        }
        guard minY.isFinite, maxY.isFinite, maxX * f > 0.5, minX * f < Float(sampleWidth) - 0.5
        else { return }
        let row0 = max(0, Int((minY * f - 0.5).rounded(.up)))
        let row1 = min(sampleHeight - 1, Int((maxY * f - 0.5).rounded(.down)))
        guard row0 <= row1 else { return }
        for sy in row0...row1 {
            let yc = (Float(sy) + 0.5) / f
            crossings.removeAll(keepingCapacity: true)
            for c in contours where c.count >= 3 {
                var a = c[c.count - 1]
                for b in c {
                    if (a.y <= yc && yc < b.y) || (b.y <= yc && yc < a.y) {
                        crossings.append(a.x + (yc - a.y) * (b.x - a.x) / (b.y - a.y))
                    }
                    a = b
                }
            }
            if crossings.count < 2 { continue }
            crossings.sort()
            var k = 0
            while k + 1 < crossings.count {
                let s0 = max(0, Int((crossings[k] * f - 0.5).rounded(.up)))
                let s1 = min(sampleWidth - 1, Int((crossings[k + 1] * f - 0.5).rounded(.up)) - 1)
                if s0 <= s1 { span(row: sy, from: s0, to: s1, ink) }
                k += 2
            }
        }
    }

    /// Fills one polygon.
    mutating func fill(_ polygon: [SIMD2<Float>], _ ink: Ink) { fill([polygon], ink) }

    /// Fills an axis-aligned ellipse (a polygon with enough sides for its size).
    mutating func fillEllipse(center: SIMD2<Float>, radii: SIMD2<Float>, _ ink: Ink) {
        fill(Canvas.ellipse(center: center, radii: radii, factor: factor), ink)
    }

    /// An ellipse as a polygon.
    static func ellipse(center: SIMD2<Float>, radii: SIMD2<Float>, factor: Int = 3) -> [SIMD2<
        Float
    >] {
        let r = max(radii.x, radii.y) * Float(factor)
        let n = max(8, min(48, Int(r * 1.5)))
        return (0..<n).map { i in
            let t = Float(i) * 2 * Float.pi / Float(n)
            return center + radii * SIMD2(cosf(t), sinf(t))
        }
    }

    private mutating func span(row sy: Int, from s0: Int, to s1: Int, _ ink: Ink) {
        let base = sy * sampleWidth
        let f = Float(factor)
        switch ink {
        case .paint(let top, let bottom, let y0, let y1, let grainAmount, let id):
            let y = (Float(sy) + 0.5) / f
            let t = y1 > y0 ? min(max((y - y0) / (y1 - y0), 0), 1) : 0
            let c = top + (bottom - top) * t
            let c4 = SIMD4(c.x, c.y, c.z, 0)
            color.withUnsafeMutableBufferPointer { px in
                for s in (base + s0)...(base + s1) { px[s] = c4 }
            }
            let mid = factor / 2
            if sy % factor == mid {
                let p0 = (s0 - mid + factor - 1) / factor
                let p1 = (s1 - mid) / factor
                if p0 <= p1 {
                    let rowBase = (sy / factor) * width
                    for p in p0...p1 {
                        ids[rowBase + p] = id
                        grain[rowBase + p] = grainAmount
                    }
                }
            }
        case .shade(let m):
            let m4 = SIMD4(m.x, m.y, m.z, 1)
            color.withUnsafeMutableBufferPointer { px in
                for s in (base + s0)...(base + s1) { px[s] *= m4 }
            }
        case .add(let a):
            let a4 = SIMD4(a.x, a.y, a.z, 0)
            color.withUnsafeMutableBufferPointer { px in
                for s in (base + s0)...(base + s1) { px[s] += a4 }
            }
        }
    }

    /// A deterministic hash of a pixel position to [0, 1).
    func hash(_ x: UInt32, _ y: UInt32) -> Float { Canvas.hash(x, y, grainSeed) }

    /// A deterministic hash of (x, y, seed) to [0, 1).
    static func hash(_ x: UInt32, _ y: UInt32, _ seed: UInt32) -> Float {
        var h = x &* 0x8da6_b343 ^ y &* 0xd816_3841 ^ seed
        h ^= h >> 15
        h = h &* 0x2c1b_3c6d
        h ^= h >> 12
        h = h &* 0x297a_2d39
        h ^= h >> 15
        return Float(h >> 8) * 0x1p-24
    }

    /// The box-filtered image, `height * width * 3` floats, with each pixel's grain applied.
    func resolve() -> [Float] {
        let scale = 1 / Float(factor * factor)
        var out = [Float](repeating: 0, count: width * height * 3)
        var row = [SIMD4<Float>](repeating: .zero, count: width)
        color.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    for x in 0..<width { row[x] = .zero }
                    for sy in (y * factor)..<((y + 1) * factor) {
                        var s = sy * sampleWidth
                        for x in 0..<width {
                            var acc = row[x]
                            for _ in 0..<factor {
                                acc += src[s]
                                s += 1
                            }
                            row[x] = acc
                        }
                    }
                    for x in 0..<width {
                        let p = y * width + x
                        let a = grain[p]
                        let g =
                            a == 0 ? scale : scale * (1 + a * (hash(UInt32(x), UInt32(y)) - 0.5))
                        dst[3 * p] = row[x].x * g; dst[3 * p + 1] = row[x].y * g;
                        dst[3 * p + 2] = row[x].z * g
                    }
                }
            }
        }
        return out
    }
}
