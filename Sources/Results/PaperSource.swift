// Where a paper's golden number was read. Source texts: /work/shared/papers (the papers'
// README gives English tables).

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

    /// A number read from `paper`'s `table`, at (`row`, `column`) as printed.
    public init(paper: String, table: String, row: String, column: String) {
        self.paper = paper
        self.table = table
        self.row = row
        self.column = column
    }
}
