import Foundation
import Survey

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small client of the study's HTTP API (what the page does), for simulated observers,
/// load tests and the API tests.
public struct SurveyClient: Sendable {
    public let base: URL
    let session: URLSession

    public init(base: URL) {
        self.base = base
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = 64
        config.timeoutIntervalForRequest = 30
        session = URLSession(configuration: config)
    }

    /// An HTTP status other than 2xx, with the server's message.
    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var message: String
        public var description: String { "HTTP \(status): \(message)" }
    }

    struct Registered: Codable {
        var token: String
        var state: StudyState
    }
    struct Answered: Codable {
        var outcome: Outcome
        var state: StudyState
    }

    public func register() async throws -> (token: String, state: StudyState) {
        let r: Registered = try await call("POST", "api/participants", body: ["consent": true])
        return (r.token, r.state)
    }

    public func state(_ token: String) async throws -> StudyState {
        try await call("GET", "api/state?token=\(token)")
    }

    public func shown(_ token: String, trial: Int64) async throws -> StudyState {
        try await call("POST", "api/shown", body: ["token": token, "trial": trial])
    }

    public func answer(_ token: String, trial: Int64, choice: Side?) async throws -> (
        Outcome, StudyState
    ) {
        let body: [String: Any] = [
            "token": token, "trial": trial, "choice": choice?.rawValue ?? NSNull(),
        ]
        let r: Answered = try await call("POST", "api/answer", body: body)
        return (r.outcome, r.state)
    }

    public func image(_ token: String, trial: Int64, side: Side) async throws -> Data {
        try await raw("GET", "api/image?token=\(token)&trial=\(trial)&side=\(side.rawValue)").0
    }

    func call<T: Decodable>(_ method: String, _ path: String, body: [String: Any]? = nil)
        async throws -> T
    {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (bytes, _) = try await raw(method, path, body: data)
        return try JSONDecoder().decode(T.self, from: bytes)
    }

    /// One request; throws `Failure` for a non-2xx answer.
    public func raw(
        _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> (Data, Int) {
        guard let url = path.isEmpty ? base : URL(string: path, relativeTo: base) else {
            throw SurveyError.badRequest("not a URL path: \(path)")
        }
        var req = URLRequest(url: url)
        req.httpMethod = method
        if let body {
            req.httpBody = body
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) {
            req.setValue(v, forHTTPHeaderField: k)
        }
        let (data, response) = try await session.data(for: req)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw Failure(status: status, message: String(decoding: data, as: UTF8.self))
        }
        return (data, status)
    }
}
