import Foundation
import Tensors

/// Adam (PyTorch `torch.optim.Adam`, single-tensor path, amsgrad off, L2 weight decay added to
/// the gradient). Per step t (1-based): m = lerp(m, g, 1 - beta1); v = beta2 * v +
/// (1 - beta2) * g * g; p += -(lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps),
/// with the bias corrections computed in Double as Python does.
public final class Adam: Optimizer {
    public var groups: [ParameterGroup]
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    private let slots: StateSlots
    /// `exp_avg`, `exp_avg_sq` and `step` per parameter, created on its first step.
    private var moments: [(expAvg: Tensor, expAvgSq: Tensor, step: Float)?]

    public init(
        groups: [ParameterGroup], beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
        weightDecay: Double = 0
    ) {
        self.groups = groups
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        let parameters = groups.flatMap(\.parameters)
        self.slots = StateSlots(parameters)
        self.moments = Array(repeating: nil, count: parameters.count)
    }

    /// One group with learning rate `lr`.
    public convenience init(
        _ parameters: [Parameter], lr: Double, beta1: Double = 0.9, beta2: Double = 0.999,
        eps: Double = 1e-8, weightDecay: Double = 0
    ) {
        self.init(
            groups: [ParameterGroup(parameters, lr: lr)], beta1: beta1, beta2: beta2, eps: eps,
            weightDecay: weightDecay)
    }

    public func step(_ gradients: [Tensor]) {
        validateGradients(gradients, parameters, "Adam.step")
        let wd = Float(weightDecay)
        let w1 = Float(1 - beta1)
        let b2 = Float(beta2)
        let w2 = Float(1 - beta2)
        let epsilon = Float(eps)
        var i = 0
        for group in groups {
            for p in group.parameters {
                var slot = moments[i] ?? (Tensor(zeros: p.shape), Tensor(zeros: p.shape), 0)
                moments[i] = nil  // leaves `slot` the only owner: updated in place, not copied
                var (m, v, t) = slot
                slot = (Tensor(zeros: [0]), Tensor(zeros: [0]), 0)
                t += 1
                let correction1 = 1 - pow(beta1, Double(t))
                let correction2 = 1 - pow(beta2, Double(t))
                let stepSize = Float(-(group.lr / correction1))
                let root2 = Float(correction2.squareRoot())
                withPointers(&p.value, gradients[i], &m, &v) { x, g, a, b, range in
                    for j in range {
                        let d = wd != 0 ? g[j] + wd * x[j] : g[j]
                        // torch.lerp switches formula at weight 0.5 to stay exact at weight 1.
                        a[j] = w1 < 0.5 ? a[j] + w1 * (d - a[j]) : d - (d - a[j]) * (1 - w1)
                        b[j] = b[j] * b2 + w2 * d * d
                        x[j] = x[j] + stepSize * a[j] / (b[j].squareRoot() / root2 + epsilon)
                    }
                }
                moments[i] = (m, v, t)
                i += 1
            }
        }
    }

    public var state: [OptimizerStateEntry] {
        zip(slots.keys, moments).flatMap { key, slot -> [OptimizerStateEntry] in
            guard let (m, v, t) = slot else { return [] }
            return [
                OptimizerStateEntry(key: key, name: "step", value: Tensor(scalar: t)),
                OptimizerStateEntry(key: key, name: "exp_avg", value: m),
                OptimizerStateEntry(key: key, name: "exp_avg_sq", value: v),
            ]
        }
    }

    public func restore(_ entries: [OptimizerStateEntry]) throws {
        var m = [Tensor?](repeating: nil, count: moments.count)
        var v = m
        var t = [Float?](repeating: nil, count: moments.count)
        for entry in entries {
            switch entry.name {
            case "exp_avg": m[try slots.position(of: entry)] = entry.value
            case "exp_avg_sq": v[try slots.position(of: entry)] = entry.value
            case "step": t[try slots.position(of: entry, expected: [])] = entry.value.scalar
            default:
                throw OptimizerStateError(
                    description: "Adam has no state \(entry.name) (for \(entry.key))",
                    key: "optimizer/\(entry.key).\(entry.name)")
            }
        }
        var restored: [(expAvg: Tensor, expAvgSq: Tensor, step: Float)?] = []
        for i in 0..<moments.count {
            switch (m[i], v[i], t[i]) {
            case (nil, nil, nil): restored.append(nil)
            case (let m?, let v?, let t?): restored.append((m, v, t))
            default:
                throw OptimizerStateError(
                    description:
                        "Adam state for \(slots.keys[i]) lacks one of step, exp_avg, exp_avg_sq")
            }
        }
        moments = restored
    }
}
