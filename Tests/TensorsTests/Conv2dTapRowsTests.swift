import Testing
import TestSupport
@testable import Tensors

/// Dilated convolutions whose outer kernel rows read mostly padding: ASPP-like rates on small
/// images, one where only the middle kernel row ever reads the image, an output size that is
/// not the input size, with and without bias.
let tapRowCases: [ConvCase] = [
    ConvCase(n: 2, c: 8, h: 8, w: 12, k: 6, kh: 3, kw: 3, padding: 6, dilation: 6),
    ConvCase(n: 1, c: 5, h: 6, w: 10, k: 4, kh: 3, kw: 3, padding: 4, dilation: 4, bias: false),
    ConvCase(n: 2, c: 3, h: 5, w: 7, k: 4, kh: 3, kw: 3, padding: 9, dilation: 9),
    ConvCase(n: 2, c: 4, h: 7, w: 9, k: 3, kh: 3, kw: 3, padding: 2, dilation: 3),
]

@Suite struct Conv2dTapRowsTests {
    /// DeepLab's ASPP on 16x32 features (output stride 16): the groups of output rows by the
    /// kernel rows inside the 16 input rows.
    @Test func groupsTheAsppRows() {
        func groups(_ rate: Int) -> [TapRowGroup] {
            tapRowGroups(
                Conv2dGeometry(
                    input: [2, 2048, 16, 32], weight: [256, 2048, 3, 3], stride: 1,
                    padding: rate, dilation: rate))
        }
        #expect(groups(18) == [TapRowGroup(rows: 0..<16, taps: 1..<2)])
        #expect(
            groups(12) == [
                TapRowGroup(rows: 0..<4, taps: 1..<3), TapRowGroup(rows: 4..<12, taps: 1..<2),
                TapRowGroup(rows: 12..<16, taps: 0..<2),
            ])
        #expect(
            groups(6) == [
                TapRowGroup(rows: 0..<6, taps: 1..<3), TapRowGroup(rows: 6..<10, taps: 0..<3),
                TapRowGroup(rows: 10..<16, taps: 0..<2),
            ])
    }

    @Test func takesOnlyDilatedConvolutionsThatSaveATenth() {
        #expect(tapRowCases.allSatisfy { skipsPaddingTaps($0.geometry) })
        let others = [
            ConvCase(c: 4, h: 8, w: 8, k: 4, kh: 3, kw: 3, padding: 1),  // not dilated
            ConvCase(c: 4, h: 32, w: 32, k: 4, kh: 3, kw: 3, padding: 2, dilation: 2),  // 4% saved
            ConvCase(c: 4, h: 9, w: 9, k: 4, kh: 3, kw: 3, stride: 2, padding: 4, dilation: 4),
            ConvCase(c: 4, h: 9, w: 9, k: 4, kh: 1, kw: 1, padding: 0, dilation: 2),
        ]
        #expect(others.allSatisfy { !skipsPaddingTaps($0.geometry) })
    }

    @Test(arguments: tapRowCases) func forwardMatchesDirectConvolution(_ cfg: ConvCase) {
        let problem = forwardMismatch(cfg)
        #expect(problem == nil, "\(problem ?? "")")
    }

    /// Backward-data of a stride-1 dilated convolution is a forward one on the tap-row kernels
    /// (the adjoint identity with the definition).
    @Test(arguments: tapRowCases) func backwardDataIsTheAdjoint(_ cfg: ConvCase) {
        let (expected, got) = adjointDots(cfg, seed: 5, "tap rows adjoint")
        #expect(abs(expected - got) <= 1e-4 * max(1, abs(expected)))
    }

    @Test(arguments: tapRowCases) func backwardWeightMatchesDefinition(_ cfg: ConvCase) {
        let problem = weightGradientMismatch(cfg, seed: 6, "tap rows weight")
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test(arguments: tapRowCases.prefix(2)) func gradientsMatchFiniteDifferences(_ cfg: ConvCase) {
        let report = checkGradients(cfg.inputs(), eps: 1e-2, samples: 30) { cfg.apply($0) }
        #expect(report.passed, "\(report)")
    }

    /// The forward (workers take whole tiles) and the weight gradient (fixed order) give the
    /// same bits at 1 and at 2 threads.
    @Test func sameBitsAtOneAndTwoThreads() {
        let results = passBitsAtOneAndTwoThreads(
            tapRowCases[0], seed: 7, "tap rows threads", weightGradient: true)
        #expect(results[0] == results[1])
    }
}
