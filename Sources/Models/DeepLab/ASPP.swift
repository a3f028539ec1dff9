import NN
import Tensors

/// One ASPP branch (CAC's `_ASPPModule`): conv (1x1, or 3x3 with dilation = padding = rate),
/// no bias -> BN -> ReLU. Keys `atrous_conv`, `bn`.
public struct ASPPBranch: Sendable {
    public let atrousConv: Conv2d
    public let bn: BatchNorm2d

    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, rate: Int, at scope: Scope,
        random: inout RandomSource
    ) {
        atrousConv = Conv2d(
            inChannels, outChannels, kernel: kernel, padding: kernel == 1 ? 0 : rate,
            dilation: rate, bias: false, at: scope / "atrous_conv", random: &random)
        bn = BatchNorm2d(outChannels, at: scope / "bn")
    }

    public func callAsFunction(_ x: Variable, mode: Mode) -> Variable {
        relu(bn(atrousConv(x), mode: mode))
    }
}

/// Atrous spatial pyramid pooling of DeepLabv3 (CAC's `models/modeling/aspp.py`): a 1x1 branch,
/// three 3x3 branches at rates 6/12/18 (output stride 16) or 12/24/36 (8), and image pooling
/// (global average -> 1x1 conv -> BN -> ReLU -> bilinear, align_corners=True, to the map size);
/// the 5 branches are concatenated and projected by 1x1 conv -> BN -> ReLU -> Dropout.
///
/// Keys: `aspp1`...`aspp4`, `global_avg_pool.1` (conv; index 0 is the pooling),
/// `global_avg_pool.2` (BN), `conv1`, `bn1`. Convs are Kaiming-normal fan-in, BN 1 / 0.
public struct ASPP: Sendable {
    /// aspp1 (1x1) and aspp2...aspp4 (dilated 3x3).
    public let branches: [ASPPBranch]
    public let poolConv: Conv2d
    public let poolBN: BatchNorm2d
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    /// Dropout probability after the projection (CAC: 0.5).
    public let dropout: Float

    /// The dilation rates of the three 3x3 branches for an output stride of 16 or 8.
    public static func rates(outputStride: Int) -> [Int] {
        precondition(outputStride == 16 || outputStride == 8, "ASPP: output stride \(outputStride)")
        return outputStride == 16 ? [6, 12, 18] : [12, 24, 36]
    }

    public init(
        inChannels: Int, channels: Int, outputStride: Int, dropout: Float, at scope: Scope,
        random: inout RandomSource
    ) {
        let rates = [1] + Self.rates(outputStride: outputStride)
        branches = rates.enumerated().map { i, rate in
            ASPPBranch(
                inChannels, channels, kernel: i == 0 ? 1 : 3, rate: rate,
                at: scope / "aspp\(i + 1)", random: &random)
        }
        let pool = scope / "global_avg_pool"
        poolConv = Conv2d(
            inChannels, channels, kernel: 1, bias: false, at: pool / 1, random: &random)
        poolBN = BatchNorm2d(channels, at: pool / 2)
        conv1 = Conv2d(
            5 * channels, channels, kernel: 1, bias: false, at: scope / "conv1", random: &random)
        bn1 = BatchNorm2d(channels, at: scope / "bn1")
        self.dropout = dropout
    }

    /// x (N, C, h, w) -> (N, channels, h, w). Training mode needs N >= 2: the image-pooling
    /// batch norm sees one value per image and channel.
    public func callAsFunction(_ x: Variable, mode: Mode, random: inout RandomSource) -> Variable {
        let (h, w) = (x.shape[2], x.shape[3])
        var outs = branches.map { $0(x, mode: mode) }
        let pooled = relu(poolBN(poolConv(globalAvgPool2d(x)), mode: mode))
        outs.append(resizeBilinear(pooled, height: h, width: w, alignCorners: true))
        let y = relu(bn1(conv1(concatChannels(outs)), mode: mode))
        return Tensors.dropout(y, p: dropout, mode: mode, random: &random)
    }
}
