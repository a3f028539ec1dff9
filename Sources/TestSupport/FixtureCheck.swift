import Testing
import Tensors

/// Σ y ⊙ g as a recorded scalar, summed in Double: its gradient with respect to y is g, so
/// back-propagating it gives the gradients of the fixtures' sum(output * grad_output).
public func weightedSum(_ y: Variable, _ g: Tensor) -> Variable {
    precondition(y.shape == g.shape, "weightedSum: \(y.shape) vs \(g.shape)")
    var total: Double = 0
    for i in 0..<g.count { total += Double(y.value.data[i]) * Double(g.data[i]) }
    return Variable.record(Tensor(scalar: Float(total)), inputs: [y]) { s, _ in
        [Tensor(shape: g.shape, data: g.data.map { $0 * s.data[0] })]
    }
}

extension FixtureCase {
    /// Runs `op` on the inputs named `names` (in that order) and back-propagates
    /// Σ output ⊙ grad_output: the output and the gradient of each named input.
    public func run(_ names: [String], _ op: ([Variable]) -> Variable) throws
        -> (output: Tensor, gradients: [String: Tensor])
    {
        let xs = try names.map { try inputs[$0] }
        let upstream = try gradOutput
        var output = Tensor(zeros: [0])
        let (_, grads) = valueAndGradient(at: xs) { v in
            let y = op(v)
            output = y.value
            return weightedSum(y, upstream)
        }
        return (output, Dictionary(uniqueKeysWithValues: zip(names, grads)))
    }

    /// Expects `op` on the inputs `names` to give the case's output (within `atol`, `rtol`)
    /// and its input gradients (within `gradAtol`, `gradRtol`, by default the same). `names`
    /// must be exactly the case's differentiated inputs, so no stored gradient goes unchecked.
    public func expectMatches(
        _ names: [String], atol: Float = 1e-5, rtol: Float = 1e-4, gradAtol: Float? = nil,
        gradRtol: Float? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ op: ([Variable]) -> Variable
    ) throws {
        #expect(
            names.sorted() == gradInputs.names, "\(name): gradients stored for \(gradInputs.names)",
            sourceLocation: sourceLocation)
        let (y, grads) = try run(names, op)
        let problem = mismatch(y, output, atol: atol, rtol: rtol)
        #expect(problem == nil, "\(name) output: \(problem ?? "")", sourceLocation: sourceLocation)
        for key in names {
            let p = mismatch(
                grads[key]!, try gradInputs[key], atol: gradAtol ?? atol, rtol: gradRtol ?? rtol)
            #expect(p == nil, "\(name) grad \(key): \(p ?? "")", sourceLocation: sourceLocation)
        }
    }
}
