import NN
import Tensors

/// The ResNet bottleneck block, v1.5 layout (stride on the 3x3 conv), as in torchvision's
/// `Bottleneck` and CAC's `models/modeling/backbone/resnet.py`:
/// 1x1 -> BN -> ReLU -> 3x3 (stride, dilation, padding = dilation) -> BN -> ReLU ->
/// 1x1 to 4 * planes -> BN, plus the shortcut (identity, or 1x1 conv with the stride + BN), ReLU.
///
/// Keys: `conv1`, `bn1`, `conv2`, `bn2`, `conv3`, `bn3`, `downsample.0` (conv),
/// `downsample.1` (BN).
public struct Bottleneck: Sendable {
    /// Output channels per input `planes` (PyTorch's `Bottleneck.expansion`).
    public static let expansion = 4

    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    public let conv3: Conv2d
    public let bn3: BatchNorm2d
    /// The projection shortcut, present when the stride or the channel count changes.
    public let downsample: (conv: Conv2d, bn: BatchNorm2d)?

    /// Registers the block at `scope` (e.g. `backbone / "layer1" / 0`); convs are initialised
    /// Kaiming-normal fan-out, batch norms to weight 1, bias 0 (torchvision's init).
    public init(
        inChannels: Int, planes: Int, stride: Int = 1, dilation: Int = 1, at scope: Scope,
        random: inout RandomSource
    ) {
        let out = planes * Self.expansion
        conv1 = Conv2d(fanOut: inChannels, planes, kernel: 1, at: scope / "conv1", random: &random)
        bn1 = BatchNorm2d(planes, at: scope / "bn1")
        conv2 = Conv2d(
            fanOut: planes, planes, kernel: 3, stride: stride, padding: dilation,
            dilation: dilation, at: scope / "conv2", random: &random)
        bn2 = BatchNorm2d(planes, at: scope / "bn2")
        conv3 = Conv2d(fanOut: planes, out, kernel: 1, at: scope / "conv3", random: &random)
        bn3 = BatchNorm2d(out, at: scope / "bn3")
        if stride != 1 || inChannels != out {
            let s = scope / "downsample"
            downsample = (
                Conv2d(
                    fanOut: inChannels, out, kernel: 1, stride: stride, at: s / 0, random: &random),
                BatchNorm2d(out, at: s / 1)
            )
        } else {
            downsample = nil
        }
    }

    /// x (N, C, H, W) -> (N, 4 * planes, H / stride, W / stride).
    public func callAsFunction(_ x: Variable, mode: Mode) -> Variable {
        var out = relu(bn1(conv1(x), mode: mode))
        out = relu(bn2(conv2(out), mode: mode))
        out = bn3(conv3(out), mode: mode)
        let shortcut = downsample.map { $0.bn($0.conv(x), mode: mode) } ?? x
        return relu(out + shortcut)
    }
}
