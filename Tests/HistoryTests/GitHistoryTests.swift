import Foundation
import Testing

@testable import History
import Results
import TestSupport

/// A temporary git repository of five commits: c0 base, c1 unrelated, c2 slows the "kernel"
/// (its cost doubles), c3 changes the metric, c4 unrelated. Its `record.sh` writes a tiny
/// record of the checkout into $REPRO_HISTORY: timing samples are the kernel's cost with
/// ±2% noise (awk's generator, seeded by the process id), the metric comes from metric.txt.
/// `repro compare` and `repro bisect` must find both changes and no change for a commit
/// against itself.
@Suite(.serialized) struct GitHistoryTests {
    let folder = TemporaryFolder()
    var repo: URL { folder.url.appendingPathComponent("repo") }
    var history: URL { folder.url.appendingPathComponent("history") }

    static let recordScript = #"""
        set -e
        c=$(git rev-parse HEAD); s=$(git rev-parse --short=12 HEAD)
        cost=$(cat kernel.txt); metric=$(cat metric.txt)
        p='BEGIN { srand(s); for (i = 0; i < 12; i++) printf "%s%.9f", (i ? "," : ""),'
        p="$p"' c * 1e-5 * (0.98 + 0.04 * rand()) }'
        samples=$(awk -v s=$$ -v c="$cost" "$p")
        mkdir -p "$REPRO_HISTORY"
        out="$REPRO_HISTORY/$s-test-$$.json"
        cat > "$out" <<EOF
        {"formatVersion": 1, "commit": "$c", "dirty": false, "subject": "", "commitDate": "",
         "fingerprint": "test", "cpuModel": "", "blasCore": "", "threads": 1,
         "recordedAt": "", "profile": "smoke", "seed": 0,
         "cells": [{"cell": "p0/tiny", "configHash": "0", "metrics": {"score": $metric},
           "tolerance": {"atol": 0, "rtol": 0}, "runFingerprint": "f$metric", "runFolder": ""}],
         "goldens": [], "instructions": [], "elapsedSeconds": 0,
         "timings": [{"name": "kernel", "flops": 1, "samples": [$samples]}]}
        EOF
        """#

    func git(_ args: String...) throws -> String {
        try Shell.check(["git", "-C", repo.path] + args)
    }

    func commit(_ message: String, kernel: Int, metric: String, note: String) throws -> String {
        try "\(kernel)\n".write(
            to: repo.appendingPathComponent("kernel.txt"), atomically: true, encoding: .utf8)
        try "\(metric)\n".write(
            to: repo.appendingPathComponent("metric.txt"), atomically: true, encoding: .utf8)
        try "\(note)\n".write(
            to: repo.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        _ = try git("add", "-A")
        _ = try git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// c0...c4 as described above.
    func makeRepository() throws -> [String] {
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        _ = try git("init", "-q")
        try Self.recordScript.write(
            to: repo.appendingPathComponent("record.sh"), atomically: true, encoding: .utf8)
        return [
            try commit("base", kernel: 100, metric: "0.5", note: "a"),
            try commit("unrelated", kernel: 100, metric: "0.5", note: "b"),
            try commit("slow kernel", kernel: 200, metric: "0.5", note: "b"),
            try commit("change metric", kernel: 200, metric: "0.625", note: "b"),
            try commit("unrelated again", kernel: 200, metric: "0.625", note: "c"),
        ]
    }

    var resolver: Resolver {
        Resolver(
            store: HistoryStore(folder: history), repository: repo, fingerprint: "test",
            recordCommand: "sh record.sh")
    }

    /// The repro executable built beside the test bundle.
    var repro: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("repro").path
    }

    @Test func compareFindsBothChangesAndNoneAgainstItself() throws {
        let c = try makeRepository()
        let r = resolver
        // A commit against itself: two records of c0, made in worktrees on demand.
        try r.recordInWorktree(c[0], command: "sh record.sh")
        try r.recordInWorktree(c[0], command: "sh record.sh")
        let twice = try r.store.records(of: c[0], preferring: "test")
        #expect(twice.count == 2)
        let same = Comparison(twice[0].record, twice[1].record, labelA: "c0", labelB: "c0 again")
        #expect(!same.regressed, "\(same.markdown)")
        #expect(same.timings.map(\.change) == [.noChange])
        #expect(same.numerics.map(\.status) == [.bitwiseEqual])
        // c0 against c4: slower and changed.
        let before = try r.record(of: c[0]).record, after = try r.record(of: c[4]).record
        let diff = Comparison(before, after, labelA: "c0", labelB: "c4")
        #expect(diff.regressed)
        #expect(diff.timings.map(\.change) == [.slower])
        #expect(diff.numerics.map(\.status) == [.changed])
        #expect(diff.markdown.contains("| kernel |") && diff.html.contains("<table>"))
        // Only the slow-down: c1 against c2.
        let slow = Comparison(
            try r.record(of: c[1]).record, try r.record(of: c[2]).record,
            labelA: "c1", labelB: "c2")
        #expect(
            slow.timings.map(\.change) == [.slower]
                && slow.numerics.map(\.status) == [.bitwiseEqual])
        // The user's checkout was not touched and no worktree is left behind.
        #expect(try git("rev-parse", "HEAD") == c[4])
        #expect(try git("worktree", "list").split(separator: "\n").count == 1)
    }

    @Test func bisectFindsTheSlowedKernelAndTheChangedMetric() throws {
        let c = try makeRepository()
        #expect(FileManager.default.fileExists(atPath: repro), "no repro executable at \(repro)")
        let common = [
            "--good", c[0], "--bad", c[4], "--history", history.path,
            "--record-command", "sh record.sh",
        ]
        let timing = try Shell.run([repro, "bisect", "--timing", "kernel"] + common, in: repo)
        #expect(timing.status == 0, "\(timing.stdout)\(timing.stderr)")
        #expect(
            timing.stdout.contains("First changed commit: \(c[2]) slow kernel"), "\(timing.stdout)")
        // The second bisection reuses the records the first one made (c0 and c4 at least).
        let metric = try Shell.run(
            [repro, "bisect", "--metric", "p0/tiny:score"] + common, in: repo)
        #expect(metric.status == 0, "\(metric.stdout)\(metric.stderr)")
        #expect(
            metric.stdout.contains("First changed commit: \(c[3]) change metric"),
            "\(metric.stdout)")
        // Nothing to bisect between a commit and itself.
        let none = try Shell.run(
            [
                repro, "bisect", "--metric", "p0/tiny:score", "--good", c[3], "--bad", c[3],
                "--history", history.path, "--record-command", "sh record.sh",
            ], in: repo)
        #expect(
            none.status == 2 && none.stdout.contains("No change"), "\(none.stdout)\(none.stderr)")
        // compare on the command line: exit 1 on the regression, 0 for a commit with itself.
        let cmp = try Shell.run(
            [repro, "compare", c[0], c[4], "--history", history.path], in: repo)
        #expect(
            cmp.status == 1 && cmp.stdout.contains("**Regression**"), "\(cmp.stdout)\(cmp.stderr)")
        let self_ = try Shell.run(
            [repro, "compare", c[3], c[3], "--history", history.path], in: repo)
        #expect(self_.status == 0 && self_.stdout.contains("**No regression**"), "\(self_.stdout)")
        #expect(try git("rev-parse", "HEAD") == c[4])
        #expect(try git("worktree", "list").split(separator: "\n").count == 1)
    }
}
