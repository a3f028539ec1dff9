// Layout operations: reshape, horizontal flip, spatial crop, 2-D transpose. Each copies (the
// tensor type has no views); backward moves the gradient back to the input's layout.

/// The same elements with another shape (PyTorch `reshape`); one extent may be -1 (inferred).
public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
    let inputShape = x.shape
    let count = x.value.count
    var resolved = shape
    if let free = shape.firstIndex(of: -1) {
        let known = shape.enumerated().reduce(1) { $1.offset == free ? $0 : $0 * $1.element }
        precondition(
            known > 0 && count % known == 0 && shape.filter({ $0 == -1 }).count == 1,
            "reshape: cannot reshape \(inputShape) to \(shape)")
        resolved[free] = count / known
    }
    precondition(
        resolved.allSatisfy { $0 >= 0 } && resolved.reduce(1, *) == count,
        "reshape: cannot reshape \(inputShape) to \(shape)")
    return Variable.record(x.value.reshaped(resolved), inputs: [x]) { g, _ in
        [g.reshaped(inputShape)]
    }
}

/// Reverses the last dimension (PyTorch `torch.flip(x, dims=[-1])`, a horizontal flip of NCHW).
public func flipWidth(_ x: Variable) -> Variable {
    precondition(x.shape.count >= 1, "flipWidth: expected at least one dimension, got \(x.shape)")
    return Variable.record(flipLast(x.value), inputs: [x]) { g, _ in [flipLast(g)] }
}

/// Reverses each row of the last dimension; its own inverse.
func flipLast(_ x: Tensor) -> Tensor {
    let w = x.shape.last!
    let rows = w == 0 ? 0 : x.count / w
    return Tensor(shape: x.shape) { out in
        guard let op = out.baseAddress else { return }
        x.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!
            Parallel.forChunks(rows, grain: max(1, 16384 / max(w, 1))) { range in
                for r in range { reverse(xp + r * w, into: op + r * w, w) }
            }
        }
    }
}

/// dst[i] = src[count - 1 - i], 16 lanes at a time.
@inline(__always)
private func reverse(
    _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ count: Int
) {
    var i = 0
    while i &+ 16 <= count {
        let v = UnsafeRawPointer(src + (count &- 16 &- i)).loadUnaligned(as: SIMD16<Float>.self)
        let r = SIMD16<Float>(
            v[15], v[14], v[13], v[12], v[11], v[10], v[9], v[8], v[7], v[6], v[5], v[4], v[3],
            v[2], v[1], v[0])
        UnsafeMutableRawPointer(dst + i).storeBytes(of: r, as: SIMD16<Float>.self)
        i &+= 16
    }
    while i < count {
        dst[i] = src[count &- 1 &- i]
        i &+= 1
    }
}

/// The spatial window `rows` x `cols` of an NCHW tensor (PyTorch `x[:, :, r0:r1, c0:c1]`).
public func crop(_ x: Variable, rows: Range<Int>, cols: Range<Int>) -> Variable {
    let (n, c, h, w) = x.value.nchw("crop")
    precondition(
        rows.lowerBound >= 0 && rows.upperBound <= h && cols.lowerBound >= 0
            && cols.upperBound <= w,
        "crop: window rows \(rows), cols \(cols) outside \(x.shape)")
    let ho = rows.count
    let wo = cols.count
    let planes = n * c
    let y = Tensor(shape: [n, c, ho, wo]) { out in
        guard let op = out.baseAddress else { return }
        x.value.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!
            Parallel.forEach(planes, grain: max(1, 16384 / max(ho * wo, 1))) { p in
                for r in 0..<ho {
                    let src = xp + p * h * w + (rows.lowerBound + r) * w + cols.lowerBound
                    (op + p * ho * wo + r * wo).update(from: src, count: wo)
                }
            }
        }
    }
    return Variable.record(y, inputs: [x]) { g, _ in
        var gx = Tensor(zeros: [n, c, h, w])
        gx.withUnsafeMutableBufferPointer { gxb in
            g.withUnsafeBufferPointer { gb in
                let dp = gxb.baseAddress!
                let gp = gb.baseAddress!
                Parallel.forEach(planes, grain: max(1, 16384 / max(h * w, 1))) { p in
                    for r in 0..<ho {
                        let dst = dp + p * h * w + (rows.lowerBound + r) * w + cols.lowerBound
                        dst.update(from: gp + p * ho * wo + r * wo, count: wo)
                    }
                }
            }
        }
        return [gx]
    }
}

/// The transpose of a 2-D tensor (PyTorch `x.t()`), copied.
public func transpose(_ x: Variable) -> Variable {
    precondition(x.shape.count == 2, "transpose: expected a 2-D tensor, got \(x.shape)")
    return Variable.record(transposed(x.value), inputs: [x]) { g, _ in [transposed(g)] }
}

/// (M, N) -> (N, M), in cache-friendly 32 x 32 tiles.
func transposed(_ x: Tensor) -> Tensor {
    let m = x.shape[0]
    let n = x.shape[1]
    let tile = 32
    return Tensor(shape: [n, m]) { out in
        guard let op = out.baseAddress else { return }
        x.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!
            let tilesN = (n + tile - 1) / tile
            Parallel.forEach(tilesN) { t in
                let j0 = t * tile
                let j1 = min(j0 + tile, n)
                var i0 = 0
                while i0 < m {
                    let i1 = min(i0 + tile, m)
                    for j in j0..<j1 {
                        for i in i0..<i1 { op[j * m + i] = xp[i * n + j] }
                    }
                    i0 = i1
                }
            }
        }
    }
}
