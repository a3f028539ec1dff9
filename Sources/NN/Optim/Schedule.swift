import Foundation

/// CAC's `Poly` learning-rate policy, updated every iteration: lr = base * (1 - t / T)^power
/// for the 0-based global iteration t (the first iteration uses the full base lr), after an
/// optional linear warm-up lr = base * t / warmup (CAC uses none).
public struct PolySchedule: Sendable {
    /// T: epochs * iterations per epoch.
    public let totalIterations: Int
    public let power: Double
    public let warmupIterations: Int

    public init(totalIterations: Int, power: Double = 0.9, warmupIterations: Int = 0) {
        precondition(totalIterations > 0, "PolySchedule: totalIterations \(totalIterations)")
        self.totalIterations = totalIterations
        self.power = power
        self.warmupIterations = warmupIterations
    }

    /// The multiplier of each group's base lr at iteration `t`.
    public func factor(iteration t: Int) -> Double {
        precondition(
            t >= 0 && t <= totalIterations,
            "PolySchedule: iteration \(t) outside 0...\(totalIterations)")
        if warmupIterations > 0 && t < warmupIterations {
            return Double(t) / Double(warmupIterations)
        }
        return pow(1 - Double(t) / Double(totalIterations), power)
    }

    /// Sets every group's lr for iteration `t` (call before that iteration's step).
    public func apply(to optimizer: Optimizer, iteration t: Int) {
        let f = factor(iteration: t)
        for g in optimizer.groups.indices {
            optimizer.groups[g].lr = optimizer.groups[g].baseLR * f
        }
    }
}

/// SPADE's linear decay (pix2pixHD `update_learning_rate`, run at the end of each epoch):
/// constant for `niter` epochs, then down by base / niterDecay per epoch. The lr used during
/// 1-based epoch e is base for e <= niter + 1, else base * (1 - (e - niter - 1) / niterDecay).
public struct LinearDecaySchedule: Sendable {
    public let niter: Int
    public let niterDecay: Int

    public init(niter: Int, niterDecay: Int) {
        precondition(
            niter >= 0 && niterDecay >= 0,
            "LinearDecaySchedule: niter \(niter), niterDecay \(niterDecay)")
        self.niter = niter
        self.niterDecay = niterDecay
    }

    /// The multiplier of each group's base lr during 1-based epoch `e`.
    public func factor(epoch e: Int) -> Double {
        precondition(e >= 1, "LinearDecaySchedule: epoch \(e) (1-based)")
        guard niterDecay > 0, e > niter + 1 else { return 1 }
        return max(0, 1 - Double(e - niter - 1) / Double(niterDecay))
    }

    /// Sets every group's lr for epoch `e` (G and D keep their TTUR ratio through `baseLR`).
    public func apply(to optimizer: Optimizer, epoch e: Int) {
        let f = factor(epoch: e)
        for g in optimizer.groups.indices {
            optimizer.groups[g].lr = optimizer.groups[g].baseLR * f
        }
    }
}
