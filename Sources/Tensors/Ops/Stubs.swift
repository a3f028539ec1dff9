// Interface of the operations still being written: every function here is replaced by its real
// implementation in its own file (forward kernel, backward kernel, the recorded op) and deleted
// from this file. Nothing may ship while this file exists.

/// conv2d, PyTorch `F.conv2d`: x (N, C, H, W), weight (K, C, kh, kw), bias (K) -> (N, K, Ho, Wo).
public func conv2d(
    _ x: Variable, _ weight: Variable, _ bias: Variable?, stride: Int = 1, padding: Int = 0,
    dilation: Int = 1
) -> Variable { fatalError("conv2d: not yet implemented") }

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
