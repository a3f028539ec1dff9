import Tensors

/// The result of a finite-difference gradient check: the worst element found.
public struct GradCheckReport: CustomStringConvertible, Sendable {
    public var worstError: Float = 0
    /// error / allowed error of the worst element (<= 1 passes).
    public var worstRatio: Float = 0
    public var worstInput = 0
    public var worstIndex = 0
    public var analytic: Float = 0
    public var numeric: Float = 0
    public var passed = true

    public var description: String {
        "grad check \(passed ? "passed" : "FAILED"): worst at input \(worstInput)[\(worstIndex)] "
            + "analytic \(analytic) numeric \(numeric) (error \(worstError))"
    }
}

/// Compares the tape's gradients of `f` with central differences.
///
/// The output of `f` is reduced to a scalar with fixed random weights, `L = sum(f(x) * r)`, so
/// every output element matters. At most `samples` elements of each input are probed (chosen
/// by a seeded draw). An element passes when analytic and numeric values are close by the
/// project's rule (`isClose`: `|a - n| <= max(atol, rtol * max(|a|, |n|))`).
/// Evaluation is in Float32, so use smooth, well-scaled inputs and `eps` around 1e-2..1e-3.
public func checkGradients(
    _ inputs: [Tensor], eps: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 2e-2,
    samples: Int = 40, seed: UInt64 = 0, _ f: ([Variable]) -> Variable
) -> GradCheckReport {
    var random = RandomSource(seed: seed).split("gradcheck")
    let probe = withoutGradient { f(inputs.map { Variable($0) }) }
    let weights = random.uniformTensor(probe.shape, -1, 1)

    func loss(_ xs: [Variable]) -> Variable { weightedSum(f(xs), weights) }

    let (_, grads) = valueAndGradient(at: inputs) { loss($0) }
    var report = GradCheckReport()
    for (k, x) in inputs.enumerated() {
        let n = x.count
        let picks = n <= samples ? Array(0..<n) : Array(random.permutation(n).prefix(samples))
        for i in picks {
            var plus = inputs, minus = inputs
            plus[k].data[i] += eps
            minus[k].data[i] -= eps
            let fp = withoutGradient { loss(plus.map { Variable($0) }).value.data[0] }
            let fm = withoutGradient { loss(minus.map { Variable($0) }).value.data[0] }
            let numeric = (fp - fm) / (2 * eps)
            let analytic = grads[k].data[i]
            let err = abs(numeric - analytic)
            let ratio = err / max(atol, rtol * max(abs(numeric), abs(analytic)))
            if !isClose(analytic, numeric, atol: atol, rtol: rtol) { report.passed = false }
            if ratio > report.worstRatio || ratio.isNaN {
                report.worstRatio = ratio
                report.worstError = err
                report.worstInput = k
                report.worstIndex = i
                report.analytic = analytic
                report.numeric = numeric
            }
        }
    }
    return report
}
