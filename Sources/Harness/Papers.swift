import Paper1
import Paper2
import Results

/// The registered papers. Adding a paper is one line here plus its own target.
public enum Papers {
    /// Every registered experiment, in report order.
    public static let all: [any Experiment] = [
        Paper1Experiment(),
        Paper2Experiment(),
    ]

    /// The experiment with short id `id` ("p1").
    public static func experiment(_ id: String) -> (any Experiment)? {
        all.first { $0.id == id }
    }

    /// Every registered cell at `profile`, each paper's cells with `overrides` applied and
    /// validated. An override key unknown to a paper's configuration is an error only when no
    /// selected paper knows it.
    public static func cells(
        _ profile: Profile, dataRoot: String? = nil, overrides: [Override] = [],
        matching pattern: String? = nil
    ) throws -> [Cell] {
        var selected = all.flatMap { $0.cells(profile, dataRoot: dataRoot) }
        if let pattern {
            // A paper without cells at this profile (paper 2 at medium) is named as such.
            for e in all where pattern == e.id || pattern.hasPrefix("\(e.id)/") {
                if e.cells(profile, dataRoot: dataRoot).isEmpty {
                    throw ConfigError("\(e.id) has no cells at profile \(profile.rawValue)")
                }
            }
            selected = selected.filter { matches(pattern, $0) }
            guard !selected.isEmpty else {
                let names = all.flatMap { $0.cells(profile, dataRoot: dataRoot) }.map(\.fullName)
                throw ConfigError(
                    "no cell matches '\(pattern)'; cells are \(names.joined(separator: ", ")) "
                        + "(globs such as 'p1/*' or 'multi-*' work)")
            }
        }
        var known: Set<String> = []  // membership only
        for cell in selected { known.formUnion(cell.config.overrideKeys) }
        for o in overrides where !known.contains(o.key) {
            throw ConfigError(
                "unknown configuration key '\(o.key)'; known keys: \(known.sorted().joined(separator: ", "))"
            )
        }
        return try selected.map { cell in
            let keys = Set(cell.config.overrideKeys)
            var c = cell
            do {
                c.config = try cell.config.applying(overrides.filter { keys.contains($0.key) })
            } catch let error as ConfigError {
                throw ConfigError("\(cell.fullName): \(error.description)")
            }
            return c
        }
    }

    /// True when `pattern` names the cell: a paper id ("p1"), a glob over full names
    /// ("p1/multi-*") or, without a "/", a glob over names inside any paper ("multi-*").
    public static func matches(_ pattern: String, _ cell: Cell) -> Bool {
        if pattern == cell.paper { return true }
        return pattern.contains("/")
            ? globMatch(pattern, cell.fullName) : globMatch(pattern, cell.name)
    }

    /// The experiment a cell belongs to.
    public static func experiment(of cell: Cell) -> any Experiment {
        guard let e = experiment(cell.paper) else {
            preconditionFailure("cell \(cell.fullName) belongs to no registered paper")
        }
        return e
    }

    /// Runs `cells` for each seed, paper by paper in registry order (data shared within a
    /// paper is prepared once per seed).
    public static func run(
        _ cells: [Cell], seeds: [UInt64], options: RunOptions, log: (String) -> Void = { print($0) }
    ) throws -> [CellResult] {
        try options.checkFolders()
        var results: [CellResult] = []
        for seed in seeds {
            for e in all {
                let mine = cells.filter { $0.paper == e.id }
                if mine.isEmpty { continue }
                results += try e.run(mine, seed: seed, options: options, log: log)
            }
        }
        return results
    }
}
