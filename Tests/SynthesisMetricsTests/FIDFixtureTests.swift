import TestSupport
import Testing

@testable import Storage
@testable import SynthesisMetrics

/// FID against pytorch-fid on seeded features (Tests/Fixtures/fid.h5, make_fid.py).
@Suite struct FIDFixtureTests {
    /// The features of `name` as a FeatureMatrix (float32 in the file, widened to Float64).
    static func features(_ file: HDF5File, _ name: String) throws -> FeatureMatrix {
        let t = try file.tensor(name)
        return FeatureMatrix(count: t.shape[0], dimension: t.shape[1], float32: t.data)
    }

    /// A float64 dataset at full precision (Storage's public readers give float32).
    static func doubles(_ file: HDF5File, _ name: String) throws -> [Double] {
        var out = [Double](repeating: 0, count: try file.shape(of: name).reduce(1, *))
        try out.withUnsafeMutableBytes { try file.read(.dataset(name), as: .float64, into: $0) }
        return out
    }

    func check(_ name: String, scipyTolerance: Double) throws {
        let file = try Fixture.open("fid.h5")
        let x = try Self.features(file, "\(name).x")
        let y = try Self.features(file, "\(name).y")
        let sx = try FID.statistics(features: x)
        let sy = try FID.statistics(features: y)
        // Statistics as np.mean / np.cov(rowvar=False), to rounding.
        for (mine, key) in [(sx.mean, "mu_x"), (sy.mean, "mu_y")] {
            let ref = try Self.doubles(file, "\(name).\(key)")
            #expect(zip(mine, ref).allSatisfy { abs($0 - $1) <= 1e-13 * max(1, abs($1)) }, "\(key)")
        }
        for (mine, key) in [(sx.covariance, "sigma_x"), (sy.covariance, "sigma_y")] {
            let ref = try Self.doubles(file, "\(name).\(key)")
            let scale = ref.map { abs($0) }.max()!
            #expect(zip(mine, ref).allSatisfy { abs($0 - $1) <= 1e-13 * scale }, "\(key)")
        }
        let d = try FID.distance(sx, sy)
        let attrs = try file.doubleAttribute("fid_svd", of: "\(name).x")
        let scipy = try file.doubleAttribute("fid_scipy", of: "\(name).x")
        #expect(relativeClose(d.value, attrs, 1e-9), "\(d.value) vs exact \(attrs)")
        #expect(relativeClose(d.value, scipy, scipyTolerance), "\(d.value) vs scipy \(scipy)")
        #expect(d.offset == 0 && d.imaginaryPart < FID.imaginaryTolerance)
    }

    /// Full rank: pytorch-fid (scipy sqrtm) and the symmetric route agree to 1e-9 (measured
    /// ~5e-15).
    @Test func fullRankMatchesPytorchFID() throws {
        try check("full_rank", scipyTolerance: 1e-9)
    }

    /// 48 and 40 images of 96 features (covariance ranks 47 and 39): the exact value (an SVD
    /// of the centred cross product, a route that never forms Σ₁Σ₂) to 1e-9 (measured
    /// ~1e-15); scipy's sqrtm carries √ε-size noise from the null space (measured 2.7e-8).
    @Test func rankDeficientMatchesPytorchFID() throws {
        try check("rank_deficient", scipyTolerance: 1e-7)
    }
}
