import Foundation
import Testing

@testable import History
import TestSupport

/// The history page as a reader gets it: one plot per timing and per metric over the
/// commits, nothing fetched from the network, and rendered by headless Chromium (Debian's
/// chromium, as the survey's browser test uses; SURVEY_SKIP_BROWSER=1 skips that part).
/// HISTORY_SCREENSHOTS=<folder> keeps the screenshot (results/history/index.png).
@Suite struct HistoryPageTests {
    let folder = TemporaryFolder()

    /// Record `i` of three commits: two timings that grow, one metric that changes once.
    static func record(_ i: Int) throws -> HistoryRecord {
        let json = """
            {"formatVersion": 1, "commit": "\(String(repeating: "\(i)", count: 40))",
             "dirty": false, "subject": "commit \(i)", "commitDate": "2026-11-3\(i)T00:00:00Z",
             "fingerprint": "machine", "cpuModel": "cpu", "blasCore": "core", "threads": 2,
             "recordedAt": "", "profile": "smoke", "seed": 0,
             "cells": [{"cell": "p2/L", "configHash": "0",
               "metrics": {"micv_car/city": \(i < 2 ? 1.5 : 2.5)},
               "tolerance": {"atol": 0, "rtol": 0}, "runFingerprint": "f", "runFolder": ""}],
             "goldens": [], "instructions": [], "elapsedSeconds": 1,
             "timings": [
               {"name": "conv a", "flops": 1, "samples": [\(0.001 * Double(i + 1)), 0.002]},
               {"name": "conv b", "flops": 1, "samples": [\(0.003 * Double(i + 1)), 0.004]}]}
            """
        return try JSONDecoder().decode(HistoryRecord.self, from: Data(json.utf8))
    }

    @Test func pageHasOnePlotPerSeriesAndRendersOffline() throws {
        let records = try (0..<3).map(Self.record)
        let html = HistoryPage.html(records)
        // Two timings and one metric: three figures, each an inline SVG with its caption.
        #expect(html.components(separatedBy: "<figure>").count - 1 == 3)
        #expect(html.contains("<figcaption>conv a") && html.contains("micv_car/city"))
        #expect(html.contains("3 records of 3 commits on 1 machine fingerprint(s)"))
        // Readable offline: no script, nothing loaded from elsewhere (the only "http" is
        // the SVG namespace).
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #expect(!html.contains("href=\"http") && !html.contains("@import"))

        guard ProcessInfo.processInfo.environment["SURVEY_SKIP_BROWSER"] != "1" else { return }
        let chromium = "/usr/bin/chromium"
        try #require(
            FileManager.default.isExecutableFile(atPath: chromium),
            "install chromium (scripts/install-deps.sh)")
        let page = folder.url.appendingPathComponent("index.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        let dom = try run(chromium, flags + ["--dump-dom", page.absoluteString])
        #expect(dom.status == 0)
        #expect(
            dom.output.components(separatedBy: "<svg").count - 1 == 3, "\(dom.output.prefix(500))")
        let shots =
            ProcessInfo.processInfo.environment["HISTORY_SCREENSHOTS"] ?? folder.path
        let png = shots + "/index.png"
        try? FileManager.default.removeItem(atPath: png)
        let shot = try run(
            chromium,
            flags + ["--screenshot=\(png)", "--window-size=1280,1400", page.absoluteString])
        let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
        #expect(shot.status == 0 && size > 10_000, "\(shot.output)")
    }
}
