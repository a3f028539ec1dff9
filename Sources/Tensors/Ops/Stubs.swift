// Interface of the operations still being written: every function here is replaced by its real
// implementation in its own file (forward kernel, backward kernel, the recorded op) and deleted
// from this file. Nothing may ship while this file exists.

/// Batch norm 2d, PyTorch `F.batch_norm`: training uses batch statistics and updates the running
/// statistics in place (momentum 0.1, unbiased running variance); eval uses the running ones.
public func batchNorm2d(
    _ x: Variable, weight: Variable?, bias: Variable?, runningMean: inout Tensor,
    runningVar: inout Tensor, training: Bool, momentum: Float = 0.1, eps: Float = 1e-5
) -> Variable { fatalError("batchNorm2d: not yet implemented") }

/// Instance norm 2d without affine parameters (PyTorch `F.instance_norm`, eps 1e-5).
public func instanceNorm2d(_ x: Variable, eps: Float = 1e-5) -> Variable { fatalError("instanceNorm2d") }

public func relu(_ x: Variable) -> Variable { fatalError("relu") }
public func leakyReLU(_ x: Variable, slope: Float = 0.2) -> Variable { fatalError("leakyReLU") }
public func tanh(_ x: Variable) -> Variable { fatalError("tanh") }
public func sigmoid(_ x: Variable) -> Variable { fatalError("sigmoid") }

/// Inverted dropout (PyTorch `F.dropout`): zeroes with probability p, scales survivors by 1/(1-p).
public func dropout(_ x: Variable, p: Float, mode: Mode, random: inout RandomSource) -> Variable {
    fatalError("dropout")
}

public func maxPool2d(_ x: Variable, kernel: Int, stride: Int, padding: Int = 0) -> Variable { fatalError("maxPool2d") }
public func avgPool2d(
    _ x: Variable, kernel: Int, stride: Int, padding: Int = 0, countIncludePad: Bool = true
) -> Variable { fatalError("avgPool2d") }
/// (N, C, H, W) -> (N, C, 1, 1).
public func globalAvgPool2d(_ x: Variable) -> Variable { fatalError("globalAvgPool2d") }

/// Bilinear resize, PyTorch `F.interpolate(mode="bilinear", align_corners=...)`.
public func resizeBilinear(_ x: Variable, height: Int, width: Int, alignCorners: Bool) -> Variable {
    fatalError("resizeBilinear")
}
/// Nearest resize, PyTorch `F.interpolate(mode="nearest")`.
public func resizeNearest(_ x: Variable, height: Int, width: Int) -> Variable { fatalError("resizeNearest") }

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
