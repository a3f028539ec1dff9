// Paper 1's result table as data, each number with the place it was read from.
// Source text: /work/shared/papers/000_3976e3973b7b5965.txt, checked number by number.
import Results

/// Paper 1, training setting: one model per domain, or one multi-head model for all.
public enum Paper1Setting: String, Codable, Sendable, CaseIterable { case single, multi }
/// Paper 1, method: supervised on the labeled 1/8 only, or semi-supervised with CAC.
public enum Paper1Method: String, Codable, Sendable, CaseIterable { case supervised, semi }
/// Paper 1, evaluation domain (Cityscapes, Synscapes, BDD100K) or the mean of the three.
public enum Paper1Domain: String, Codable, Sendable, CaseIterable { case city, synth, bdd, mean }

/// One number of paper 1 Table 1: mIoU in percent of a (setting, method) row on a domain.
public struct PaperNumber: Codable, Sendable, Equatable {
    /// Single- or multi-domain training.
    public var setting: Paper1Setting
    /// Supervised or semi-supervised.
    public var method: Paper1Method
    /// Evaluation domain (column).
    public var domain: Paper1Domain
    /// mIoU in percent.
    public var value: Double
    /// Where it was read.
    public var source: PaperSource

    /// The matrix cell this row corresponds to, e.g. "multi-semi".
    public var cell: String { cellName(setting, method) }
}

/// The name of paper 1's matrix cell for (setting, method), e.g. "p1/single-supervised".
public func cellName(_ setting: Paper1Setting, _ method: Paper1Method) -> String {
    "p1/\(setting.rawValue)-\(method.rawValue)"
}

/// Paper 1's table.
public enum Paper1Table {
    /// File name of paper 1's text.
    public static let paper1File = "000_3976e3973b7b5965.txt"

    /// Paper 1 Table 1 (mIoU %, 16 numbers), in the paper's row and column order.
    public static let paper1Table1: [PaperNumber] = {
        let rows: [(Paper1Setting, Paper1Method, String, [Double])] = [
            (
                .single, .supervised, "single-domain / supervised (conventional)",
                [61.83, 80.22, 41.99, 61.35]
            ),
            (
                .single, .semi, "single-domain / semi-supervised (proposed)",
                [63.85, 81.45, 43.85, 63.05]
            ),
            (
                .multi, .supervised, "multi-domain / supervised (conventional)",
                [63.24, 73.57, 50.18, 62.33]
            ),
            (
                .multi, .semi, "multi-domain / semi-supervised (proposed)",
                [65.52, 77.60, 53.07, 65.40]
            ),
        ]
        let columns: [(Paper1Domain, String)] = [
            (.city, "Cityscapes"), (.synth, "Synscapes"), (.bdd, "BDD100K"), (.mean, "mean"),
        ]
        return rows.flatMap { setting, method, label, values in
            zip(columns, values).map { column, value in
                PaperNumber(
                    setting: setting, method: method, domain: column.0, value: value,
                    source: PaperSource(
                        paper: paper1File, table: "Table 1", row: label, column: column.1))
            }
        }
    }()

    /// Paper 1 Table 1's value for (setting, method, domain).
    public static func paper1(
        _ setting: Paper1Setting, _ method: Paper1Method, _ domain: Paper1Domain
    ) -> Double {
        paper1Table1.first { $0.setting == setting && $0.method == method && $0.domain == domain }!
            .value
    }
}
