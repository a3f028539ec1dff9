import TestSupport

@testable import Tensors

/// Helpers shared by the ops-a test suites (independent of the other ops, so each suite tests
/// one op only).
enum OpsA {
    /// The scalar Σ y ⊙ g as a recorded op: its gradient with respect to y is g, the upstream
    /// gradient of the PyTorch fixtures.
    static func contract(_ y: Variable, _ g: Tensor) -> Variable {
        precondition(y.shape == g.shape, "contract: \(y.shape) vs \(g.shape)")
        var total: Double = 0
        for i in 0..<g.count { total += Double(y.value.data[i]) * Double(g.data[i]) }
        return Variable.record(Tensor(scalar: Float(total)), inputs: [y]) { s, _ in
            [Tensor(shape: g.shape, data: g.data.map { $0 * s.data[0] })]
        }
    }

    /// A reproducible N(mean, std²) tensor.
    static func normal(_ shape: [Int], seed: UInt64, mean: Float = 0, std: Float = 1) -> Tensor {
        var r = RandomSource(seed: seed).split("ops-a")
        return r.normalTensor(shape, mean: mean, std: std)
    }

    /// The bit patterns of a tensor's elements, for bitwise comparisons.
    static func bits(_ t: Tensor) -> [UInt32] { t.data.map(\.bitPattern) }
}

extension OpsA {
    /// The PyTorch goldens written by Tests/Fixtures/scripts/make_ops_a.py.
    static func golden(_ group: String) throws -> (String) throws -> Tensor {
        let file = try Fixture.open("ops_a.h5")
        return { name in try file.tensor("\(group)/\(name)") }
    }

    /// Output and input gradients of `op` for the fixture group's x and upstream g.
    static func run(_ group: String, _ op: (Variable) -> Variable) throws -> (
        y: Tensor, dx: Tensor, golden: (String) throws -> Tensor
    ) {
        let t = try golden(group)
        let x = try t("x")
        let g = try t("g")
        var y = Tensor(zeros: [0])
        let (_, grads) = valueAndGradient(at: [x]) { v in
            let out = op(v[0])
            y = out.value
            return contract(out, g)
        }
        return (y, grads[0], t)
    }
}
