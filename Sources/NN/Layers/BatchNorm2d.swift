import Tensors

/// Batch normalisation over (N, H, W) per channel (PyTorch `nn.BatchNorm2d`, eps 1e-5,
/// momentum 0.1). Keys: `weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked`.
public struct BatchNorm2d: Sendable {
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVar: Buffer
    public let numBatchesTracked: Counter
    public let momentum: Float
    public let eps: Float

    public init(_ channels: Int, momentum: Float = 0.1, eps: Float = 1e-5, at scope: Scope) {
        weight = scope.parameter("weight", Tensor(repeating: 1, shape: [channels]))
        bias = scope.parameter("bias", Tensor(zeros: [channels]))
        runningMean = scope.buffer("running_mean", Tensor(zeros: [channels]))
        runningVar = scope.buffer("running_var", Tensor(repeating: 1, shape: [channels]))
        numBatchesTracked = scope.counter("num_batches_tracked")
        self.momentum = momentum
        self.eps = eps
    }

    /// Train mode normalises with batch statistics and updates the running ones; eval mode
    /// uses the running statistics and changes nothing.
    public func callAsFunction(_ x: Variable, mode: Mode) -> Variable {
        let training = mode == .train
        if training { numBatchesTracked.value += 1 }
        return batchNorm2d(
            x, weight: Variable(weight), bias: Variable(bias), runningMean: &runningMean.value,
            runningVar: &runningVar.value, training: training, momentum: momentum, eps: eps)
    }
}
