// Spatial resizing of NCHW tensors to a given output size, PyTorch `F.interpolate(size=...)`
// with modes "bilinear" and "nearest". Index and weight rules follow ATen's UpSample.h, in
// Float arithmetic as ATen does for float tensors (scales are computed, never given):
//
// bilinear, per axis of input extent `n` and output extent `m`:
//   m == n:                output o reads input o with weight 1 (a copy).
//   align_corners true:    src = o * (n - 1) / (m - 1)   (0 when m == 1)
//   align_corners false:   src = max((o + 0.5) * n / m - 0.5, 0)
//   i0 = min(floor(src), n - 1), i1 = min(i0 + 1, n - 1),
//   λ1 = clamp(src - i0, 0, 1), λ0 = 1 - λ1
//   y = (x[h0, w0] λ0w + x[h0, w1] λ1w) λ0h + (x[h1, w0] λ0w + x[h1, w1] λ1w) λ1h
// nearest (legacy "nearest", not "nearest-exact"): src = o if m == n, o / 2 if m == 2n, else
//   min(floor(o * Float(n) / Float(m)), n - 1).
// Backward scatters each output gradient with the same weights, plane by plane.
// Indices and weights match PyTorch bit for bit. Its AVX2 kernel fuses `t0 * w0 + t1 * w1` into
// fma(t0, w0, t1 * w1); this portable build does not, so outputs may differ in the last bit.

/// Bilinear resize, PyTorch `F.interpolate(mode="bilinear", align_corners=...)`.
public func resizeBilinear(_ x: Variable, height: Int, width: Int, alignCorners: Bool) -> Variable {
    let (n, c, h, w) = x.value.nchw()
    precondition(
        height > 0 && width > 0 && h > 0 && w > 0,
        "resizeBilinear: cannot resize input \(x.shape) to \(height)x\(width)")
    let rows = LinearTaps(input: h, output: height, alignCorners: alignCorners)
    let cols = LinearTaps(input: w, output: width, alignCorners: alignCorners)
    let y = Tensor(shape: [n, c, height, width]) { yp in
        x.value.withUnsafeBufferPointer { xp in
            Parallel.forEach(n * c, grain: planeGrain(height * width)) { plane in
                let src = xp.baseAddress! + plane * h * w
                let dst = yp.baseAddress! + plane * height * width
                for oh in 0..<height {
                    let r0 = src + rows.i0[oh] * w
                    let r1 = src + rows.i1[oh] * w
                    let a0 = rows.l0[oh]
                    let a1 = rows.l1[oh]
                    let out = dst + oh * width
                    for ow in 0..<width {
                        let j0 = cols.i0[ow]
                        let j1 = cols.i1[ow]
                        let b0 = cols.l0[ow]
                        let b1 = cols.l1[ow]
                        out[ow] =
                            (r0[j0] * b0 + r0[j1] * b1) * a0 + (r1[j0] * b0 + r1[j1] * b1) * a1
                    }
                }
            }
        }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        // dx[hk, wl] += λk,h λl,w gy[oh, ow] for the four taps of every output.
        var dx = Tensor(zeros: [n, c, h, w])
        dx.withUnsafeMutableBufferPointer { dxp in
            let dxp = dxp
            gy.withUnsafeBufferPointer { gp in
                Parallel.forEach(n * c, grain: planeGrain(height * width)) { plane in
                    let d = dxp.baseAddress! + plane * h * w
                    let g = gp.baseAddress! + plane * height * width
                    for oh in 0..<height {
                        let r0 = d + rows.i0[oh] * w
                        let r1 = d + rows.i1[oh] * w
                        let a0 = rows.l0[oh]
                        let a1 = rows.l1[oh]
                        for ow in 0..<width {
                            let j0 = cols.i0[ow]
                            let j1 = cols.i1[ow]
                            let b0 = cols.l0[ow]
                            let b1 = cols.l1[ow]
                            let go = g[oh * width + ow]
                            r0[j0] += a0 * b0 * go
                            r0[j1] += a0 * b1 * go
                            r1[j0] += a1 * b0 * go
                            r1[j1] += a1 * b1 * go
                        }
                    }
                }
            }
        }
        return [dx]
    }
}

/// Nearest resize, PyTorch `F.interpolate(mode="nearest")`.
public func resizeNearest(_ x: Variable, height: Int, width: Int) -> Variable {
    let (n, c, h, w) = x.value.nchw()
    precondition(
        height > 0 && width > 0 && h > 0 && w > 0,
        "resizeNearest: cannot resize input \(x.shape) to \(height)x\(width)")
    let rows = nearestSources(input: h, output: height)
    let cols = nearestSources(input: w, output: width)
    let y = Tensor(shape: [n, c, height, width]) { yp in
        x.value.withUnsafeBufferPointer { xp in
            Parallel.forEach(n * c, grain: planeGrain(height * width)) { plane in
                let src = xp.baseAddress! + plane * h * w
                let dst = yp.baseAddress! + plane * height * width
                for oh in 0..<height {
                    let row = src + rows[oh] * w
                    let out = dst + oh * width
                    for ow in 0..<width { out[ow] = row[cols[ow]] }
                }
            }
        }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        var dx = Tensor(zeros: [n, c, h, w])
        dx.withUnsafeMutableBufferPointer { dxp in
            let dxp = dxp
            gy.withUnsafeBufferPointer { gp in
                Parallel.forEach(n * c, grain: planeGrain(height * width)) { plane in
                    let d = dxp.baseAddress! + plane * h * w
                    let g = gp.baseAddress! + plane * height * width
                    for oh in 0..<height {
                        let row = d + rows[oh] * w
                        let go = g + oh * width
                        for ow in 0..<width { row[cols[ow]] += go[ow] }
                    }
                }
            }
        }
        return [dx]
    }
}

// MARK: - Index rules

/// Two source indices and weights per output index along one axis (linear interpolation).
struct LinearTaps {
    var i0: [Int] = [], i1: [Int] = []
    var l0: [Float] = [], l1: [Float] = []

    init(input n: Int, output m: Int, alignCorners: Bool) {
        let scale: Float =
            alignCorners ? (m > 1 ? Float(n - 1) / Float(m - 1) : 0) : Float(n) / Float(m)
        for o in 0..<m {
            if m == n {
                i0.append(o)
                i1.append(o)
                l0.append(1)
                l1.append(0)
                continue
            }
            let src = alignCorners ? scale * Float(o) : max(scale * (Float(o) + 0.5) - 0.5, 0)
            let lo = min(Int(src.rounded(.down)), n - 1)
            let lambda = min(max(src - Float(lo), 0), 1)
            i0.append(lo)
            i1.append(lo < n - 1 ? lo + 1 : lo)
            l0.append(1 - lambda)
            l1.append(lambda)
        }
    }
}

/// The source index of every output index along one axis (PyTorch's legacy nearest rule).
func nearestSources(input n: Int, output m: Int) -> [Int] {
    let scale = Float(n) / Float(m)
    return (0..<m).map { o in
        if m == n { return o }
        if m == 2 * n { return o >> 1 }
        return min(Int((Float(o) * scale).rounded(.down)), n - 1)
    }
}
