import Results

extension Paper2RunConfig {
    /// The paper 2 cell `variant` at `profile`.
    public static func at(
        _ profile: Profile, _ variant: SPADEVariant, dataRoot: String? = nil
    ) -> Paper2RunConfig {
        var c = Paper2RunConfig(variant)
        switch profile {
        case .smoke:
            // All three cells in well under two minutes on 2 cores: 32x64 scenes, ngf 4,
            // 2 epochs of 4 iterations at batch 2.
            c.imageHeight = 32
            c.imageWidth = 64
            c.trainImages = 8
            c.valImages = 4
            c.width = 1.0 / 16
            c.niter = 1
            c.niterDecay = 1
            c.batchSize = 2
            c.sheetRows = 4
            c.spade.architecture.upsampling = .normal
        case .small, .medium:
            // (Paper 2 has no medium cells, Paper2Experiment.cells; the switch maps it here.)
            // Cars and people a reader can tell apart in about an hour for 3 cells x 3 seeds
            // on 2 cores. At 64x128 people are 5 pixels tall (median) and stay invisible even
            // after 720 iterations (results/claims/paper2-small-trial-720it-sheet-s0.png);
            // whole 128x256 scenes cost 4x per iteration. So SPADE's scale_width_and_crop:
            // 128x128 windows of 128x256 scenes (people 10 pixels tall, 16 at the 90th
            // percentile), batch 1, so one iteration costs what a 64x128 batch of 2 did; 48
            // train scenes, 8 + 7 epochs (720 iterations), ngf 4, 32 validation windows.
            c.imageHeight = 128
            c.imageWidth = 128
            c.loadSize = 256
            c.trainImages = 48
            c.valImages = 32
            c.width = 1.0 / 16
            c.niter = 8
            c.niterDecay = 7
            c.batchSize = 1
            c.sheetRows = 6
            c.spade.architecture.upsampling = .normal
        case .paper:
            // spade.md §0 and §5.5: Cityscapes at 256x512, `more` upsampling, ngf 64, batch 32,
            // 100 constant + 100 decaying epochs (the deviations are in `spade.deviations`).
            c.dataRoot = dataRoot ?? "data"
        }
        c.segmenter = ProxySegmenterSettings.at(profile)
        c.synchronize()
        return c
    }
}
