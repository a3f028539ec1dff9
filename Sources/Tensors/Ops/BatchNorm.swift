// Batch normalisation over (N, H, W) per channel, PyTorch `F.batch_norm` on NCHW input.
//
// Shapes: x, y (N, C, H, W); weight, bias, running statistics (C). M = N * H * W values per
// channel. Training normalises with the batch mean and the biased variance (divide by M) and
// updates the running statistics with the unbiased one (divide by M - 1), as PyTorch does:
//     running_mean = (1 - momentum) * running_mean + momentum * mean
//     running_var  = (1 - momentum) * running_var  + momentum * var * M / (M - 1)
// Eval normalises with the running statistics. Either way y = x * scale + shift with
// scale = invstd * weight and shift = bias - mean * scale (PyTorch's CPU kernel form).
//
// Kernels run in parallel over channels (statistics, backward) or (n, c) planes (transform);
// every channel's sums follow a fixed order, so results do not depend on the thread count.

/// Batch norm 2d, PyTorch `F.batch_norm`: training uses batch statistics and updates the running
/// statistics in place (momentum 0.1, unbiased running variance); eval uses the running ones.
public func batchNorm2d(
    _ x: Variable, weight: Variable?, bias: Variable?, runningMean: inout Tensor,
    runningVar: inout Tensor, training: Bool, momentum: Float = 0.1, eps: Float = 1e-5
) -> Variable {
    let (n, c, h, w) = x.value.nchw()
    precondition(
        weight.map { $0.shape == [c] } ?? true && bias.map { $0.shape == [c] } ?? true
            && runningMean.shape == [c] && runningVar.shape == [c],
        """
        batchNorm2d: x \(x.shape) needs weight, bias and running statistics of shape [\(c)]; got \
        weight \(weight?.shape ?? []), bias \(bias?.shape ?? []), \
        running mean \(runningMean.shape), running var \(runningVar.shape)
        """)
    let m = n * h * w
    let mean: [Float]
    let invstd: [Float]
    if training {
        precondition(
            m > 1,
            "batchNorm2d: expected more than 1 value per channel when training, got \(x.shape)")
        let stats = batchNormStatistics(x.value)
        mean = stats.mean
        invstd = stats.variance.map { 1 / ($0 + eps).squareRoot() }
        let unbias = Float(m) / Float(m - 1)
        for ch in 0..<c {
            runningMean.data[ch] = momentum * mean[ch] + (1 - momentum) * runningMean.data[ch]
            runningVar.data[ch] =
                momentum * stats.variance[ch] * unbias + (1 - momentum) * runningVar.data[ch]
        }
    } else {
        mean = runningMean.data
        invstd = runningVar.data.map { 1 / ($0 + eps).squareRoot() }
    }
    let gamma = weight?.value.data
    let scale = (0..<c).map { invstd[$0] * (gamma?[$0] ?? 1) }
    let shift = (0..<c).map { (bias?.value.data[$0] ?? 0) - mean[$0] * scale[$0] }
    let y = channelAffine(x.value, scale: scale, shift: shift)

    let inputs = [x] + [weight, bias].compactMap { $0 }
    let input = x.value
    return Variable.record(y, inputs: inputs) { gy, needs in
        let needsWeight = weight != nil && needs[1]
        let needsBias = bias != nil && needs[weight == nil ? 1 : 2]
        let grads = batchNormBackward(
            gy, input, mean: mean, invstd: invstd, weight: gamma, training: training,
            needsInput: needs[0])
        var result: [Tensor?] = [grads.dx]
        if weight != nil {
            result.append(needsWeight ? Tensor(shape: [c], data: grads.dweight) : nil)
        }
        if bias != nil { result.append(needsBias ? Tensor(shape: [c], data: grads.dbias) : nil) }
        return result
    }
}

// MARK: - Forward kernels

/// Per-channel mean and biased variance over (N, H, W), two passes (mean, then squared
/// deviations from it), accumulated per plane in Float and across planes in Double.
func batchNormStatistics(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
    let (n, c, h, w) = x.nchw()
    let hw = h * w
    let m = Double(n * hw)
    var mean = [Float](repeating: 0, count: c)
    var variance = [Float](repeating: 0, count: c)
    x.withUnsafeBufferPointer { xp in
        mean.withUnsafeMutableBufferPointer { meanp in
            variance.withUnsafeMutableBufferPointer { varp in
                let (meanp, varp) = (meanp, varp)
                Parallel.forEach(c, grain: planeGrain(n * hw)) { ch in
                    var total: Double = 0
                    for b in 0..<n {
                        total += Summation.sum(xp.baseAddress! + (b * c + ch) * hw, hw)
                    }
                    let mu = Float(total / m)
                    var squares: Double = 0
                    for b in 0..<n {
                        squares += Summation.squaredDeviations(
                            xp.baseAddress! + (b * c + ch) * hw, hw, from: mu)
                    }
                    meanp[ch] = mu
                    varp[ch] = Float(squares / m)
                }
            }
        }
    }
    return (mean, variance)
}

/// y[n, c] = x[n, c] * scale[c] + shift[c], in parallel over planes.
func channelAffine(_ x: Tensor, scale: [Float], shift: [Float]) -> Tensor {
    let (n, c, h, w) = x.nchw()
    let hw = h * w
    return Tensor(shape: x.shape) { yp in
        x.withUnsafeBufferPointer { xp in
            Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                let a = scale[plane % c]
                let b = shift[plane % c]
                let src = xp.baseAddress! + plane * hw
                let dst = yp.baseAddress! + plane * hw
                for i in 0..<hw { dst[i] = src[i] * a + b }
            }
        }
    }
}

/// The number of planes of `planeSize` elements worth giving a thread (about 32k elements).
@inline(__always)
func planeGrain(_ planeSize: Int) -> Int { max(1, 32_768 / max(planeSize, 1)) }

// MARK: - Backward kernel

/// Gradients of batch norm for upstream `gy`. With sum = Σ gy and dot = Σ gy * (x - mean) per
/// channel (PyTorch's form):
///   training: dx = (gy - (x - mean) * dot * invstd² / M - sum / M) * invstd * weight
///   eval:     dx = gy * invstd * weight
/// dweight = dot * invstd, dbias = sum. The sums run in parallel over channels, dx over planes.
func batchNormBackward(
    _ gy: Tensor, _ x: Tensor, mean: [Float], invstd: [Float], weight: [Float]?, training: Bool,
    needsInput: Bool
) -> (dx: Tensor?, dweight: [Float], dbias: [Float]) {
    let (n, c, h, w) = x.nchw()
    let hw = h * w
    let both = channelGradientSums(gy, x, mean: mean)
    let sums = (0..<c).map { Float(both[$0]) }
    let dots = (0..<c).map { Float(both[c + $0]) }
    let dweight = (0..<c).map { dots[$0] * invstd[$0] }
    guard needsInput else { return (nil, dweight, sums) }

    let m = Float(n * hw)
    let dx = Tensor(shape: x.shape) { dxp in
        x.withUnsafeBufferPointer { xp in
            gy.withUnsafeBufferPointer { gp in
                Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                    let ch = plane % c
                    let mu = mean[ch]
                    let a = invstd[ch] * (weight?[ch] ?? 1)
                    let k = training ? dots[ch] * invstd[ch] * invstd[ch] / m : 0
                    let gradMean = training ? sums[ch] / m : 0
                    let offset = plane * hw
                    let g = gp.baseAddress! + offset
                    let xs = xp.baseAddress! + offset
                    let d = dxp.baseAddress! + offset
                    for i in 0..<hw { d[i] = (g[i] - (xs[i] - mu) * k - gradMean) * a }
                }
            }
        }
    }
    return (dx, dweight, sums)
}

/// Per-channel Σgy (first c values) and Σgy(x - mean) (next c) in Double, each channel's
/// planes in batch order: the sums of batch norm's backward, plain and synchronized.
func channelGradientSums(_ gy: Tensor, _ x: Tensor, mean: [Float]) -> [Double] {
    let (n, c, h, w) = x.nchw()
    precondition(
        gy.shape == x.shape, "batch norm backward: gradient \(gy.shape) vs input \(x.shape)")
    let hw = h * w
    var out = [Double](repeating: 0, count: 2 * c)
    x.withUnsafeBufferPointer { xp in
        gy.withUnsafeBufferPointer { gp in
            out.withUnsafeMutableBufferPointer { op in
                let op = op
                Parallel.forEach(c, grain: planeGrain(n * hw)) { ch in
                    var sum: Double = 0
                    var dot: Double = 0
                    for b in 0..<n {
                        let offset = (b * c + ch) * hw
                        let s = Summation.gradientSums(
                            gp.baseAddress! + offset, xp.baseAddress! + offset, hw,
                            center: mean[ch])
                        sum += s.sum
                        dot += s.dot
                    }
                    op[ch] = sum
                    op[c + ch] = dot
                }
            }
        }
    }
    return out
}
