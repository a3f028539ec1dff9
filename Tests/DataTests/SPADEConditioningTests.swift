import ImageCodecs
import Tensors
import Testing

@testable import Data

@Suite struct SPADEConditioningTests {
    /// spade.md §4's worked example of `get_edges`.
    @Test func edgeMapWorkedExample() {
        let t = InstanceMap(
            width: 4, height: 3, values: [7, 7, 26000, 26000, 7, 7, 26000, 26001, 8, 8, 8, 8])
        let e = SPADEConditioning.edges([t])
        #expect(e.shape == [1, 1, 3, 4])
        #expect(e.data == [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    }

    /// spade.md §6.5's worked value: box x1 = 10, W = 4, y1 = 20, H = 2; pixel (11, 20), j = 31.
    @Test func positionMapWorkedValue() {
        var values = [Int32](repeating: 7, count: 24 * 16)
        for y in 20...21 { for x in 10...13 { values[y * 16 + x] = 26000 } }
        let layout = InstanceLayout([InstanceMap(width: 16, height: 24, values: values)])
        #expect(layout.ids == [[26000]])
        let box = PositionMap.boundingBoxes(layout, image: 0)[0]
        #expect(box.x1 == 10 && box.width == 4 && box.y1 == 20 && box.height == 2)
        let pe = PositionMap.make(layout)
        #expect(pe.shape == [1, 128, 24, 16])
        let at = { (c: Int) in pe.data[(c * 24 + 20) * 16 + 11] }
        let expected: [Float] = [
            -1.2898337912517968, -0.35852309808147653, 0.35852309808147653, 1.2898337912517968,
        ]
        for k in 0..<4 { #expect(abs(at(124 + k) - expected[k]) < 1e-6) }
        // j = 0 is all zero; outside the instance everything is zero.
        #expect((0..<4).allSatisfy { at($0) == 0 })
        #expect((0..<128).allSatisfy { pe.data[($0 * 24 + 5) * 16 + 5] == 0 })
        // The product alternative: (d0 p_x)(d1 p_y).
        let product = PositionMap.make(layout, combine: .product)
        let px = -0.46565534658516017, py = -0.8241784446666367
        #expect(abs(Double(product.data[(124 * 24 + 20) * 16 + 11]) - px * py) < 1e-6)
    }

    /// Instances are the ids >= 1000 in ascending order; groups and stuff are background.
    @Test func instanceLayout() {
        let map = InstanceMap(width: 3, height: 2, values: [26001, 26, 24000, 7, 26001, 0])
        let layout = InstanceLayout([map, map])
        #expect(layout.ids == [[24000, 26001], [24000, 26001]])
        #expect(layout.index.data == [1, -1, 0, -1, 1, -1, 1, -1, 0, -1, 1, -1])
        #expect(layout.counts == [2, 2])
    }

    @Test func oneHotAndErrors() throws {
        let labels = LabelMap(width: 2, height: 1, values: [0, 34])
        let s = try SPADEConditioning.oneHot([labels])
        #expect(s.shape == [1, 35, 1, 2] && s.data[0] == 1 && s.data[34 * 2 + 1] == 1)
        #expect(s.data.reduce(0, +) == 2)
        let bad = LabelMap(width: 2, height: 1, values: [3, 35])
        #expect(throws: ConditioningError.self) {
            try SPADEConditioning.oneHot([bad], sources: ["a_gtFine_labelIds.png"])
        }
        do {
            _ = try SPADEConditioning.oneHot([bad], sources: ["a_gtFine_labelIds.png"])
        } catch {
            #expect("\(error)".contains("a_gtFine_labelIds.png") && "\(error)".contains("35"))
        }
        let inst = InstanceMap(width: 3, height: 1, values: [0, 0, 0])
        do {
            _ = try SPADEConditioning.semantics(
                labels: [labels], instances: [inst], edges: true, labelSources: ["l.png"],
                instanceSources: ["i.png"])
            Issue.record("a size mismatch must throw")
        } catch let e as ConditioningError {
            #expect(e.source == "i.png" && e.problem.contains("3x1") && e.problem.contains("2x1"))
        }
        let ok = InstanceMap(width: 2, height: 1, values: [26000, 0])
        let sem = try SPADEConditioning.semantics(labels: [labels], instances: [ok], edges: true)
        #expect(sem.shape == [1, 36, 1, 2] && sem.data[35 * 2] == 1 && sem.data[35 * 2 + 1] == 1)
    }

    /// PIL's nearest rule samples pixel centres: the factor-4 downscale picks 4j + 2.
    @Test func preprocessResizeAndFlip() throws {
        let w = 16, h = 8
        let labels = LabelMap(width: w, height: h, values: (0..<(w * h)).map { UInt8($0 % 16) })
        let inst = InstanceMap(width: w, height: h, values: (0..<(w * h)).map { Int32($0 / 16) })
        let image = RGBImage(width: w, height: h, fill: (10, 20, 30))
        let out = try SPADEPreprocess.apply(
            image: image, labels: labels, instances: inst, width: 4, height: 2, flip: false,
            sources: ("i", "l", "n"))
        #expect(out.labels.values == [2, 6, 10, 14, 2, 6, 10, 14])
        #expect(out.instances.values == [2, 2, 2, 2, 6, 6, 6, 6])
        #expect(out.image.width == 4 && out.image[0, 0] == (10, 20, 30))
        let flipped = try SPADEPreprocess.apply(
            image: image, labels: labels, instances: inst, width: 4, height: 2, flip: true,
            sources: ("i", "l", "n"))
        #expect(flipped.labels.values == [14, 10, 6, 2, 14, 10, 6, 2])
        let t = SPADEPreprocess.imageTensor([out.image])
        #expect(abs(t.data[0] - (10.0 / 255 - 0.5) / 0.5) < 1e-7)
        let small = InstanceMap(width: 15, height: 8, values: [Int32](repeating: 0, count: 120))
        #expect(throws: ConditioningError.self) {
            try SPADEPreprocess.apply(
                image: image, labels: labels, instances: small, width: 4, height: 2, flip: false,
                sources: ("i", "l", "n"))
        }
    }
}
