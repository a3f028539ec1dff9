/// How big a run is: `smoke` for CI, `small` for claim checks over seeds, `paper` for the
/// papers' exact settings on real data.
public enum Profile: String, Codable, Hashable, Sendable, CaseIterable {
    case smoke, small, paper

    /// The paper 1 cell (setting, method) at this profile.
    public func segmentation(_ setting: Setting, _ method: Method, dataRoot: String? = nil) -> SegmentationConfig {
        var c = SegmentationConfig(setting: setting, method: method)
        switch self {
        case .smoke:
            // Every cell in about a minute on 2 cores: tiny scenes and a 1/16-width ResNet.
            c.imageHeight = 64
            c.imageWidth = 128
            c.trainImages = 16
            c.valImages = 6
            c.cropSize = 48
            c.rescaleBase = 128
            c.widthDivisor = 16
            c.blocks = [1, 1, 1, 1]
            c.epochs = 3
            c.itersPerEpoch = 8
            c.unsupStartEpoch = 1
            c.batchLabeled = 2
            c.batchUnlabeled = 2
        case .small:
            // Enough training that the claims can show over a few seeds, well under an hour.
            c.imageHeight = 96
            c.imageWidth = 192
            c.trainImages = 96
            c.valImages = 24
            c.cropSize = 96
            c.rescaleBase = 192
            c.widthDivisor = 8
            c.blocks = [1, 1, 1, 1]
            c.epochs = 6
            c.itersPerEpoch = 25
            c.unsupStartEpoch = 1
            c.batchLabeled = 4
            c.batchUnlabeled = 4
        case .paper:
            // The paper's settings (paper 1 §4 and cac.md §4, Cityscapes column): ResNet-50,
            // 150 epochs, SGD 0.01 / backbone 0.001, poly 0.9, crops of 720, batch 8 + 8 pairs.
            c.source = .path(dataRoot ?? "data")
            c.imageHeight = 1024
            c.imageWidth = 2048
            c.cropSize = 720
            c.rescaleBase = 2048
            c.widthDivisor = 1
            c.blocks = [3, 4, 6, 3]
            c.epochs = 150
            c.itersPerEpoch = 1157
            c.unsupStartEpoch = 5
            c.batchLabeled = 8
            c.batchUnlabeled = 8
        }
        return c
    }
}
