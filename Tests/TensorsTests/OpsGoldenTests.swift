import TestSupport
import Testing

@testable import Tensors

/// Forward values and input gradients against PyTorch (Tests/Fixtures/scripts/make_ops_b.py).
///
/// For each case the script draws the inputs, runs the PyTorch expression shown beside the case
/// below, draws a standard-normal upstream gradient `grad_out` and back-propagates
/// sum(out * grad_out); we do the same and compare `out` and every `grad_in<i>`.
@Suite struct OpsGoldenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let inputs: Int
        let op: @Sendable ([Variable]) -> Variable
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "add_same", inputs: 2) { $0[0] + $0[1] },  // torch.add, (2,3,4,5) + (2,3,4,5)
        Case(name: "add_channel", inputs: 2) { $0[0] + $0[1] },  // (2,3,4,5) + (1,3,1,1)
        Case(name: "add_bias", inputs: 2) { $0[0] + $0[1] },  // (4,6) + (6)
        Case(name: "sub_sample_channel", inputs: 2) { $0[0] - $0[1] },  // (2,3,4,5) - (2,3,1,1)
        Case(name: "sub_left_channel", inputs: 2) { $0[0] - $0[1] },  // (1,3,1,1) - (2,3,4,5)
        Case(name: "mul_channel", inputs: 2) { $0[0] * $0[1] },  // (2,3,4,5) * (1,3,1,1)
        Case(name: "mul_left_sample_channel", inputs: 2) { $0[0] * $0[1] },  // (N,C,1,1) * x
        Case(name: "mul_outer", inputs: 2) { $0[0] * $0[1] },  // (4,1) * (1,6)
        Case(name: "div_channel", inputs: 2) { $0[0] / $0[1] },  // torch.div, (2,3,4,5) / (1,3,1,1)
        Case(name: "mul_scalar", inputs: 1) { $0[0] * 2.5 },  // x * 2.5
        Case(name: "add_scalar", inputs: 1) { $0[0] + 0.75 },  // x + 0.75
        Case(name: "concat", inputs: 3) { concatChannels($0) },  // torch.cat([a, b, c], dim=1)
        Case(name: "flip", inputs: 1) { flipWidth($0[0]) },  // torch.flip(x, dims=[-1])
        Case(name: "crop", inputs: 1) { crop($0[0], rows: 1..<4, cols: 2..<6) },  // x[:,:,1:4,2:6]
        Case(name: "transpose", inputs: 1) { transpose($0[0]) },  // x.t()
        Case(name: "linear", inputs: 3) { linear($0[0], $0[1], $0[2]) },  // F.linear(x, w, b)
        Case(name: "linear_nobias", inputs: 2) { linear($0[0], $0[1], nil) },  // x (2,3,6)
        Case(name: "matmul_nn", inputs: 2) { matmul($0[0], $0[1]) },  // a @ b
        Case(name: "matmul_tn", inputs: 2) { matmul($0[0], $0[1], transposeA: true) },  // a.t() @ b
        Case(name: "matmul_nt", inputs: 2) { matmul($0[0], $0[1], transposeB: true) },  // a @ b.t()
        Case(name: "matmul_tt", inputs: 2) {
            matmul($0[0], $0[1], transposeA: true, transposeB: true)
        },
        Case(name: "softmax", inputs: 1) { softmax($0[0]) },  // F.softmax(x, dim=1)
        Case(name: "log_softmax", inputs: 1) { logSoftmax($0[0]) },  // F.log_softmax(x, dim=1)
        Case(name: "exp", inputs: 1) { exp($0[0]) },  // torch.exp
        Case(name: "log", inputs: 1) { log($0[0]) },  // torch.log on U(0.2, 2)
        Case(name: "l1", inputs: 2) { l1Loss($0[0], $0[1]) },  // F.l1_loss
        Case(name: "l2_normalize", inputs: 1) { l2Normalize($0[0]) },  // F.normalize, a zero pixel
        Case(name: "sum", inputs: 1) { sum($0[0]) },  // torch.sum
        Case(name: "mean", inputs: 1) { mean($0[0]) },  // torch.mean
    ]

    @Test(arguments: cases) func matchesPyTorch(_ c: Case) throws {
        let f = try Fixture.open("ops_b.h5")
        let inputs = try (0..<c.inputs).map { try f.tensor("\(c.name)/in\($0)") }
        try compare(c.name, inputs, read: f.tensor, c.op)
    }

    /// F.cross_entropy(x (2,6,7,9), labels, ignore_index=255), a quarter of the labels ignored.
    @Test func crossEntropyMatchesPyTorch() throws {
        let f = try Fixture.open("ops_b.h5")
        let labels = try f.labels("cross_entropy/labels")
        try compare("cross_entropy", [try f.tensor("cross_entropy/in0")], read: f.tensor) {
            crossEntropy($0[0], labels)
        }
    }

    func compare(
        _ name: String, _ inputs: [Tensor], read: (String, [Int]?) throws -> Tensor,
        _ op: ([Variable]) -> Variable
    ) throws {
        let expected = try read("\(name)/out", nil)
        let upstream = try read("\(name)/grad_out", nil)
        var out = Tensor(zeros: [])
        let (_, grads) = valueAndGradient(at: inputs) { xs in
            let y = op(xs)
            out = y.value
            return sum(y * Variable(upstream))
        }
        #expect(mismatch(out, expected) == nil, "\(name) out: \(mismatch(out, expected) ?? "")")
        for (i, g) in grads.enumerated() {
            let want = try read("\(name)/grad_in\(i)", nil)
            #expect(mismatch(g, want) == nil, "\(name) grad_in\(i): \(mismatch(g, want) ?? "")")
        }
    }
}
