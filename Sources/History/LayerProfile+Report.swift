import Foundation
import Reports
import Results

extension LayerProfile {
    /// The profile as a Markdown table: per part forward and backward time, FLOPs, GFLOP/s,
    /// percent of the machine's peak and share of the step.
    public var markdown: String {
        let step = stepSeconds
        func gflops(_ f: Double, _ s: Double) -> String {
            s > 0 ? Report.fixed(f / s * 1e-9, 2) : "-"
        }
        var rows = self.rows.map { r in
            let fg = gflops(r.forwardFLOPs, r.forward), bg = gflops(r.backwardFLOPs, r.backward)
            return [
                r.name, Report.fixed(r.forward * 1e3, 2), Report.fixed(r.backward * 1e3, 2),
                Report.number(r.forwardFLOPs * 1e-6, digits: 4),
                fg, bg,
                Report.fixed(
                    100 * (r.forwardFLOPs + r.backwardFLOPs)
                        / (r.forward + r.backward) * 1e-9 / peak, 1),
                Report.fixed(100 * (r.forward + r.backward) / step, 1),
            ]
        }
        rows.append([
            "sgd update", "", Report.fixed(update * 1e3, 2), "", "", "", "",
            Report.fixed(100 * update / step, 1),
        ])
        let total = self.rows.reduce(0) { $0 + $1.forwardFLOPs + $1.backwardFLOPs }
        return [
            "# Profile of \(cell): input \(input.map(String.init).joined(separator: "x")), "
                + "\(threads) thread(s)", "",
            "Each part timed alone at its shapes inside the network (median); FLOPs count the "
                + "convolutions only. Machine peak (FMA loops): \(Report.fixed(peak, 1)) GFLOP/s.",
            "",
            Report.table(
                header: [
                    "part", "forward ms", "backward ms", "forward MFLOP", "fwd GFLOP/s",
                    "bwd GFLOP/s", "% of peak", "% of step",
                ],
                rows: rows),
            "",
            "Step (sum of the parts): \(Report.fixed(step * 1e3, 2)) ms, "
                + "\(Report.fixed(total / step * 1e-9, 2)) GFLOP/s overall.",
            "",
        ].joined(separator: "\n")
    }

    /// A Chrome trace (the JSON chrome://tracing and Perfetto open): the step laid out as it
    /// runs, every forward in order, every backward in reverse order, then the update.
    public var chromeTrace: Data {
        struct Event: Encodable {
            let name: String, cat: String, ph: String, ts: Double, dur: Double, pid: Int, tid: Int
            let args: [String: Double]
        }
        var events: [Event] = []
        var t = 0.0
        func add(_ name: String, _ cat: String, _ seconds: Double, _ flops: Double) {
            let args = flops > 0 ? ["flops": flops, "gflops_per_s": flops / seconds * 1e-9] : [:]
            events.append(
                Event(
                    name: name, cat: cat, ph: "X", ts: t * 1e6, dur: seconds * 1e6, pid: 1, tid: 1,
                    args: args))
            t += seconds
        }
        for r in rows { add("\(r.name) forward", "forward", r.forward, r.forwardFLOPs) }
        for r in rows.reversed() {
            add("\(r.name) backward", "backward", r.backward, r.backwardFLOPs)
        }
        add("sgd update", "update", update, 0)
        struct Trace: Encodable {
            let traceEvents: [Event]
            let displayTimeUnit: String
        }
        return canonicalJSONData(Trace(traceEvents: events, displayTimeUnit: "ms"), pretty: true)
    }
}
