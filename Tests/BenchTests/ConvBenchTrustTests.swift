import Bench
import Testing

/// `repro bench conv` on a shared machine: the ratio's interval, sampling until it is tight,
/// the peak per thread count, and the load and interval in the report.
@Suite struct ConvBenchTrustTests {
    @Test func intervalUsesOrderStatistics() {
        // n = 5: P(X < 1) = 1/32 <= 5%, P(X < 2) = 6/32 > 5%, so the range [x(1), x(5)].
        let five = RatioInterval([1.3, 0.9, 1.0, 1.1, 1.2])
        #expect(five.median == 1.1 && five.low == 0.9 && five.high == 1.3 && five.confident)
        // n = 8: P(X < 2) = 9/256 <= 5%, so [x(2), x(7)].
        let eight = RatioInterval([1, 2, 3, 4, 5, 6, 7, 8])
        #expect(eight.median == 4.5 && eight.low == 2 && eight.high == 7 && eight.confident)
        // n = 3 cannot reach 90%: the full range, not confident, never tight.
        let three = RatioInterval([1, 1, 1])
        #expect(!three.confident && three.low == 1 && three.high == 1 && !three.isTight(0.5))
        #expect(abs(five.relativeHalfWidth - 0.2 / 1.1) < 1e-12)
    }

    @Test func samplingStopsWhenTight() {
        // Identical pairs: tight as soon as the minimum (5) is reached.
        let steady = sampleUntilTight(minimum: 5, maximum: 11, tolerance: 0.05) { _ in (1, 2) }
        #expect(steady.count == 5)
        // Alternating 1x and 2x ratios never get within 5%: stops at the maximum.
        let noisy = sampleUntilTight(minimum: 3, maximum: 9, tolerance: 0.05) { r in
            (1, r % 2 == 0 ? 1 : 2)
        }
        #expect(noisy.count == 9)
        #expect(noisy.map(\.swift) == Array(repeating: 1, count: 9))
        // A maximum below the minimum still takes the minimum.
        #expect(sampleUntilTight(minimum: 4, maximum: 1, tolerance: 1) { _ in (1, 1) }.count == 4)
    }

    @Test func shapeSpecsRoundTripAndRejectNonsense() {
        let layer4 = ConvShape(parsing: "512, 512,3,1,2,16,32")
        #expect(layer4 == ConvShape(512, 512, 3, 1, 2, 16, 32))
        #expect(layer4?.padding == 2)
        for shape in ConvShape.paper { #expect(ConvShape(parsing: shape.description) == shape) }
        for bad in [
            "", "512,512,3,1,2,16", "512,512,3,1,2,16,32,1", "512,0,3,1,1,8,8",
            "a,512,3,1,1,8,8", "4,4,1,1,-1,8,8", "4,4,4,1,1,1,1",
        ] {
            #expect(ConvShape(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func peakPerThreadCount() {
        let peak = MachinePeak(isa: "avx512f", perCore: 100, total: 180, threads: 2)
        #expect(peak.gflops(threads: 1) == 100)
        #expect(peak.gflops(threads: 2) == 180)
        #expect(peak.gflops(threads: 4) == 180)
    }

    /// A Swift-only run of a tiny shape: load before and after, the peak fractions and the
    /// number of samples reach the report.
    @Test func reportCarriesLoadAndPeakFraction() throws {
        var options = ConvBenchOptions()
        options.shapes = [ConvShape(4, 4, 3, 1, 1, 8, 8)]
        options.passes = [.forward]
        options.threads = [1]
        options.repeats = 2
        options.minSampleSeconds = 0
        let report = try runConvBench(options)
        #expect(report.loadAverage.count == 2)
        let row = try #require(report.rows.first)
        #expect(row.samples == 2 && row.interval == nil && row.peak > 0)
        #expect(row.swiftPeakFraction > 0)
        #expect(report.markdown.contains("Machine load (1-minute average) before / after"))
        #expect(report.markdown.contains("| Swift % peak | PyTorch % peak |"))
    }
}
