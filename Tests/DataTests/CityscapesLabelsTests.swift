import Testing
@testable import Data

@Suite struct CityscapesLabelsTests {
    @Test func tableIsIndexedById() {
        #expect(Cityscapes.labels.count == 34)
        for (i, l) in Cityscapes.labels.enumerated() { #expect(Int(l.id) == i) }
    }

    /// Spot checks against cityscapesScripts helpers/labels.py.
    @Test func rowsMatchLabelsPy() {
        let car = Cityscapes.label("car")
        #expect(
            car.id == 26 && car.trainId == 13 && car.category == "vehicle" && car.categoryId == 7)
        #expect(car.hasInstances && !car.ignoreInEval && car.color == (0, 0, 142))
        #expect(Cityscapes.label("road").color == (128, 64, 128))
        #expect(
            Cityscapes.label("parking").trainId == 255 && Cityscapes.label("parking").ignoreInEval)
        #expect(
            Cityscapes.label("caravan").hasInstances && Cityscapes.label("caravan").trainId == 255)
        #expect(
            Cityscapes.label("bicycle").trainId == 18
                && Cityscapes.label("bicycle").color == (119, 11, 32))
        #expect(Cityscapes.labels.filter(\.hasInstances).map(\.id) == Array(24...33))
    }

    @Test func trainIdsDeriveFromTheTable() {
        #expect(
            Cityscapes.trainClassNames == [
                "road", "sidewalk", "building", "wall", "fence", "pole", "traffic light",
                "traffic sign",
                "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
                "motorcycle", "bicycle",
            ])
        #expect(
            Cityscapes.labelIdOfTrainId == [
                7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33,
            ])
        #expect(Cityscapes.trainIdOfLabelId.count == 256)
        #expect(Cityscapes.trainIdOfLabelId[0] == 255 && Cityscapes.trainIdOfLabelId[34] == 255)
        #expect(Cityscapes.trainIds(fromLabelIds: [7, 26, 1, 200]) == [0, 13, 255, 255])
        for t in 0..<19 {
            #expect(Cityscapes.trainIdOfLabelId[Int(Cityscapes.labelIdOfTrainId[t])] == UInt8(t))
        }
    }
}
