import Storage
import Testing
import TestSupport

@testable import Tensors

@Suite struct InstanceGatherTests {
    // Tests/Fixtures/scripts/make_spade.py `ops/instance_gather`: spade_torch.instance_gather
    // (padded-row indexing, autograd's scatter-add backward) on the fixture's 8x16 index map.
    @Test func matchesPyTorch() throws {
        let f = try Fixture.open("spade.h5")
        let values = try f.tensor("ops/instance_gather/in0")
        let index = try f.labels("ops/instance_gather/in1")
        let counts = (0..<index.shape[0]).map { b in
            Int(index.data[(b * 128)..<((b + 1) * 128)].max()!) + 1
        }
        #expect(counts.reduce(0, +) == values.shape[0])
        let gy = try f.tensor("ops/instance_gather/grad_out")
        let (_, grads) = valueAndGradient(at: [values]) { xs in
            let y = instanceGather(xs[0], index: index, counts: counts)
            #expect(mismatch(y.value, (try? f.tensor("ops/instance_gather/out"))!) == nil)
            return sum(y * Variable(gy))
        }
        #expect(mismatch(grads[0], try f.tensor("ops/instance_gather/grad_in0")) == nil)
    }

    @Test func finiteDifferences() {
        let index = Labels(
            shape: [2, 3, 4],
            data: [
                0, 0, 1, -1, 0, 1, 1, -1, -1, -1, 2, 2,
                0, -1, -1, -1, 0, 0, -1, -1, -1, -1, -1, 0,
            ])
        var random = RandomSource(seed: 1)
        let values = random.normalTensor([4, 3])
        let report = checkGradients([values]) { xs in
            instanceGather(xs[0], index: index, counts: [3, 1])
        }
        #expect(report.passed, "\(report)")
        // Each value lands on its instance's pixels; background is zero.
        let y = instanceGather(Variable(values), index: index, counts: [3, 1]).value
        #expect(y.data[0] == values.data[0] && y.data[3] == 0)
        #expect(y.data[(3 + 1) * 12 + 0] == values.data[3 * 3 + 1])
    }

    @Test func batchConcatAndSlice() {
        var random = RandomSource(seed: 2)
        let a = random.normalTensor([2, 3, 2, 2]), b = random.normalTensor([1, 3, 2, 2])
        let both = concatBatch([Variable(a), Variable(b)])
        #expect(both.shape == [3, 3, 2, 2] && Array(both.value.data.prefix(24)) == a.data)
        #expect(sliceBatch(both, 2..<3).value == b)
        let report = checkGradients([a, b]) { xs in
            sliceBatch(concatBatch([xs[0], xs[1]]), 1..<3) * 2
        }
        #expect(report.passed, "\(report)")
    }

    /// PyTorch's nearest rule on index maps: src = floor(dst * in / out).
    @Test func indexResize() {
        let index = Labels(shape: [1, 2, 4], data: [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(resizeNearest(index, height: 1, width: 2).data == [0, 2])
        let up = resizeNearest(index, height: 4, width: 8)
        #expect(up.data.prefix(8) == [0, 0, 1, 1, 2, 2, 3, 3])
    }
}
