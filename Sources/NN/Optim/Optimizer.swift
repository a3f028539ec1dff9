import Tensors

/// Parameters sharing one learning rate (an entry of PyTorch's `optimizer.param_groups`).
public struct ParameterGroup: Sendable {
    /// The parameters, in the order their gradients are passed to `step`.
    public let parameters: [Parameter]
    /// The learning rate a schedule scales (PyTorch's `initial_lr`).
    public let baseLR: Double
    /// The learning rate of the next step (PyTorch's `lr`), set by a schedule.
    public var lr: Double

    public init(_ parameters: [Parameter], lr: Double) {
        self.parameters = parameters
        self.baseLR = lr
        self.lr = lr
    }
}

/// One tensor of an optimizer's per-parameter state, named as in PyTorch's
/// `optimizer.state_dict()["state"]` (`momentum_buffer`, `exp_avg`, `exp_avg_sq`, `step`).
public struct OptimizerStateEntry: Sendable, Equatable {
    /// The state_dict key of the parameter this state belongs to.
    public let key: String
    /// The PyTorch state name.
    public let name: String
    public let value: Tensor

    public init(key: String, name: String, value: Tensor) {
        self.key = key
        self.name = name
        self.value = value
    }
}

/// A first-order optimizer over parameter groups (PyTorch `torch.optim.Optimizer`).
public protocol Optimizer: AnyObject {
    /// The groups, each with its own learning rate.
    var groups: [ParameterGroup] { get set }
    /// Updates every parameter in place; `gradients` align with `parameters`.
    func step(_ gradients: [Tensor])
    /// The per-parameter state, in parameter order (a parameter without state is absent).
    var state: [OptimizerStateEntry] { get }
    /// Restores state saved by `state`; throws when an entry names an unknown parameter or
    /// state, or has the wrong shape.
    func restore(_ entries: [OptimizerStateEntry]) throws
}

extension Optimizer {
    /// All parameters of all groups, in group order.
    public var parameters: [Parameter] { groups.flatMap(\.parameters) }
}

/// A checkpoint's optimizer state that does not fit the optimizer.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
    /// The checkpoint key concerned (`optimizer/<parameter key>.<state>`), when there is one.
    public var key: String? = nil
}

/// Per-parameter slots addressed by position, with a key index for restoring.
struct StateSlots {
    let keys: [String]
    let shapes: [[Int]]
    private let index: [String: Int]  // lookup only, never iterated

    init(_ parameters: [Parameter]) {
        keys = parameters.map(\.key)
        shapes = parameters.map(\.shape)
        var index: [String: Int] = [:]
        for (i, key) in keys.enumerated() {
            precondition(index[key] == nil, "Optimizer: parameter \(key) appears twice")
            index[key] = i
        }
        self.index = index
    }

    /// The position of `entry`'s parameter, checking the shape (`expected` nil: the parameter's).
    func position(of entry: OptimizerStateEntry, expected: [Int]? = nil) throws -> Int {
        guard let i = index[entry.key] else {
            throw OptimizerStateError(
                description: "optimizer state for unknown parameter \(entry.key)",
                key: "optimizer/\(entry.key).\(entry.name)")
        }
        let shape = expected ?? shapes[i]
        guard entry.value.shape == shape else {
            throw OptimizerStateError(
                description: "optimizer state \(entry.key).\(entry.name) has shape "
                    + "\(entry.value.shape), expected \(shape)",
                key: "optimizer/\(entry.key).\(entry.name)")
        }
        return i
    }
}

/// Checks that `gradients` align with `parameters`.
func validateGradients(_ gradients: [Tensor], _ parameters: [Parameter], _ op: String) {
    precondition(
        gradients.count == parameters.count,
        "\(op): \(gradients.count) gradients for \(parameters.count) parameters")
    for (g, p) in zip(gradients, parameters) {
        precondition(g.shape == p.shape, "\(op): gradient \(g.shape) for \(p.key) \(p.shape)")
    }
}
