import NN
import Tensors

/// Shape of a bottleneck ResNet backbone as used by DeepLabv3+ (CAC's `ResNet`).
public struct ResNetConfig: Sendable, Equatable, Codable {
    /// Bottlenecks per stage (layer1...layer4). ResNet-50: [3, 4, 6, 3]. layer4 is the
    /// multi-grid unit and takes the first `blocks[3]` of the grid (1, 2, 4).
    public var blocks: [Int]
    /// 16 (CAC) or 8: the input-to-layer4 downsampling, reached by dilation instead of stride.
    public var outputStride: Int
    /// Divides the base width 64 (1 = ResNet-50; 8 or 16 for smoke and test models).
    public var widthDivisor: Int

    public init(blocks: [Int] = [3, 4, 6, 3], outputStride: Int = 16, widthDivisor: Int = 1) {
        precondition(
            blocks.count == 4 && blocks.allSatisfy { $0 >= 1 } && blocks[3] <= 3,
            "ResNetConfig: blocks \(blocks) must be 4 counts >= 1 with layer4 <= 3 (multi-grid)")
        precondition(
            outputStride == 16 || outputStride == 8,
            "ResNetConfig: output stride \(outputStride) must be 16 or 8")
        precondition(
            widthDivisor >= 1 && 64 % widthDivisor == 0,
            "ResNetConfig: width divisor \(widthDivisor) must divide 64")
        self.blocks = blocks
        self.outputStride = outputStride
        self.widthDivisor = widthDivisor
    }

    /// ResNet-50 at output stride 16, CAC's backbone.
    public static let resnet50 = ResNetConfig()

    /// The multi-grid of DeepLabv3's layer4 (CAC's `blocks = [1, 2, 4]`).
    public static let multiGrid = [1, 2, 4]

    /// Channels of the stem (64 / widthDivisor).
    public var baseWidth: Int { 64 / widthDivisor }
    /// Channels of layer1's output: the decoder's low-level features (stride 4).
    public var lowLevelChannels: Int { baseWidth * Bottleneck.expansion }
    /// Channels of layer4's output (2048 for ResNet-50).
    public var outChannels: Int { 8 * baseWidth * Bottleneck.expansion }

    /// Stride of the first block of each stage: OS16 [1, 2, 2, 1], OS8 [1, 2, 1, 1].
    public var strides: [Int] { outputStride == 16 ? [1, 2, 2, 1] : [1, 2, 1, 1] }

    /// Dilation of every block of each stage: OS16 layer4 (2, 4, 8); OS8 layer3 2 and
    /// layer4 (4, 8, 16). Every block of a dilated stage is dilated, the first included (CAC's
    /// `_make_layer`; torchvision's `replace_stride_with_dilation` differs there).
    public var dilations: [[Int]] {
        let base = outputStride == 16 ? [1, 1, 1, 2] : [1, 1, 2, 4]
        return (0..<4).map { stage in
            stage == 3
                ? Self.multiGrid.prefix(blocks[3]).map { $0 * base[3] }
                : Array(repeating: base[stage], count: blocks[stage])
        }
    }
}

/// A torchvision-layout bottleneck ResNet without the classifier, dilated to output stride 16
/// or 8 (CAC's `models/modeling/backbone/resnet.py`, DeepLabv3 multi-grid layer4).
///
/// Keys are torchvision's: `conv1`, `bn1`, `layer1.0.conv1`, ..., `layer4.0.downsample.1`.
/// There are no pretrained weights here (nothing can be downloaded): the backbone starts from
/// torchvision's own init, Kaiming-normal fan-out convs and batch norms 1 / 0. ImageNet weights
/// converted to HDF5 load by key.
public struct ResNet: Sendable {
    public let config: ResNetConfig
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    /// layer1...layer4, each a list of bottlenecks.
    public let layers: [[Bottleneck]]

    /// Registers the backbone at `scope` (e.g. `root / "encoder" / "backbone"`).
    public init(_ config: ResNetConfig, at scope: Scope, random: inout RandomSource) {
        self.config = config
        let width = config.baseWidth
        conv1 = Conv2d(
            fanOut: 3, width, kernel: 7, stride: 2, padding: 3, at: scope / "conv1",
            random: &random)
        bn1 = BatchNorm2d(width, at: scope / "bn1")
        var inChannels = width
        var layers: [[Bottleneck]] = []
        for stage in 0..<4 {
            let planes = width << stage
            let stageScope = scope / "layer\(stage + 1)"
            var blocks: [Bottleneck] = []
            for (i, dilation) in config.dilations[stage].enumerated() {
                blocks.append(
                    Bottleneck(
                        inChannels: inChannels, planes: planes,
                        stride: i == 0 ? config.strides[stage] : 1, dilation: dilation,
                        at: stageScope / i, random: &random))
                inChannels = planes * Bottleneck.expansion
            }
            layers.append(blocks)
        }
        self.layers = layers
    }

    /// x (N, 3, H, W) -> (output (N, outChannels, H / OS, W / OS), lowLevel (N,
    /// lowLevelChannels, H / 4, W / 4)); sizes round up as PyTorch's strided convs do.
    public func callAsFunction(
        _ x: Variable, mode: Mode
    ) -> (output: Variable, lowLevel: Variable) {
        let lowLevel = stage(0, stem(x, mode: mode), mode: mode)
        var h = lowLevel
        for i in 1..<layers.count { h = stage(i, h, mode: mode) }
        return (h, lowLevel)
    }

    /// conv1 -> bn1 -> ReLU -> max pool 3x3/2 pad 1: (N, 3, H, W) -> (N, baseWidth, H/4, W/4).
    public func stem(_ x: Variable, mode: Mode) -> Variable {
        precondition(
            x.shape.count == 4 && x.shape[1] == 3, "ResNet: input \(x.shape) must be (N, 3, H, W)")
        return maxPool2d(relu(bn1(conv1(x), mode: mode)), kernel: 3, stride: 2, padding: 1)
    }

    /// The blocks of layer`index + 1`.
    public func stage(_ index: Int, _ x: Variable, mode: Mode) -> Variable {
        layers[index].reduce(x) { h, block in block(h, mode: mode) }
    }
}
