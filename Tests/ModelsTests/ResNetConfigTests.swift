import Testing

@testable import Models

@Suite struct ResNetConfigTests {
    // Strides and dilations of CAC's backbone (models/modeling/backbone/resnet.py):
    // OS16 strides [1, 2, 2, 1], dilations [1, 1, 1, 2] with multi-grid (1, 2, 4) in layer4;
    // OS8 strides [1, 2, 1, 1], dilations [1, 1, 2, 4].
    @Test func outputStride16() {
        let c = ResNetConfig.resnet50
        #expect(c.strides == [1, 2, 2, 1])
        #expect(c.dilations == [[1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [2, 4, 8]])
        #expect(c.outChannels == 2048 && c.lowLevelChannels == 256)
        #expect(ASPP.rates(outputStride: 16) == [6, 12, 18])
    }

    @Test func outputStride8() {
        let c = ResNetConfig(outputStride: 8)
        #expect(c.strides == [1, 2, 1, 1])
        #expect(c.dilations == [[1, 1, 1], [1, 1, 1, 1], [2, 2, 2, 2, 2, 2], [4, 8, 16]])
        #expect(ASPP.rates(outputStride: 8) == [12, 24, 36])
    }

    @Test func reducedWidthAndBlocks() {
        let c = ResNetConfig(blocks: [1, 1, 1, 2], widthDivisor: 8)
        #expect(c.baseWidth == 8 && c.lowLevelChannels == 32 && c.outChannels == 256)
        #expect(c.dilations == [[1], [1], [1], [2, 4]])
        let d = DeepLabConfig(backbone: c, classes: [5])
        #expect(d.channels == 32 && d.reducedLowLevelChannels == 6 && d.projectionChannels == 16)
    }
}
