/// How big a run is: `smoke` for CI, `small` for claim checks over seeds, `medium` for paper
/// 1's claims at a scale where CAC can work (a pretrained backbone, about two hours for 3
/// seeds; paper 1 only), `paper` for the papers' exact settings on real data.
public enum Profile: String, Codable, Hashable, Sendable, CaseIterable {
    case smoke, small, medium, paper
}
