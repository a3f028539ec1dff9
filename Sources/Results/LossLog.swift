import Foundation

/// One logged training step: the step, the series it belongs to and one value per column.
public struct LossRow: Sendable, Equatable {
    /// Optimizer step (0-based, counted over the whole run).
    public var step: Int
    /// The curve the row belongs to, e.g. a domain ("city") or a network ("G"); no commas.
    public var series: String
    /// One value per `LossLog.columns` entry; nil is an empty CSV field (not measured).
    public var values: [Double?]

    /// A row; `series` must not contain commas or newlines.
    public init(step: Int, series: String, values: [Double?]) {
        precondition(
            !series.contains(",") && !series.contains("\n"),
            "LossRow: series '\(series)' must not contain commas or newlines")
        self.step = step
        self.series = series
        self.values = values
    }
}

/// The loss curves of a run, written as losses.csv: `step,<seriesColumn>,<columns...>`.
///
/// The experiment names the columns (paper 1: epoch, ce, dc, total, lr per domain; a GAN its
/// generator and discriminator terms). Numbers are formatted with "%.9g": 9 significant digits
/// give back every `Float` exactly and the text is the same on every machine, so two
/// bitwise-identical runs write identical files.
public struct LossLog: Sendable, Equatable {
    /// Name of the series column, e.g. "domain".
    public let seriesColumn: String
    /// Names of the value columns, in order.
    public let columns: [String]
    /// Rows in the order they were appended.
    public private(set) var rows: [LossRow]

    /// An empty log with these columns; names must be distinct and free of commas.
    public init(seriesColumn: String, columns: [String], rows: [LossRow] = []) {
        let all = ["step", seriesColumn] + columns
        precondition(Set(all).count == all.count, "LossLog: repeated column in \(all)")
        precondition(
            !all.contains { $0.contains(",") || $0.isEmpty }, "LossLog: bad column in \(all)")
        self.seriesColumn = seriesColumn
        self.columns = columns
        self.rows = []
        for r in rows { append(r) }
    }

    /// The CSV header line.
    public var header: String { (["step", seriesColumn] + columns).joined(separator: ",") }

    /// Adds a row at the end; it must have one value per column.
    public mutating func append(_ row: LossRow) {
        precondition(
            row.values.count == columns.count,
            "LossLog: row of step \(row.step) has \(row.values.count) values for \(columns.count) columns"
        )
        rows.append(row)
    }

    /// Keeps only the rows for which `keep` is true (to continue a log from a checkpoint).
    public mutating func filter(_ keep: (LossRow) -> Bool) { rows = rows.filter(keep) }

    /// The values of `column` for `series`, with their steps (nil values skipped).
    public func curve(_ column: String, series: String) -> [(step: Int, value: Double)] {
        guard let c = columns.firstIndex(of: column) else { return [] }
        return rows.compactMap { r in
            guard r.series == series, let v = r.values[c] else { return nil }
            return (r.step, v)
        }
    }

    /// The distinct series, in first-appearance order.
    public var seriesNames: [String] {
        var names: [String] = []
        for r in rows where !names.contains(r.series) { names.append(r.series) }
        return names
    }

    /// The whole log as CSV text, header first, one line per row, ending with a newline.
    public var csv: String {
        ([header] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// One CSV line (no newline).
    func line(_ r: LossRow) -> String {
        (["\(r.step)", r.series] + r.values.map { $0.map(Self.number) ?? "" })
            .joined(separator: ",")
    }

    /// Parses CSV text written by `csv`; `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws -> LossLog {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let first = lines.first else {
            throw HarnessFileError(path: path, problem: "empty file, expected a CSV header")
        }
        let names = first.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names.count >= 2, names[0] == "step", Set(names).count == names.count,
            !names.contains("")
        else {
            throw HarnessFileError(
                path: path, problem: "first line '\(first)' is not a loss-log header")
        }
        lines.removeFirst()
        var log = LossLog(seriesColumn: names[1], columns: Array(names.dropFirst(2)))
        for (i, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func bad(_ what: String) -> HarnessFileError {
                HarnessFileError(path: path, problem: "line \(i + 2): \(what) in '\(line)'")
            }
            guard f.count == names.count else {
                throw bad("\(f.count) fields, expected \(names.count)")
            }
            guard let step = Int(f[0]) else { throw bad("bad step") }
            var values: [Double?] = []
            for field in f.dropFirst(2) {
                if field.isEmpty {
                    values.append(nil)
                } else if let v = Double(field) {
                    values.append(v)
                } else {
                    throw bad("bad number '\(field)'")
                }
            }
            log.append(LossRow(step: step, series: f[1], values: values))
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
