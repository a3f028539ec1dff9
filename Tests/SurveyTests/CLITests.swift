import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Survey
import SurveyServer

/// `repro survey ...` as a separate process: kill -9 loses nothing acknowledged, a restart
/// continues the study, bad input gives a clear message.
@Suite(.serialized) struct CLITests {
    let fx = SurveyFixtures()
    /// The `repro` executable built next to this test bundle.
    static var repro: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("repro").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A running `repro survey serve`, its port read from its first lines.
    final class Served {
        let process = Process()
        let output = Pipe()
        var port = 0

        init(_ args: [String]) throws {
            process.executableURL = URL(fileURLWithPath: CLITests.repro!)
            process.arguments = ["survey", "serve"] + args
            process.standardOutput = output
            process.standardError = output
            let log = Mutex("")
            output.fileHandleForReading.readabilityHandler = { h in
                let chunk = String(decoding: h.availableData, as: UTF8.self)
                log.withLock { $0 += chunk }
            }
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while port == 0 && Date() < deadline && process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)
                let text = log.withLock { $0 }
                if let r = text.range(
                    of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression)
                {
                    port = Int(text[r].dropFirst("http://127.0.0.1:".count).dropLast()) ?? 0
                }
            }
            if port == 0 {
                if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
                throw SurveyError.badRequest("server did not start: \(log.withLock { $0 })")
            }
        }

        func kill(_ signal: Int32) -> Int32 {
            Foundation.kill(process.processIdentifier, signal)
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func run(_ args: [String]) throws -> (Int32, String) {
        let result = try TestSupport.run(repro!, args)
        return (result.status, result.output)
    }

    @Test func killNineLosesNothingAndRestartContinues() async throws {
        try #require(
            Self.repro != nil, "build the repro executable first (swift build --build-tests)")
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let db = fx.tempDir("kill") + "/study.sqlite"
        let args = [
            "--images", images, "--db", db, "--mode", "unlimited", "--port", "0", "--trials", "4",
            "--catch-every", "0", "--admin-token", "tok",
        ]
        let first = try Served(args)
        var c = SurveyClient(base: URL(string: "http://127.0.0.1:\(first.port)/")!)
        let (token, start) = try await c.register()
        var state = start
        for _ in 0..<2 {
            let t = state.trial!.trial
            _ = try await c.shown(token, trial: t)
            state = try await c.answer(token, trial: t, choice: .right).1
        }
        let open = state.trial!.trial
        _ = try await c.shown(token, trial: open)
        #expect(first.kill(SIGKILL) != 0)

        let stored = try SurveyStore(path: db, readOnly: true).judgments()
        #expect(stored.filter { $0.outcome == .chosen }.count == 2)
        #expect(stored.last?.outcome == nil && stored.last?.displayed != nil)

        let second = try Served(args)
        c = SurveyClient(base: URL(string: "http://127.0.0.1:\(second.port)/")!)
        state = try await c.state(token)
        #expect(state.trial?.trial == open && state.done == 2)
        while let t = state.trial?.trial {
            _ = try await c.shown(token, trial: t)
            state = try await c.answer(token, trial: t, choice: .left).1
        }
        #expect(state.finished)
        #expect(second.kill(SIGTERM) == 0)  // graceful stop on SIGTERM

        let outDir = fx.tempDir("report")
        let (code, text) = try Self.run(["survey", "report", "--db", db, "--out", outDir])
        #expect(
            code == 0 && text.contains("# Naturalness study") && text.contains("4 answered pairs"))
        #expect(FileManager.default.fileExists(atPath: outDir + "/survey.csv"))
    }

    @Test func badInputGivesClearMessages() throws {
        try #require(
            Self.repro != nil, "build the repro executable first (swift build --build-tests)")
        var (code, text) = try Self.run([
            "survey", "serve", "--images", "/nonexistent/imgs", "--port", "0",
        ])
        #expect(code != 0 && text.contains("image folder /nonexistent/imgs: not found"))
        let dir = fx.tempDir("bad")
        try Data("garbage, not SQLite".utf8 + Data(count: 4096)).write(
            to: URL(fileURLWithPath: dir + "/s.sqlite"))
        (code, text) = try Self.run(["survey", "report", "--db", dir + "/s.sqlite"])
        #expect(code != 0 && text.contains("is damaged or not a survey database"))
        (code, text) = try Self.run(["survey", "report", "--db", dir + "/missing.sqlite"])
        #expect(code != 0 && text.contains("no such file"))
        (code, text) = try Self.run([
            "survey", "simulate", "--url", "http://example.com:80", "--admin-token", "x",
        ])
        #expect(code != 0 && text.contains("only a server on this machine"))
    }

    /// The study's Table 2 in the report users see: `repro verify --survey-db` adds it to the
    /// Markdown report and, as a section beside the paper's table, to the HTML page.
    @Test func verifyReportCarriesTheStudy() throws {
        try #require(
            Self.repro != nil, "build the repro executable first (swift build --build-tests)")
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let dir = fx.tempDir("verify")
        let db = dir + "/study.sqlite"
        var (code, text) = try Self.run([
            "survey", "simulate", "--images", images, "--db", db, "--mode", "unlimited",
            "--observers", "3", "--trials", "12", "--speedup", "1000", "--catch-every", "1",
        ])
        #expect(code == 0, "\(text)")
        (code, text) = try Self.run([
            "verify", "p2/L", "--results", dir + "/results", "--survey-db", db,
            "--max-same-side", "0.95", "--html", dir + "/report.html", "--report",
            dir + "/report.md",
        ])
        // The smoke run itself may miss its golden on another machine; the pages are written.
        #expect(code == 0 || code == 1, "\(text)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("<section id=\"survey\">") && html.contains("(2) no time limit"))
        #expect(html.contains("<caption>Paper 2, Table 2</caption>") && html.contains("0.66"))
        #expect(html.contains("Measured: share [Wilson 95%]") && html.contains("Bradley-Terry"))
        #expect(html.contains("more than 95% of their answered trials"))
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(md.contains("# Naturalness study (paper 2, Table 2)") && md.contains("p2/L"))
        #expect(md.contains("36 answered pairs"))
        (code, text) = try Self.run(["verify", "p2/L", "--survey-db", dir + "/missing.sqlite"])
        #expect(code != 0 && text.contains("--survey-db \(dir)/missing.sqlite: no such file"))
    }
}
