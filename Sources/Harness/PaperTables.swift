// The two papers' result tables as data, each number with the place it was read from.
// Source texts: /work/shared/papers/000_3976e3973b7b5965.txt (paper 1) and
// 004_d0083797cacbc441.txt (paper 2); checked number by number against those files.

/// Where a paper number was read: file, table, row and column as printed.
public struct PaperSource: Codable, Sendable, Equatable {
    /// File name of the paper's text under /work/shared/papers.
    public var paper: String
    /// Table as numbered in the paper, e.g. "Table 1" or "Table 2 (1)".
    public var table: String
    /// Row label as printed (translated).
    public var row: String
    /// Column label as printed.
    public var column: String
}

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

/// The name of paper 1's matrix cell for (setting, method), e.g. "single-supervised".
public func cellName(_ setting: Paper1Setting, _ method: Paper1Method) -> String {
    "\(setting.rawValue)-\(method.rawValue)"
}

/// Paper 2, generator input: label map (L), plus instance maps (L+I), plus position maps (L+I+P).
public enum SynthesisMethod: String, Codable, Sendable, CaseIterable {
    case l = "L", li = "L+I", lip = "L+I+P"
}

/// Paper 2, Table 1 metrics.
public enum SynthesisMetric: String, Codable, Sendable, CaseIterable {
    /// Mean instance colour variation of cars (x1e5; higher is better).
    case micvCar = "micv_car"
    /// Mean instance colour variation of persons (x1e5; higher is better).
    case micvPerson = "micv_person"
    /// Frechet Inception Distance (lower is better).
    case fid
    /// mIoU of a segmenter on generated images, as a fraction (higher is better).
    case miou

    /// True when larger values are better.
    public var higherIsBetter: Bool { self != .fid }
}

/// One number of paper 2 Table 1.
public struct SynthesisNumber: Codable, Sendable, Equatable {
    /// Row: L, L+I or L+I+P.
    public var method: SynthesisMethod
    /// Column.
    public var metric: SynthesisMetric
    /// The printed value.
    public var value: Double
    /// Where it was read.
    public var source: PaperSource
}

/// Paper 2 Table 2: the share of pairs in which `row` was chosen over `column`.
public struct PreferenceShare: Codable, Sendable, Equatable {
    /// Answering condition of the study.
    public enum Condition: String, Codable, Sendable, CaseIterable {
        case fiveSeconds = "within 5 s", unlimited = "no time limit"
    }
    /// Sub-table (1) or (2).
    public var condition: Condition
    /// The method chosen `share` of the time...
    public var row: SynthesisMethod
    /// ...against this one.
    public var column: SynthesisMethod
    /// Fraction of choices for `row`.
    public var share: Double
    /// Where it was read.
    public var source: PaperSource
}

/// The papers' tables.
public enum PaperTable {
    /// File name of paper 1's text.
    public static let paper1File = "000_3976e3973b7b5965.txt"
    /// File name of paper 2's text.
    public static let paper2File = "004_d0083797cacbc441.txt"

    /// Paper 1 Table 1 (mIoU %, 16 numbers), in the paper's row and column order.
    public static let paper1Table1: [PaperNumber] = {
        let rows: [(Paper1Setting, Paper1Method, String, [Double])] = [
            (.single, .supervised, "single-domain / supervised (conventional)", [61.83, 80.22, 41.99, 61.35]),
            (.single, .semi, "single-domain / semi-supervised (proposed)", [63.85, 81.45, 43.85, 63.05]),
            (.multi, .supervised, "multi-domain / supervised (conventional)", [63.24, 73.57, 50.18, 62.33]),
            (.multi, .semi, "multi-domain / semi-supervised (proposed)", [65.52, 77.60, 53.07, 65.40]),
        ]
        let columns: [(Paper1Domain, String)] = [
            (.city, "Cityscapes"), (.synth, "Synscapes"), (.bdd, "BDD100K"), (.mean, "mean"),
        ]
        return rows.flatMap { setting, method, label, values in
            zip(columns, values).map { column, value in
                PaperNumber(
                    setting: setting, method: method, domain: column.0, value: value,
                    source: PaperSource(paper: paper1File, table: "Table 1", row: label, column: column.1))
            }
        }
    }()

    /// Paper 1 Table 1's value for (setting, method, domain).
    public static func paper1(_ setting: Paper1Setting, _ method: Paper1Method, _ domain: Paper1Domain) -> Double {
        paper1Table1.first { $0.setting == setting && $0.method == method && $0.domain == domain }!.value
    }

    /// Paper 2 Table 1 (12 numbers), rows L+I+P, L+I, L as printed.
    public static let paper2Table1: [SynthesisNumber] = {
        let rows: [(SynthesisMethod, String, [Double])] = [
            (.lip, "L+I+P (proposed 2)", [5.12, 6.06, 16.84, 0.502]),
            (.li, "L+I (proposed 1)", [4.02, 4.76, 16.26, 0.479]),
            (.l, "L (conventional)", [3.76, 4.05, 23.22, 0.457]),
        ]
        let columns: [(SynthesisMetric, String)] = [
            (.micvCar, "MICV Car (x1e5)"), (.micvPerson, "MICV Person (x1e5)"), (.fid, "FID"), (.miou, "mIoU"),
        ]
        return rows.flatMap { method, label, values in
            zip(columns, values).map { column, value in
                SynthesisNumber(
                    method: method, metric: column.0, value: value,
                    source: PaperSource(paper: paper2File, table: "Table 1", row: label, column: column.1))
            }
        }
    }()

    /// Paper 2 Table 2 (1) and (2): 6 off-diagonal shares each.
    public static let paper2Table2: [PreferenceShare] = {
        let methods: [SynthesisMethod] = [.l, .li, .lip]
        // Matrices as printed, row chosen over column; the diagonal ("-") is nil.
        let tables: [(PreferenceShare.Condition, String, [[Double?]])] = [
            (.fiveSeconds, "Table 2 (1)", [[nil, 0.44, 0.31], [0.56, nil, 0.40], [0.69, 0.60, nil]]),
            (.unlimited, "Table 2 (2)", [[nil, 0.40, 0.34], [0.60, nil, 0.43], [0.66, 0.57, nil]]),
        ]
        return tables.flatMap { condition, table, matrix in
            methods.indices.flatMap { r in
                methods.indices.compactMap { c -> PreferenceShare? in
                    guard let share = matrix[r][c] else { return nil }
                    return PreferenceShare(
                        condition: condition, row: methods[r], column: methods[c], share: share,
                        source: PaperSource(
                            paper: paper2File, table: table, row: methods[r].rawValue,
                            column: methods[c].rawValue))
                }
            }
        }
    }()
}
