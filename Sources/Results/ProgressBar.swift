import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar with rate and ETA for long runs.
///
/// On a terminal it redraws one line with a carriage return (at most every `redrawInterval`
/// seconds). Otherwise (CI logs, files) it prints a plain line at the first update, then every
/// `plainInterval` seconds, and at the end, so logs stay short and readable.
public final class ProgressBar {
    /// What the bar counts, e.g. "train multi-semi".
    public let label: String
    /// Number of units at completion.
    public let total: Int
    /// True: carriage-return redraws; false: periodic plain lines.
    public let interactive: Bool
    private let write: (String) -> Void
    private let clock: () -> Double
    private let plainInterval: Double
    private let redrawInterval: Double
    private let start: Double
    private var lastPrint: Double?
    private var finished = false

    /// A bar of `total` units; `interactive` defaults to whether stdout is a terminal.
    ///
    /// `output` receives the exact text to emit (stdout by default); `clock` returns seconds
    /// (monotonic uptime by default). Both are injectable for tests.
    public init(
        label: String, total: Int, interactive: Bool? = nil, plainInterval: Double = 10,
        redrawInterval: Double = 0.1, output: ((String) -> Void)? = nil,
        clock: (() -> Double)? = nil
    ) {
        precondition(total >= 0, "ProgressBar '\(label)': total \(total) < 0")
        self.label = label
        self.total = total
        self.interactive = interactive ?? (isatty(STDOUT_FILENO) == 1)
        self.write =
            output ?? { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        self.clock = clock ?? { ProcessInfo.processInfo.systemUptime }
        self.plainInterval = plainInterval
        self.redrawInterval = redrawInterval
        self.start = self.clock()
    }

    /// Reports `completed` units done, with an optional short status (e.g. "loss 0.412").
    public func update(_ completed: Int, status: String = "") {
        precondition(!finished, "ProgressBar '\(label)': update after finish")
        let now = clock()
        let done = completed >= total
        if let last = lastPrint, !done, now - last < (interactive ? redrawInterval : plainInterval)
        {
            return
        }
        lastPrint = now
        let text = line(completed: min(completed, total), elapsed: now - start, status: status)
        write(interactive ? "\r\(text)\u{1B}[K" : "\(text)\n")
    }

    /// Ends the bar: a final line at `total` (and a newline on a terminal).
    public func finish(status: String = "") {
        guard !finished else { return }
        lastPrint = nil
        update(total, status: status)
        if interactive { write("\n") }
        finished = true
    }

    /// The text of one progress line: "label [#####.....] 50% 5/10 2.0s ETA 2.0s status".
    func line(completed: Int, elapsed: Double, status: String) -> String {
        let fraction = total == 0 ? 1 : Double(completed) / Double(total)
        let width = 24
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar =
            String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta =
            completed > 0 && completed < total
            ? " ETA \(Self.duration(elapsed / Double(completed) * Double(total - completed)))" : ""
        let percent = Int((fraction * 100).rounded(.down))
        var text =
            "\(label) [\(bar)] \(percent)% \(completed)/\(total) \(Self.duration(elapsed))\(eta)"
        if !status.isEmpty { text += " \(status)" }
        return text
    }

    /// Seconds as "42.0s", "12m05s" or "3h07m".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds.rounded())
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
