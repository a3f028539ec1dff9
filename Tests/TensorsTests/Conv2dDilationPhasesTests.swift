import Testing
import TestSupport
@testable import Tensors

/// Dilated 3x3 convolutions that run through their phases on Winograd: dilation 2 and 3,
/// with and without bias.
let phaseCases: [ConvCase] = [
    ConvCase(n: 2, c: 32, h: 16, w: 24, k: 32, kh: 3, kw: 3, padding: 2, dilation: 2),
    ConvCase(n: 2, c: 32, h: 18, w: 24, k: 40, kh: 3, kw: 3, padding: 3, dilation: 3, bias: false),
]

@Suite struct Conv2dDilationPhasesTests {
    @Test func takesSameSizeDilatedConvolutionsWithDivisibleSides() {
        #expect(phaseCases.allSatisfy { dilationPhaseGeometry($0.geometry) != nil })
        let layer4 = Conv2dGeometry(
            input: [2, 512, 16, 32], weight: [512, 512, 3, 3], stride: 1, padding: 2, dilation: 2)
        #expect(dilationPhaseGeometry(layer4)?.h == 8)
        let others = [
            ConvCase(n: 2, c: 32, h: 16, w: 32, k: 32, kh: 3, kw: 3, padding: 6, dilation: 6),
            ConvCase(n: 2, c: 32, h: 16, w: 24, k: 32, kh: 3, kw: 3, padding: 1),
            ConvCase(n: 2, c: 32, h: 16, w: 24, k: 32, kh: 3, kw: 3, padding: 1, dilation: 2),
            ConvCase(n: 2, c: 8, h: 16, w: 24, k: 32, kh: 3, kw: 3, padding: 2, dilation: 2),
        ]
        #expect(others.allSatisfy { dilationPhaseGeometry($0.geometry) == nil })
    }

    @Test func phasesRoundTripBitForBit() {
        var r = RandomSource(seed: 3).split("phases")
        let x = r.uniformTensor([2, 3, 6, 9], -1, 1)
        let phases = dilationPhases(x, 3)
        #expect(phases.shape == [18, 3, 2, 3])
        // phase image (n * 3 + a) * 3 + b at (i, j) is x[n, :, a + 3i, b + 3j]
        let image = (1 * 9 + 2 * 3 + 1) * 3 + 2  // n 1, a 2, b 1, channel 2
        let source = ((1 * 3 + 2) * 6 + 5) * 9 + 7  // row 2 + 3 * 1, column 1 + 3 * 2
        #expect(phases.data[image * 6 + 1 * 3 + 2] == x.data[source])
        #expect(dilationPhases(phases, 3, inverse: x.shape).data == x.data)
    }

    @Test(arguments: phaseCases) func forwardMatchesDirectConvolution(_ cfg: ConvCase) {
        let xs = cfg.inputs()
        let bias = cfg.bias ? xs[2] : nil
        let y = conv2dForward(xs[0], xs[1], bias, cfg.geometry)
        let expected = naiveConv(xs[0], xs[1], bias, cfg.geometry)
        let problem = mismatch(y, expected, atol: 1e-5, rtol: 1e-5)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test(arguments: phaseCases) func backwardDataIsTheAdjoint(_ cfg: ConvCase) {
        let (expected, got) = adjointDots(cfg, seed: 8, "phases adjoint")
        #expect(abs(expected - got) <= 1e-4 * max(1, abs(expected)))
    }

    @Test(arguments: phaseCases) func backwardWeightMatchesDefinition(_ cfg: ConvCase) {
        let g = cfg.geometry
        var r = RandomSource(seed: 10).split("phases weight")
        let x = cfg.inputs()[0]
        let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
        let problem = mismatch(
            conv2dBackwardWeight(gy, x, g), naiveConvWeightGradient(gy, x, g), atol: 1e-4,
            rtol: 1e-4)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test func gradientsMatchFiniteDifferences() {
        let report = checkGradients(phaseCases[0].inputs(), eps: 1e-2, samples: 30) {
            phaseCases[0].apply($0)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func sameBitsAtOneAndTwoThreads() {
        let results = passBitsAtOneAndTwoThreads(
            phaseCases[0], seed: 12, "phases threads", weightGradient: false)
        #expect(results[0] == results[1])
    }
}
