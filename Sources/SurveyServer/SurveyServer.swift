import Foundation
import Hummingbird
import Survey
import Synchronization

/// Where and how the server listens, and who may read the results.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8080
    /// Required (as `Authorization: Bearer <token>`) for results and exports.
    public var adminToken: String
    /// The largest request body accepted, in bytes.
    public var maxBody = 4096
    public var exclusion = ExclusionRule(minCatchAccuracy: nil)

    public init(adminToken: String) { self.adminToken = adminToken }
}

/// The study's HTTP server (Hummingbird). `start` returns once it listens.
public final class SurveyServer: Sendable {
    public let port: Int
    let task: Task<Void, any Error>

    init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// Starts serving `study` and `images`; throws a clear error if the port is taken.
    public static func start(
        study: Study, images: ImageSet, page: SurveyPage, options: ServerOptions,
        signals: Bool = false
    ) async throws -> SurveyServer {
        let router = Router()
        SurveyRoutes(study: study, images: images, page: page, options: options).add(to: router)
        let started = Started()
        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(options.host, port: options.port), serverName: "repro-survey"),
            onServerRunning: { channel in
                started.resolve(.success(channel.localAddress?.port ?? options.port))
            })
        let task = Task {
            do {
                if signals { try await app.runService() } else { try await app.run() }
                started.resolve(
                    .failure(
                        SurveyError.badOption("--port", "the server stopped before it listened")))
            } catch {
                started.resolve(.failure(Self.explain(error, options)))
                throw error
            }
        }
        let port = try await started.value()
        return SurveyServer(port: port, task: task)
    }

    /// Waits until the server stops (by SIGINT/SIGTERM when started with `signals`).
    public func wait() async throws { try await task.value }

    /// Stops the server (tests).
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    static func explain(_ error: any Error, _ o: ServerOptions) -> any Error {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("errno: 98") {
            return SurveyError.badOption(
                "--port", "port \(o.port) on \(o.host) is already in use; choose another --port")
        }
        if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
            return SurveyError.badOption("--host", "\(o.host) is not an address of this machine")
        }
        return SurveyError.badOption(
            "--host/--port", "cannot listen on \(o.host):\(o.port): \(text)")
    }
}

/// A one-shot result shared between the server task and `start`.
final class Started: Sendable {
    let state = Mutex<(Result<Int, any Error>?, CheckedContinuation<Int, any Error>?)>((nil, nil))

    func resolve(_ r: Result<Int, any Error>) {
        let waiter: CheckedContinuation<Int, any Error>? = state.withLock { s in
            if s.0 != nil { return nil }
            s.0 = r
            let w = s.1
            s.1 = nil
            return w
        }
        waiter?.resume(with: r)
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { c in
            let ready: Result<Int, any Error>? = state.withLock { s in
                if let r = s.0 { return r }
                s.1 = c
                return nil
            }
            if let ready { c.resume(with: ready) }
        }
    }
}
