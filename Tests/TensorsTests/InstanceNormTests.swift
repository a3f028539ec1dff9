import TestSupport
import Testing

@testable import Tensors

@Suite struct InstanceNormTests {
    @Test func gradients() {
        let x = Sample.normal([2, 3, 4, 5], seed: 1, mean: -0.3, std: 1.5)
        let report = checkGradients([x]) { instanceNorm2d($0[0]) }
        #expect(report.passed, "\(report)")
    }

    /// Every (n, c) plane comes out with mean 0 and biased variance 1 (up to eps).
    @Test func planesAreNormalised() {
        let (n, c, hw) = (2, 3, 35)
        let x = Sample.normal([n, c, 5, 7], seed: 2, mean: 3, std: 4)
        let y = instanceNorm2d(Variable(x)).value
        for plane in 0..<n * c {
            let values = (0..<hw).map { Double(y.data[plane * hw + $0]) }
            let mean = values.reduce(0, +) / Double(hw)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(hw)
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-5)
        }
    }
}

/// Goldens from make_normalization.py (normalization.h5): F.instance_norm(x, eps=1e-5) on
/// random (2, 3, 5, 4) and (1, 2, 7, 6) inputs, gradients of sum(y * grad_output).
@Suite struct InstanceNormGoldenTests {
    static let cases = ["instance_norm_a", "instance_norm_b"]

    @Test(arguments: cases) func matchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("normalization.h5", name)
        #expect(try c.double("eps") == 1e-5)
        try c.expectMatches(["x"], gradAtol: 1e-4) { instanceNorm2d($0[0]) }
    }
}
