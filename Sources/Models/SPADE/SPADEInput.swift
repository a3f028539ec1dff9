import Tensors

/// What the SPADE generator is conditioned on for one batch of N images of H x W.
public struct SPADEInput: Sendable {
    /// S: (N, semantic_nc, H, W), the one-hot label ids and (if used) the edge map.
    public var semantics: Tensor
    /// The instance index map (N, H, W): 0-based instance of each pixel, -1 on background
    /// (Data's `InstanceLayout.index`). Needed by the Multi-Instance MLP.
    public var instanceIndex: Labels?
    /// The number of instances of each image.
    public var instanceCounts: [Int]
    /// The position map (N, nhidden, H, W), zero outside instances (L+I+P).
    public var position: Tensor?

    public init(
        semantics: Tensor, instanceIndex: Labels? = nil, instanceCounts: [Int] = [],
        position: Tensor? = nil
    ) {
        self.semantics = semantics
        self.instanceIndex = instanceIndex
        self.instanceCounts = instanceCounts
        self.position = position
    }

    /// The batch size.
    public var batch: Int { semantics.shape[0] }
}

/// The per-instance noise of one generator forward: `z[m]` is (total instances, d) for SPADE
/// module m in registration order (norm_0, norm_1, norm_s of head_0, then G_middle_0, ...);
/// with shared noise every entry is the same tensor.
public struct InstanceNoise: Sendable {
    public var z: [Tensor]

    public init(z: [Tensor]) { self.z = z }
}

/// One forward's view of the conditioning, handed to every SPADE module
/// (`SPADEGenerator.context(for:noise:)`).
public struct SPADEContext {
    /// S, or [S; position] in concat mode: what fc and every mlp_shared see (the first part's
    /// input).
    public let seg: Variable
    let position: Tensor?
    let index: Labels?
    let counts: [Int]
    let noise: InstanceNoise?
    /// The shards sharing the batch-norm statistics of a sharded training forward; nil for
    /// one unsharded batch.
    var sync: (any BatchNormSync)? = nil
}
