import Foundation
import Survey
import Tensors

/// The outcome of a run of simulated observers against a server.
public struct ObserverRun: Sendable {
    /// Every acknowledged answer: (token, trial id, outcome).
    public var acknowledged: [(token: String, trial: Int64, outcome: Outcome)] = []
    /// Request latencies in milliseconds, all requests.
    public var latencyMs: [Double] = []
    public var errors: [String] = []
    public var seconds: Double = 0

    /// The q-quantile (0...1) of the latencies (nearest rank).
    public func percentile(_ q: Double) -> Double {
        let s = latencyMs.sorted()
        guard !s.isEmpty else { return .nan }
        return s[min(s.count - 1, max(0, Int((q * Double(s.count)).rounded(.up)) - 1))]
    }

    public var summary: String {
        String(
            format:
                "%d answers acknowledged, %d requests, %d errors in %.1f s; latency ms p50 %.1f, "
                + "p90 %.1f, p99 %.1f, max %.1f", acknowledged.count, latencyMs.count, errors.count,
            seconds, percentile(0.5), percentile(0.9), percentile(0.99), percentile(1))
    }
}

public enum SimulatedObservers {
    /// Runs `count` observers concurrently against the server at `base`, each until its study
    /// is finished. Observer i draws from `RandomSource(seed).split("observer").split(i)`. The
    /// page API never says which source is on which side; the observer learns it from
    /// `sources` (the admin API, or the store), as its preferences need it.
    public static func run(
        base: URL, count: Int, model: ObserverModel, seed: UInt64,
        sources: @escaping @Sendable (Int64) async throws -> (SurveySource, SurveySource)
    ) async -> ObserverRun {
        let start = Date()
        var total = ObserverRun()
        // Registered one after another, so observer i is participant i of this run and its
        // schedule and choices do not depend on how the requests interleave.
        var tokens: [(String, StudyState)] = []
        let client = SurveyClient(base: base)
        for _ in 0..<count {
            do {
                tokens.append(try await client.register())
            } catch {
                total.errors.append("register: \(error)")
                return total
            }
        }
        await withTaskGroup(of: ObserverRun.self) { group in
            for (i, (token, first)) in tokens.enumerated() {
                group.addTask {
                    await observe(
                        client: client, token: token, first: first, model: model,
                        rng: RandomSource(seed: seed).split("observer").split(i), sources: sources)
                }
            }
            for await r in group {
                total.acknowledged += r.acknowledged
                total.latencyMs += r.latencyMs
                total.errors += r.errors
            }
        }
        total.acknowledged.sort { ($0.token, $0.trial) < ($1.token, $1.trial) }
        total.seconds = Date().timeIntervalSince(start)
        return total
    }

    static func observe(
        client: SurveyClient, token: String, first: StudyState, model: ObserverModel,
        rng start: RandomSource,
        sources: @Sendable (Int64) async throws -> (SurveySource, SurveySource)
    ) async -> ObserverRun {
        var rng = start
        var run = ObserverRun()
        func timed<T>(_ body: () async throws -> T) async throws -> T {
            let t0 = Date()
            defer { run.latencyMs.append(Date().timeIntervalSince(t0) * 1000) }
            return try await body()
        }
        do {
            var state = first
            var steps = 0
            while !state.finished, let view = state.trial, steps < 100_000 {
                steps += 1
                for side in [Side.left, .right] {
                    _ = try await timed {
                        try await client.image(token, trial: view.trial, side: side)
                    }
                }
                let shown = try await timed { try await client.shown(token, trial: view.trial) }
                let rt = model.responseTime(&rng)
                let (l, r) = try await sources(view.trial)
                let side = model.choose(left: l, right: r, flipped: view.flipped, &rng)
                var choice: Side? = side
                var wait = rt
                if let remaining = shown.trial?.remainingMs, rt * 1000 > Double(remaining) {
                    (choice, wait) = (nil, Double(remaining) / 1000)
                }
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
                let (outcome, next) = try await timed {
                    try await client.answer(token, trial: view.trial, choice: choice)
                }
                run.acknowledged.append((token, view.trial, outcome))
                state = next
            }
        } catch {
            run.errors.append("\(error)")
        }
        return run
    }
}
