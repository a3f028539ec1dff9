import Foundation
import Synchronization
import Testing

@testable import Survey

/// A clock the test moves by hand.
final class TestClock: Sendable {
    let t = Mutex(1_000_000.0)
    func advance(_ s: Double) { t.withLock { $0 += s } }
    var now: @Sendable () -> Double { { [self] in t.withLock { $0 } } }
}

@Suite struct StudyTests {
    let fx = SurveyFixtures()
    @Test func scheduleIsSeededBalancedAndHasCatchTrials() throws {
        let d = try StudyDesign(seed: 5, scenes: ["a", "b", "c"], catchEvery: 2)
        #expect(d.block(participant: 1, 0).count == 6 && d.block(participant: 1, 1).count == 7)
        for b in 0..<4 {
            let pairs = d.block(participant: 1, b).filter { !$0.isCatch }
                .map { [$0.left, $0.right].sorted() }.map { "\($0[0].rawValue)|\($0[1].rawValue)" }
                .sorted()
            let all = SurveySource.pairs.map { "\($0.0.rawValue)|\($0.1.rawValue)" }.sorted()
            #expect(pairs == all)
        }
        // Catch trials take turns: flipped (the real image and itself upside down), then
        // identical (one image of any source on both sides, nothing flipped).
        let catches = d.block(participant: 1, 1).filter(\.isCatch)
        #expect(catches.count == 1 && catches[0].left == .real && catches[0].right == .real)
        #expect(catches[0].catchKind == .flipped && catches[0].broken != nil)
        let identical = (0..<40).map { d.block(participant: $0, 3).filter(\.isCatch)[0] }
        #expect(
            identical.allSatisfy {
                $0.catchKind == .identical && $0.left == $0.right && $0.broken == nil
            })
        #expect(Set(identical.map(\.left)).count > 1)  // any source, not only the real one
        // With flipped catch trials only, the plan is the one stores made before identical
        // ones existed (their draws are unchanged): every catch trial is flipped.
        let old = try StudyDesign(
            seed: 5, scenes: ["a", "b", "c"], catchEvery: 2, catchKinds: [.flipped])
        #expect(old.block(participant: 1, 3).filter(\.isCatch).map(\.catchKind) == [.flipped])
        #expect(old.block(participant: 1, 1) == d.block(participant: 1, 1))
        #expect(throws: SurveyError.self) {
            try StudyDesign(seed: 5, scenes: ["a"], catchEvery: 2, catchKinds: [])
        }
        // Reproducible, different per participant, positions agree with blocks.
        let again = try StudyDesign(seed: 5, scenes: ["a", "b", "c"], catchEvery: 2)
        #expect(
            (0..<40).map { d.trial(participant: 2, position: $0) }
                == (0..<40).map { again.trial(participant: 2, position: $0) })
        #expect(
            (0..<12).map { d.trial(participant: 2, position: $0) }
                != (0..<12).map { d.trial(participant: 3, position: $0) })
        #expect(d.trial(participant: 1, position: 8) == d.block(participant: 1, 1)[2])
        // Left/right placement is randomised: both orders of some pair appear.
        let firsts = (0..<60).map { d.trial(participant: 4, position: $0) }.filter { !$0.isCatch }
            .map { $0.left < $0.right }
        #expect(firsts.contains(true) && firsts.contains(false))
    }

    @Test func timedTrialsAreDecidedOnTheServerClock() async throws {
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let clock = TestClock()
        let (opened, _) = try await fx.study(
            images: images, mode: .timed, trials: 4, timeLimit: 5)
        let study = Study(
            store: opened.store, design: opened.design, rules: opened.rules, clock: clock.now)
        let token = try await study.register()
        var s = try await study.state(token: token)
        let first = s.trial!.trial
        await #expect(throws: SurveyError.notShownYet) {
            try await study.answer(token: token, trial: first, choice: .left)
        }
        s = try await study.shown(token: token, trial: first)
        #expect(s.trial?.remainingMs == 5000)
        clock.advance(4.9)
        #expect(try await study.answer(token: token, trial: first, choice: .left) == .chosen)
        await #expect(throws: SurveyError.alreadyAnswered) {
            try await study.answer(token: token, trial: first, choice: .right)
        }
        // Second pair: answered after 5.2 s -> a timeout, even though the page sent a choice.
        let second = try await study.state(token: token).trial!.trial
        _ = try await study.shown(token: token, trial: second)
        clock.advance(2)
        // A reload keeps the clock: the pair comes back with 3 s left.
        let reloaded = try await study.state(token: token)
        #expect(reloaded.trial?.trial == second && reloaded.trial?.remainingMs == 3000)
        _ = try await study.shown(token: token, trial: second)
        clock.advance(3.2)
        #expect(try await study.answer(token: token, trial: second, choice: .right) == .timeout)
        // Third pair expires unanswered while the page is gone: the next state closes it.
        let third = try await study.state(token: token).trial!.trial
        _ = try await study.shown(token: token, trial: third)
        clock.advance(6)
        let fourth = try await study.state(token: token)
        #expect(fourth.trial!.trial != third && fourth.done == 3)
        // The page's own countdown: a null choice is a timeout.
        _ = try await study.shown(token: token, trial: fourth.trial!.trial)
        #expect(
            try await study.answer(token: token, trial: fourth.trial!.trial, choice: nil)
                == .timeout)
        #expect(try await study.state(token: token).finished)
        let js = try study.store.judgments()
        #expect(js.map(\.outcome) == [.chosen, .timeout, .timeout, .timeout])
        #expect(js.map(\.reason) == [nil, "late", "expired", "page"])
        #expect(js[1].choice == .right && js[1].winner == nil)
        #expect(js.allSatisfy { $0.pageVersion == "test" && $0.displayed != nil })
    }

    @Test func participantsOnlyReachTheirOwnPairs() async throws {
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let (study, _) = try await fx.study(images: images, trials: 3)
        let a = try await study.register()
        let b = try await study.register()
        #expect(a != b && a.count == 64)
        let ta = try await study.state(token: a).trial!.trial
        await #expect(throws: SurveyError.unknownTrial) {
            try await study.shown(token: b, trial: ta)
        }
        await #expect(throws: SurveyError.unknownParticipant) {
            try await study.state(token: String(repeating: "0", count: 64))
        }
        #expect(throws: SurveyError.unknownTrial) {
            try study.image(token: b, trial: ta, side: .left)
        }
        await #expect(throws: SurveyError.unknownTrial) {
            try await study.answer(token: a, trial: ta + 100, choice: .left)
        }
        _ = try await study.shown(token: a, trial: ta)
        await #expect(throws: SurveyError.badRequest("no timeouts in unlimited mode")) {
            try await study.answer(token: a, trial: ta, choice: nil)
        }
        #expect(try await study.answer(token: a, trial: ta, choice: .left) == .chosen)
    }

    @Test func timeoutsNeedNotCount() async throws {
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let clock = TestClock()
        let (o, _) = try await fx.study(
            images: images, mode: .timed, trials: 2, timeoutsCount: false)
        let study = Study(store: o.store, design: o.design, rules: o.rules, clock: clock.now)
        let token = try await study.register()
        for choice in [nil, Side.left, nil, .right] as [Side?] {
            let t = try await study.state(token: token).trial!.trial
            _ = try await study.shown(token: token, trial: t)
            _ = try await study.answer(token: token, trial: t, choice: choice)
        }
        #expect(try await study.state(token: token).finished)
        #expect(try study.store.judgments().count == 4)
    }
}
