import Foundation
import Testing

@testable import Survey
@testable import SurveyServer

/// The real page in headless Chromium (Debian's chromium + chromedriver, see
/// scripts/install-deps.sh): consent, answers by click and by keyboard, a timed pair left to
/// expire, a reload in mid-study, the thank-you screen; then the store is checked.
/// Screenshots go to $SURVEY_SCREENSHOTS (results/survey/ when refreshed by hand).
@Suite(.serialized) struct BrowserTests {
    let fx = SurveyFixtures()
    static let skip = ProcessInfo.processInfo.environment["SURVEY_SKIP_BROWSER"] == "1"

    @Test(.disabled(if: skip, "SURVEY_SKIP_BROWSER=1")) func participantSession() async throws {
        try #require(
            WebDriver.available, "install chromium and chromium-driver (scripts/install-deps.sh)")
        let shots =
            ProcessInfo.processInfo.environment["SURVEY_SCREENSHOTS"]
            ?? fx.tempDir("shots")
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let images = try fx.imageFolder(scenes: 3, width: 256, height: 128)
        let (study, set) = try await fx.study(
            images: images, mode: .timed, trials: 12, timeLimit: 3, catchEvery: 1)
        let (server, base) = try await SurveyFixtures.server(study, set)
        let web = try await WebDriver()
        web.shots = shots
        for name in ["4-catch-trial.png", "4b-identical-trial.png"] {
            try? FileManager.default.removeItem(atPath: shots + "/" + name)
        }
        do {
            try await session(web, base, shots, study)
        } catch {
            try? await web.screenshot(to: shots + "/failure.png")
            await web.quit()
            await server.stop()
            throw error
        }
        await web.quit()
        await server.stop()
        try checkStore(study)
    }

    /// The id of the pair on screen once it is shown (images decoded, clock running); the
    /// first catch trial of each kind (an upside-down image; one image twice) is photographed.
    func shownTrial(_ web: WebDriver, _ study: Study, after previous: String = "") async throws
        -> String
    {
        let id = try await web.wait(
            """
            const b = document.body.dataset;
            if (b.screen === 'thanks') return 'done';
            return b.phase === 'shown' && b.trial !== '\(previous)' ? b.trial : '';
            """)
        guard let trial = Int64(id) else { return id }
        let flipped =
            try await web.script("return document.querySelector('img.flipped') ? 'y' : ''")
            as? String == "y"
        let (left, right) = try study.store.sources(of: trial)
        for (shot, now) in [
            ("4-catch-trial.png", flipped), ("4b-identical-trial.png", left == right && !flipped),
        ] where now && !FileManager.default.fileExists(atPath: web.shots + "/" + shot) {
            try await web.screenshot(to: web.shots + "/" + shot)
        }
        return id
    }

    func session(_ web: WebDriver, _ base: URL, _ shots: String, _ study: Study) async throws {
        try await web.go(base.absoluteString)
        _ = try await web.wait("return document.body.dataset.screen === 'consent' ? 'yes' : ''")
        try await web.screenshot(to: shots + "/1-consent.png")
        try await web.click("#start")

        // 1: a click on the left image.
        var trial = try await shownTrial(web, study)
        try await Task.sleep(nanoseconds: 400_000_000)
        try await web.screenshot(to: shots + "/2-pair-timed.png")
        try await web.click("#left")
        // 2: the right-arrow key.
        trial = try await shownTrial(web, study, after: trial)
        try await web.type("body", "\u{E014}")
        // 3: no answer: the countdown runs out and the next pair comes.
        trial = try await shownTrial(web, study, after: trial)
        try await Task.sleep(nanoseconds: 2_300_000_000)
        try await web.screenshot(to: shots + "/3-countdown-low.png")
        let afterTimeout = try await shownTrial(web, study, after: trial)
        // 4: a reload in mid-pair brings back the same pair; answer it with "f".
        try await web.refresh()
        let reloaded = try await shownTrial(web, study)
        #expect(reloaded == afterTimeout)
        try await web.type("body", "f")
        trial = reloaded
        // The rest: "j" and clicks, taking a picture of a catch trial if one comes.
        var steps = 0
        while steps < 20 {
            steps += 1
            trial = try await shownTrial(web, study, after: trial)
            if trial == "done" { break }
            if steps % 2 == 0 {
                try await web.type("body", "j")
            } else {
                try await web.click("#right")
            }
        }
        _ = try await web.wait("return document.body.dataset.screen === 'thanks' ? 'yes' : ''")
        try await web.screenshot(to: shots + "/5-thanks.png")
    }

    func checkStore(_ study: Study) throws {
        let js = try study.store.judgments()
        #expect(Set(js.map(\.participant)).count == 1)
        #expect(js.map(\.position) == Array(0..<js.count))
        #expect(js.allSatisfy { $0.outcome != nil && $0.displayed != nil })
        // The page reports the size it drew the images at (about 600 x 300 CSS px here).
        #expect(js.allSatisfy { $0.displaySize?.hasSuffix("@1x") == true })
        // 12 pairs and two catch trials: one flipped, one identical.
        #expect(js.filter { $0.catchKind == nil }.count == 12 && js.count == 14)
        #expect(js.filter { $0.catchKind == .flipped }.count == 1)
        #expect(js.filter { $0.catchKind == .identical }.count == 1)
        #expect(js[0].choice == .left && js[0].outcome == .chosen)
        #expect(js[1].choice == .right && js[1].outcome == .chosen)
        #expect(js[2].outcome == .timeout && js[2].choice == nil)
        #expect(js[3].choice == .left && js[3].outcome == .chosen)
        // Answer times on the server's clock: in time, and the timeout after the limit.
        for j in js where j.outcome == .chosen { #expect(j.answered! - j.displayed! < 3) }
        #expect(js[2].answered! - js[2].displayed! >= 2.9)
    }
}
