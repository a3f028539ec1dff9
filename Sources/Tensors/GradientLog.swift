/// Records the shape of every gradient buffer the tape's backward pass computes, in the order
/// they are made (a test hook: it proves which gradients a training step computes at all,
/// e.g. that a generator step computes no discriminator weight gradient).
///
/// Task-local, so concurrently running tests do not see each other's records.
public final class GradientLog: @unchecked Sendable {
    /// The log of the current task, if any (`GradientLog.$current.withValue(log) { ... }`).
    @TaskLocal public static var current: GradientLog?

    /// Shapes of the gradient buffers computed so far.
    public private(set) var shapes: [[Int]] = []

    public init() {}

    func record(_ shape: [Int]) { shapes.append(shape) }
}
