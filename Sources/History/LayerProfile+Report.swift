import Foundation
import Reports
import Results

extension LayerProfile {
    /// The profile as a Markdown table: per part forward and backward time, FLOPs, GFLOP/s,
    /// percent of the machine's peak and share of the step.
    public var markdown: String {
        let step = stepSeconds
        let phased = phases.count > 1
        func gflops(_ f: Double, _ s: Double) -> String {
            s > 0 ? Report.fixed(f / s * 1e-9, 2) : "-"
        }
        var rows: [[String]] = []
        for phase in phases {
            for r in self.rows where r.phase == phase {
                let fg = gflops(r.forwardFLOPs, r.forward)
                let bg = gflops(r.backwardFLOPs, r.backward)
                let total = r.forward + r.backward
                rows.append(
                    (phased ? [phase] : []) + [
                        r.name, Report.fixed(r.forward * 1e3, 2), Report.fixed(r.backward * 1e3, 2),
                        Report.number(r.forwardFLOPs * 1e-6, digits: 4), fg, bg,
                        total > 0
                            ? Report.fixed(
                                100 * (r.forwardFLOPs + r.backwardFLOPs) / total * 1e-9 / peak, 1)
                            : "-",
                        Report.fixed(100 * total / step, 1),
                    ])
            }
            for u in updates where u.phase == phase {
                rows.append(
                    (phased ? [phase] : []) + [
                        u.name, "", Report.fixed(u.seconds * 1e3, 2), "", "", "", "",
                        Report.fixed(100 * u.seconds / step, 1),
                    ])
            }
        }
        let total = self.rows.reduce(0) { $0 + $1.forwardFLOPs + $1.backwardFLOPs }
        var lines = [
            "# Profile of \(cell): input \(input.map(String.init).joined(separator: "x")), "
                + "\(threads) thread(s)", "",
            "Each part timed alone at its shapes inside the network (median); FLOPs count the "
                + "convolutions only. Machine peak (FMA loops): \(Report.fixed(peak, 1)) GFLOP/s.",
            "",
            Report.table(
                header: (phased ? ["phase"] : []) + [
                    "part", "forward ms", "backward ms", "forward MFLOP", "fwd GFLOP/s",
                    "bwd GFLOP/s", "% of peak", "% of step",
                ],
                rows: rows),
            "",
            "Step (sum of the parts): \(Report.fixed(step * 1e3, 2)) ms, "
                + "\(Report.fixed(total / step * 1e-9, 2)) GFLOP/s overall.",
        ]
        if let m = measuredStep {
            lines.append(
                "The whole step timed as it runs: \(Report.fixed(m * 1e3, 2)) ms (the parts "
                    + "account for \(Report.fixed(100 * step / m, 1))%).")
        }
        return (lines + [""]).joined(separator: "\n")
    }

    /// A Chrome trace (the JSON chrome://tracing and Perfetto open): the step laid out as it
    /// runs, per phase every forward in order, every backward in reverse order, then the
    /// phase's update.
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
        for phase in phases {
            let mine = rows.filter { $0.phase == phase }
            for r in mine { add("\(r.name) forward", "forward", r.forward, r.forwardFLOPs) }
            for r in mine.reversed() where r.backward > 0 || r.backwardFLOPs > 0 {
                add("\(r.name) backward", "backward", r.backward, r.backwardFLOPs)
            }
            for u in updates where u.phase == phase { add(u.name, "update", u.seconds, 0) }
        }
        struct Trace: Encodable {
            let traceEvents: [Event]
            let displayTimeUnit: String
        }
        return canonicalJSONData(Trace(traceEvents: events, displayTimeUnit: "ms"), pretty: true)
    }
}
