import Testing
import TestSupport
@testable import Tensors

/// One small convolution configuration: input (N, C, H, W), weight (K, C, kh, kw).
struct ConvCase: CustomTestStringConvertible, Sendable {
    var n: Int = 2
    var c: Int
    var h: Int
    var w: Int
    var k: Int
    var kh: Int
    var kw: Int
    var stride: Int = 1
    var padding: Int = 0
    var dilation: Int = 1
    var bias: Bool = true

    var testDescription: String {
        "x(\(n),\(c),\(h),\(w)) w(\(k),\(c),\(kh),\(kw)) s\(stride) p\(padding) d\(dilation)"
            + (bias ? " +b" : "")
    }
    var geometry: Conv2dGeometry {
        Conv2dGeometry(
            input: [n, c, h, w], weight: [k, c, kh, kw], stride: stride, padding: padding,
            dilation: dilation)
    }
    /// Seeded inputs: x, weight and, with `bias`, bias.
    func inputs(seed: UInt64 = 1) -> [Tensor] {
        var r = RandomSource(seed: seed).split("conv")
        let x = r.uniformTensor([n, c, h, w], -1, 1)
        let wt = r.uniformTensor([k, c, kh, kw], -0.5, 0.5)
        return bias ? [x, wt, r.uniformTensor([k], -1, 1)] : [x, wt]
    }
    func apply(_ v: [Variable]) -> Variable {
        conv2d(
            v[0], v[1], v.count > 2 ? v[2] : nil, stride: stride, padding: padding,
            dilation: dilation)
    }
}

let convCases: [ConvCase] = [
    ConvCase(c: 3, h: 5, w: 7, k: 4, kh: 3, kw: 3, padding: 1),
    ConvCase(c: 4, h: 6, w: 5, k: 3, kh: 1, kw: 1),  // pointwise: no im2col
    ConvCase(c: 4, h: 6, w: 5, k: 3, kh: 1, kw: 1, stride: 2, bias: false),
    ConvCase(c: 2, h: 9, w: 11, k: 3, kh: 7, kw: 7, stride: 2, padding: 3),
    ConvCase(c: 3, h: 8, w: 10, k: 2, kh: 3, kw: 3, padding: 2, dilation: 2, bias: false),
    ConvCase(c: 2, h: 13, w: 14, k: 2, kh: 3, kw: 3, padding: 6, dilation: 6),
    ConvCase(c: 3, h: 7, w: 6, k: 5, kh: 2, kw: 3, stride: 2, padding: 1),  // non-square kernel
    ConvCase(n: 1, c: 2, h: 4, w: 4, k: 2, kh: 3, kw: 3, stride: 3),
]

/// Direct convolution: the definition, summed in Double.
func naiveConv(_ x: Tensor, _ wt: Tensor, _ b: Tensor?, _ g: Conv2dGeometry) -> Tensor {
    var y = Tensor(zeros: [g.n, g.k, g.ho, g.wo])
    for n in 0..<g.n {
        for k in 0..<g.k {
            for oh in 0..<g.ho {
                for ow in 0..<g.wo {
                    var s = Double(b?.data[k] ?? 0)
                    for c in 0..<g.c {
                        for i in 0..<g.kh {
                            for j in 0..<g.kw {
                                let ih = oh * g.stride - g.padding + i * g.dilation
                                let iw = ow * g.stride - g.padding + j * g.dilation
                                guard ih >= 0, ih < g.h, iw >= 0, iw < g.w else { continue }
                                s +=
                                    Double(x.data[((n * g.c + c) * g.h + ih) * g.w + iw])
                                    * Double(wt.data[((k * g.c + c) * g.kh + i) * g.kw + j])
                            }
                        }
                    }
                    y.data[((n * g.k + k) * g.ho + oh) * g.wo + ow] = Float(s)
                }
            }
        }
    }
    return y
}

/// The cases of Tests/Fixtures/conv.h5 (Tests/Fixtures/scripts/make_conv.py).
let convGoldenCases = [
    "k3_s1_p1", "k1_s1_p0", "k1_s2_p0_nobias", "k7_s2_p3", "k3_s1_p2_d2_nobias", "k3_s1_p6_d6",
    "k3_s2_p1", "k2x3_s1_p0",
]

@Suite struct Conv2dTests {
    /// PyTorch goldens: make_conv.py draws x, weight, bias and grad_output in float32, runs
    /// `F.conv2d(x, w, b, stride, padding, dilation)` in float64 and back-propagates
    /// `sum(y * grad_output)`; we compare y and the gradients of x, weight and bias, calling the
    /// four kernels directly.
    @Test(arguments: convGoldenCases) func matchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("conv.h5", name)
        let x = try c.inputs["x"], wt = try c.inputs["weight"]
        let bias = c.inputs.names.contains("bias") ? try c.inputs["bias"] : nil
        let gy = try c.gradOutput
        let g = Conv2dGeometry(
            input: x.shape, weight: wt.shape, stride: try c.int("stride"),
            padding: try c.int("padding"), dilation: try c.int("dilation"))
        var results = [
            ("output", conv2dForward(x, wt, bias, g), c.output),
            ("grad x", conv2dBackwardData(gy, wt, g), try c.gradInputs["x"]),
            ("grad weight", conv2dBackwardWeight(gy, x, g), try c.gradInputs["weight"]),
        ]
        if bias != nil {
            results.append(("grad bias", conv2dBackwardBias(gy, g), try c.gradInputs["bias"]))
        }
        #expect(c.gradInputs.names.count == results.count - 1)
        for (key, actual, expected) in results {
            let problem = mismatch(actual, expected, atol: 1e-5, rtol: 1e-4)
            #expect(problem == nil, "\(name) \(key): \(problem ?? "")")
        }
    }

    @Test func everyCaseIsTested() throws {
        #expect(try Fixture.caseNames("conv.h5") == convGoldenCases.sorted())
    }

    @Test(arguments: convCases) func forwardMatchesDirectConvolution(_ cfg: ConvCase) {
        let xs = cfg.inputs()
        let y = withoutGradient { cfg.apply(xs.map { Variable($0) }) }
        let expected = naiveConv(xs[0], xs[1], cfg.bias ? xs[2] : nil, cfg.geometry)
        let problem = mismatch(y.value, expected, atol: 1e-5, rtol: 1e-5)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test(arguments: convCases) func gradientsMatchFiniteDifferences(_ cfg: ConvCase) {
        let report = checkGradients(cfg.inputs(), eps: 1e-2, samples: 30) { cfg.apply($0) }
        #expect(report.passed, "\(report)")
    }

    /// The three backward kernels are the adjoints of the forward one: for random y', x', w',
    /// <conv(x', w), y'> = <x', dX(y', w)> and <conv(x, w'), y'> = <w', dW(y', x)>.
    @Test(arguments: convCases) func backwardKernelsAreAdjoints(_ cfg: ConvCase) {
        let g = cfg.geometry
        var r = RandomSource(seed: 9).split("adjoint")
        let xs = cfg.inputs()
        let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
        func dot(_ a: Tensor, _ b: Tensor) -> Double {
            zip(a.data, b.data).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let yx = naiveConv(xs[0], xs[1], nil, g)
        let dx = conv2dBackwardData(gy, xs[1], g)
        let dw = conv2dBackwardWeight(gy, xs[0], g)
        #expect(abs(dot(yx, gy) - dot(xs[0], dx)) <= 1e-4 * max(1, abs(dot(yx, gy))))
        #expect(abs(dot(yx, gy) - dot(xs[1], dw)) <= 1e-4 * max(1, abs(dot(yx, gy))))
        let db = conv2dBackwardBias(gy, g)
        for k in 0..<g.k {
            var s = 0.0
            for n in 0..<g.n {
                for p in 0..<g.positions { s += Double(gy.data[(n * g.k + k) * g.positions + p]) }
            }
            #expect(abs(Double(db.data[k]) - s) <= 1e-4 * max(1, abs(s)))
        }
    }

    /// Large enough for several column tiles and both threads: the same calls twice give the
    /// same bits for the output and all three gradients.
    @Test func repeatsBitForBit() {
        let cfg = ConvCase(c: 128, h: 64, w: 64, k: 16, kh: 3, kw: 3, padding: 1)
        let g = cfg.geometry
        #expect(conv2dTileColumns(g) < g.positions)
        let previous = Parallel.threads
        Runtime.setThreads(2)
        defer { Runtime.setThreads(previous) }
        let xs = cfg.inputs()
        var r = RandomSource(seed: 3)
        let gy = r.uniformTensor([g.n, g.k, g.ho, g.wo], -1, 1)
        func run() -> [[UInt32]] {
            [
                conv2dForward(xs[0], xs[1], xs[2], g), conv2dBackwardData(gy, xs[1], g),
                conv2dBackwardWeight(gy, xs[0], g), conv2dBackwardBias(gy, g),
            ].map { $0.data.map(\.bitPattern) }
        }
        let a = run(), b = run()
        #expect(a == b)
    }

    /// Tiles that start mid-row (Wo = 7, tile 5) give the same column matrix as one tile, and
    /// their col2im sums match a single col2im.
    @Test func tilesSplitRowsCorrectly() {
        let cfg = ConvCase(c: 3, h: 11, w: 13, k: 4, kh: 3, kw: 3, stride: 2, padding: 1)
        let g = cfg.geometry
        let x = cfg.inputs()[0]
        let t = 5
        var col = [Float](repeating: 0, count: g.rows * g.positions)
        var tiled = [Float](repeating: 0, count: g.rows * t)
        var dxWhole = [Float](repeating: 0, count: g.c * g.h * g.w)
        var dxTiled = dxWhole
        var phases = [Float](repeating: 0, count: im2colSourceCount(g))
        x.withUnsafeBufferPointer { xb in
            let source = im2colSource(xb.baseAddress!, g, &phases)
            im2col(source, g, 0, g.positions, &col)
            col2im(col, g, 0, g.positions, &dxWhole)
            for p0 in stride(from: 0, to: g.positions, by: t) {
                let p1 = min(p0 + t, g.positions)
                im2col(source, g, p0, p1, &tiled)
                for r in 0..<g.rows {
                    for p in p0..<p1 {
                        #expect(tiled[r * (p1 - p0) + p - p0] == col[r * g.positions + p])
                    }
                }
                col2im(tiled, g, p0, p1, &dxTiled)
            }
        }
        let problem = mismatch(
            Tensor(shape: [g.c, g.h, g.w], data: dxTiled),
            Tensor(shape: [g.c, g.h, g.w], data: dxWhole),
            atol: 1e-6, rtol: 1e-6)
        #expect(problem == nil, "\(problem ?? "")")
    }
}
