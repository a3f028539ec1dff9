import NN
import Tensors

// The mixed blocks of torchvision's Inception3 in pytorch-fid's FID variant
// (pytorch_fid/inception.py: FIDInceptionA, FIDInceptionC, FIDInceptionE_1 / _2). Channel
// counts are the published ones divided by `w` (1 for the real network; reduced-width test
// networks keep every block, branch and key). Outputs concatenate the branches in the order
// torchvision does.

/// Mixed_5b/5c/5d: 1x1 | 1x1 -> 5x5 | 1x1 -> 3x3 -> 3x3 | avg pool 3 (FID: padding not
/// counted) -> 1x1. Output 224/w + poolFeatures channels.
public struct InceptionA: Sendable {
    let branch1x1, branch5x5_1, branch5x5_2: BasicConv2d
    let branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3, branchPool: BasicConv2d

    public init(_ c: Int, poolFeatures: Int, w: Int, at s: Scope) {
        branch1x1 = BasicConv2d(c, 64 / w, kernel: 1, at: s / "branch1x1")
        branch5x5_1 = BasicConv2d(c, 48 / w, kernel: 1, at: s / "branch5x5_1")
        branch5x5_2 = BasicConv2d(
            48 / w, 64 / w, kernel: 5, padding: 2, at: s / "branch5x5_2")
        branch3x3dbl_1 = BasicConv2d(c, 64 / w, kernel: 1, at: s / "branch3x3dbl_1")
        branch3x3dbl_2 = BasicConv2d(
            64 / w, 96 / w, kernel: 3, padding: 1, at: s / "branch3x3dbl_2")
        branch3x3dbl_3 = BasicConv2d(
            96 / w, 96 / w, kernel: 3, padding: 1, at: s / "branch3x3dbl_3")
        branchPool = BasicConv2d(c, poolFeatures, kernel: 1, at: s / "branch_pool")
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        let b5 = branch5x5_2(branch5x5_1(x))
        let b3 = branch3x3dbl_3(branch3x3dbl_2(branch3x3dbl_1(x)))
        let pool = avgPool2d(x, kernel: 3, stride: 1, padding: 1, countIncludePad: false)
        return concatChannels([branch1x1(x), b5, b3, branchPool(pool)])
    }
}

/// Mixed_6a (grid reduction): 3x3 stride 2 | 1x1 -> 3x3 -> 3x3 stride 2 | max pool 3 stride 2.
/// Output 480/w + c channels.
public struct InceptionB: Sendable {
    let branch3x3, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3: BasicConv2d

    public init(_ c: Int, w: Int, at s: Scope) {
        branch3x3 = BasicConv2d(c, 384 / w, kernel: 3, stride: 2, at: s / "branch3x3")
        branch3x3dbl_1 = BasicConv2d(c, 64 / w, kernel: 1, at: s / "branch3x3dbl_1")
        branch3x3dbl_2 = BasicConv2d(
            64 / w, 96 / w, kernel: 3, padding: 1, at: s / "branch3x3dbl_2")
        branch3x3dbl_3 = BasicConv2d(
            96 / w, 96 / w, kernel: 3, stride: 2, at: s / "branch3x3dbl_3")
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        let b3 = branch3x3dbl_3(branch3x3dbl_2(branch3x3dbl_1(x)))
        return concatChannels([branch3x3(x), b3, maxPool2d(x, kernel: 3, stride: 2)])
    }
}

/// Mixed_6b..6e: 1x1 | 1x1 -> 1x7 -> 7x1 | 1x1 -> 7x1 -> 1x7 -> 7x1 -> 1x7 | avg pool 3 (FID:
/// padding not counted) -> 1x1. Output 768/w channels.
public struct InceptionC: Sendable {
    let branch1x1, branch7x7_1, branch7x7_2, branch7x7_3: BasicConv2d
    let branch7x7dbl: [BasicConv2d]  // branch7x7dbl_1 ... _5
    let branchPool: BasicConv2d

    public init(_ c: Int, channels7x7 c7: Int, w: Int, at s: Scope) {
        let row = (h: 1, w: 7)
        let col = (h: 7, w: 1)
        let rowPad = (h: 0, w: 3)
        let colPad = (h: 3, w: 0)
        branch1x1 = BasicConv2d(c, 192 / w, kernel: 1, at: s / "branch1x1")
        branch7x7_1 = BasicConv2d(c, c7, kernel: 1, at: s / "branch7x7_1")
        branch7x7_2 = BasicConv2d(
            c7, c7, kernel: row, padding: rowPad, at: s / "branch7x7_2")
        branch7x7_3 = BasicConv2d(
            c7, 192 / w, kernel: col, padding: colPad, at: s / "branch7x7_3")
        var dbl = [BasicConv2d(c, c7, kernel: 1, at: s / "branch7x7dbl_1")]
        dbl.append(
            BasicConv2d(c7, c7, kernel: col, padding: colPad, at: s / "branch7x7dbl_2"))
        dbl.append(
            BasicConv2d(c7, c7, kernel: row, padding: rowPad, at: s / "branch7x7dbl_3"))
        dbl.append(
            BasicConv2d(c7, c7, kernel: col, padding: colPad, at: s / "branch7x7dbl_4"))
        dbl.append(
            BasicConv2d(
                c7, 192 / w, kernel: row, padding: rowPad, at: s / "branch7x7dbl_5"))
        branch7x7dbl = dbl
        branchPool = BasicConv2d(c, 192 / w, kernel: 1, at: s / "branch_pool")
    }

    public func callAsFunction(_ x: Variable) -> Variable {
        let b7 = branch7x7_3(branch7x7_2(branch7x7_1(x)))
        let b7dbl = branch7x7dbl.reduce(x) { y, conv in conv(y) }
        let pool = avgPool2d(x, kernel: 3, stride: 1, padding: 1, countIncludePad: false)
        return concatChannels([branch1x1(x), b7, b7dbl, branchPool(pool)])
    }
}
