import TestSupport
import Testing

@testable import Tensors

@Suite struct ShapeTests {
    static func input(_ shape: [Int]) -> Tensor {
        var random = RandomSource(seed: 2).split("shape")
        return random.uniformTensor(shape, -1, 1)
    }

    @Test func reshapeInfersOneExtent() {
        let x = Self.input([2, 3, 4])
        let y = withoutGradient { reshape(Variable(x), [6, -1]) }
        #expect(y.shape == [6, 4])
        #expect(y.value.data == x.data)
        #expect(checkGradients([x]) { reshape($0[0], [4, 6]) }.passed)
    }

    @Test func flipWidthReversesRows() {
        let x = Tensor(shape: [1, 1, 2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(withoutGradient { flipWidth(Variable(x)) }.value.data == [3, 2, 1, 6, 5, 4])
        let report = checkGradients([Self.input([2, 3, 4, 5])]) { flipWidth($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test func cropTakesTheWindow() {
        let x = Tensor(shape: [1, 1, 3, 4], data: (0..<12).map(Float.init))
        let y = withoutGradient { crop(Variable(x), rows: 1..<3, cols: 1..<3) }
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.value.data == [5, 6, 9, 10])
        let report = checkGradients([Self.input([2, 3, 5, 6])]) {
            crop($0[0], rows: 1..<4, cols: 2..<6)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func transposeSwapsAxes() {
        let x = Self.input([37, 45])
        let y = withoutGradient { transpose(Variable(x)) }.value
        #expect(y.shape == [45, 37])
        #expect(y.data[3 * 37 + 7] == x.data[7 * 45 + 3])
        let report = checkGradients([Self.input([5, 7])]) { transpose($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test func concatChannelsJoinsAndSplits() {
        var random = RandomSource(seed: 3).split("concat")
        let xs = [[2, 3, 4, 5], [2, 1, 4, 5], [2, 2, 4, 5]].map { random.uniformTensor($0, -1, 1) }
        let y = withoutGradient { concatChannels(xs.map { Variable($0) }) }.value
        #expect(y.shape == [2, 6, 4, 5])
        #expect(y.data[(1 * 6 + 3) * 20 + 7] == xs[1].data[(1 * 1 + 0) * 20 + 7])
        #expect(y.data[(1 * 6 + 5) * 20 + 19] == xs[2].data[(1 * 2 + 1) * 20 + 19])
        let report = checkGradients(xs) { concatChannels($0) }
        #expect(report.passed, "\(report)")
    }
}

/// Goldens from make_shape.py (shape.h5); gradients of sum(y * grad_output).
@Suite struct ShapeGoldenTests {
    @Test func concatMatchesPyTorch() throws {
        // torch.cat([a (2,3,4,5), b (2,1,4,5), c (2,2,4,5)], dim=1)
        try Fixture.case("shape.h5", "concat").expectMatches(["a", "b", "c"]) {
            concatChannels($0)
        }
    }

    @Test func flipCropTransposeMatchPyTorch() throws {
        // torch.flip(x, dims=[-1])
        try Fixture.case("shape.h5", "flip").expectMatches(["x"]) { flipWidth($0[0]) }
        let c = try Fixture.case("shape.h5", "crop")  // x[:, :, 1:4, 2:6]
        let (rows, cols) = (try c.ints("rows"), try c.ints("cols"))
        try c.expectMatches(["x"]) {
            crop($0[0], rows: rows[0]..<rows[1], cols: cols[0]..<cols[1])
        }
        // x.t() of a 5x7 matrix
        try Fixture.case("shape.h5", "transpose").expectMatches(["x"]) { transpose($0[0]) }
    }

    @Test func everyCaseIsTested() throws {
        #expect(try Fixture.caseNames("shape.h5") == ["concat", "crop", "flip", "transpose"])
    }
}
