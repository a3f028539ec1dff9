import Tensors

/// The kinds of catch trial (attention checks placed among the pairs).
public enum CatchKind: String, Sendable, Codable, CaseIterable {
    /// The real image beside itself upside down: the upright one is the right answer, so a
    /// wrong answer shows random clicking (the exclusion rule `minCatchAccuracy`).
    case flipped
    /// One image (of a random source) on both sides: there is no right answer; the side
    /// chosen measures a pure left/right bias (reported; the rule `maxSameSide` uses every
    /// answer's side).
    case identical
}

/// One planned trial: which scene, which source on which side, and whether it is a catch trial.
public struct TrialPlan: Equatable, Sendable {
    public var scene: String
    public var left: SurveySource
    public var right: SurveySource
    /// For a flipped catch trial, the side whose image is shown broken (upside down).
    public var broken: Side?
    /// The kind of catch trial; nil for a pair.
    public var catchKind: CatchKind? = nil
    public var isCatch: Bool { catchKind != nil }
}

/// The per-participant schedule, a pure function of (seed, participant number, position).
///
/// Trials come in blocks. Each block holds the six source pairs once, in a random order, each
/// with a random scene and a random left/right placement, so every pair is shown equally often
/// (the paper does not say whether pairs with the real image were as frequent; this design
/// makes them so and the report states it). Every `catchEvery`-th block also holds one catch
/// trial at a random place, its kind cycling through `catchKinds`: the real image beside
/// itself upside down (flipped), or one image on both sides (identical). Block `b` of participant
/// `p` draws only from `RandomSource(seed).split("survey").split(p).split(b)`, so any trial can
/// be planned again after a restart without replaying the others.
public struct StudyDesign: Sendable {
    public let seed: UInt64
    public let scenes: [String]
    /// A catch trial in every `catchEvery`-th block (0: none).
    public let catchEvery: Int
    /// The kinds of the catch trials, in turn: catch trial c is of kind c mod count.
    public let catchKinds: [CatchKind]

    public init(
        seed: UInt64, scenes: [String], catchEvery: Int,
        catchKinds: [CatchKind] = CatchKind.allCases
    ) throws {
        guard !scenes.isEmpty else { throw SurveyError.badOption("--images", "no scenes") }
        guard catchEvery >= 0 else {
            throw SurveyError.badOption("--catch-every", "must be 0 (none) or a positive number")
        }
        guard !catchKinds.isEmpty, Set(catchKinds).count == catchKinds.count else {
            throw SurveyError.badOption(
                "--catch-kinds", "give each of flipped, identical at most once, at least one")
        }
        self.seed = seed
        self.scenes = scenes
        self.catchEvery = catchEvery
        self.catchKinds = catchKinds
    }

    /// The trials of block `b` for participant `participant`.
    public func block(participant: Int, _ b: Int) -> [TrialPlan] {
        var rng = RandomSource(seed: seed).split("survey").split(participant).split(b)
        var trials: [TrialPlan] = []
        for k in rng.permutation(SurveySource.pairs.count) {
            let (a, c) = SurveySource.pairs[k]
            let scene = scenes[rng.int(below: scenes.count)]
            let swap = rng.int(below: 2) == 1
            trials.append(
                TrialPlan(scene: scene, left: swap ? c : a, right: swap ? a : c, broken: nil))
        }
        if catchEvery > 0 && b % catchEvery == catchEvery - 1 {
            let at = rng.int(below: trials.count + 1)
            let scene = scenes[rng.int(below: scenes.count)]
            let kind = catchKinds[(b / catchEvery) % catchKinds.count]
            let plan: TrialPlan
            switch kind {
            case .flipped:
                let side: Side = rng.int(below: 2) == 1 ? .right : .left
                plan = TrialPlan(
                    scene: scene, left: .real, right: .real, broken: side, catchKind: .flipped)
            case .identical:
                let source = SurveySource.allCases[rng.int(below: SurveySource.allCases.count)]
                plan = TrialPlan(
                    scene: scene, left: source, right: source, broken: nil, catchKind: .identical)
            }
            trials.insert(plan, at: at)
        }
        return trials
    }

    /// Trial number `position` (0-based) of participant `participant`.
    public func trial(participant: Int, position: Int) -> TrialPlan {
        var start = 0
        var b = 0
        while true {
            let trials = block(participant: participant, b)
            if position < start + trials.count { return trials[position - start] }
            start += trials.count
            b += 1
        }
    }
}
