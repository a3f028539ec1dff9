import Foundation

/// A paper's experiment as the harness sees it: its cells, how a cell runs, what it measures,
/// its tables, claims and goldens. Every command (`list`, `run`, `verify`, `claims`, `diff`,
/// reports) works through this protocol; a paper is added by conforming to it in its own
/// target and registering it once (`Papers.all` in the Harness target).
public protocol Experiment: Sendable {
    /// Short id that prefixes the paper's cell names, e.g. "p1" for "p1/multi-semi".
    var id: String { get }
    /// A title for reports, e.g. "Paper 1: semi-supervised multi-domain segmentation".
    var title: String { get }
    /// Golden files are `<goldenSuite>-<profile>-seed<seed>.json`, e.g. "paper1".
    var goldenSuite: String { get }
    /// The cell `verify --self-check` runs twice (its name inside the paper).
    var selfCheckCell: String { get }
    /// Tolerance of regression goldens on another machine fingerprint (the default).
    var goldenTolerance: Tolerance { get }
    /// Tolerance of the golden of `metric` (e.g. "fid/city") on another machine fingerprint;
    /// `goldenTolerance` unless the experiment measured a better one per metric.
    func goldenTolerance(metric: String) -> Tolerance

    /// The paper's cells at `profile`, in a fixed order (`dataRoot`: real data, paper profile).
    func cells(_ profile: Profile, dataRoot: String?) -> [Cell]

    /// A one-line summary of a cell's size for `repro list` (model, iterations, images).
    func describe(_ cell: Cell) -> String

    /// Runs `cells` (all of this paper) for one master seed, in order; `log` gets one line per
    /// finished cell. Data shared by cells is prepared once.
    func run(_ cells: [Cell], seed: UInt64, options: RunOptions, log: (String) -> Void) throws
        -> [CellResult]

    /// The series (cell, domain, metric) over seeds that tables and claims read, from finished
    /// runs' metrics files of this paper.
    func series(_ runs: [MetricsFile]) -> [CellSeries]

    /// The paper's claims as rules over series.
    func claims() -> [Claim]

    /// The paper's result table(s) with the reproduced numbers beside them (Markdown).
    func tables(_ series: [CellSeries], profile: Profile) -> [(heading: String, markdown: String)]
}

extension Experiment {
    public func goldenTolerance(metric: String) -> Tolerance { goldenTolerance }

    /// The golden file name of a profile and seed, without ".json".
    public func goldenSuite(_ profile: Profile, seed: UInt64) -> String {
        "\(goldenSuite)-\(profile.rawValue)-seed\(seed)"
    }
}

/// How to run a cell: where results go, the master seed, threads, resume and checkpoints.
public struct RunOptions: Sendable {
    /// The master seed of the run.
    public var seed: UInt64 = 0
    /// Threads for OpenBLAS and the kernels' loops (recorded in the manifest).
    public var threads = 2
    /// The run folder; nil makes a new one under `<results>/runs`.
    public var folder: URL?
    /// Results root: runs go to `<resultsRoot>/runs`, cached data to `<resultsRoot>/data`.
    public var resultsRoot = URL(fileURLWithPath: "results")
    /// Continue from the checkpoints in `folder` (it must hold at least one).
    public var resume = false
    /// Write a checkpoint every this many iterations (and at the end of each track).
    public var checkpointEvery = 0
    /// Stop (as if killed) after this many iterations of the whole run; for resume tests.
    public var stopAfter: Int?
    /// Draw progress bars on standard error.
    public var progress = true
    /// Shards of every global batch (data parallelism): each is its own forward and backward,
    /// with its own batch-norm statistics, and the partial gradients are summed in shard
    /// order. 1 is plain training. The numbers depend on this count, not on `communicator`.
    public var shards = 1
    /// The processes sharing the shards (`shards` must be a multiple of its size).
    public var communicator: any Communicator = SingleProcess()
    /// Polled after every iteration: a signal number asks the run to write a checkpoint and
    /// stop (`RunError.stopped`). By default the SIGTERM / SIGUSR1 flag of `StopSignal`.
    public var stopRequested: @Sendable () -> Int32? = { StopSignal.requested }

    /// Default options: seed 0, 2 threads, results under ./results.
    public init() {}

    /// The folder runs are written to.
    public var runsRoot: URL { resultsRoot.appendingPathComponent("runs") }
}

/// The outcome of one cell run.
public struct CellResult: Sendable {
    /// The cell that ran.
    public let cell: Cell
    /// Its master seed.
    public let seed: UInt64
    /// Where it wrote manifest, losses, checkpoints and metrics.
    public let folder: RunFolder
    /// The final numbers.
    public let metrics: MetricsFile

    /// The outcome of `cell` under `seed`, written to `folder`.
    public init(cell: Cell, seed: UInt64, folder: RunFolder, metrics: MetricsFile) {
        self.cell = cell
        self.seed = seed
        self.folder = folder
        self.metrics = metrics
    }
}
