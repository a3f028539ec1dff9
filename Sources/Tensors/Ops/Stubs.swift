// Interface of the operations still being written: every function here is replaced by its real
// implementation in its own file (forward kernel, backward kernel, the recorded op) and deleted
// from this file. Nothing may ship while this file exists.

/// conv2d, PyTorch `F.conv2d`: x (N, C, H, W), weight (K, C, kh, kw), bias (K) -> (N, K, Ho, Wo).
public func conv2d(
    _ x: Variable, _ weight: Variable, _ bias: Variable?, stride: Int = 1, padding: Int = 0,
    dilation: Int = 1
) -> Variable { fatalError("conv2d: not yet implemented") }

/// Concatenation along channels (dim 1).
public func concatChannels(_ xs: [Variable]) -> Variable { fatalError("concatChannels") }

/// Elementwise a + b; b may also be a per-channel tensor (1, C, 1, 1) / (N, C, 1, 1) broadcast over a.
public func + (a: Variable, b: Variable) -> Variable { fatalError("+") }
public func - (a: Variable, b: Variable) -> Variable { fatalError("-") }
public func * (a: Variable, b: Variable) -> Variable { fatalError("*") }
public func * (a: Variable, s: Float) -> Variable { fatalError("* scalar") }
public func + (a: Variable, s: Float) -> Variable { fatalError("+ scalar") }

/// y = x W^T + b, PyTorch `F.linear`: x (N, in), weight (out, in), bias (out).
public func linear(_ x: Variable, _ weight: Variable, _ bias: Variable?) -> Variable { fatalError("linear") }
/// Matrix product of 2-D a (M, K) and b (K, N), either optionally transposed.
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    fatalError("matmul")
}

/// Softmax / log-softmax over channels (dim 1) of an (N, C, ...) tensor.
public func softmax(_ x: Variable) -> Variable { fatalError("softmax") }
public func logSoftmax(_ x: Variable) -> Variable { fatalError("logSoftmax") }

/// Cross-entropy of logits (N, K, H, W) against labels (N, H, W), pixels equal to
/// `ignoreIndex` skipped, averaged over the others (PyTorch `F.cross_entropy`, mean reduction).
public func crossEntropy(_ logits: Variable, _ labels: Labels, ignoreIndex: Int32 = Labels.ignoreIndex) -> Variable {
    fatalError("crossEntropy")
}
/// Mean absolute difference (PyTorch `F.l1_loss`).
public func l1Loss(_ a: Variable, _ b: Variable) -> Variable { fatalError("l1Loss") }
/// Per-pixel L2 normalisation over channels: x / max(||x||, eps) (PyTorch `F.normalize(dim=1)`).
public func l2Normalize(_ x: Variable, eps: Float = 1e-12) -> Variable { fatalError("l2Normalize") }

/// Sum / mean of all elements, as a scalar.
public func sum(_ x: Variable) -> Variable { fatalError("sum") }
public func mean(_ x: Variable) -> Variable { fatalError("mean") }
