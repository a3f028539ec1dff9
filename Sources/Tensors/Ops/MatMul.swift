// Matrix products through OpenBLAS sgemm: `matmul` of 2-D tensors and `linear` (x W^T + b).

/// C = op(A) op(B) for row-major A, B (op = transpose when asked); C is (m, n), k inner.
func gemm(
    _ a: Tensor, transA: Bool, _ b: Tensor, transB: Bool, m: Int, n: Int, k: Int
) -> Tensor {
    Tensor(shape: [m, n]) { c in
        guard let cp = c.baseAddress, m > 0, n > 0 else { return }
        if k == 0 {
            cp.initialize(repeating: 0, count: m * n)
            return
        }
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                BLAS.sgemm(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                    a: ab.baseAddress!, lda: transA ? m : k, b: bb.baseAddress!,
                    ldb: transB ? k : n,
                    beta: 0, c: cp, ldc: n)
            }
        }
    }
}

/// Matrix product of 2-D a and b, either optionally transposed (PyTorch `torch.mm`):
/// op(a) is (M, K), op(b) is (K, N), the result (M, N).
public func matmul(
    _ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false
) -> Variable {
    precondition(
        a.shape.count == 2 && b.shape.count == 2,
        "matmul: expected 2-D tensors, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    let ta = transposeA ? "^T" : "", tb = transposeB ? "^T" : ""
    precondition(k == kb, "matmul: inner sizes differ: \(a.shape)\(ta) x \(b.shape)\(tb)")
    let av = a.value
    let bv = b.value
    let y = gemm(av, transA: transposeA, bv, transB: transposeB, m: m, n: n, k: k)
    return Variable.record(y, inputs: [a, b]) { g, needs in
        // dA = g op(B)^T (stored transposed when op(A) = A^T); dB likewise with op(A)^T g.
        let ga: Tensor? =
            !needs[0]
            ? nil
            : transposeA
                ? gemm(bv, transA: transposeB, g, transB: true, m: k, n: m, k: n)
                : gemm(g, transA: false, bv, transB: !transposeB, m: m, n: k, k: n)
        let gb: Tensor? =
            !needs[1]
            ? nil
            : transposeB
                ? gemm(g, transA: true, av, transB: transposeA, m: n, n: k, k: m)
                : gemm(av, transA: !transposeA, g, transB: false, m: k, n: n, k: m)
        return [ga, gb]
    }
}

/// y = x W^T + b (PyTorch `F.linear`): x (..., in), weight (out, in), bias (out) -> (..., out).
public func linear(_ x: Variable, _ weight: Variable, _ bias: Variable?) -> Variable {
    precondition(
        x.shape.count >= 1 && weight.shape.count == 2 && x.shape.last == weight.shape[1]
            && (bias == nil || bias!.shape == [weight.shape[0]]),
        "linear: x \(x.shape), weight \(weight.shape), bias \(bias?.shape.description ?? "none")")
    let inFeatures = weight.shape[1]
    let outFeatures = weight.shape[0]
    let rows = x.value.count / max(inFeatures, 1)
    let xShape = x.shape
    let x2 = x.value.reshaped([rows, inFeatures])
    let wv = weight.value
    var y = gemm(x2, transA: false, wv, transB: true, m: rows, n: outFeatures, k: inFeatures)
    if let b = bias?.value {
        y.withUnsafeMutableBufferPointer { yb in
            b.withUnsafeBufferPointer { bb in
                for r in 0..<rows {
                    for o in 0..<outFeatures { yb[r * outFeatures + o] += bb[o] }
                }
            }
        }
    }
    let outShape = Array(xShape.dropLast()) + [outFeatures]
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Variable.record(y.reshaped(outShape), inputs: inputs) { g, needs in
        let g2 = g.reshaped([rows, outFeatures])
        var grads: [Tensor?] = [
            needs[0]
                ? gemm(g2, transA: false, wv, transB: false, m: rows, n: inFeatures, k: outFeatures)
                    .reshaped(xShape) : nil,
            needs[1]
                ? gemm(g2, transA: true, x2, transB: false, m: outFeatures, n: inFeatures, k: rows)
                : nil,
        ]
        if needs.count == 3 {
            grads.append(
                needs[2]
                    ? Broadcast([rows, outFeatures], [outFeatures], op: "linear").reduce(g2, to: .b)
                    : nil)
        }
        return grads
    }
}
