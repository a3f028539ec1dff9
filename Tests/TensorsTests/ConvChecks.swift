import Testing
import TestSupport
@testable import Tensors

// Checks shared by the convolution kernels' tests (tap rows, dilation phases).

/// The weight gradient by its definition, summed in Double.
func naiveConvWeightGradient(_ gy: Tensor, _ x: Tensor, _ g: Conv2dGeometry) -> Tensor {
    var dw = Tensor(zeros: [g.k, g.c, g.kh, g.kw])
    for k in 0..<g.k {
        for c in 0..<g.c {
            for i in 0..<g.kh {
                for j in 0..<g.kw {
                    var s = 0.0
                    for n in 0..<g.n {
                        for oh in 0..<g.ho {
                            let ih = oh * g.stride - g.padding + i * g.dilation
                            guard ih >= 0, ih < g.h else { continue }
                            for ow in 0..<g.wo {
                                let iw = ow * g.stride - g.padding + j * g.dilation
                                guard iw >= 0, iw < g.w else { continue }
                                s +=
                                    Double(gy.data[((n * g.k + k) * g.ho + oh) * g.wo + ow])
                                    * Double(x.data[((n * g.c + c) * g.h + ih) * g.w + iw])
                            }
                        }
                    }
                    dw.data[((k * g.c + c) * g.kh + i) * g.kw + j] = Float(s)
                }
            }
        }
    }
    return dw
}

/// The adjoint identity of backward-data with the definition: <conv(x, w), gy> from the
/// Float64 definition, and <x, conv2dBackwardData(gy, w)> from the kernels, for a seeded gy.
func adjointDots(_ cfg: ConvCase, seed: UInt64, _ label: String) -> (
    definition: Double, kernel: Double
) {
    let g = cfg.geometry
    var r = RandomSource(seed: seed).split(label)
    let xs = cfg.inputs()
    let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
    func dot(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.data, b.data).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    let dx = conv2dBackwardData(gy, xs[1], g)
    return (dot(naiveConv(xs[0], xs[1], nil, g), gy), dot(xs[0], dx))
}

/// The bits of the forward (with bias), the backward-data and, with `weightGradient`, the
/// backward-weight of `cfg` at 1 and at 2 threads, for a seeded gy.
func passBitsAtOneAndTwoThreads(
    _ cfg: ConvCase, seed: UInt64, _ label: String, weightGradient: Bool
) -> [[UInt32]] {
    let g = cfg.geometry
    let xs = cfg.inputs()
    var r = RandomSource(seed: seed).split(label)
    let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
    let previous = Parallel.threads
    defer { Runtime.setThreads(previous) }
    var results: [[UInt32]] = []
    for threads in [1, 2] {
        Runtime.setThreads(threads)
        let y = conv2dForward(xs[0], xs[1], xs[2], g)
        let dw = weightGradient ? conv2dBackwardWeight(gy, xs[0], g).data : []
        let dx = conv2dBackwardData(gy, xs[1], g)
        results.append((y.data + dw + dx.data).map(\.bitPattern))
    }
    return results
}

/// Where `conv2dForward` departs from the direct definition (nil: within 1e-5), with bias as
/// `cfg` says.
func forwardMismatch(_ cfg: ConvCase) -> String? {
    let xs = cfg.inputs()
    let bias = cfg.bias ? xs[2] : nil
    return mismatch(
        conv2dForward(xs[0], xs[1], bias, cfg.geometry),
        naiveConv(xs[0], xs[1], bias, cfg.geometry),
        atol: 1e-5, rtol: 1e-5)
}

/// Where `conv2dBackwardWeight` departs from the definition (nil: within 1e-4) for a random
/// output gradient drawn from `seed` / `label`.
func weightGradientMismatch(_ cfg: ConvCase, seed: UInt64, _ label: String) -> String? {
    let g = cfg.geometry
    var r = RandomSource(seed: seed).split(label)
    let x = cfg.inputs()[0]
    let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
    return mismatch(
        conv2dBackwardWeight(gy, x, g), naiveConvWeightGradient(gy, x, g), atol: 1e-4, rtol: 1e-4)
}
