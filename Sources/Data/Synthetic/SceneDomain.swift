/// The three appearance domains of the synthetic street scenes (spec: synthetic-data.md).
public enum SceneDomain: String, CaseIterable, Sendable, Codable {
    /// Cityscapes-like: overcast, muted, mild sensor noise, ego-vehicle hood, fixed camera.
    case city
    /// Synscapes-like: clean render, sun and hard shadows, saturated, busier, varied camera.
    case synth
    /// BDD100K-like dashcam: wide lens, night/rain/fog share, motion blur, block noise.
    case bdd
}

/// Weather and time of day of one scene.
enum Condition: String, Sendable {
    case overcast, sunny, night, rain, fog
}
