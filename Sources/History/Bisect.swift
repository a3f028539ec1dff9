import Foundation
import Results

/// What `repro bisect` looks for.
public enum BisectTarget: Sendable, Equatable {
    /// A metric, "cell:metric" (e.g. "p1/multi-semi:miou/mean"), whose value changes.
    case metric(String)
    /// A benchmark (e.g. "conv 32,32,3,1,1,32,32 forward") that becomes slower.
    case timing(String)
    /// A benchmark whose instruction count grows.
    case instructions(String)

    /// Whether `record` differs from `good` on this target: a metric not bitwise equal (or not
    /// within `tolerance` when given); a timing or instruction count judged slower.
    public func changed(
        from good: HistoryRecord, to record: HistoryRecord, tolerance: Tolerance?,
        timeThreshold: Double, instructionThreshold: Double
    ) throws -> (changed: Bool, note: String) {
        switch self {
        case .metric(let name):
            let a = try Self.value(name, good), b = try Self.value(name, record)
            let same = tolerance.map { $0.accepts(a, b) } ?? (a.bitPattern == b.bitPattern)
            return (!same, "\(name): \(a) -> \(b)")
        case .timing(let name):
            let a = try Self.timing(name, good), b = try Self.timing(name, record)
            let v = TimingVerdict(a.samples, b.samples, threshold: timeThreshold)
            return (
                v.change == .slower,
                "\(name): ratio \(Self.f(v.ratio)) [\(Self.f(v.low)), "
                    + "\(Self.f(v.high))] \(v.change.rawValue)"
            )
        case .instructions(let name):
            guard let a = good.instructions.first(where: { $0.name == name }),
                let b = record.instructions.first(where: { $0.name == name })
            else { throw HistoryError("no instruction count '\(name)' in both records") }
            let change = TimingVerdict.instructions(
                a.instructions, b.instructions, threshold: instructionThreshold)
            return (change == .slower, "\(name): \(a.instructions) -> \(b.instructions)")
        }
    }

    static func value(_ name: String, _ r: HistoryRecord) throws -> Double {
        guard let v = r.metricValues.first(where: { $0.name == name }) else {
            let known = r.metricValues.map(\.name).joined(separator: ", ")
            throw HistoryError(
                "no metric '\(name)' in the record of \(r.shortCommit); it has: \(known)")
        }
        return v.value
    }

    static func timing(_ name: String, _ r: HistoryRecord) throws -> HistoryRecord.TimingRecord {
        guard let t = r.timings.first(where: { $0.name == name }), t.samples.count >= 2 else {
            let known = r.timings.map(\.name).joined(separator: ", ")
            throw HistoryError(
                "no timing '\(name)' in the record of \(r.shortCommit); it has: \(known)")
        }
        return t
    }

    static func f(_ x: Double) -> String { String(format: "%.3f", x) }
}

/// `git bisect run` in a temporary worktree (the user's checkout and bisect state are not
/// touched): each step is `stepCommand` run at the commit under test, exiting 0 (good: same
/// as the good commit), 1 (bad: changed) or 125 (cannot be recorded: skip).
public enum Bisect {
    /// The outcome: the first bad commit and git's log of the steps.
    public struct Outcome: Sendable {
        public var firstBad: String
        public var log: String
    }

    /// Bisects between `good` and `bad` (full hashes) in `repository`.
    public static func run(
        repository: URL, good: String, bad: String, stepCommand: [String]
    ) throws -> Outcome {
        let tree = FileManager.default.temporaryDirectory
            .appendingPathComponent("repro-bisect-\(getpid())-\(bad.prefix(12))")
        _ = try Shell.check([
            "git", "-C", repository.path, "worktree", "add", "--detach", tree.path, bad,
        ])
        defer {
            _ = try? Shell.run(["git", "-C", tree.path, "bisect", "reset"])
            _ = try? Shell.run([
                "git", "-C", repository.path, "worktree", "remove", "--force", tree.path,
            ])
        }
        _ = try Shell.check(["git", "-C", tree.path, "bisect", "start", bad, good])
        let o = try Shell.run(["git", "-C", tree.path, "bisect", "run"] + stepCommand)
        let text = o.stdout + o.stderr
        guard o.status == 0,
            let line = text.split(separator: "\n").first(where: {
                $0.hasSuffix("is the first bad commit")
            }),
            let hash = line.split(separator: " ").first
        else {
            throw HistoryError(
                "git bisect run did not find a first bad commit (exit \(o.status)):\n"
                    + text.split(separator: "\n").suffix(12).joined(separator: "\n"))
        }
        return Outcome(firstBad: String(hash), log: text)
    }
}
