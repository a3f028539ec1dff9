import Foundation
import Tensors

/// One convolution of the benchmark: (Cin, Cout, k, stride, dilation, H, W), square kernel,
/// padding dilation * (k - 1) / 2 ("same" for stride 1).
public struct ConvShape: Sendable, Hashable, Codable, CustomStringConvertible {
    public let cin: Int, cout: Int, kernel: Int, stride: Int, dilation: Int, height: Int, width: Int

    public init(
        _ cin: Int, _ cout: Int, _ kernel: Int, _ stride: Int, _ dilation: Int, _ height: Int,
        _ width: Int
    ) {
        (self.cin, self.cout, self.kernel, self.stride) = (cin, cout, kernel, stride)
        (self.dilation, self.height, self.width) = (dilation, height, width)
    }

    /// Reads "Cin,Cout,k,stride,dilation,H,W" (`description`); nil unless all are positive and
    /// the output has at least one pixel.
    public init?(parsing spec: String) {
        let v = spec.split(separator: ",", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard v.count == 7, v.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        self.init(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!)
        let reach = dilation * (kernel - 1)
        guard height + 2 * padding > reach, width + 2 * padding > reach else { return nil }
    }

    public var padding: Int { dilation * (kernel - 1) / 2 }
    /// "Cin,Cout,k,stride,dilation,H,W", the form scripts/bench_conv_torch.py reads.
    public var description: String {
        "\(cin),\(cout),\(kernel),\(stride),\(dilation),\(height),\(width)"
    }

    /// The convolutions of the papers' networks that dominate a training step: ResNet-50's
    /// stem and bottlenecks, DeepLab's ASPP and decoder, SPADE's residual blocks (1-10, the
    /// 1024-channel head_0 at 8x16 last); then SPADE's normalisation convs at 256x512, ngf 64
    /// (11-13), where most of its FLOPs are: the shared MLP on the label map and edges
    /// (36 -> 128) at the image size, and the gamma/beta convs from the 128 hidden channels at
    /// 128x256 (up_2's 256 channels) and at 256x512 (up_3's 128 channels).
    public static let paper: [ConvShape] = [
        ConvShape(3, 64, 7, 2, 1, 256, 512), ConvShape(256, 64, 1, 1, 1, 64, 128),
        ConvShape(64, 64, 3, 1, 1, 64, 128), ConvShape(128, 128, 3, 1, 1, 32, 64),
        ConvShape(256, 256, 3, 1, 1, 16, 32), ConvShape(1024, 256, 1, 1, 1, 16, 32),
        ConvShape(512, 256, 3, 1, 6, 32, 64), ConvShape(304, 256, 3, 1, 1, 64, 128),
        ConvShape(128, 128, 3, 1, 1, 64, 128), ConvShape(1024, 1024, 3, 1, 1, 8, 16),
        ConvShape(36, 128, 3, 1, 1, 256, 512), ConvShape(128, 256, 3, 1, 1, 128, 256),
        ConvShape(128, 128, 3, 1, 1, 256, 512),
    ]

    /// SPADE's shapes (1-based indices for `--shapes`).
    public static let spadeIndices = 10...13
}

/// A pass of convolution, named as scripts/bench_conv_torch.py names it.
public enum ConvPass: String, Sendable, CaseIterable, Codable {
    case forward, backwardData, backwardWeight
}

/// The tensors of one benchmark shape, made once; `run` times nothing and allocates only the
/// result (and the kernel's column tile).
public struct ConvBenchCase: Sendable {
    public let shape: ConvShape
    public let batch: Int
    let geometry: Conv2dGeometry
    let x: Tensor, weight: Tensor, gradient: Tensor

    /// Seeded inputs for `shape` with `batch` images.
    public init(_ shape: ConvShape, batch: Int = 2, seed: UInt64 = 0) {
        self.shape = shape
        self.batch = batch
        geometry = Conv2dGeometry(
            input: [batch, shape.cin, shape.height, shape.width],
            weight: [shape.cout, shape.cin, shape.kernel, shape.kernel], stride: shape.stride,
            padding: shape.padding, dilation: shape.dilation)
        var random = RandomSource(seed: seed).split("bench").split(shape.description)
        x = random.normalTensor([batch, shape.cin, shape.height, shape.width])
        weight = random.normalTensor(
            [shape.cout, shape.cin, shape.kernel, shape.kernel],
            std: 1 / Float(shape.cin * shape.kernel * shape.kernel).squareRoot())
        gradient = random.normalTensor([batch, shape.cout, geometry.ho, geometry.wo])
    }

    /// 2 * N * Cout * Ho * Wo * Cin * k * k, the same for every pass.
    public var flops: Double { geometry.flops }

    /// Runs one pass and returns its result (pass it to a black hole).
    public func run(_ pass: ConvPass) -> Tensor {
        switch pass {
        case .forward: conv2dForward(x, weight, nil, geometry)
        case .backwardData: conv2dBackwardData(gradient, weight, geometry)
        case .backwardWeight: conv2dBackwardWeight(gradient, x, geometry)
        }
    }

    /// Seconds per call of `pass`: the call repeats until `minSeconds` have passed (so one
    /// lost time slice on a busy machine is averaged out), and the total is divided by the calls.
    /// With `cpuClock`, seconds of CPU time of the whole process (all its threads) instead of
    /// wall-clock time: immune to time slices lost to other processes, but it counts threads
    /// that spin while they wait.
    public func time(_ pass: ConvPass, minSeconds: Double = 0, cpuClock: Bool = false) -> Double {
        let start = now(cpuClock)
        var calls = 0
        while true {
            precondition(run(pass).count > 0)
            calls += 1
            let seconds = now(cpuClock) - start
            if seconds >= minSeconds { return seconds / Double(calls) }
        }
    }
}

/// Seconds on the monotonic clock, or of CPU time of this process.
private func now(_ cpuClock: Bool) -> Double {
    var ts = timespec()
    clock_gettime(cpuClock ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

extension ConvBenchCase {
    /// Sets the thread count of OpenBLAS and of the kernels' parallel loops (`Runtime.setThreads`).
    public static func setThreads(_ n: Int) { Runtime.setThreads(n) }
}
