import Foundation
import Reports

extension ConvBenchRow {
    /// The row of the Markdown table.
    public var markdownLine: String {
        let theirs = torchGflops.map { Report.fixed($0, 1) } ?? "-"
        let r = ratio.map { Report.fixed($0, 2) } ?? "-"
        return
            "| \(shape) | \(pass) | \(threads) | \(Report.fixed(swiftGflops, 1)) | \(theirs) | \(r) |"
    }
}

extension ConvBenchReport {
    /// The report as Markdown: machine facts, one table row per measurement, geometric means.
    public var markdown: String {
        var out = """
            # Convolution benchmark, \(date)

            - CPU: \(cpu); FMA peak (\(peak.isa) loops): \(Report.fixed(peak.perCore, 1)) GFLOP/s per core, \
            \(Report.fixed(peak.total, 1)) GFLOP/s on \(peak.threads) thread\(peak.threads == 1 ? "" : "s") at once \
            (best of 5 runs of 0.1 s each)
            - OpenBLAS core: \(blasCore)\(blasCoreOverride.map { ", forced by OPENBLAS_CORETYPE=\($0)" } ?? ", detected") \
            (\(blasConfig))
            - PyTorch: \(torchVersion ?? "not measured")\(torchOMPWaitPolicy.map { " (OMP_WAIT_POLICY=\($0))" } ?? ""); batch \(batch), float32, median of \(repeats) \
            interleaved samples per side, each sample the mean time per call over >= \
            \(Report.fixed(minSampleSeconds * 1000, 0)) ms of calls
            - FLOPs per pass = 2 * N * Cout * Ho * Wo * Cin * k * k; shape = Cin,Cout,k,stride,dilation,H,W; \
            padding = dilation * (k - 1) / 2; ratio = Swift speed / PyTorch speed

            | shape | pass | threads | Swift GFLOP/s | PyTorch GFLOP/s | ratio |
            | --- | --- | ---: | ---: | ---: | ---: |

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
