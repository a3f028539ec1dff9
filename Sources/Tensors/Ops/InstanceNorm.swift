// Instance normalisation without affine parameters, PyTorch `F.instance_norm` (no running
// statistics): every (n, c) plane of x (N, C, H, W) is normalised by its own mean and biased
// variance, y = (x - mean) * invstd with invstd = 1 / sqrt(var + eps). Same in train and eval.

/// Instance norm 2d without affine parameters (PyTorch `F.instance_norm`, eps 1e-5).
public func instanceNorm2d(_ x: Variable, eps: Float = 1e-5) -> Variable {
    let (n, c, h, w) = x.value.nchw()
    precondition(h * w > 0, "instanceNorm2d: empty planes in input shape \(x.shape)")
    let stats = instanceNormStatistics(x.value, eps: eps)
    let y = planeAffine(
        x.value, scale: stats.invstd, shift: (0..<n * c).map { -stats.mean[$0] * stats.invstd[$0] })
    let input = x.value
    return Variable.record(y, inputs: [x]) { gy, _ in
        [instanceNormBackward(gy, input, mean: stats.mean, invstd: stats.invstd)]
    }
}

// MARK: - Forward kernels

/// Per-plane mean and 1 / sqrt(biased variance + eps), two passes, in parallel over planes.
func instanceNormStatistics(_ x: Tensor, eps: Float) -> (mean: [Float], invstd: [Float]) {
    let (n, c, h, w) = x.nchw()
    let hw = h * w
    var mean = [Float](repeating: 0, count: n * c)
    var invstd = [Float](repeating: 0, count: n * c)
    x.withUnsafeBufferPointer { xp in
        mean.withUnsafeMutableBufferPointer { meanp in
            invstd.withUnsafeMutableBufferPointer { istdp in
                let (meanp, istdp) = (meanp, istdp)
                Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                    let p = xp.baseAddress! + plane * hw
                    let mu = Float(Summation.sum(p, hw)) / Float(hw)
                    let variance = Float(Summation.squaredDeviations(p, hw, from: mu)) / Float(hw)
                    meanp[plane] = mu
                    istdp[plane] = 1 / (variance + eps).squareRoot()
                }
            }
        }
    }
    return (mean, invstd)
}

/// y[n, c] = x[n, c] * scale[n * C + c] + shift[n * C + c], in parallel over planes.
func planeAffine(_ x: Tensor, scale: [Float], shift: [Float]) -> Tensor {
    let (n, c, h, w) = x.nchw()
    let hw = h * w
    return Tensor(shape: x.shape) { yp in
        x.withUnsafeBufferPointer { xp in
            Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                let a = scale[plane]
                let b = shift[plane]
                let src = xp.baseAddress! + plane * hw
                let dst = yp.baseAddress! + plane * hw
                for i in 0..<hw { dst[i] = src[i] * a + b }
            }
        }
    }
}

// MARK: - Backward kernel

/// dx = (gy - sum / M - (x - mean) * dot * invstd² / M) * invstd per plane, with sum = Σ gy and
/// dot = Σ gy * (x - mean) over the plane's M = H * W values.
func instanceNormBackward(_ gy: Tensor, _ x: Tensor, mean: [Float], invstd: [Float]) -> Tensor {
    let (n, c, h, w) = x.nchw()
    precondition(
        gy.shape == x.shape, "instanceNorm2d backward: gradient \(gy.shape) vs input \(x.shape)")
    let hw = h * w
    let m = Float(hw)
    return Tensor(shape: x.shape) { dxp in
        x.withUnsafeBufferPointer { xp in
            gy.withUnsafeBufferPointer { gp in
                Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                    let g = gp.baseAddress! + plane * hw
                    let xs = xp.baseAddress! + plane * hw
                    let d = dxp.baseAddress! + plane * hw
                    let mu = mean[plane]
                    let istd = invstd[plane]
                    let s = Summation.gradientSums(g, xs, hw, center: mu)
                    let k = Float(s.dot) * istd * istd / m
                    let gradMean = Float(s.sum) / m
                    for i in 0..<hw { d[i] = (g[i] - (xs[i] - mu) * k - gradMean) * istd }
                }
            }
        }
    }
}
