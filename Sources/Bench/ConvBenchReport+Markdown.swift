import Foundation
import Reports

extension ConvBenchRow {
    /// The row of the Markdown table.
    public var markdownLine: String {
        let theirs = torchGflops.map { Report.fixed($0, 1) } ?? "-"
        let r = ratio.map { Report.fixed($0, 2) } ?? "-"
        let range =
            interval.map {
                let flag = $0.confident ? "" : " (n<5)"
                return "\(Report.fixed($0.low, 2))-\(Report.fixed($0.high, 2))\(flag)"
            } ?? "-"
        let ours = Report.fixed(100 * swiftPeakFraction, 0)
        let torchPeak = torchPeakFraction.map { Report.fixed(100 * $0, 0) } ?? "-"
        return "| \(shape) | \(pass) | \(threads) | \(Report.fixed(swiftGflops, 1)) | \(theirs) "
            + "| \(r) | \(range) | \(samples) | \(ours) | \(torchPeak) |"
    }
}

extension ConvBenchReport {
    /// The report as Markdown: machine facts, one table row per measurement, geometric means.
    public var markdown: String {
        let load = loadAverage.map { Report.fixed($0, 2) }.joined(separator: " / ")
        let loose = rows.filter { $0.interval.map { !$0.isTight(tolerance) } ?? false }.count
        var out = """
            # Convolution benchmark, \(date)

            - CPU: \(cpu); FMA peak (\(peak.isa) loops): \(Report.fixed(peak.perCore, 1)) GFLOP/s per core, \
            \(Report.fixed(peak.total, 1)) GFLOP/s on \(peak.threads) thread\(peak.threads == 1 ? "" : "s") at once \
            (best of 5 runs of 0.1 s each)
            - OpenBLAS core: \(blasCore)\(blasCoreOverride.map { ", forced by OPENBLAS_CORETYPE=\($0)" } ?? ", detected") \
            (\(blasConfig))
            - PyTorch: \(torchVersion ?? "not measured")\(torchOMPWaitPolicy.map { " (OMP_WAIT_POLICY=\($0))" } ?? ""); batch \(batch), float32, median of >= \(repeats) \
            interleaved samples per side, each sample the mean time per call over >= \
            \(Report.fixed(minSampleSeconds * 1000, 0)) ms of calls
            - FLOPs per pass = 2 * N * Cout * Ho * Wo * Cin * k * k; shape = Cin,Cout,k,stride,dilation,H,W; \
            padding = dilation * (k - 1) / 2; ratio = Swift speed / PyTorch speed
            - Machine load (1-minute average) before / after: \(load)
            - ratio interval: distribution-free ~90% interval of the median of paired ratios; \
            sampling continues past \(repeats) pairs (up to \(maxRepeats)) until it is within \
            +-\(Report.fixed(tolerance * 100, 0))% of the ratio; \(loose) of \(rows.count) rows stayed wider
            - % peak: GFLOP/s over the FMA peak at the row's thread count; times are \
            \(cpuClock ? "CPU seconds of each process (all threads)" : "wall-clock seconds")

            | shape | pass | threads | Swift GFLOP/s | PyTorch GFLOP/s | ratio | interval | pairs \
            | Swift % peak | PyTorch % peak |
            | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |

            """
        for row in rows { out += row.markdownLine + "\n" }
        out += "\n"
        for threads in Set(rows.map(\.threads)).sorted() {
            let count = rows.filter { $0.threads == threads }.count
            if let g = geometricMeanRatio(threads: threads) {
                out +=
                    "- geometric mean ratio at \(threads) thread\(threads == 1 ? "" : "s") (\(count) pairs): \(Report.fixed(g, 3))\n"
            }
        }
        return out
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
