import Foundation
import Testing

@testable import History
import TestSupport

/// `repro compare A B --build` with real records: two commits of a temporary repository are
/// checked out in temporary worktrees and recorded there by a real `repro record` (the smoke
/// verification of p2/L and the whole benchmark set), then compared. The record command is
/// the repro built beside the tests, not a build of each commit (that takes minutes per
/// commit: scripts/history_compare_build.sh does it with the default command).
@Suite(.serialized) struct CompareBuildTests {
    let folder = TemporaryFolder()

    var repro: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("repro").path
    }

    /// The package's committed goldens.
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../results/golden").standardized.path

    @Test func buildRecordsTwoCommitsAndComparesThem() throws {
        let repo = folder.url.appendingPathComponent("repo")
        let history = folder.url.appendingPathComponent("history").path
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        func git(_ args: String...) throws -> String {
            try Shell.check(["git", "-C", repo.path] + args)
        }
        _ = try git("init", "-q")
        var commits: [String] = []
        for note in ["a", "b"] {
            try "\(note)\n".write(
                to: repo.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
            _ = try git("add", "-A")
            _ = try git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", note)
            commits.append(try git("rev-parse", "HEAD"))
        }
        let results = folder.url.appendingPathComponent("results").path
        let record =
            "'\(repro)' record --cells p2/L --golden '\(Self.goldens)' --results '\(results)' "
            + "--samples 4 --history \"$REPRO_HISTORY\""
        let args = [
            repro, "compare", commits[0], commits[1], "--build", "--record-command", record,
            "--history", history,
        ]
        let first = try Shell.run(args, in: repo)
        // Same binary on both commits: numerics bitwise equal; a timing may still come out
        // "slower" on a loaded machine (exit 1), never an error (exit 2 or more).
        #expect(first.status == 0 || first.status == 1, "\(first.stdout)\(first.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: history).sorted()
        #expect(files.count == 2, "\(files)")
        for file in files {
            let r = try HistoryRecord.read(URL(fileURLWithPath: history + "/" + file))
            #expect(commits.contains(r.commit) && file.hasPrefix(r.shortCommit))
            #expect(r.timings.count == BenchmarkSet.items.count)
            #expect(r.timings.allSatisfy { $0.samples.count == 4 })
            #expect(r.cells.map(\.cell) == ["p2/L"] && !r.goldens.isEmpty)
        }
        #expect(first.stdout.contains("bitwise equal") && !first.stdout.contains("| changed |"))
        #expect(first.stdout.contains("| conv "))
        if first.status == 1 { #expect(first.stdout.contains("slower")) }
        // The second comparison reuses the records: nothing is built or recorded again.
        let second = try Shell.run(args, in: repo)
        #expect(second.status == 0 || second.status == 1, "\(second.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: history).count == 2)
        // The user's checkout is untouched and no worktree is left.
        #expect(try git("rev-parse", "HEAD") == commits[1])
        #expect(try git("worktree", "list").split(separator: "\n").count == 1)
    }
}
