import Results

/// What decides CAC's effect, logged at every step of a semi-supervised run (issue 14): how
/// much of the unlabeled data is confident enough to be a target, how much becomes an anchor,
/// and how much of the loss the DC term is.
enum CACDiagnostics {
    /// The columns added to losses.csv, empty on steps without the DC loss:
    /// - confident: share of the overlap positions of both crops whose confidence (max
    ///   softmax of the head) is above the threshold;
    /// - selected: share of the overlap positions that are DC anchors (either direction);
    /// - dc_share: λ·DC / (CE + λ·DC), the DC loss's share of the domain's total loss.
    static let columns = ["confident", "selected", "dc_share"]

    /// The values of `columns` for head `head` of one step.
    static func values(_ log: StepLog, head: Int, config: SegmentationConfig) -> [Double?] {
        guard config.method == .semi, log.overlap[head] > 0 else { return [nil, nil, nil] }
        let overlap = Double(log.overlap[head])
        let ce = Double(log.ce[head])
        let weighted = config.lambda * Double(log.dc[head])
        return [
            Double(log.confident[head]) / (2 * overlap), Double(log.selected[head]) / overlap,
            weighted / (ce + weighted),
        ]
    }

    /// metrics.json series "cac/<column>/<domain>": per epoch with the DC loss on, the mean of
    /// the column over the epoch's steps (in key order of domains, then columns).
    static func series(_ losses: LossLog, config: SegmentationConfig) -> [(String, [Double])] {
        let first = 5  // epoch, ce, dc, total, lr come first
        var out: [(String, [Double])] = []
        for domain in config.domains {
            let rows = losses.rows.filter { $0.series == domain }
            for (c, column) in columns.enumerated() {
                var sums = [Double](repeating: 0, count: config.epochs)
                var counts = [Int](repeating: 0, count: config.epochs)
                for row in rows {
                    guard let epoch = row.values[0].map(Int.init), epoch < config.epochs,
                        let value = row.values[first + c]
                    else { continue }
                    sums[epoch] += value
                    counts[epoch] += 1
                }
                let means = zip(sums, counts).filter { $0.1 > 0 }.map { $0.0 / Double($0.1) }
                if !means.isEmpty { out.append(("cac/\(column)/\(domain)", means)) }
            }
        }
        return out
    }
}
