import Foundation

/// Draws the ego-vehicle hood (label 'ego vehicle') over the bottom of the image.
func drawHood(_ p: inout Painter, fraction: Float) {
    let w = Float(p.canvas.width), h = Float(p.canvas.height)
    let top = h * (1 - fraction)
    let n = 24
    var pts: [SIMD2<Float>] = [SIMD2(-1, h + 1)]
    for i in 0...n {
        let u = Float(i) / Float(n)
        let bulge = 1 - 4 * (u - 0.5) * (u - 0.5)
        pts.append(SIMD2(-1 + u * (w + 2), top + (1 - bulge) * fraction * h * 0.55))
    }
    pts.append(SIMD2(w + 1, h + 1))
    let id = Int32(Cityscapes.id("ego vehicle"))
    let body = p.look.surface(Color(0.16, 0.17, 0.19), .up, depth: 0)
    p.canvas.fill(
        pts, .paint(top: body * 1.6, bottom: body * 0.7, y0: top, y1: h, grain: 0, id: id))
    // A soft reflection of the sky along the hood's edge.
    let edge = pts[1..<(pts.count - 1)].map { $0 + SIMD2(0, fraction * h * 0.12) }
    p.canvas.fill(Array(pts[1..<(pts.count - 1)]) + edge.reversed(), .add(p.look.skyHorizon * 0.12))
}

/// Thin bright streaks over the image (ids unchanged).
func drawRain(_ canvas: inout Canvas, count: Int, seed: UInt32) {
    let w = Float(canvas.width), h = Float(canvas.height)
    for i in 0..<count {
        let u = canvas.hash(UInt32(i), seed), v = canvas.hash(seed, UInt32(i)),
            l = canvas.hash(UInt32(i) ^ 0x55, seed)
        let x = u * w, y = v * h, len = (0.03 + 0.06 * l) * h
        let a = SIMD2(x, y), b = SIMD2(x - 0.15 * len, y + len)
        canvas.fill([a, b, b + SIMD2(0.6, 0), a + SIMD2(0.6, 0)], .add(Color(repeating: 0.07)))
    }
}

/// Camera and encoding artefacts on the resolved image (`height * width * 3` floats in [0, 1]).
struct Finisher {
    let width: Int, height: Int
    let look: Look
    let seed: UInt32

    func apply(_ img: inout [Float], glows: [Glow]) {
        addGlows(&img, glows)
        if look.motionBlur > 0 { horizontalBlur(&img, radius: look.motionBlur) }
        grade(&img)
        if look.blockNoise > 0 { blockArtefacts(&img, strength: look.blockNoise) }
    }

    private func addGlows(_ img: inout [Float], _ glows: [Glow]) {
        for g in glows {
            let r = g.radius
            let x0 = max(0, Int(g.center.x - r)), x1 = min(width - 1, Int(g.center.x + r))
            let y0 = max(0, Int(g.center.y - r)), y1 = min(height - 1, Int(g.center.y + r))
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    let d = SIMD2(Float(x) + 0.5, Float(y) + 0.5) - g.center
                    let q = (d * d).sum() / (r * r)
                    guard q < 1 else { continue }
                    let core = max(0, 1 - q * 9)
                    let a = (1 - q) * (1 - q) * 0.3 + core * 0.5
                    let i = 3 * (y * width + x)
                    img[i] += g.color.x * a; img[i + 1] += g.color.y * a;
                    img[i + 2] += g.color.z * a
                }
            }
        }
    }

    private func horizontalBlur(_ img: inout [Float], radius: Int) {
        let src = img
        let n = Float(2 * radius + 1)
        for y in 0..<height {
            for x in 0..<width {
                var acc = Color.zero
                for k in -radius...radius {
                    let xx = min(max(x + k, 0), width - 1)
                    let i = 3 * (y * width + xx)
                    acc += Color(src[i], src[i + 1], src[i + 2])
                }
                let i = 3 * (y * width + x)
                img[i] = acc.x / n; img[i + 1] = acc.y / n; img[i + 2] = acc.z / n
            }
        }
    }

    /// Contrast, tint, vignette and sensor noise.
    private func grade(_ img: inout [Float]) {
        let cx = Float(width) / 2, cy = Float(height) / 2
        let norm = 1 / (cx * cx + cy * cy)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Float(x) + 0.5 - cx, dy = Float(y) + 0.5 - cy
                let v = 1 - look.vignette * (dx * dx + dy * dy) * norm
                let i = 3 * (y * width + x)
                var c = Color(img[i], img[i + 1], img[i + 2])
                c =
                    (Color(repeating: 0.5) + (c - Color(repeating: 0.5)) * look.contrast)
                    * look.tint * v
                if look.noise > 0 {
                    let h = hash(UInt32(x), UInt32(y))
                    let n = (h.x + h.y - 1) * look.noise * 1.7
                    c += Color(repeating: n) + (Color(h.z, h.x, h.y) - 0.5) * look.noise * 0.6
                }
                img[i] = c.x; img[i + 1] = c.y; img[i + 2] = c.z
            }
        }
    }

    /// JPEG-like artefacts: 2x2 chroma averaging and luma detail quantised per 8x8 block.
    private func blockArtefacts(_ img: inout [Float], strength: Float) {
        let step = 0.03 + 0.07 * strength
        var by = 0
        while by < height {
            var bx = 0
            while bx < width {
                let y1 = min(by + 8, height), x1 = min(bx + 8, width)
                var mean: Float = 0
                for y in by..<y1 { for x in bx..<x1 { mean += luma(img, 3 * (y * width + x)) } }
                mean /= Float((y1 - by) * (x1 - bx))
                for y in by..<y1 {
                    for x in bx..<x1 {
                        let i = 3 * (y * width + x)
                        let l = luma(img, i)
                        let q = mean + ((l - mean) / step).rounded() * step
                        let d = (q - l) * strength
                        img[i] += d; img[i + 1] += d; img[i + 2] += d
                    }
                }
                bx += 8
            }
            by += 8
        }
        // Chroma of each 2x2 cell pulled towards its mean (4:2:0 subsampling).
        for y in stride(from: 0, to: height - 1, by: 2) {
            for x in stride(from: 0, to: width - 1, by: 2) {
                let i00 = 3 * (y * width + x), i01 = i00 + 3, i10 = i00 + 3 * width, i11 = i10 + 3
                var mc = Color.zero
                for i in [i00, i01, i10, i11] {
                    mc += Color(img[i], img[i + 1], img[i + 2]) - Color(repeating: luma(img, i))
                }
                mc /= 4
                for i in [i00, i01, i10, i11] {
                    let c = Color(img[i], img[i + 1], img[i + 2])
                    let out = c + (Color(repeating: luma(img, i)) + mc - c) * strength
                    img[i] = out.x; img[i + 1] = out.y; img[i + 2] = out.z
                }
            }
        }
    }

    private func luma(_ img: [Float], _ i: Int) -> Float {
        0.299 * img[i] + 0.587 * img[i + 1] + 0.114 * img[i + 2]
    }

    private func hash(_ x: UInt32, _ y: UInt32) -> Color {
        var h = x &* 0x9E37_79B1 ^ y &* 0x85EB_CA77 ^ seed
        var out = Color.zero
        for k in 0..<3 {
            h ^= h >> 16; h = h &* 0x7feb_352d; h ^= h >> 15; h = h &* 0x846c_a68b; h ^= h >> 16
            out[k] = Float(h >> 8) * 0x1p-24
            h = h &+ 0x6a09_e667
        }
        return out
    }
}
