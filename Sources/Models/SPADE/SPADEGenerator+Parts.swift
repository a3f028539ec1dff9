import NN
import Tensors

/// The generator cut into the parts a per-part profile times, in forward order; the forward
/// itself runs through `part`, so the parts are the network.
extension SPADEGenerator {
    /// fc, head_0, G_middle_0, G_middle_1, up_0 ... up_3 (up_4), conv_img.
    public var partNames: [String] {
        ["fc", "head_0", "G_middle_0", "G_middle_1"] + ups.indices.map { "up_\($0)" }
            + ["conv_img"]
    }

    public var partCount: Int { 5 + ups.count }

    /// Part `k` on `x` (its input: `ctx.seg` for fc, else the previous part's output). fc
    /// resizes S to the latent size first; G_middle_0 and every up_k upsample first, and
    /// G_middle_1 too for `more`/`most`; conv_img is LeakyReLU 0.2, conv and tanh.
    public func part(_ k: Int, _ x: Variable, _ ctx: SPADEContext, mode: Mode) -> Variable {
        precondition(k >= 0 && k < partCount, "SPADEGenerator.part: \(k) of \(partCount)")
        switch k {
        case 0:
            let (sh, sw) = arch.latentSize
            return fc(resizeNearest(x, height: sh, width: sw))
        case 1: return head0(x, ctx, mode: mode)
        case 2: return middle0(up(x), ctx, mode: mode)
        case 3: return middle1(arch.upsampling == .normal ? x : up(x), ctx, mode: mode)
        case partCount - 1: return tanh(convImg(leakyReLU(x, slope: 0.2)))
        default: return ups[k - 4](up(x), ctx, mode: mode)
        }
    }

    /// The res block of part `k`, nil for fc and conv_img.
    public func block(ofPart k: Int) -> SPADEResBlock? {
        switch k {
        case 1: return head0
        case 2: return middle0
        case 3: return middle1
        case 4..<(partCount - 1): return ups[k - 4]
        default: return nil
        }
    }

    /// Every part's input in one forward without gradients (`mode` as in training: batch
    /// statistics, and the spectral norms advance once).
    public func partInputs(_ ctx: SPADEContext, mode: Mode) -> [Tensor] {
        withoutGradient {
            var inputs: [Tensor] = []
            var x = ctx.seg
            for k in 0..<partCount {
                inputs.append(x.value)
                x = part(k, x, ctx, mode: mode)
            }
            return inputs
        }
    }
}
