import TestSupport
import Testing

@testable import Tensors

@Suite struct ArithmeticTests {
    static func inputs(_ shapes: [[Int]], seed: UInt64 = 1) -> [Tensor] {
        var random = RandomSource(seed: seed).split("arithmetic")
        return shapes.map { random.uniformTensor($0, -1, 1) }
    }

    /// Shapes (a, b) covering every broadcast the models use, in both directions.
    static let pairs: [([Int], [Int])] = [
        ([2, 3, 4, 5], [2, 3, 4, 5]), ([2, 3, 4, 5], [1, 3, 1, 1]), ([2, 3, 4, 5], [2, 3, 1, 1]),
        ([1, 3, 1, 1], [2, 3, 4, 5]), ([2, 3, 1, 1], [2, 3, 4, 5]), ([4, 6], [6]),
        ([4, 6], [1, 6]),
        ([4, 1], [1, 6]), ([2, 3, 4, 5], [5]),
    ]

    @Test(arguments: pairs) func broadcastMatchesNaiveLoops(_ a: [Int], _ b: [Int]) {
        let x = Self.inputs([a, b])
        let y = withoutGradient { Variable(x[0]) * Variable(x[1]) }.value
        // Reference: index each operand through right-aligned, stretched coordinates.
        let plan = Broadcast(a, b, op: "test")
        #expect(y.shape == plan.shape)
        let rank = y.shape.count
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        for i in 0..<y.count {
            var rest = i
            var ia = 0
            var ib = 0
            var sa = 1
            var sb = 1
            for d in stride(from: rank - 1, through: 0, by: -1) {
                let coord = rest % y.shape[d]
                rest /= y.shape[d]
                if pa[d] > 1 { ia += coord * sa }
                if pb[d] > 1 { ib += coord * sb }
                sa *= pa[d]
                sb *= pb[d]
            }
            #expect(y.data[i] == x[0].data[ia] * x[1].data[ib])
        }
    }

    @Test(arguments: pairs) func gradientsOfBinaryOps(_ a: [Int], _ b: [Int]) {
        var x = Self.inputs([a, b])
        x[1] = x[1].map { $0 + ($0 >= 0 ? 1.5 : -1.5) }  // keep the divisor away from 0
        for (name, op) in [
            ("+", { $0 + $1 }), ("-", { $0 - $1 }), ("*", { $0 * $1 }), ("/", { $0 / $1 }),
        ]
            as [(String, (Variable, Variable) -> Variable)]
        {
            let report = checkGradients(x) { v in op(v[0], v[1]) }
            #expect(report.passed, "\(name) \(a) \(b): \(report)")
        }
    }

    @Test func gradientsOfScalarOps() {
        let x = Self.inputs([[2, 3, 4]])
        let ops: [(String, (Variable) -> Variable)] = [
            ("x*s", { $0 * 2.5 }), ("s*x", { -0.5 * $0 }), ("x+s", { $0 + 3 }), ("s+x", { 3 + $0 }),
            ("x-s", { $0 - 1 }), ("s-x", { 1 - $0 }), ("-x", { -$0 }), ("x/s", { $0 / 4 }),
        ]
        for (name, op) in ops {
            let report = checkGradients(x) { v in op(v[0]) }
            #expect(report.passed, "\(name): \(report)")
        }
    }

    @Test func broadcastGradientIsASumOverStretchedDims() {
        let x = Self.inputs([[2, 3, 4, 5], [1, 3, 1, 1]])
        let (_, grads) = valueAndGradient(at: x) { v in sum(v[0] + v[1]) }
        #expect(grads[1].shape == [1, 3, 1, 1])
        #expect(grads[1].data == [40, 40, 40])
    }
}

/// Goldens from make_arithmetic.py (arithmetic.h5): +, -, *, / of `a` and `b` with
/// broadcasting (the shapes are beside each case), and with a scalar; gradients of
/// sum(y * grad_output).
@Suite struct ArithmeticGoldenTests {
    static let binary: [String: @Sendable (Variable, Variable) -> Variable] = [
        "add_same": { $0 + $1 },  // (2,3,4,5) + (2,3,4,5)
        "add_channel": { $0 + $1 },  // (2,3,4,5) + (1,3,1,1)
        "add_bias": { $0 + $1 },  // (4,6) + (6)
        "sub_sample_channel": { $0 - $1 },  // (2,3,4,5) - (2,3,1,1)
        "sub_left_channel": { $0 - $1 },  // (1,3,1,1) - (2,3,4,5)
        "mul_channel": { $0 * $1 },  // (2,3,4,5) * (1,3,1,1)
        "mul_left_sample_channel": { $0 * $1 },  // (2,3,1,1) * (2,3,4,5)
        "mul_outer": { $0 * $1 },  // (4,1) * (1,6)
        "div_channel": { $0 / $1 },  // (2,3,4,5) / (1,3,1,1) in U(0.5, 2)
    ]
    static let scalar: [String: @Sendable (Variable) -> Variable] = [
        "mul_scalar": { $0 * 2.5 }, "add_scalar": { $0 + 0.75 },
    ]

    @Test(arguments: binary.keys.sorted()) func binaryMatchesPyTorch(_ name: String) throws {
        try Fixture.case("arithmetic.h5", name).expectMatches(["a", "b"]) {
            Self.binary[name]!($0[0], $0[1])
        }
    }

    @Test(arguments: scalar.keys.sorted()) func scalarMatchesPyTorch(_ name: String) throws {
        try Fixture.case("arithmetic.h5", name).expectMatches(["x"]) { Self.scalar[name]!($0[0]) }
    }

    @Test func everyCaseIsTested() throws {
        let names = Array(Self.binary.keys) + Array(Self.scalar.keys)
        #expect(try Fixture.caseNames("arithmetic.h5") == names.sorted())
    }
}
