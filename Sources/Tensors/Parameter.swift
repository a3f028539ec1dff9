/// A trainable tensor with its PyTorch state_dict key (e.g. "backbone.layer1.0.conv1.weight").
///
/// A class because identity matters: the tape finds the leaf of a requested parameter by it,
/// and optimizers update it in place.
public final class Parameter: @unchecked Sendable {
    /// The PyTorch state_dict key.
    public let key: String
    /// The current value.
    public var value: Tensor

    public init(key: String, value: Tensor) {
        self.key = key
        self.value = value
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }
}

/// A non-trainable state tensor saved in checkpoints (batch-norm running statistics,
/// spectral-norm `u`/`v`), with its PyTorch state_dict key.
public final class Buffer: @unchecked Sendable {
    public let key: String
    public var value: Tensor

    public init(key: String, value: Tensor) {
        self.key = key
        self.value = value
    }
}

/// An integer state saved as an int64 dataset (batch norm's `num_batches_tracked`).
public final class Counter: @unchecked Sendable {
    public let key: String
    public var value: Int64

    public init(key: String, value: Int64 = 0) {
        self.key = key
        self.value = value
    }
}

/// Training or evaluation behaviour of a layer, passed explicitly (there is no global phase).
public enum Mode: Sendable {
    /// Batch statistics, running-stat updates, active dropout, spectral-norm power iteration.
    case train
    /// Running statistics, no dropout, no state updates.
    case eval
}
