import Data
import Models

/// Paper 2's three configurations (paper 2 Table 1).
public enum SPADEVariant: String, Codable, Sendable, CaseIterable {
    /// Plain SPADE from the label map (conventional).
    case L = "L"
    /// + instance maps through the Multi-Instance MLP.
    case LI = "L+I"
    /// + the per-instance position map.
    case LIP = "L+I+P"
}

/// How MICV is measured (spade.md §9.2, section 13 item 5). The defaults are the spec's.
public struct MICVDefinition: Codable, Sendable, Equatable {
    /// "population" (1/n) or "sample" (1/(n-1)) standard deviation.
    public var stdNormaliser = "population"
    /// Pixel range of the instance means: "unit" ([0, 1] = value / 255).
    public var pixelRange = "unit"
    /// How the three channel stds become one number: "mean_of_channel_stds".
    public var channelReduction = "mean_of_channel_stds"
    /// Images with fewer instances of the class are skipped.
    public var minInstances = 2
    /// Group regions (ids < 1000) are not instances.
    public var excludeGroups = true

    public init() {}
}

/// Every choice of one paper-2 cell, recorded in its run manifest: the architecture (with the
/// instance-aware flags of spade.md §13), the position-map code, the losses, the optimiser and
/// the schedule, and the deviations from the paper.
public struct SPADEConfig: Codable, Sendable, Equatable {
    public var variant: SPADEVariant
    public var architecture: SPADEArchitecture
    /// §13.1: whether L keeps SPADE's instance edge channel (default false: L = label map only).
    public var lUsesEdges: Bool
    /// §13.3: the position map's channel combination and frequencies.
    public var positionCombine = PositionCombine.sum
    public var positionFrequency = PositionFrequency.literal
    /// §13.5.
    public var micv = MICVDefinition()
    /// §13.6: the feature extractors behind the FID and mIoU scores (printed with each score).
    public var fidExtractor = "proxy"
    public var miouExtractor = "proxy-segmenter"
    /// Losses (spade.md §5): hinge GAN loss and feature matching with weight lambdaFeat.
    public var ganMode = "hinge"
    public var lambdaFeat: Float = 10
    /// The VGG perceptual loss (λ 10 in SPADE) is off: no pretrained VGG19 can be had here.
    public var vggLoss = false
    /// Adam: lr, betas, and TTUR (G lr / 2, D lr * 2).
    public var lr = 0.0002
    public var beta1 = 0.0
    public var beta2 = 0.9
    public var ttur = true
    /// §13.7: the schedule actually used (niter epochs constant, niterDecay epochs linear decay).
    public var niter = 100
    public var niterDecay = 100
    public var batchSize = 32
    /// What differs from the paper's setting, in words (recorded in the manifest).
    public var deviations: [String]

    /// The paper's setting for `variant` at the Cityscapes size (256x512, ngf 64, normal
    /// upsampling), with the spec's recommended choice for every open point.
    public init(_ variant: SPADEVariant, lUsesEdges: Bool = false) {
        self.variant = variant
        self.lUsesEdges = lUsesEdges
        var a = SPADEArchitecture()
        a.useEdges = variant != .L || lUsesEdges
        a.mimlp = variant != .L
        a.positionMap = variant == .LIP
        architecture = a
        deviations = [
            "no VGG perceptual loss (lambda_vgg 10 in SPADE): no pretrained VGG19 weights here"
        ]
    }

    /// lr of the generator and of the discriminator (TTUR: lr / 2 and lr * 2).
    public var learningRates: (generator: Double, discriminator: Double) {
        ttur ? (lr / 2, lr * 2) : (lr, lr)
    }

    /// Checks the combination; the message names the field.
    public func validate() throws {
        try architecture.validate()
        func fail(_ s: String) -> SPADEArchitectureError { SPADEArchitectureError(description: s) }
        let a = architecture
        switch variant {
        case .L:
            guard !a.mimlp, !a.positionMap else { throw fail("variant L has no mimlp/positionMap") }
            guard a.useEdges == lUsesEdges else {
                throw fail("variant L: architecture.useEdges must equal lUsesEdges")
            }
        case .LI:
            guard a.mimlp, !a.positionMap else { throw fail("variant L+I needs mimlp only") }
        case .LIP:
            guard a.mimlp, a.positionMap else {
                throw fail("variant L+I+P needs mimlp and positionMap")
            }
        }
        guard ganMode == "hinge" else { throw fail("ganMode \(ganMode): only hinge is built") }
        guard !vggLoss else { throw fail("vggLoss: no VGG19 weights are available") }
        // Batch norm pools N x H x W per channel: the smallest pool is the first feature map.
        let (sh, sw) = a.latentSize
        guard batchSize >= 1, batchSize * sh * sw >= 2 else {
            throw fail(
                "batchSize \(batchSize) with a first feature map of \(sh)x\(sw): batch norm "
                    + "needs at least 2 values per channel")
        }
    }
}
