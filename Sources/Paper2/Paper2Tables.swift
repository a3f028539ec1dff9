// Paper 2's result tables as data, each number with the place it was read from.
// Source text: /work/shared/papers/004_d0083797cacbc441.txt, checked number by number.
import Results

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

/// Paper 2's tables.
public enum Paper2Table {
    /// File name of paper 2's text.
    public static let paper2File = "004_d0083797cacbc441.txt"

    /// Paper 2 Table 1 (12 numbers), rows L+I+P, L+I, L as printed.
    public static let paper2Table1: [SynthesisNumber] = {
        let rows: [(SynthesisMethod, String, [Double])] = [
            (.lip, "L+I+P (proposed 2)", [5.12, 6.06, 16.84, 0.502]),
            (.li, "L+I (proposed 1)", [4.02, 4.76, 16.26, 0.479]),
            (.l, "L (conventional)", [3.76, 4.05, 23.22, 0.457]),
        ]
        let columns: [(SynthesisMetric, String)] = [
            (.micvCar, "MICV Car (x1e5)"), (.micvPerson, "MICV Person (x1e5)"), (.fid, "FID"),
            (.miou, "mIoU"),
        ]
        return rows.flatMap { method, label, values in
            zip(columns, values).map { column, value in
                SynthesisNumber(
                    method: method, metric: column.0, value: value,
                    source: PaperSource(
                        paper: paper2File, table: "Table 1", row: label, column: column.1))
            }
        }
    }()

    /// Paper 2 Table 2 (1) and (2): 6 off-diagonal shares each.
    public static let paper2Table2: [PreferenceShare] = {
        let methods: [SynthesisMethod] = [.l, .li, .lip]
        // Matrices as printed, row chosen over column; the diagonal ("-") is nil.
        let tables: [(PreferenceShare.Condition, String, [[Double?]])] = [
            (
                .fiveSeconds, "Table 2 (1)",
                [[nil, 0.44, 0.31], [0.56, nil, 0.40], [0.69, 0.60, nil]]
            ),
            (
                .unlimited, "Table 2 (2)",
                [[nil, 0.40, 0.34], [0.60, nil, 0.43], [0.66, 0.57, nil]]
            ),
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
