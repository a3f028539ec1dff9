import Tensors

extension Init {
    /// Kaiming-normal, fan-out mode, gain sqrt(2) (PyTorch `kaiming_normal_(mode="fan_out",
    /// nonlinearity="relu")`, torchvision's ResNet init): N(0, 2 / (out * kh * kw)).
    public static func kaimingNormalFanOut(_ shape: [Int], random: inout RandomSource) -> Tensor {
        precondition(shape.count >= 2, "Init.kaimingNormalFanOut: weight shape \(shape)")
        let fanOut = shape[0] * shape.dropFirst(2).reduce(1, *)
        return random.normalTensor(shape, std: (2 / Float(fanOut)).squareRoot())
    }
}

extension Conv2d {
    /// A bias-free conv with torchvision's ResNet init (Kaiming-normal, fan-out), as in
    /// `torchvision.models.resnet` and CAC's backbone (`normal_(0, sqrt(2 / (k * k * out)))`).
    public init(
        fanOut inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1,
        padding: Int = 0, dilation: Int = 1, at scope: Scope, random: inout RandomSource
    ) {
        let shape = [outChannels, inChannels, kernel, kernel]
        self.weight = scope.parameter("weight", Init.kaimingNormalFanOut(shape, random: &random))
        self.bias = nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }
}
