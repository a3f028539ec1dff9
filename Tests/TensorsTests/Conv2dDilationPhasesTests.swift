import Testing
import TestSupport
@testable import Tensors

/// Dilated 3x3 convolutions that run through their phases on Winograd: dilation 2 and 3,
/// with and without bias; sides that d divides, and sides it does not (zero-padded phases; the
/// last one an ASPP rate on a map whose outer kernel rows read padding).
let phaseCases: [ConvCase] = [
    ConvCase(n: 2, c: 32, h: 16, w: 24, k: 32, kh: 3, kw: 3, padding: 2, dilation: 2),
    ConvCase(n: 2, c: 32, h: 18, w: 24, k: 40, kh: 3, kw: 3, padding: 3, dilation: 3, bias: false),
    ConvCase(n: 2, c: 32, h: 20, w: 26, k: 32, kh: 3, kw: 3, padding: 3, dilation: 3),
    ConvCase(n: 1, c: 32, h: 32, w: 36, k: 40, kh: 3, kw: 3, padding: 6, dilation: 6, bias: false),
]

@Suite struct Conv2dDilationPhasesTests {
    @Test func takesSameSizeDilatedConvolutionsWhereTheTilesSaveWork() {
        #expect(phaseCases.allSatisfy { dilationPhaseGeometry($0.geometry) != nil })
        let layer4 = Conv2dGeometry(
            input: [2, 512, 16, 32], weight: [512, 512, 3, 3], stride: 1, padding: 2, dilation: 2)
        #expect(dilationPhaseGeometry(layer4)?.h == 8)
        // The ASPP shape of the conv benchmark: 6x11 phases (zero-padded from 5 or 6 rows and
        // 10 or 11 columns), 0.64 of the tap-row kernels' multiply-adds.
        let aspp = Conv2dGeometry(
            input: [2, 512, 32, 64], weight: [256, 512, 3, 3], stride: 1, padding: 6, dilation: 6)
        #expect(dilationPhaseGeometry(aspp).map { [$0.n, $0.h, $0.w] } == [72, 6, 11])
        // DeepLab's own ASPP at 16x32: rate 6 would compute as many multiply-adds as the tap
        // rows (3x6 phases padded to 4x6 tiles), rates 12 and 18 more.
        let others = [
            ConvCase(n: 2, c: 32, h: 16, w: 32, k: 32, kh: 3, kw: 3, padding: 6, dilation: 6),
            ConvCase(n: 2, c: 32, h: 16, w: 32, k: 32, kh: 3, kw: 3, padding: 12, dilation: 12),
            ConvCase(n: 2, c: 32, h: 16, w: 32, k: 32, kh: 3, kw: 3, padding: 18, dilation: 18),
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
        // 7x8 in phases of 3x3: the positions past the image are zeros, and dropped on return.
        let odd = r.uniformTensor([2, 3, 7, 8], -1, 1)
        let padded = dilationPhases(odd, 3)
        #expect(padded.shape == [18, 3, 3, 3])
        let phase22 = (0 * 9 + 2 * 3 + 2) * 3 + 0  // n 0, a 2, b 2, channel 0: rows 2, 5; cols 2, 5
        #expect(
            Array(padded.data[phase22 * 9..<phase22 * 9 + 9])
                == [
                    odd.data[2 * 8 + 2], odd.data[2 * 8 + 5], 0, odd.data[5 * 8 + 2],
                    odd.data[5 * 8 + 5], 0, 0, 0, 0,
                ])
        #expect(dilationPhases(padded, 3, inverse: odd.shape).data == odd.data)
    }

    @Test(arguments: phaseCases) func forwardMatchesDirectConvolution(_ cfg: ConvCase) {
        let problem = forwardMismatch(cfg)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test(arguments: phaseCases) func backwardDataIsTheAdjoint(_ cfg: ConvCase) {
        let (expected, got) = adjointDots(cfg, seed: 8, "phases adjoint")
        #expect(abs(expected - got) <= 1e-4 * max(1, abs(expected)))
    }

    @Test(arguments: phaseCases) func backwardWeightMatchesDefinition(_ cfg: ConvCase) {
        let problem = weightGradientMismatch(cfg, seed: 10, "phases weight")
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test(arguments: [phaseCases[0], phaseCases[2]])
    func gradientsMatchFiniteDifferences(_ cfg: ConvCase) {
        let report = checkGradients(cfg.inputs(), eps: 1e-2, samples: 30) { cfg.apply($0) }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [phaseCases[0], phaseCases[2]])
    func sameBitsAtOneAndTwoThreads(_ cfg: ConvCase) {
        let results = passBitsAtOneAndTwoThreads(
            cfg, seed: 12, "phases threads", weightGradient: false)
        #expect(results[0] == results[1])
    }
}
