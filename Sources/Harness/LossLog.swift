import Foundation

/// One logged training step of one domain: losses and learning rate.
public struct LossRow: Sendable, Equatable {
    /// Optimizer step (0-based, counted over the whole run).
    public var step: Int
    /// Epoch the step belongs to (0-based).
    public var epoch: Int
    /// Domain (head) the losses belong to, e.g. "city"; no commas.
    public var domain: String
    /// Supervised cross-entropy.
    public var ce: Double
    /// Directional contrastive loss; nil for supervised runs (an empty CSV field).
    public var dc: Double?
    /// The loss that was back-propagated for this domain (ce + lambda * dc).
    public var total: Double
    /// Learning rate used at this step.
    public var lr: Double

    /// A row; `domain` must not contain commas or newlines.
    public init(step: Int, epoch: Int, domain: String, ce: Double, dc: Double?, total: Double, lr: Double) {
        precondition(
            !domain.contains(",") && !domain.contains("\n"),
            "LossRow: domain '\(domain)' must not contain commas or newlines")
        self.step = step
        self.epoch = epoch
        self.domain = domain
        self.ce = ce
        self.dc = dc
        self.total = total
        self.lr = lr
    }
}

/// The loss curve of a run, written as losses.csv (columns `LossLog.header`).
///
/// Numbers are formatted with "%.9g": 9 significant digits give back every `Float` exactly and
/// the text is the same on every machine, so two bitwise-identical runs write identical files.
public struct LossLog: Sendable, Equatable {
    /// The CSV header line.
    public static let header = "step,epoch,domain,ce,dc,total,lr"

    /// Rows in the order they were appended.
    public private(set) var rows: [LossRow]

    /// A log holding `rows`.
    public init(rows: [LossRow] = []) { self.rows = rows }

    /// Adds a row at the end.
    public mutating func append(_ row: LossRow) { rows.append(row) }

    /// Keeps only rows with `step < step` (to continue a log from a checkpoint at `step`).
    public mutating func truncate(before step: Int) { rows.removeAll { $0.step >= step } }

    /// The whole log as CSV text, header first, one line per row, ending with a newline.
    public var csv: String {
        ([Self.header] + rows.map(Self.line)).joined(separator: "\n") + "\n"
    }

    /// One CSV line (no newline).
    public static func line(_ r: LossRow) -> String {
        let fields = [
            "\(r.step)", "\(r.epoch)", r.domain, number(r.ce), r.dc.map(number) ?? "", number(r.total),
            number(r.lr),
        ]
        return fields.joined(separator: ",")
    }

    /// Parses CSV text written by `csv`; `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws -> LossLog {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard lines.first == header else {
            throw HarnessFileError(path: path, problem: "first line is not the header '\(header)'")
        }
        lines.removeFirst()
        var log = LossLog()
        for (i, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func bad(_ what: String) -> HarnessFileError {
                HarnessFileError(path: path, problem: "line \(i + 2): \(what) in '\(line)'")
            }
            guard f.count == 7 else { throw bad("\(f.count) fields, expected 7") }
            guard let step = Int(f[0]), let epoch = Int(f[1]) else { throw bad("bad step or epoch") }
            guard let ce = Double(f[3]), let total = Double(f[5]), let lr = Double(f[6]) else {
                throw bad("bad number")
            }
            var dc: Double?
            if !f[4].isEmpty {
                guard let v = Double(f[4]) else { throw bad("bad dc") }
                dc = v
            }
            log.append(LossRow(step: step, epoch: epoch, domain: f[2], ce: ce, dc: dc, total: total, lr: lr))
        }
        return log
    }

    /// Reads a losses.csv file.
    public static func read(from url: URL) throws -> LossLog {
        try parse(String(decoding: ResultFile.read(url), as: UTF8.self), path: url.path)
    }

    /// Writes the log to `url` atomically.
    public func write(to url: URL) throws { try ResultFile.write(csv, to: url) }

    static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.9g", x)
    }
}
