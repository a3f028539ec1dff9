import NN
import Tensors

/// A per-domain classifier (CAC's `classifier = Sequential(Dropout(0.1), Conv2d(256, K, 1))`):
/// key `1` is the 1x1 conv with bias (index 0 is the dropout). The weight is Kaiming-normal
/// fan-in, the bias PyTorch's default U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
public struct ClassifierHead: Sendable {
    public let conv: Conv2d
    /// Dropout probability before the conv (CAC: 0.1).
    public let dropout: Float

    public init(
        inChannels: Int, classes: Int, dropout: Float, at scope: Scope, random: inout RandomSource
    ) {
        conv = Conv2d(inChannels, classes, kernel: 1, bias: true, at: scope / 1, random: &random)
        self.dropout = dropout
    }

    /// features (N, C, h, w) -> logits (N, classes, h, w).
    public func callAsFunction(
        _ features: Variable, mode: Mode, random: inout RandomSource
    ) -> Variable {
        conv(Tensors.dropout(features, p: dropout, mode: mode, random: &random))
    }
}

/// CAC's projector (`project = Sequential(Conv2d(256, 256, 1), ReLU, Conv2d(256, 128, 1))`):
/// keys `0` and `2`, both with bias, PyTorch's default conv init.
public struct Projector: Sendable {
    public let conv0: Conv2d
    public let conv2: Conv2d

    public init(inChannels: Int, outChannels: Int, at scope: Scope, random: inout RandomSource) {
        conv0 = Conv2d(
            inChannels, inChannels, kernel: 1, bias: true, defaultInit: true, at: scope / 0,
            random: &random)
        conv2 = Conv2d(
            inChannels, outChannels, kernel: 1, bias: true, defaultInit: true, at: scope / 2,
            random: &random)
    }

    /// features (N, C, h, w) -> (N, outChannels, h, w); not normalised (CAC normalises after).
    public func callAsFunction(_ features: Variable) -> Variable {
        conv2(relu(conv0(features)))
    }
}
