/// A contiguous, row-major Float32 tensor. NCHW by convention: N batch, C channels, H rows, W columns.
///
/// Value semantics through `Array`'s copy-on-write storage. There are no strides and no views:
/// an operation that changes the layout (permute, slice) copies.
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `data.count == shape.reduce(1, *)`.
    public var data: [Float]

    /// Wraps `data` with `shape`; the element count must match.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(
            data.count == shape.reduce(1, *),
            "Tensor: \(data.count) elements do not fill shape \(shape)")
        self.shape = shape
        self.data = data
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of `shape` filled with zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A tensor whose elements are written once by `body` (no zero-fill; `body` must write all).
    public init(shape: [Int], unsafeUninitialized body: (UnsafeMutableBufferPointer<Float>) -> Void)
    {
        let n = shape.reduce(1, *)
        let data = [Float](unsafeUninitializedCapacity: n) { buffer, count in
            body(buffer)
            count = n
        }
        self.init(shape: shape, data: data)
    }

    /// A scalar as a tensor of shape [].
    public init(scalar: Float) { self.init(shape: [], data: [scalar]) }

    /// The number of elements.
    public var count: Int { data.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(data.count == 1, "Tensor.scalar: shape \(shape) has \(data.count) elements")
        return data[0]
    }

    /// The same elements seen with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }

    /// Reads the elements through a pointer.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R)
        rethrows -> R
    {
        try data.withUnsafeBufferPointer(body)
    }

    /// Writes the elements through a pointer.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try data.withUnsafeMutableBufferPointer(body)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = data.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), data: [\(head)\(data.count > 8 ? ", ..." : "")])"
    }
}

extension Tensor {
    /// Dimensions of an NCHW tensor; a precondition failure names the op when the rank is not 4.
    @inlinable
    public func nchw(_ op: StaticString = #function) -> (n: Int, c: Int, h: Int, w: Int) {
        precondition(shape.count == 4, "\(op): expected an NCHW tensor, got shape \(shape)")
        return (shape[0], shape[1], shape[2], shape[3])
    }

    /// Elementwise sum in place (shapes must match); the accumulation primitive of the tape.
    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "Tensor.add: shapes \(shape) and \(other.shape) differ")
        data.withUnsafeMutableBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += b[i] }
            }
        }
    }

    /// The largest absolute elementwise difference (shapes must match).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(
            shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape) differ")
        var m: Float = 0
        for i in 0..<data.count { m = max(m, abs(data[i] - other.data[i])) }
        return m
    }
}
