import Testing
import TestSupport
@testable import Tensors

/// 3x3 stride-1 convolutions with 32+ channels and 128+ tiles take Winograd F(2x2, 3x3): odd
/// and even sizes, padding 0, 1 and 2, several images, with and without bias.
let winogradCases: [ConvCase] = [
    ConvCase(n: 4, c: 32, h: 17, w: 27, k: 32, kh: 3, kw: 3, padding: 1),
    ConvCase(n: 2, c: 40, h: 20, w: 20, k: 33, kh: 3, kw: 3, bias: false),
    ConvCase(n: 3, c: 35, h: 13, w: 18, k: 48, kh: 3, kw: 3, padding: 2),
    ConvCase(n: 2, c: 64, h: 16, w: 24, k: 64, kh: 3, kw: 3, padding: 1, bias: false),
]

@Suite struct WinogradTests {
    @Test func winogradTakesOnlyItsShapes() {
        #expect(winogradCases.allSatisfy { usesWinograd($0.geometry) })
        let others = [
            ConvCase(c: 32, h: 9, w: 9, k: 32, kh: 3, kw: 3, stride: 2, padding: 1),
            ConvCase(c: 32, h: 9, w: 9, k: 32, kh: 3, kw: 3, padding: 2, dilation: 2),
            ConvCase(c: 16, h: 9, w: 9, k: 32, kh: 3, kw: 3, padding: 1),
            ConvCase(c: 32, h: 9, w: 9, k: 32, kh: 5, kw: 5, padding: 2),
            ConvCase(n: 2, c: 1024, h: 8, w: 16, k: 1024, kh: 3, kw: 3, padding: 1),  // 64 tiles
        ]
        #expect(others.allSatisfy { !usesWinograd($0.geometry) })
    }

    /// Against the Float64 definition, within the tolerance of the im2col path's own test
    /// (`Conv2dTests.forwardMatchesDirectConvolution`); and no worse than 4x im2col's error.
    @Test(arguments: winogradCases) func forwardMatchesDirectConvolution(_ cfg: ConvCase) {
        let xs = cfg.inputs()
        let g = cfg.geometry
        let bias = cfg.bias ? xs[2] : nil
        let expected = naiveConv(xs[0], xs[1], bias, g)
        let y = conv2dForward(xs[0], xs[1], bias, g)
        let problem = mismatch(y, expected, atol: 1e-5, rtol: 1e-5)
        #expect(problem == nil, "\(problem ?? "")")
        func maxError(_ t: Tensor) -> Float {
            zip(t.data, expected.data).map { abs($0 - $1) }.max() ?? 0
        }
        let im2colError = maxError(conv2dForwardIm2col(xs[0], xs[1], bias, g))
        #expect(maxError(y) <= 4 * max(im2colError, 1e-6))
    }

    /// Backward-data of a stride-1 3x3 convolution is a Winograd forward of the gradient; it
    /// matches the Float64 transposed convolution (the adjoint identity with the definition).
    @Test(arguments: winogradCases) func backwardDataIsTheAdjoint(_ cfg: ConvCase) {
        let g = cfg.geometry
        var r = RandomSource(seed: 9).split("winograd adjoint")
        let xs = cfg.inputs()
        let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
        func dot(_ a: Tensor, _ b: Tensor) -> Double {
            zip(a.data, b.data).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let yx = naiveConv(xs[0], xs[1], nil, g)
        let dx = conv2dBackwardData(gy, xs[1], g)
        #expect(abs(dot(yx, gy) - dot(xs[0], dx)) <= 1e-4 * max(1, abs(dot(yx, gy))))
    }

    /// The weight gradient against its Float64 definition.
    @Test(arguments: winogradCases) func backwardWeightMatchesDefinition(_ cfg: ConvCase) {
        let g = cfg.geometry
        var r = RandomSource(seed: 11).split("winograd weight")
        let x = cfg.inputs()[0]
        let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
        let expected = naiveConvWeightGradient(gy, x, g)
        let dw = conv2dBackwardWeight(gy, x, g)
        let problem = mismatch(dw, expected, atol: 1e-4, rtol: 1e-4)
        #expect(problem == nil, "\(problem ?? "")")
    }

    /// Enough tiles for two chunks: the weight gradient sums two halves of the tiles apart
    /// and adds them; it matches the definition, and its bits (and the other passes') are the
    /// same at 1 and 2 threads.
    @Test func backwardWeightInTwoHalves() {
        let cfg = ConvCase(n: 2, c: 32, h: 32, w: 64, k: 256, kh: 3, kw: 3, padding: 1)
        let g = cfg.geometry
        let (layout, halves) = winogradWeightLayout(g)
        #expect(usesWinograd(g) && halves && layout.chunks % 2 == 0)
        var r = RandomSource(seed: 12).split("winograd halves")
        let x = cfg.inputs()[0]
        let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
        let problem = mismatch(
            conv2dBackwardWeight(gy, x, g), naiveConvWeightGradient(gy, x, g), atol: 1e-4,
            rtol: 1e-4)
        #expect(problem == nil, "\(problem ?? "")")
        let bits = passBitsAtOneAndTwoThreads(
            cfg, seed: 12, "winograd halves", weightGradient: true)
        #expect(bits[0] == bits[1])
    }

    @Test(arguments: winogradCases.prefix(2)) func gradientsMatchFiniteDifferences(
        _ cfg: ConvCase
    ) {
        let report = checkGradients(cfg.inputs(), eps: 1e-2, samples: 30) { cfg.apply($0) }
        #expect(report.passed, "\(report)")
    }

    /// Same inputs, same bits, at 1 and at 2 threads (the transforms are parallel over
    /// channels with disjoint outputs).
    @Test func repeatsBitForBit() {
        let cfg = winogradCases[3]
        let xs = cfg.inputs()
        let previous = Parallel.threads
        defer { Runtime.setThreads(previous) }
        for threads in [1, 2] {
            Runtime.setThreads(threads)
            let a = conv2dForward(xs[0], xs[1], nil, cfg.geometry)
            let b = conv2dForward(xs[0], xs[1], nil, cfg.geometry)
            #expect(a.data.map(\.bitPattern) == b.data.map(\.bitPattern))
        }
    }
}
