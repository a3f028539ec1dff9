@testable import Tensors

/// Seeded input tensors for the Tensors tests (independent of the ops under test).
enum Sample {
    /// A reproducible N(mean, std²) tensor.
    static func normal(_ shape: [Int], seed: UInt64, mean: Float = 0, std: Float = 1) -> Tensor {
        var r = RandomSource(seed: seed).split("sample")
        return r.normalTensor(shape, mean: mean, std: std)
    }

    /// The bit patterns of a tensor's elements, for bitwise comparisons.
    static func bits(_ t: Tensor) -> [UInt32] { t.data.map(\.bitPattern) }
}
