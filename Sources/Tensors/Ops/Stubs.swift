// Interface of the operations still being written: every function here is replaced by its real
// implementation in its own file (forward kernel, backward kernel, the recorded op) and deleted
// from this file. Nothing may ship while this file exists.

/// conv2d, PyTorch `F.conv2d`: x (N, C, H, W), weight (K, C, kh, kw), bias (K) -> (N, K, Ho, Wo).
public func conv2d(
    _ x: Variable, _ weight: Variable, _ bias: Variable?, stride: Int = 1, padding: Int = 0,
    dilation: Int = 1
) -> Variable { fatalError("conv2d: not yet implemented") }
