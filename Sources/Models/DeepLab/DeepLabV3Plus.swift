import NN
import Tensors

/// DeepLabv3+ with one classifier head per domain and CAC's projector: the network of CAC
/// (Lai et al., CVPR 2021, `models/model.py` on `models/modeling/deeplab.py`), Chen et al.,
/// ECCV 2018 for DeepLabv3+.
///
/// The encoder E (backbone, ASPP, decoder) is shared; E(x) is the 256-channel stride-4 map
/// after the decoder, the input of every head. State-dict keys equal the PyTorch model of
/// Tests/Fixtures/scripts/deeplab_torch.py, which mirrors CAC's:
/// `encoder.backbone.*`, `encoder.aspp.*`, `encoder.decoder.*`; with one domain CAC's own
/// `classifier.1.*`; with several an `nn.ModuleList` `classifiers.<domain>.1.*`; `project.0.*`,
/// `project.2.*`.
public struct DeepLabV3Plus: Sendable {
    public let config: DeepLabConfig
    /// Every parameter, buffer and counter, in PyTorch state_dict order.
    public let store: ParameterStore
    public let backbone: ResNet
    public let aspp: ASPP
    public let decoder: Decoder
    /// One classifier per domain.
    public let heads: [ClassifierHead]
    public let projector: Projector?

    /// Builds the model in a fresh store. Each part draws its init from its own stream of
    /// `random` (`split("backbone")`, ...), so adding a head leaves the encoder's init unchanged.
    public init(_ config: DeepLabConfig, random: RandomSource) {
        self.init(config, at: Scope(ParameterStore()), random: random)
    }

    /// Builds the model at `scope` (keys as above, under the scope's prefix).
    public init(_ config: DeepLabConfig, at scope: Scope, random: RandomSource) {
        self.config = config
        store = scope.store
        let encoder = scope / "encoder"
        var r = random.split("backbone")
        backbone = ResNet(config.backbone, at: encoder / "backbone", random: &r)
        r = random.split("aspp")
        aspp = ASPP(
            inChannels: config.backbone.outChannels, channels: config.channels,
            outputStride: config.backbone.outputStride, dropout: config.asppDropout,
            at: encoder / "aspp", random: &r)
        r = random.split("decoder")
        decoder = Decoder(
            channels: config.channels, lowLevelChannels: config.backbone.lowLevelChannels,
            reducedChannels: config.reducedLowLevelChannels, dropout: config.decoderDropout,
            at: encoder / "decoder", random: &r)
        let single = config.classes.count == 1
        heads = config.classes.enumerated().map { domain, classes in
            var r = random.split("classifier").split(domain)
            return ClassifierHead(
                inChannels: config.channels, classes: classes, dropout: config.classifierDropout,
                at: single ? scope / "classifier" : scope / "classifiers" / domain, random: &r)
        }
        r = random.split("project")
        projector =
            config.projector
            ? Projector(
                inChannels: config.channels, outChannels: config.projectionChannels,
                at: scope / "project", random: &r)
            : nil
    }

    /// E(x): x (N, 3, H, W) -> (N, channels, H/4, W/4) (sizes as PyTorch's strided convs give).
    /// Dropout masks are drawn from `random` in train mode.
    public func features(_ x: Variable, mode: Mode, random: inout RandomSource) -> Variable {
        let (output, lowLevel) = backbone(x, mode: mode)
        let context = aspp(output, mode: mode, random: &random)
        return decoder(context, lowLevel: lowLevel, mode: mode, random: &random)
    }

    /// The `domain` head on features (N, channels, h, w) -> logits (N, classes, h, w).
    public func logits(
        _ features: Variable, domain: Int, mode: Mode, random: inout RandomSource
    ) -> Variable {
        precondition(
            heads.indices.contains(domain), "DeepLabV3Plus: domain \(domain) of \(heads.count)")
        return heads[domain](features, mode: mode, random: &random)
    }

    /// CAC's projection of (pooled) features: (N, channels, h, w) -> (N, channels / 2, h, w).
    public func project(_ features: Variable) -> Variable {
        guard let projector else { preconditionFailure("DeepLabV3Plus: built without a projector") }
        return projector(features)
    }

    /// Logits of `domain` upsampled to the input size (bilinear, align_corners=True), as CAC's
    /// forward: x (N, 3, H, W) -> (N, classes, H, W).
    public func callAsFunction(
        _ x: Variable, domain: Int, mode: Mode, random: inout RandomSource
    ) -> Variable {
        let f = features(x, mode: mode, random: &random)
        let out = logits(f, domain: domain, mode: mode, random: &random)
        return resizeBilinear(out, height: x.shape[2], width: x.shape[3], alignCorners: true)
    }
}
