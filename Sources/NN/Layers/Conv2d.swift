import Tensors

/// A 2-D convolution layer (PyTorch `nn.Conv2d`): keys `weight` (K, C, kh, kw) and `bias` (K).
public struct Conv2d: Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int
    public let dilation: Int

    /// Registers `weight` (and `bias`) at `scope`, Kaiming-normal by default (the DeepLab heads'
    /// init) or PyTorch's default uniform init with `defaultInit: true`.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, bias: Bool = true, defaultInit: Bool = false, at scope: Scope,
        random: inout RandomSource
    ) {
        let shape = [outChannels, inChannels, kernel, kernel]
        let fanIn = inChannels * kernel * kernel
        let w =
            defaultInit
            ? Init.defaultUniform(shape, fanIn: fanIn, random: &random)
            : Init.kaimingNormal(shape, random: &random)
        self.weight = scope.parameter("weight", w)
        self.bias =
            bias
            ? scope.parameter(
                "bias", Init.defaultUniform([outChannels], fanIn: fanIn, random: &random))
            : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        conv2d(
            x, Variable(weight), bias.map { Variable($0) }, stride: stride, padding: padding,
            dilation: dilation)
    }
}
