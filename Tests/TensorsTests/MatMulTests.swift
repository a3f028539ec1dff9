import TestSupport
import Testing

@testable import Tensors

@Suite struct MatMulTests {
    /// Naive triple loop over op(a) (m, k) and op(b) (k, n).
    static func reference(_ a: Tensor, _ ta: Bool, _ b: Tensor, _ tb: Bool) -> Tensor {
        let m = ta ? a.shape[1] : a.shape[0]
        let k = ta ? a.shape[0] : a.shape[1]
        let n = tb ? b.shape[0] : b.shape[1]
        var c = Tensor(zeros: [m, n])
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = 0
                for l in 0..<k {
                    let x = ta ? a.data[l * m + i] : a.data[i * k + l]
                    let y = tb ? b.data[j * k + l] : b.data[l * n + j]
                    s += Double(x) * Double(y)
                }
                c.data[i * n + j] = Float(s)
            }
        }
        return c
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulAllTransposes(_ ta: Bool, _ tb: Bool) {
        var random = RandomSource(seed: 7).split("matmul")
        let (m, k, n) = (3, 4, 5)
        let a = random.uniformTensor(ta ? [k, m] : [m, k], -1, 1)
        let b = random.uniformTensor(tb ? [n, k] : [k, n], -1, 1)
        let y = withoutGradient { matmul(Variable(a), Variable(b), transposeA: ta, transposeB: tb) }
            .value
        #expect(mismatch(y, Self.reference(a, ta, b, tb)) == nil)
        let report = checkGradients([a, b]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
        #expect(report.passed, "\(report)")
    }

    @Test func linearWithAndWithoutBias() {
        var random = RandomSource(seed: 8).split("linear")
        let x = random.uniformTensor([4, 6], -1, 1)
        let w = random.uniformTensor([3, 6], -1, 1)
        let b = random.uniformTensor([3], -1, 1)
        var expected = Self.reference(x, false, w, true)
        for r in 0..<4 { for o in 0..<3 { expected.data[r * 3 + o] += b.data[o] } }
        let y = withoutGradient { linear(Variable(x), Variable(w), Variable(b)) }.value
        #expect(mismatch(y, expected) == nil)
        #expect(checkGradients([x, w, b]) { linear($0[0], $0[1], $0[2]) }.passed)
        #expect(checkGradients([x, w]) { linear($0[0], $0[1], nil) }.passed)
        let x3 = random.uniformTensor([2, 3, 6], -1, 1)
        let report = checkGradients([x3, w, b]) { linear($0[0], $0[1], $0[2]) }
        #expect(report.passed, "\(report)")
    }
}

/// Goldens from make_matmul.py (matmul.h5): F.linear with and without bias, and a @ b with
/// either operand transposed (attributes transpose_a, transpose_b); gradients of
/// sum(y * grad_output).
@Suite struct MatMulGoldenTests {
    static let products = ["matmul_nn", "matmul_tn", "matmul_nt", "matmul_tt"]

    @Test func linearMatchesPyTorch() throws {
        // F.linear(x (4,6), w (3,6), b (3)) and F.linear(x (2,3,6), w (3,6))
        try Fixture.case("matmul.h5", "linear").expectMatches(["input", "weight", "bias"]) {
            linear($0[0], $0[1], $0[2])
        }
        try Fixture.case("matmul.h5", "linear_nobias").expectMatches(["input", "weight"]) {
            linear($0[0], $0[1], nil)
        }
    }

    @Test(arguments: products) func matmulMatchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("matmul.h5", name)
        let (ta, tb) = (try c.flag("transpose_a"), try c.flag("transpose_b"))
        try c.expectMatches(["a", "b"]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
    }

    @Test func everyCaseIsTested() throws {
        let names = Self.products + ["linear", "linear_nobias"]
        #expect(try Fixture.caseNames("matmul.h5") == names.sorted())
    }
}
