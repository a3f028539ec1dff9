import NN
import Tensors

/// torchvision Inception's `BasicConv2d`: a bias-free convolution (square or rectangular
/// kernel), batch norm with eps 0.001, ReLU. Keys: `conv.weight`, `bn.weight`, `bn.bias`,
/// `bn.running_mean`, `bn.running_var`, `bn.num_batches_tracked`.
///
/// Rectangular padding (the 1x7 / 7x1 / 1x3 / 3x1 convolutions of InceptionC/D/E, padding
/// (0, 3), (3, 0), (0, 1), (1, 0), stride 1) runs as a convolution with the larger padding on
/// both axes, cropped back to the rows and columns PyTorch's (ph, pw) padding gives.
public struct BasicConv2d: Sendable {
    public let weight: Parameter
    public let bn: BatchNorm2d
    public let stride: Int
    public let padding: (h: Int, w: Int)

    /// Registers `conv.weight` and `bn` at `scope`. The weight starts at zero: this network
    /// only runs with pretrained weights loaded over it.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: (h: Int, w: Int), stride: Int = 1,
        padding: (h: Int, w: Int) = (0, 0), at scope: Scope
    ) {
        precondition(
            padding.h == padding.w || stride == 1,
            "BasicConv2d: rectangular padding \(padding) needs stride 1, got \(stride)")
        let shape = [outChannels, inChannels, kernel.h, kernel.w]
        weight = (scope / "conv").parameter("weight", Tensor(zeros: shape))
        bn = BatchNorm2d(outChannels, eps: 0.001, at: scope / "bn")
        self.stride = stride
        self.padding = padding
    }

    /// A square kernel `kernel` x `kernel` with equal padding on both axes.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        at scope: Scope
    ) {
        self.init(
            inChannels, outChannels, kernel: (kernel, kernel), stride: stride,
            padding: (padding, padding), at: scope)
    }

    /// x (N, C, H, W) -> (N, out, Ho, Wo), eval mode (running statistics).
    public func callAsFunction(_ x: Variable) -> Variable {
        let p = max(padding.h, padding.w)
        var y = conv2d(x, Variable(weight), nil, stride: stride, padding: p)
        if padding.h != padding.w {
            let (dh, dw) = (p - padding.h, p - padding.w)
            let (_, _, h, w) = y.value.nchw("BasicConv2d")
            y = crop(y, rows: dh..<(h - dh), cols: dw..<(w - dw))
        }
        return relu(bn(y, mode: .eval))
    }
}
