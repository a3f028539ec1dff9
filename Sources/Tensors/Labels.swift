/// Integer class labels of shape [N, H, W]; `Labels.ignoreIndex` (255) marks pixels without a label.
public struct Labels: Sendable, Equatable {
    /// The value that losses and metrics skip (Cityscapes' and CAC's 255).
    public static let ignoreIndex: Int32 = 255

    /// [N, H, W].
    public private(set) var shape: [Int]
    /// Row-major labels.
    public var data: [Int32]

    public init(shape: [Int], data: [Int32]) {
        precondition(shape.count == 3, "Labels: expected shape [N, H, W], got \(shape)")
        precondition(
            data.count == shape.reduce(1, *), "Labels: \(data.count) values do not fill \(shape)")
        self.shape = shape
        self.data = data
    }

    public init(repeating value: Int32, shape: [Int]) {
        self.init(shape: shape, data: [Int32](repeating: value, count: shape.reduce(1, *)))
    }

    public var count: Int { data.count }
}
