import SynthesisMetrics

/// How one MICV result is written to a run's metrics: the reported value and, beside it, the
/// readings of the paper's definition that spade.md §9.1 leaves open, so the paper's scale can
/// be matched later without rerunning.
enum MICVVariants {
    /// (metric-name suffix, value) pairs, in a fixed order:
    /// - "": the reported MICV, the population std in [0, 1] times `scale` (100);
    /// - "_plain": the same in [0, 1]; "_x255": in 0..255 levels; "_x1e5": the paper's printed
    ///   factor applied literally (hundreds to thousands: not the paper's scale, §9.1 item 4);
    /// - "_sample_std", "_euclidean_std", "_variance", "_pooled_std": §9.1's other readings,
    ///   in [0, 1] units (the pooled std measures hue too; logged, not recommended).
    static func metrics(_ r: MICVResult, scale: Double) -> [(String, Double)] {
        let v = r.variants
        return [
            ("", r.micv * scale), ("_plain", r.micv), ("_x255", r.micv * 255),
            ("_x1e5", r.micv * 1e5), ("_sample_std", v.sampleStd),
            ("_euclidean_std", v.euclideanStd), ("_variance", v.variance),
            ("_pooled_std", v.pooledStd),
        ]
    }
}
