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
