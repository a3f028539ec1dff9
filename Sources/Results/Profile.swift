/// How big a run is: `smoke` for CI, `small` for claim checks over seeds, `paper` for the
/// papers' exact settings on real data.
public enum Profile: String, Codable, Hashable, Sendable, CaseIterable {
    case smoke, small, paper
}
