import Bench
import CMeasure
import Foundation
import Tensors

/// The benchmarks every record times: the three conv passes of Sources/Bench at three small
/// shapes (a strided 7x7 stem, a 3x3 and a 1x1 convolution), batch 2. Small enough that all
/// samples of all nine take about two seconds, so a record stays quick.
public struct BenchmarkSet: Sendable {
    /// One benchmark: a shape and a pass.
    public struct Item: Sendable {
        public let shape: ConvShape
        public let pass: ConvPass

        /// "conv <Cin,Cout,k,stride,dilation,H,W> <pass>".
        public var name: String { "conv \(shape) \(pass.rawValue)" }
    }

    /// The shapes, in order.
    public static let shapes = [
        ConvShape(3, 16, 7, 2, 1, 64, 64), ConvShape(32, 32, 3, 1, 1, 32, 32),
        ConvShape(64, 32, 1, 1, 1, 32, 32),
    ]

    /// Every (shape, pass), shapes outer.
    public static let items: [Item] = shapes.flatMap { s in
        ConvPass.allCases.map { Item(shape: s, pass: $0) }
    }

    /// The benchmarks whose name contains `filter` (all when nil).
    public static func items(matching filter: String?) -> [Item] {
        guard let filter else { return items }
        return items.filter { $0.name.contains(filter) }
    }

    /// Wall-clock and CPU-time samples: `samples` rounds, each timing every benchmark once (so
    /// a spell of load from other processes spreads over all of them), each sample repeating
    /// the call for at least `minSampleSeconds` of wall time; one untimed warm-up call first.
    /// CPU time is the process's (all threads): time the process waits for a core is not in it.
    public static func time(
        _ items: [Item], samples: Int, minSampleSeconds: Double, threads: Int
    ) -> [HistoryRecord.TimingRecord] {
        let previous = Parallel.threads
        Runtime.setThreads(threads)
        defer { Runtime.setThreads(previous) }
        let cases = items.map { ConvBenchCase($0.shape) }
        for (c, item) in zip(cases, items) { _ = c.time(item.pass) }
        var wall = Array(repeating: [Double](), count: items.count)
        var cpu = wall
        for _ in 0..<samples {
            for i in items.indices {
                let s = sample(cases[i], items[i].pass, minSeconds: minSampleSeconds)
                wall[i].append(s.wall)
                cpu[i].append(s.cpu)
            }
        }
        return items.indices.map {
            HistoryRecord.TimingRecord(
                name: items[$0].name, flops: cases[$0].flops, samples: wall[$0],
                cpuSamples: cpu[$0])
        }
    }

    /// Seconds per call, wall and process CPU, over calls repeated for `minSeconds` of wall time.
    static func sample(_ c: ConvBenchCase, _ pass: ConvPass, minSeconds: Double)
        -> (wall: Double, cpu: Double)
    {
        let (w0, c0) = (now(CLOCK_MONOTONIC), now(CLOCK_PROCESS_CPUTIME_ID))
        var calls = 0
        repeat {
            precondition(c.run(pass).count > 0)
            calls += 1
        } while now(CLOCK_MONOTONIC) - w0 < minSeconds
        let (w1, c1) = (now(CLOCK_MONOTONIC), now(CLOCK_PROCESS_CPUTIME_ID))
        return ((w1 - w0) / Double(calls), (c1 - c0) / Double(calls))
    }

    static func now(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// The callgrind worker's body: each benchmark once untimed, then once inside
    /// `repro_measured_region` (one callgrind dump each, in order), on one thread.
    public static func runMeasuredRegions(_ items: [Item]) {
        Runtime.setThreads(1)
        for item in items {
            let c = ConvBenchCase(item.shape)
            precondition(c.run(item.pass).count > 0)
            let box = Box { precondition(c.run(item.pass).count > 0) }
            let context = Unmanaged.passRetained(box)
            repro_measured_region(
                { raw in
                    Unmanaged<Box>.fromOpaque(raw!).takeUnretainedValue().body()
                }, context.toOpaque())
            context.release()
        }
    }

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
