import Tensors

/// A fully connected layer (PyTorch `nn.Linear`): keys `weight` (out, in) and `bias` (out).
public struct Linear: Sendable {
    public let weight: Parameter
    public let bias: Parameter?

    /// Registers `weight` (and `bias`) at `scope` with PyTorch's default init: both
    /// U(-1/sqrt(in), 1/sqrt(in)), weight drawn first.
    public init(
        _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, at scope: Scope,
        random: inout RandomSource
    ) {
        self.weight = scope.parameter(
            "weight",
            Init.defaultUniform([outFeatures, inFeatures], fanIn: inFeatures, random: &random))
        self.bias =
            bias
            ? scope.parameter(
                "bias", Init.defaultUniform([outFeatures], fanIn: inFeatures, random: &random))
            : nil
    }

    /// x (..., in) -> (..., out).
    public func callAsFunction(_ x: Variable) -> Variable {
        linear(x, Variable(weight), bias.map { Variable($0) })
    }
}
