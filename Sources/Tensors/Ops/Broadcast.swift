/// How two shapes combine under NumPy/PyTorch broadcasting (right-aligned; a dimension of 1
/// stretches), with runs of dimensions that broadcast alike merged into one.
///
/// Forward: `apply` walks the result row by row; the innermost merged run is a contiguous (or
/// constant) loop. Backward: `reduce` sums a result-shaped gradient back to one operand's
/// shape, each operand element summed in row-major order of the stretched dimensions, so the
/// bits do not depend on the thread count.
struct Broadcast {
    /// The result shape.
    let shape: [Int]
    let shapeA: [Int]
    let shapeB: [Int]
    /// Merged dimensions, outermost first: extent, element stride in a, in b (0 when
    /// stretched), in the result.
    let extents: [Int]
    let stridesA: [Int]
    let stridesB: [Int]
    let stridesOut: [Int]

    init(_ a: [Int], _ b: [Int], op: String) {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        var runs: [(extent: Int, stretchA: Bool, stretchB: Bool)] = []
        for d in 0..<rank {
            precondition(
                pa[d] == pb[d] || pa[d] == 1 || pb[d] == 1,
                "\(op): shapes \(a) and \(b) do not broadcast (dimension \(d))")
            let e = max(pa[d], pb[d])
            out.append(pa[d] == 0 || pb[d] == 0 ? 0 : e)
            if e == 1 { continue }
            let sa = pa[d] == 1
            let sb = pb[d] == 1
            if let last = runs.last, last.stretchA == sa, last.stretchB == sb {
                runs[runs.count - 1].extent *= e
            } else {
                runs.append((e, sa, sb))
            }
        }
        shape = out
        shapeA = a
        shapeB = b
        extents = runs.map(\.extent)
        var sa = [Int](repeating: 0, count: runs.count)
        var sb = sa
        var so = sa
        var na = 1
        var nb = 1
        var no = 1
        for d in stride(from: runs.count - 1, through: 0, by: -1) {
            so[d] = no
            no *= runs[d].extent
            if !runs[d].stretchA {
                sa[d] = na
                na *= runs[d].extent
            }
            if !runs[d].stretchB {
                sb[d] = nb
                nb *= runs[d].extent
            }
        }
        stridesA = sa
        stridesB = sb
        stridesOut = so
    }

    /// The result of `f` on matching elements of `a` and `b`.
    @inline(__always)
    func apply(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape { return a.map(b, f) }
        let count = shape.reduce(1, *)
        let inner = extents.last ?? 1
        let rows = count / max(inner, 1)
        let ia = stridesA.last ?? 0
        let ib = stridesB.last ?? 0
        return Tensor(shape: shape) { out in
            guard let op = out.baseAddress, count > 0 else { return }
            a.withUnsafeBufferPointer { ab in
                b.withUnsafeBufferPointer { bb in
                    let ap = ab.baseAddress!
                    let bp = bb.baseAddress!
                    Parallel.forChunks(rows, grain: max(1, 16384 / inner)) { range in
                        for r in range {
                            let (oa, ob) = offsets(row: r)
                            let x = ap + oa
                            let y = bp + ob
                            let z = op + r * inner
                            if ia == 1 && ib == 1 {
                                for i in 0..<inner { z[i] = f(x[i], y[i]) }
                            } else if ia == 1 {
                                let v = y[0]
                                for i in 0..<inner { z[i] = f(x[i], v) }
                            } else if ib == 1 {
                                let u = x[0]
                                for i in 0..<inner { z[i] = f(u, y[i]) }
                            } else {
                                for i in 0..<inner { z[i] = f(x[i * ia], y[i * ib]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Offsets in a and b of the first element of result row `row` (all dims but the last run).
    @inline(__always)
    private func offsets(row: Int) -> (Int, Int) {
        var r = row
        var oa = 0
        var ob = 0
        var d = extents.count - 2
        while d >= 0 {
            let c = r % extents[d]
            r /= extents[d]
            oa += c * stridesA[d]
            ob += c * stridesB[d]
            d -= 1
        }
        return (oa, ob)
    }

    /// Which operand a gradient is reduced for.
    enum Side { case a, b }

    /// Sums a result-shaped `gradient` over the dimensions `side` was stretched along, giving
    /// that operand's shape. With `times`, each gradient element is first multiplied by the
    /// matching element of the other operand (the product rule of `*`), without forming the
    /// product tensor.
    func reduce(_ gradient: Tensor, to side: Side, times other: Tensor? = nil) -> Tensor {
        let target = side == .a ? shapeA : shapeB
        let strides = side == .a ? stridesA : stridesB
        let otherStrides = side == .a ? stridesB : stridesA
        let stretched = zip(extents, strides).contains { $0.0 > 1 && $0.1 == 0 }
        if !stretched {
            guard let other else { return gradient.reshaped(target) }
            let otherShape = side == .a ? shapeB : shapeA
            return Broadcast(gradient.shape, otherShape, op: "reduce").apply(gradient, other) {
                $0 * $1
            }
            .reshaped(target)
        }
        // Dimensions: (extent, stride in the gradient, stride in `other`).
        var kept: [(extent: Int, stride: Int, otherStride: Int)] = []
        var summed: [(extent: Int, stride: Int, otherStride: Int)] = []
        for d in 0..<extents.count {
            let dim = (extents[d], stridesOut[d], otherStrides[d])
            if strides[d] == 0 { summed.append(dim) } else { kept.append(dim) }
        }
        let last = summed.removeLast()
        let outer = summed.reduce(1) { $0 * $1.extent }
        let count = target.reduce(1, *)
        let dummy = Tensor(zeros: [1])
        let factors = other ?? dummy
        return Tensor(shape: target) { out in
            guard let op = out.baseAddress else { return }
            gradient.withUnsafeBufferPointer { gb in
                factors.withUnsafeBufferPointer { fb in
                    let gp = gb.baseAddress!
                    let fp = fb.baseAddress!
                    Parallel.forEach(count, grain: max(1, 8192 / (outer * last.extent))) { j in
                        var base = 0
                        var otherBase = 0
                        var rest = j
                        for d in stride(from: kept.count - 1, through: 0, by: -1) {
                            let c = rest % kept[d].extent
                            rest /= kept[d].extent
                            base += c * kept[d].stride
                            otherBase += c * kept[d].otherStride
                        }
                        var total: Double = 0
                        for o in 0..<outer {
                            var offset = base
                            var otherOffset = otherBase
                            var rest = o
                            for d in stride(from: summed.count - 1, through: 0, by: -1) {
                                let c = rest % summed[d].extent
                                rest /= summed[d].extent
                                offset += c * summed[d].stride
                                otherOffset += c * summed[d].otherStride
                            }
                            total += rowSum(
                                gp + offset, last.stride, other == nil ? nil : fp + otherOffset,
                                last.otherStride, last.extent)
                        }
                        op[j] = Float(total)
                    }
                }
            }
        }
    }

    /// sum_i g[i * gs] (* f[i * fs] when f is given), with the contiguous cases vectorised.
    @inline(__always)
    private func rowSum(
        _ g: UnsafePointer<Float>, _ gs: Int, _ f: UnsafePointer<Float>?, _ fs: Int, _ n: Int
    ) -> Double {
        guard let f else {
            if gs == 1 { return Summation.sum(g, n) }
            var partial: Float = 0
            for i in 0..<n { partial += g[i * gs] }
            return Double(partial)
        }
        if gs == 1 && fs == 1 { return Summation.dot(g, f, n) }
        if gs == 1 && fs == 0 { return Summation.sum(g, n) * Double(f[0]) }
        var partial: Float = 0
        for i in 0..<n { partial += g[i * gs] * f[i * fs] }
        return Double(partial)
    }
}
