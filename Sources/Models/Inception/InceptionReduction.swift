import NN
import Tensors

/// Mixed_7a (grid reduction): 1x1 -> 3x3 stride 2 | 1x1 -> 1x7 -> 7x1 -> 3x3 stride 2 | max
/// pool 3 stride 2. Output 512/w + c channels.
public struct InceptionD: Sendable {
    let branch3x3_1, branch3x3_2: BasicConv2d
    let branch7x7x3: [BasicConv2d]  // branch7x7x3_1 ... _4

    public init(_ c: Int, w: Int, at s: Scope) {
        branch3x3_1 = BasicConv2d(c, 192 / w, kernel: 1, at: s / "branch3x3_1")
        branch3x3_2 = BasicConv2d(
            192 / w, 320 / w, kernel: 3, stride: 2, at: s / "branch3x3_2")
        let m = 192 / w
        branch7x7x3 = [
            BasicConv2d(c, m, kernel: 1, at: s / "branch7x7x3_1"),
            BasicConv2d(
                m, m, kernel: (1, 7), padding: (0, 3), at: s / "branch7x7x3_2"),
            BasicConv2d(
                m, m, kernel: (7, 1), padding: (3, 0), at: s / "branch7x7x3_3"),
            BasicConv2d(m, m, kernel: 3, stride: 2, at: s / "branch7x7x3_4"),
        ]
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        let b3 = branch3x3_2(branch3x3_1(x))
        let b7 = branch7x7x3.reduce(x) { y, conv in conv(y) }
        return concatChannels([b3, b7, maxPool2d(x, kernel: 3, stride: 2)])
    }
}

/// Mixed_7b / 7c: 1x1 | 1x1 -> (1x3 ‖ 3x1) | 1x1 -> 3x3 -> (1x3 ‖ 3x1) | pool -> 1x1, where the
/// pool is pytorch-fid's: avg pool 3 without counting padding (FIDInceptionE_1, Mixed_7b) or
/// max pool 3 stride 1 (FIDInceptionE_2, Mixed_7c). Output 2048/w channels.
public struct InceptionE: Sendable {
    /// The pooling branch's pool.
    public enum Pool: Sendable { case average, max }

    let pool: Pool
    let branch1x1, branch3x3_1, branch3x3_2a, branch3x3_2b: BasicConv2d
    let branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3a, branch3x3dbl_3b, branchPool: BasicConv2d

    public init(_ c: Int, pool: Pool, w: Int, at s: Scope) {
        self.pool = pool
        let (m, d) = (384 / w, 448 / w)
        let row = (h: 1, w: 3)
        let col = (h: 3, w: 1)
        let rowPad = (h: 0, w: 1)
        let colPad = (h: 1, w: 0)
        branch1x1 = BasicConv2d(c, 320 / w, kernel: 1, at: s / "branch1x1")
        branch3x3_1 = BasicConv2d(c, m, kernel: 1, at: s / "branch3x3_1")
        branch3x3_2a = BasicConv2d(
            m, m, kernel: row, padding: rowPad, at: s / "branch3x3_2a")
        branch3x3_2b = BasicConv2d(
            m, m, kernel: col, padding: colPad, at: s / "branch3x3_2b")
        branch3x3dbl_1 = BasicConv2d(c, d, kernel: 1, at: s / "branch3x3dbl_1")
        branch3x3dbl_2 = BasicConv2d(
            d, m, kernel: 3, padding: 1, at: s / "branch3x3dbl_2")
        branch3x3dbl_3a = BasicConv2d(
            m, m, kernel: row, padding: rowPad, at: s / "branch3x3dbl_3a")
        branch3x3dbl_3b = BasicConv2d(
            m, m, kernel: col, padding: colPad, at: s / "branch3x3dbl_3b")
        branchPool = BasicConv2d(c, 192 / w, kernel: 1, at: s / "branch_pool")
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        let t = branch3x3_1(x)
        let b3 = concatChannels([branch3x3_2a(t), branch3x3_2b(t)])
        let u = branch3x3dbl_2(branch3x3dbl_1(x))
        let b3dbl = concatChannels([branch3x3dbl_3a(u), branch3x3dbl_3b(u)])
        let pooled =
            switch pool {
            case .average: avgPool2d(x, kernel: 3, stride: 1, padding: 1, countIncludePad: false)
            case .max: maxPool2d(x, kernel: 3, stride: 1, padding: 1)
            }
        return concatChannels([branch1x1(x), b3, b3dbl, branchPool(pooled)])
    }
}
