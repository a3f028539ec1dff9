import Foundation
import Reports
import Results

extension StepBenchReport {
    /// The report as Markdown: totals with the time ratio and peak memory, then the profile.
    public var markdown: String {
        let o = options
        var out = """
            # \(o.model == .spade ? "SPADE training-iteration" : "DeepLabv3+ training-step") benchmark, \(date)

            - CPU: \(cpu); \(o.threads) thread\(o.threads == 1 ? "" : "s") per side; kernels: Swift \
            \(swift.kernels ?? "?"), PyTorch \(torch?.kernels ?? "-")
            \(networkLines)
            - \(stepRoundRatios?.count ?? o.rounds) rounds, each a fresh Swift process then a fresh PyTorch process, each with \
            \(o.warmup) warm-up and \(o.repeats) timed call\(o.repeats == 1 ? "" : "s") per measurement; medians of \
            the pooled samples (profile: median over rounds); peak RSS = the largest getrusage \
            ru_maxrss of a side's processes
            - Machine load (1-minute average) before / after: \(loadAverage.map { Report.fixed($0, 1) }.joined(separator: " / ")) \
            on \(ProcessInfo.processInfo.activeProcessorCount) cores
            - PyTorch: \(torch?.side ?? "not measured"); ratio = Swift time / PyTorch time (< 1: Swift is faster)

            | measurement | Swift | PyTorch | ratio |
            | --- | ---: | ---: | ---: |

            """
        let step = options.model == .spade ? "training iteration (s)" : "training step (s)"
        out += row(step, swift.stepSeconds, torch?.stepSeconds)
        out += row("forward (s)", swift.forwardSeconds, torch?.forwardSeconds)
        let mem = torch.map { Report.fixed($0.maxRSSMB, 0) } ?? "-"
        let memRatio = torch.map { Report.fixed(swift.maxRSSMB / $0.maxRSSMB, 2) } ?? "-"
        out += "| peak RSS (MiB) | \(Report.fixed(swift.maxRSSMB, 0)) | \(mem) | \(memRatio) |\n"
        out += roundLines
        if let profile = swift.profile {
            out += "\n" + profileTable(profile, torch?.profile)
        }
        return out
    }

    /// The ratios round by round and how far the step ratio can be trusted.
    private var roundLines: String {
        guard let steps = stepRoundRatios, let interval = stepRatioInterval else { return "" }
        func list(_ values: [Double]?) -> String {
            (values ?? []).map { Report.fixed($0, 2) }.joined(separator: ", ")
        }
        let tolerance = options.wantedTolerance
        let verdict =
            interval.confident
            ? "~90% interval of the median: \(Report.fixed(interval.low, 2))-"
                + "\(Report.fixed(interval.high, 2))"
                + (interval.isTight(tolerance)
                    ? "" : ", wider than +-\(Report.fixed(100 * tolerance, 0))%")
            : "fewer than 5 rounds give no ~90% interval"
        return """

            - Step ratio per round: \(list(steps)) (\(verdict)); forward ratio per round: \
            \(list(forwardRoundRatios)). The ratios above are of the pooled medians.

            """
    }

    /// What was trained, in two list items.
    private var networkLines: String {
        let o = options
        switch o.model {
        case .deeplab:
            let width = o.widthDivisor == 1 ? "50" : "50 / \(o.widthDivisor) width"
            return """
                - Network: CAC's DeepLabv3+, ResNet-\(width), output stride 16, one \
                \(o.classes)-class head; input \(o.batch)x3x\(o.height)x\(o.width), float32
                - Step: train-mode forward (CAC's dropout), bilinear upsampling, cross-entropy, \
                backward, SGD (momentum 0.9, weight decay 1e-4). Forward: eval mode, no autograd.
                """
        case .spade:
            return """
                - Network: paper 2's \(o.variant) SPADE generator (ngf \(64 / o.widthDivisor), \
                spectral norm, synchronized batch norm as plain batch norm in one process) and \
                multi-scale discriminator (2 scales, 4 layers, ndf \(64 / o.widthDivisor)); \
                \(o.batch) scene\(o.batch == 1 ? "" : "s") of \(o.height)x\(o.width) with 10 \
                instances each, float32
                - Step: one training iteration in SPADE's order: generator step (hinge + feature \
                matching, Adam) then discriminator step on a fresh fake (hinge, Adam); TTUR, \
                betas (0, 0.9). Forward: the generator in eval mode, no autograd.
                """
        }
    }

    private func row(_ name: String, _ ours: [Double], _ theirs: [Double]?) -> String {
        let t = theirs.map { Report.fixed(median($0), 3) } ?? "-"
        let r = theirs.map { Report.fixed(median(ours) / median($0), 2) } ?? "-"
        return "| \(name) | \(Report.fixed(median(ours), 3)) | \(t) | \(r) |\n"
    }

    /// Per part: forward and forward + backward times, share of the parts' total, ratio.
    private func profileTable(_ ours: [StepProfileRow], _ theirs: [StepProfileRow]?) -> String {
        let total = ours.reduce(0) { $0 + $1.forwardBackward }
        let theirTotal = theirs?.reduce(0) { $0 + $1.forwardBackward }
        var out = """
            Per-part profile (each part alone at its in-network shapes, train mode; fwd+bwd \
            includes input and parameter gradients; the optimizer rows (sgd, adam_*) are the \
            update alone; share = part / sum of the parts' fwd+bwd)

            | part | Swift fwd (ms) | Swift fwd+bwd (ms) | share | PyTorch fwd (ms) | PyTorch fwd+bwd (ms) | share | ratio fwd+bwd |
            | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |

            """
        for r in ours {
            let t = theirs?.first { $0.name == r.name }
            let tf = t.map { Report.fixed($0.forward * 1e3, 0) } ?? "-"
            let tb = t.map { Report.fixed($0.forwardBackward * 1e3, 0) } ?? "-"
            let ts =
                t.flatMap { row in
                    theirTotal.map { Report.fixed(100 * row.forwardBackward / $0, 1) + " %" }
                } ?? "-"
            let ratio = t.map { Report.fixed(r.forwardBackward / $0.forwardBackward, 2) } ?? "-"
            out +=
                "| \(r.name) | \(Report.fixed(r.forward * 1e3, 0)) | \(Report.fixed(r.forwardBackward * 1e3, 0)) | "
            out +=
                "\(Report.fixed(100 * r.forwardBackward / total, 1)) % | \(tf) | \(tb) | \(ts) | \(ratio) |\n"
        }
        let tt = theirTotal.map { Report.fixed($0 * 1e3, 0) } ?? "-"
        out +=
            "| sum | | \(Report.fixed(total * 1e3, 0)) | | | \(tt) | | \(theirTotal.map { Report.fixed(total / $0, 2) } ?? "-") |\n"
        return out
    }
}
