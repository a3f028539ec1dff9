/// SPADE's `num_upsampling_layers`: 5, 6 or 7 doublings from the first feature map.
public enum UpsamplingLayers: String, Codable, Sendable, CaseIterable {
    case normal, more, most

    /// num_up_layers of `SPADEGenerator.compute_latent_vector_size`.
    public var count: Int {
        switch self {
        case .normal: 5
        case .more: 6
        case .most: 7
        }
    }
}

/// How the Multi-Instance MLP's per-instance modulation meets SPADE's (spade.md §6.3).
public enum MIMLPMode: String, Codable, Sendable, CaseIterable {
    /// out = x̂ (1 + γ + Γ) + β + Β (recommended).
    case additive
    /// Inside instances the MIMLP modulation replaces SPADE's (paper-literal).
    case replace
}

/// Where the per-instance noise comes from (spade.md §6.3).
public enum MIMLPNoise: String, Codable, Sendable, CaseIterable {
    /// One z_i (d_z channels) per instance and forward pass, shared by every SPADE module.
    case shared
    /// An independent z_i per SPADE module with d_z = that module's channel count.
    case perModule = "per_module"
}

/// Where the position map enters the generator (spade.md §6.4).
public enum PositionMode: String, Codable, Sendable, CaseIterable {
    /// Added to every SPADE module's hidden activation (recommended).
    case addHidden = "add_hidden"
    /// Concatenated to the conditioning tensor S for G (not D).
    case concat
}

/// Every size and choice of the SPADE generator and discriminator (NVlabs/SPADE options, plus
/// the instance-aware extensions of paper 2 with section 13's choices of spade.md).
public struct SPADEArchitecture: Codable, Sendable, Equatable {
    /// label_nc: one-hot channels (35 Cityscapes label ids).
    public var labelNC = 35
    /// no_instance == false: the instance edge map is channel label_nc of S.
    public var useEdges = true
    /// ngf, ndf (64 in the paper; smaller for the small profiles: every channel count scales).
    public var ngf = 64
    public var ndf = 64
    /// The SPADE modules' hidden width (128; equals the position map's channel count).
    public var nhidden = 128
    public var upsampling = UpsamplingLayers.normal
    /// crop_size (the image width) and aspect_ratio (width / height).
    public var cropSize = 512
    public var aspectRatio = 2.0
    /// num_D, n_layers_D of the multiscale PatchGAN discriminator.
    public var numD = 2
    public var nLayersD = 4
    /// L+I: a Multi-Instance MLP in every SPADE module.
    public var mimlp = false
    public var mimlpMode = MIMLPMode.additive
    public var mimlpNoise = MIMLPNoise.shared
    /// d_z of the shared noise (per-module noise uses the module's channel count).
    public var noiseDim = 128
    /// In replace mode, use γ_i instead of (1 + γ_i) as the gain.
    public var literalGain = false
    /// L+I+P: the per-instance position map (nhidden channels).
    public var positionMap = false
    public var positionMode = PositionMode.addHidden
    /// D sees the position map too (default false: D's input is S and the image).
    public var discriminatorSeesPosition = false

    public init() {}

    /// A copy whose ngf and ndf are 64 * multiplier (at least 1); all formulas unchanged.
    public func scaled(width multiplier: Double) -> SPADEArchitecture {
        var a = self
        a.ngf = max(1, Int((64 * multiplier).rounded()))
        a.ndf = max(1, Int((64 * multiplier).rounded()))
        return a
    }

    /// semantic_nc: the channels of S (one-hot + edge).
    public var semanticNC: Int { labelNC + (useEdges ? 1 : 0) }

    /// The channels every G input conv (fc, SPADE mlp_shared) sees: S, plus the position map
    /// in concat mode.
    public var generatorInputNC: Int {
        semanticNC + (positionMap && positionMode == .concat ? nhidden : 0)
    }

    /// The discriminator's input channels: S and the RGB image (+ the position map if set).
    public var discriminatorInputNC: Int {
        semanticNC + 3 + (positionMap && discriminatorSeesPosition ? nhidden : 0)
    }

    /// The image size (height, width) the generator produces.
    public var imageSize: (height: Int, width: Int) {
        let (sh, sw) = latentSize
        return (sh << upsampling.count, sw << upsampling.count)
    }

    /// (sh, sw): the first feature map of `compute_latent_vector_size`,
    /// sw = crop_size / 2^num_up, sh = round(sw / aspect_ratio) (Python's round: half to even).
    public var latentSize: (height: Int, width: Int) {
        let sw = cropSize / (1 << upsampling.count)
        return (Int((Double(sw) / aspectRatio).rounded(.toNearestOrEven)), sw)
    }

    /// Checks that the sizes fit together; the message names the field.
    public func validate() throws {
        func fail(_ s: String) -> SPADEArchitectureError { SPADEArchitectureError(description: s) }
        guard labelNC > 0, ngf > 0, ndf > 0, nhidden > 0, numD > 0, nLayersD > 0 else {
            throw fail("labelNC, ngf, ndf, nhidden, numD and nLayersD must be positive")
        }
        let (sh, sw) = latentSize
        guard sh > 0, sw > 0 else {
            throw fail(
                "cropSize \(cropSize) with upsampling \(upsampling.rawValue) and aspectRatio "
                    + "\(aspectRatio) gives a first feature map of \(sh)x\(sw)")
        }
        guard upsampling != .most || ngf >= 2 else { throw fail("upsampling most needs ngf >= 2") }
        guard !positionMap || mimlp else { throw fail("positionMap (L+I+P) needs mimlp (L+I)") }
        guard !positionMap || nhidden % 4 == 0 else {
            throw fail("the position map needs nhidden divisible by 4, got \(nhidden)")
        }
        guard !mimlp || noiseDim > 0 else { throw fail("noiseDim must be positive") }
    }
}

/// A SPADE architecture whose sizes do not fit together.
public struct SPADEArchitectureError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
}
