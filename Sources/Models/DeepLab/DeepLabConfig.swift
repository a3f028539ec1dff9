import Tensors

/// Shape of a multi-domain DeepLabv3+ (CAC's model body): backbone, heads, projector, dropout.
public struct DeepLabConfig: Sendable, Equatable, Codable {
    /// The ResNet backbone; its width divisor also divides the head widths below.
    public var backbone: ResNetConfig
    /// Classes per domain, one classifier head each.
    public var classes: [Int]
    /// Whether the CAC projector is built (semi-supervised training uses it).
    public var projector: Bool
    /// Dropout probabilities: after the ASPP projection (0.5), between the decoder's 3x3 convs
    /// (0.5), before each classifier conv (0.1), as in CAC.
    public var asppDropout: Float
    public var decoderDropout: Float
    public var classifierDropout: Float

    public init(
        backbone: ResNetConfig = .resnet50, classes: [Int], projector: Bool = true,
        asppDropout: Float = 0.5, decoderDropout: Float = 0.5, classifierDropout: Float = 0.1
    ) {
        precondition(
            !classes.isEmpty && classes.allSatisfy { $0 >= 1 },
            "DeepLabConfig: classes per domain \(classes)")
        precondition(
            48 / backbone.widthDivisor >= 1,
            "DeepLabConfig: width divisor \(backbone.widthDivisor) leaves no decoder channels")
        self.backbone = backbone
        self.classes = classes
        self.projector = projector
        self.asppDropout = asppDropout
        self.decoderDropout = decoderDropout
        self.classifierDropout = classifierDropout
    }

    /// ASPP and decoder width, the channels of E(x) (256 / widthDivisor).
    public var channels: Int { 256 / backbone.widthDivisor }
    /// Reduced low-level channels in the decoder (48 / widthDivisor).
    public var reducedLowLevelChannels: Int { 48 / backbone.widthDivisor }
    /// Projector output channels (128 / widthDivisor).
    public var projectionChannels: Int { 128 / backbone.widthDivisor }

    /// The same model with every dropout probability 0 (deterministic tests).
    public var withoutDropout: DeepLabConfig {
        var c = self
        (c.asppDropout, c.decoderDropout, c.classifierDropout) = (0, 0, 0)
        return c
    }
}
