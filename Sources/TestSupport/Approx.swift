import RealModule
import Tensors

/// The project's one closeness rule, swift-numerics' `isApproximatelyEqual`:
/// |a - b| <= max(atol, rtol * max(|a|, |b|)) (the golden comparison uses the same rule).
public func isClose(_ a: Float, _ b: Float, atol: Float = 1e-5, rtol: Float = 1e-4) -> Bool {
    a.isApproximatelyEqual(to: b, absoluteTolerance: atol, relativeTolerance: rtol)
}

/// The first element where `actual` and `expected` are not close, as a readable message; nil
/// when every element is close and the shapes agree.
public func mismatch(
    _ actual: Tensor, _ expected: Tensor, atol: Float = 1e-5, rtol: Float = 1e-4
) -> String? {
    guard actual.shape == expected.shape else {
        return "shape \(actual.shape) != expected \(expected.shape)"
    }
    var worst = -1
    var worstErr: Float = 0
    var bad = 0
    for i in 0..<actual.count
    where !isClose(actual.data[i], expected.data[i], atol: atol, rtol: rtol) {
        bad += 1
        let e = abs(actual.data[i] - expected.data[i])
        if e > worstErr || e.isNaN { worstErr = e; worst = i }
    }
    if bad == 0 { return nil }
    return "\(bad) of \(actual.count) elements differ; worst [\(worst)]: \(actual.data[worst]) vs "
        + "expected \(expected.data[worst]) (atol \(atol), rtol \(rtol))"
}
