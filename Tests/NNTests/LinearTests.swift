import Testing
import TestSupport
@testable import NN
@testable import Tensors

@Suite struct LinearTests {
    /// nn.Linear(6, 3): keys weight (3, 6) then bias (3), both within 1/sqrt(6) of 0.
    @Test func keysShapesAndInit() {
        let store = ParameterStore()
        var random = RandomSource(seed: 13).split("linear")
        let fc = Linear(6, 3, at: Scope(store) / "fc", random: &random)
        #expect(store.entries.map(\.key) == ["fc.weight", "fc.bias"])
        #expect(fc.weight.shape == [3, 6] && fc.bias?.shape == [3])
        let bound = 1 / Float(6).squareRoot()
        #expect((fc.weight.value.data + fc.bias!.value.data).allSatisfy { abs($0) <= bound })
        let y = withoutGradient { fc(Variable(Tensor(zeros: [2, 6]))) }
        #expect(y.value.data == fc.bias!.value.data + fc.bias!.value.data)
    }
}
