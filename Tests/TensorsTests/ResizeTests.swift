import TestSupport
import Testing

@testable import Tensors

@Suite struct ResizeTests {
    @Test func bilinearGradients() {
        let x = Sample.normal([2, 3, 5, 7], seed: 1)
        for (h, w) in [(11, 16), (3, 4), (5, 7), (1, 1)] {
            for alignCorners in [true, false] {
                let report = checkGradients([x]) {
                    resizeBilinear($0[0], height: h, width: w, alignCorners: alignCorners)
                }
                #expect(report.passed, "\(h)x\(w) alignCorners \(alignCorners): \(report)")
            }
        }
    }

    /// align_corners true keeps the four corners; a 1x1 input becomes a constant.
    @Test func bilinearCornersAndConstant() {
        let x = Sample.normal([1, 1, 4, 6], seed: 2)
        let y = resizeBilinear(Variable(x), height: 9, width: 13, alignCorners: true).value
        #expect(y.data[0] == x.data[0] && y.data[12] == x.data[5])
        #expect(y.data[8 * 13] == x.data[18] && y.data[9 * 13 - 1] == x.data[23])
        let one = Tensor(shape: [1, 1, 1, 1], data: [2.5])
        for alignCorners in [true, false] {
            let c = resizeBilinear(Variable(one), height: 3, width: 4, alignCorners: alignCorners)
                .value
            #expect(c.data == [Float](repeating: 2.5, count: 12))
        }
    }

    /// align_corners false, 2x upsampling: output 1 reads input 0.25 of the way from 0 to 1.
    @Test func bilinearHalfPixel() {
        let x = Tensor(shape: [1, 1, 1, 2], data: [0, 4])
        let y = resizeBilinear(Variable(x), height: 1, width: 4, alignCorners: false).value
        #expect(y.data == [0, 1, 3, 4])
    }

    /// PyTorch's legacy nearest rule: 16 -> 4 picks 0, 4, 8, 12 (top-left of each block).
    @Test func nearestIndices() {
        #expect(nearestSources(input: 16, output: 4) == [0, 4, 8, 12])
        #expect(nearestSources(input: 4, output: 8) == [0, 0, 1, 1, 2, 2, 3, 3])
        #expect(nearestSources(input: 5, output: 11) == [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
        let x = Sample.normal([2, 3, 5, 7], seed: 3)
        let report = checkGradients([x]) { resizeNearest($0[0], height: 11, width: 3) }
        #expect(report.passed, "\(report)")
    }
}

/// Goldens from make_resize.py (resize.h5): F.interpolate(x, size, mode="bilinear",
/// align_corners=True ("_ac") / False ("_hp")) and mode="nearest": upsampling, downsampling,
/// same size, mixed, from and to 1x1; gradients of sum(y * grad_output).
@Suite struct ResizeGoldenTests {
    static let bilinear = ["up", "down", "same", "mixed", "from1x1", "to1x1"].flatMap {
        ["bilinear_\($0)_ac", "bilinear_\($0)_hp"]
    }
    static let nearest = ["up", "down", "x2", "spade"].map { "nearest_\($0)" }

    @Test(arguments: bilinear) func bilinearMatchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("resize.h5", name)
        let size = try c.ints("size")
        let alignCorners = try c.flag("align_corners")
        try c.expectMatches(["x"], atol: 1e-6, rtol: 1e-5) {
            resizeBilinear($0[0], height: size[0], width: size[1], alignCorners: alignCorners)
        }
    }

    @Test(arguments: nearest) func nearestMatchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("resize.h5", name)
        let size = try c.ints("size")
        try c.expectMatches(["x"], atol: 0, rtol: 0, gradAtol: 1e-5, gradRtol: 1e-4) {
            resizeNearest($0[0], height: size[0], width: size[1])
        }
    }

    @Test func everyCaseIsTested() throws {
        #expect(try Fixture.caseNames("resize.h5") == (Self.bilinear + Self.nearest).sorted())
    }
}
