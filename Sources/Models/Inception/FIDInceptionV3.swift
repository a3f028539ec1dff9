import NN
import Tensors

/// pytorch-fid's Inception-v3 (`InceptionV3([3])` over `fid_inception_v3()`), up to the 2048-d
/// pool3 features: torchvision's Inception3 stem and mixed blocks with the FID variants of
/// Mixed_5b-d, 6b-e, 7b and 7c, no auxiliary head, no classifier.
///
/// Keys are Inception3's state_dict keys, as in pytorch-fid's published weight file
/// `pt_inception-2015-12-05-6726825d.pth` (`Conv2d_1a_3x3.conv.weight`,
/// `Mixed_5b.branch5x5_1.bn.running_var`, ...; its `fc.*` classifier is not used).
/// `widthDivisor` divides every channel count (1 = the real network; 8 or 16 give
/// reduced-width networks with the same blocks and keys, for tests).
public struct FIDInceptionV3: Sendable {
    /// pytorch-fid resizes every image to 299 x 299 (bilinear, align_corners false).
    public static let inputSize = 299

    /// The divisors that keep every channel count whole (80 / 16 = 5).
    public static let widthDivisors = [1, 2, 4, 8, 16]

    public let widthDivisor: Int
    let stem: [BasicConv2d]  // Conv2d_1a_3x3, 2a, 2b | max pool | 3b, 4a | max pool
    let mixed5: [InceptionA]
    let mixed6a: InceptionB
    let mixed6: [InceptionC]
    let mixed7a: InceptionD
    let mixed7: [InceptionE]

    /// Length of the pool3 feature vector: 2048 / widthDivisor.
    public var featureDimension: Int { 2048 / widthDivisor }

    /// Registers the network at `scope` (the root for the published keys).
    public init(widthDivisor w: Int = 1, at scope: Scope) {
        precondition(
            Self.widthDivisors.contains(w),
            "FIDInceptionV3: width divisor \(w) must be 1, 2, 4, 8 or 16 (80 / 16 = 5 channels)")
        widthDivisor = w
        let s = scope
        stem = [
            BasicConv2d(3, 32 / w, kernel: 3, stride: 2, at: s / "Conv2d_1a_3x3"),
            BasicConv2d(32 / w, 32 / w, kernel: 3, at: s / "Conv2d_2a_3x3"),
            BasicConv2d(32 / w, 64 / w, kernel: 3, padding: 1, at: s / "Conv2d_2b_3x3"),
            BasicConv2d(64 / w, 80 / w, kernel: 1, at: s / "Conv2d_3b_1x1"),
            BasicConv2d(80 / w, 192 / w, kernel: 3, at: s / "Conv2d_4a_3x3"),
        ]
        mixed5 = [
            InceptionA(192 / w, poolFeatures: 32 / w, w: w, at: s / "Mixed_5b"),
            InceptionA(256 / w, poolFeatures: 64 / w, w: w, at: s / "Mixed_5c"),
            InceptionA(288 / w, poolFeatures: 64 / w, w: w, at: s / "Mixed_5d"),
        ]
        mixed6a = InceptionB(288 / w, w: w, at: s / "Mixed_6a")
        mixed6 = zip(["Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"], [128, 160, 160, 192]).map {
            InceptionC(768 / w, channels7x7: $1 / w, w: w, at: s / $0)
        }
        mixed7a = InceptionD(768 / w, w: w, at: s / "Mixed_7a")
        mixed7 = [
            InceptionE(1280 / w, pool: .average, w: w, at: s / "Mixed_7b"),
            InceptionE(2048 / w, pool: .max, w: w, at: s / "Mixed_7c"),
        ]
    }

    /// pool3 features of `x` (N, 3, H, W), already resized and scaled to [-1, 1]:
    /// (N, 2048 / widthDivisor). Eval mode; nothing is recorded for gradients.
    public func features(_ x: Tensor) -> Tensor {
        withoutGradient {
            var y = Variable(x)
            y = maxPool2d(stem[2](stem[1](stem[0](y))), kernel: 3, stride: 2)
            y = maxPool2d(stem[4](stem[3](y)), kernel: 3, stride: 2)
            y = mixed5.reduce(y) { v, block in block(v) }
            y = mixed6a(y)
            y = mixed6.reduce(y) { v, block in block(v) }
            y = mixed7a(y)
            y = mixed7.reduce(y) { v, block in block(v) }
            let pooled = globalAvgPool2d(y).value
            return pooled.reshaped([pooled.shape[0], pooled.shape[1]])
        }
    }

    /// pytorch-fid's `InceptionV3.forward` for images in [0, 1] (N, 3, H, W): bilinear resize
    /// to 299 x 299 (align_corners false, no antialias), x -> 2x - 1, then `features`.
    public func fidFeatures(_ images01: Tensor) -> Tensor {
        let size = Self.inputSize
        let resized = withoutGradient {
            resizeBilinear(Variable(images01), height: size, width: size, alignCorners: false)
        }
        return features(withoutGradient { (2 * resized - 1).value })
    }
}
