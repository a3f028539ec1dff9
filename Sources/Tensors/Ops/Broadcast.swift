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
            let sa = pa[d] == 1, sb = pb[d] == 1
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
        var sb = sa, so = sa
        var na = 1, nb = 1, no = 1
        for d in stride(from: runs.count - 1, through: 0, by: -1) {
            so[d] = no
            no *= runs[d].extent
            if !runs[d].stretchA { sa[d] = na; na *= runs[d].extent }
            if !runs[d].stretchB { sb[d] = nb; nb *= runs[d].extent }
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
        let ia = stridesA.last ?? 0, ib = stridesB.last ?? 0
        return Tensor(shape: shape) { out in
            guard let op = out.baseAddress, count > 0 else { return }
            a.withUnsafeBufferPointer { ab in
                b.withUnsafeBufferPointer { bb in
                    let ap = ab.baseAddress!, bp = bb.baseAddress!
                    Parallel.forChunks(rows, grain: max(1, 16384 / inner)) { range in
                        for r in range {
                            let (oa, ob) = offsets(row: r)
                            let x = ap + oa, y = bp + ob, z = op + r * inner
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
        var r = row, oa = 0, ob = 0
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
    /// that operand's shape.
    func reduce(_ gradient: Tensor, to side: Side) -> Tensor {
        let target = side == .a ? shapeA : shapeB
        let strides = side == .a ? stridesA : stridesB
        if !zip(extents, strides).contains(where: { $0.0 > 1 && $0.1 == 0 }) {
            return gradient.reshaped(target)
        }
        var kept: [(extent: Int, stride: Int)] = []
        var summed: [(extent: Int, stride: Int)] = []
        for d in 0..<extents.count {
            if strides[d] == 0 { summed.append((extents[d], stridesOut[d])) }
            else { kept.append((extents[d], stridesOut[d])) }
        }
        let innerContiguous = summed.last?.stride == 1
        let inner = summed.last!.extent
        let outer = summed.dropLast().reduce(1) { $0 * $1.extent }
        let count = target.reduce(1, *)
        return Tensor(shape: target) { out in
            guard let op = out.baseAddress else { return }
            gradient.withUnsafeBufferPointer { gb in
                let gp = gb.baseAddress!
                Parallel.forEach(count, grain: max(1, 8192 / (outer * inner))) { j in
                    var base = 0, rest = j
                    for d in stride(from: kept.count - 1, through: 0, by: -1) {
                        base += (rest % kept[d].extent) * kept[d].stride
                        rest /= kept[d].extent
                    }
                    var total: Double = 0
                    for o in 0..<outer {
                        var offset = base, rest = o
                        for d in stride(from: summed.count - 2, through: 0, by: -1) {
                            offset += (rest % summed[d].extent) * summed[d].stride
                            rest /= summed[d].extent
                        }
                        if innerContiguous {
                            total += Summation.sum(gp + offset, inner)
                        } else {
                            let s = summed.last!.stride
                            var partial: Float = 0
                            for i in 0..<inner { partial += gp[offset + i * s] }
                            total += Double(partial)
                        }
                    }
                    op[j] = Float(total)
                }
            }
        }
    }
}
