import Foundation
import Hummingbird
import Survey

/// The HTTP API. Participant calls carry the participant's token; results need the admin
/// token. Every body is bounded by `ServerOptions.maxBody`; every error is a JSON message.
///
/// - `GET /`, `/app.js`, `/style.css`: the page.
/// - `GET /api/info`: the mode and rules, for the instructions.
/// - `POST /api/participants {"consent": true}` -> `{token, state}`.
/// - `GET /api/state?token=` -> the open pair (issued if needed) or finished.
/// - `GET /api/image?token=&trial=&side=left|right`: an image of one's own open pair.
/// - `POST /api/shown {token, trial, size}`: both images are on screen (drawn at `size`, e.g.
///   "640x320@1x"); the time limit starts.
/// - `POST /api/answer {token, trial, choice: "left"|"right"|null}` -> `{outcome, state}`.
/// - `GET /api/admin/report`, `/api/admin/report.csv`, `/api/admin/trials.csv`,
///   `/api/admin/trial?id=` (which sources a trial showed; for simulated observers).
struct SurveyRoutes: Sendable {
    let study: Study
    let images: ImageSet
    let page: SurveyPage
    let options: ServerOptions

    func add(to router: Router<BasicRequestContext>) {
        for file in page.files {
            let path = file.name == "index.html" ? "/" : "/\(file.name)"
            router.get(RouterPath(path)) { _, _ in Self.respond(.ok, file.type, file.bytes) }
        }
        router.get("/api/info") { _, _ in
            await guarded {
                let r = study.rules
                return try Self.json(
                    .ok,
                    [
                        "mode": r.mode.rawValue, "timeLimitMs": Int(r.timeLimit * 1000),
                        "trials": r.trials,
                        "pageVersion": r.pageVersion,
                    ] as [String: any Sendable])
            }
        }
        router.post("/api/participants") { req, _ in
            await guarded {
                let body = try await Self.body(req, options.maxBody)
                guard body["consent"] as? Bool == true else {
                    throw SurveyError.badRequest("consent is required")
                }
                let token = try await study.register()
                let state = try await study.state(token: token)
                return try Self.encode(.created, Registered(token: token, state: state))
            }
        }
        router.get("/api/state") { req, _ in
            await guarded {
                try Self.encode(.ok, try await study.state(token: Self.query(req, "token")))
            }
        }
        router.get("/api/image") { req, _ in
            await guarded {
                let trial = try Self.trialID(Self.query(req, "trial"))
                guard let side = Side(rawValue: try Self.query(req, "side")) else {
                    throw SurveyError.badRequest("side must be left or right")
                }
                let (source, scene) = try study.image(
                    token: Self.query(req, "token"), trial: trial, side: side)
                return Self.respond(.ok, "image/png", try images.bytes(source, scene))
            }
        }
        router.post("/api/shown") { req, _ in
            await guarded {
                let body = try await Self.body(req, options.maxBody)
                let state = try await study.shown(
                    token: Self.string(body, "token"), trial: Self.trialID(body["trial"]),
                    displaySize: body["size"] as? String)
                return try Self.encode(.ok, state)
            }
        }
        router.post("/api/answer") { req, _ in
            await guarded {
                let body = try await Self.body(req, options.maxBody)
                let token = try Self.string(body, "token")
                var choice: Side?
                if let c = body["choice"], !(c is NSNull) {
                    guard let s = c as? String, let side = Side(rawValue: s) else {
                        throw SurveyError.badRequest("choice must be \"left\", \"right\" or null")
                    }
                    choice = side
                }
                let outcome = try await study.answer(
                    token: token, trial: Self.trialID(body["trial"]), choice: choice)
                return try Self.encode(
                    .ok, Answered(outcome: outcome, state: try await study.state(token: token)))
            }
        }
        addAdmin(to: router)
    }

    func addAdmin(to router: Router<BasicRequestContext>) {
        let (study, options) = (self.study, self.options)
        router.get("/api/admin/report") { req, _ in
            await guarded {
                try Self.admin(req, options)
                let report = try SurveyReport(store: study.store, rule: options.exclusion)
                return Self.respond(
                    .ok, "text/markdown; charset=utf-8", Data(report.markdown().utf8))
            }
        }
        router.get("/api/admin/report.csv") { req, _ in
            await guarded {
                try Self.admin(req, options)
                let report = try SurveyReport(store: study.store, rule: options.exclusion)
                return Self.respond(.ok, "text/csv; charset=utf-8", Data(report.csv().utf8))
            }
        }
        router.get("/api/admin/trials.csv") { req, _ in
            await guarded {
                try Self.admin(req, options)
                let rows = try study.store.judgments().map(\.csvRow)
                let text = ([Judgment.csvHeader] + rows).joined(separator: "\n") + "\n"
                return Self.respond(.ok, "text/csv; charset=utf-8", Data(text.utf8))
            }
        }
        router.get("/api/admin/trial") { req, _ in
            await guarded {
                try Self.admin(req, options)
                let (left, right) = try study.store.sources(of: Self.trialID(Self.query(req, "id")))
                return try Self.json(
                    .ok, ["left": left.rawValue, "right": right.rawValue] as [String: any Sendable])
            }
        }
    }

    struct Registered: Codable {
        var token: String
        var state: StudyState
    }
    struct Answered: Codable {
        var outcome: Outcome
        var state: StudyState
    }
}
