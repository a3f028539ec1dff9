import Foundation
import Tensors

/// Weight initialisers with PyTorch's formulas, drawing from a `RandomSource`.
public enum Init {
    /// Kaiming-normal, fan-in mode, gain sqrt(2) (PyTorch `kaiming_normal_(mode="fan_in")`,
    /// nonlinearity relu): N(0, 2 / fan_in). fan_in = shape[1] * receptive field.
    public static func kaimingNormal(_ shape: [Int], random: inout RandomSource) -> Tensor {
        let std = (2 / Float(fanIn(shape))).squareRoot()
        return random.normalTensor(shape, std: std)
    }

    /// PyTorch's default conv/linear init: weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    /// (`kaiming_uniform_(a=sqrt(5))` reduces to this bound for the weights).
    public static func defaultUniform(_ shape: [Int], fanIn: Int, random: inout RandomSource)
        -> Tensor
    {
        let bound = 1 / Float(fanIn).squareRoot()
        return random.uniformTensor(shape, -bound, bound)
    }

    /// Fan-in of a weight shaped (out, in, kh, kw...) or (out, in).
    public static func fanIn(_ shape: [Int]) -> Int {
        precondition(shape.count >= 2, "Init.fanIn: weight shape \(shape)")
        return shape.dropFirst().reduce(1, *)
    }
}
