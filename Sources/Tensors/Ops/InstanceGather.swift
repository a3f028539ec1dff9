// Per-instance vectors spread over their instances' pixels (the dense maps Γ, Β of the
// Multi-Instance MLP, spade.md §6.3): out[n, c, p] = values[offset_n + index[n, p], c] where
// index[n, p] >= 0, else 0. offset_n = the number of instances of the images before n.
// Backward is the scatter-add of the output gradient over each instance's pixels, in pixel
// order, so the sums do not depend on the thread count.

/// Spreads `values` (sum of counts, C) over the pixels of `index` (N, H, W) -> (N, C, H, W);
/// `counts[n]` instances in image n, index values in -1..<counts[n] (-1: no instance).
public func instanceGather(_ values: Variable, index: Labels, counts: [Int]) -> Variable {
    precondition(index.shape.count == 3, "instanceGather: index shape \(index.shape)")
    let (n, h, w) = (index.shape[0], index.shape[1], index.shape[2])
    let total = counts.reduce(0, +)
    precondition(
        counts.count == n && values.shape.count == 2 && values.shape[0] == total,
        "instanceGather: values \(values.shape) for counts \(counts) and index \(index.shape)")
    let c = values.shape[1]
    let plane = h * w
    var offsets = [Int](repeating: 0, count: n)
    for b in 1..<max(n, 1) { offsets[b] = offsets[b - 1] + counts[b - 1] }
    for b in 0..<n {
        for p in 0..<plane {
            let i = index.data[b * plane + p]
            precondition(
                i >= -1 && Int(i) < counts[b],
                "instanceGather: index \(i) in image \(b) with \(counts[b]) instances")
        }
    }
    // rows[b * plane + p]: the values row of pixel p of image b, or -1.
    let rows = (0..<n * plane).map { i -> Int in
        let k = Int(index.data[i])
        return k < 0 ? -1 : (offsets[i / plane] + k) * c
    }
    let y = Tensor(shape: [n, c, h, w]) { out in
        values.value.withUnsafeBufferPointer { vp in
            Parallel.forEach(n * c, grain: planeGrain(plane)) { bc in
                let (b, ch) = (bc / c, bc % c)
                let dst = out.baseAddress! + bc * plane
                for p in 0..<plane {
                    let r = rows[b * plane + p]
                    dst[p] = r < 0 ? 0 : vp[r + ch]
                }
            }
        }
    }
    return Variable.record(y, inputs: [values]) { g, _ in
        var dv = Tensor(zeros: [total, c])
        dv.withUnsafeMutableBufferPointer { dp in
            let dp = dp
            g.withUnsafeBufferPointer { gp in
                // Plane (b, ch) adds only into column ch of image b's rows: disjoint outputs.
                Parallel.forEach(n * c, grain: planeGrain(plane)) { bc in
                    let (b, ch) = (bc / c, bc % c)
                    let src = gp.baseAddress! + bc * plane
                    for p in 0..<plane {
                        let r = rows[b * plane + p]
                        if r >= 0 { dp[r + ch] += src[p] }
                    }
                }
            }
        }
        return [dv]
    }
}

/// The index map nearest-resized with PyTorch's `F.interpolate(mode="nearest")` rule
/// (src = min(floor(dst * in / out), in - 1)), as the SPADE modules resize the label map.
public func resizeNearest(_ index: Labels, height: Int, width: Int) -> Labels {
    precondition(index.shape.count == 3, "resizeNearest: index shape \(index.shape)")
    let (n, h, w) = (index.shape[0], index.shape[1], index.shape[2])
    if h == height && w == width { return index }
    let rows = nearestSources(input: h, output: height)
    let cols = nearestSources(input: w, output: width)
    var out = [Int32](repeating: 0, count: n * height * width)
    for b in 0..<n {
        for y in 0..<height {
            for x in 0..<width {
                out[(b * height + y) * width + x] = index.data[(b * h + rows[y]) * w + cols[x]]
            }
        }
    }
    return Labels(shape: [n, height, width], data: out)
}
