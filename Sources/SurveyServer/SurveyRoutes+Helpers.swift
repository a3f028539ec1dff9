import Foundation
import Hummingbird
import Survey

extension SurveyRoutes {
    /// Runs a handler, turning every error into a JSON message with a fitting status.
    func guarded(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let e as SurveyError {
            let status: HTTPResponse.Status
            switch e {
            case .unknownParticipant: status = .forbidden
            case .unknownTrial: status = .notFound
            case .notShownYet, .alreadyAnswered: status = .conflict
            case .badRequest: status = .badRequest
            case .diskFull: status = .init(code: 507, reasonPhrase: "Insufficient Storage")
            case .badImage: status = .internalServerError
            default: status = .serviceUnavailable
            }
            return Self.error(status, e.description)
        } catch let e as AdminDenied {
            return Self.error(.unauthorized, e.message)
        } catch let e as TooLarge {
            return Self.error(.contentTooLarge, "request body over \(e.limit) bytes")
        } catch {
            return Self.error(.internalServerError, "\(error)")
        }
    }

    struct AdminDenied: Error {
        let message = "admin token required (Authorization: Bearer <token>)"
    }
    struct TooLarge: Error { let limit: Int }

    static func admin(_ req: Request, _ o: ServerOptions) throws {
        guard let auth = req.headers[.authorization], auth.hasPrefix("Bearer ") else {
            throw AdminDenied()
        }
        let given = Array(auth.dropFirst(7).utf8)
        let wanted = Array(o.adminToken.utf8)
        // Constant-time comparison.
        var diff = given.count == wanted.count ? 0 : 1
        for i in 0..<min(given.count, wanted.count) { diff |= Int(given[i] ^ wanted[i]) }
        guard diff == 0 else { throw AdminDenied() }
    }

    /// The JSON object of a request body of at most `limit` bytes.
    static func body(_ req: Request, _ limit: Int) async throws -> [String: Any] {
        if let length = req.headers[.contentLength].flatMap(Int.init), length > limit {
            throw TooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await req.body.collect(upTo: limit)
        } catch {
            throw TooLarge(limit: limit)
        }
        let data = Data(buffer.readableBytesView)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SurveyError.badRequest("the body must be a JSON object")
        }
        return object
    }

    static func query(_ req: Request, _ name: String) throws -> String {
        guard let v = req.uri.queryParameters[Substring(name)], v.utf8.count <= 200 else {
            throw SurveyError.badRequest("missing query parameter \(name)")
        }
        return String(v)
    }

    static func string(_ body: [String: Any], _ key: String) throws -> String {
        guard let s = body[key] as? String, s.utf8.count <= 200 else {
            throw SurveyError.badRequest("missing \(key)")
        }
        return s
    }

    static func trialID(_ value: Any?) throws -> Int64 {
        if let n = value as? NSNumber, let i = Int64(exactly: n.doubleValue) { return i }
        if let s = value as? String, let i = Int64(s) { return i }
        throw SurveyError.badRequest("trial must be a trial number")
    }

    static let common: HTTPFields = [
        .cacheControl: "no-store", HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
        .contentSecurityPolicy: "default-src 'self'; img-src 'self'",
        HTTPFields.Element.Name("Referrer-Policy")!: "no-referrer",
    ]

    static func respond(_ status: HTTPResponse.Status, _ type: String, _ data: Data) -> Response {
        var headers = common
        headers[.contentType] = type
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func encode<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) throws -> Response {
        respond(status, "application/json", try JSONEncoder().encode(value))
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: any Sendable]) throws
        -> Response
    {
        respond(
            status, "application/json",
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: ["error": message])) ?? Data()
        return respond(status, "application/json", data)
    }
}
