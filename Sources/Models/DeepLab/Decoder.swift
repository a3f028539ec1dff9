import NN
import Tensors

/// The DeepLabv3+ decoder (CAC's `models/modeling/decoder.py`, final 1x1 conv moved to the
/// classifier): low-level features 1x1 conv -> BN -> ReLU; ASPP output upsampled (bilinear,
/// align_corners=True) to their size; concat [ASPP, low-level]; 3x3 conv -> BN -> ReLU ->
/// Dropout -> 3x3 conv -> BN -> ReLU.
///
/// Keys: `conv1`, `bn1`, `last_conv.0` (conv), `last_conv.1` (BN), `last_conv.4` (conv),
/// `last_conv.5` (BN); indices 2, 3, 6 are ReLU / Dropout / ReLU.
public struct Decoder: Sendable {
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let lastConv0: Conv2d
    public let lastBN1: BatchNorm2d
    public let lastConv4: Conv2d
    public let lastBN5: BatchNorm2d
    /// Dropout probability between the two 3x3 convs (CAC: 0.5).
    public let dropout: Float

    /// `channels` in and out (256 in CAC), low-level features `lowLevelChannels` (256) reduced
    /// to `reducedChannels` (48). Convs are Kaiming-normal fan-in, BN 1 / 0.
    public init(
        channels: Int, lowLevelChannels: Int, reducedChannels: Int, dropout: Float, at scope: Scope,
        random: inout RandomSource
    ) {
        conv1 = Conv2d(
            lowLevelChannels, reducedChannels, kernel: 1, bias: false, at: scope / "conv1",
            random: &random)
        bn1 = BatchNorm2d(reducedChannels, at: scope / "bn1")
        let last = scope / "last_conv"
        lastConv0 = Conv2d(
            channels + reducedChannels, channels, kernel: 3, padding: 1, bias: false, at: last / 0,
            random: &random)
        lastBN1 = BatchNorm2d(channels, at: last / 1)
        lastConv4 = Conv2d(
            channels, channels, kernel: 3, padding: 1, bias: false, at: last / 4, random: &random)
        lastBN5 = BatchNorm2d(channels, at: last / 5)
        self.dropout = dropout
    }

    /// x (N, channels, h, w), lowLevel (N, lowLevelChannels, H4, W4) -> (N, channels, H4, W4).
    public func callAsFunction(
        _ x: Variable, lowLevel: Variable, mode: Mode, random: inout RandomSource
    ) -> Variable {
        let low = relu(bn1(conv1(lowLevel), mode: mode))
        let up = resizeBilinear(x, height: low.shape[2], width: low.shape[3], alignCorners: true)
        var y = relu(lastBN1(lastConv0(concatChannels([up, low])), mode: mode))
        y = Tensors.dropout(y, p: dropout, mode: mode, random: &random)
        return relu(lastBN5(lastConv4(y), mode: mode))
    }
}
