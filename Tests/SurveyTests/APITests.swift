import Foundation
import Testing

@testable import Survey
@testable import SurveyServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The HTTP API of a real server on 127.0.0.1, through the same client the observers use.
@Suite struct APITests {
    let fx = SurveyFixtures()
    func status(_ body: () async throws -> Void) async -> Int {
        do {
            try await body()
            return 200
        } catch let f as SurveyClient.Failure {
            return f.status
        } catch {
            return -1
        }
    }

    @Test func participantFlowAndRefusals() async throws {
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let (study, set) = try await fx.study(
            images: images, mode: .timed, trials: 3, timeLimit: 0.4)
        let (server, base) = try await SurveyFixtures.server(study, set)
        defer { Task { await server.stop() } }
        let c = SurveyClient(base: base)

        // The page and its rules.
        let (page, _) = try await c.raw("GET", "")
        #expect(String(decoding: page, as: UTF8.self).contains("Which image looks more real?"))
        let (info, _) = try await c.raw("GET", "api/info")
        #expect(String(decoding: info, as: UTF8.self).contains("\"timeLimitMs\":400"))

        #expect(
            await status { _ = try await c.raw("POST", "api/participants", body: Data("{}".utf8)) }
                == 400)
        let (a, sa) = try await c.register()
        let (b, _) = try await c.register()
        let ta = sa.trial!.trial
        // The page never learns which source is where.
        let (stateJSON, _) = try await c.raw("GET", "api/state?token=\(a)")
        #expect(!String(decoding: stateJSON, as: UTF8.self).contains("L+I"))

        #expect(await status { _ = try await c.state(String(repeating: "f", count: 64)) } == 403)
        #expect(await status { _ = try await c.image(b, trial: ta, side: .left) } == 404)
        #expect(await status { _ = try await c.shown(b, trial: ta) } == 404)
        // Not shown yet.
        #expect(await status { _ = try await c.answer(a, trial: ta, choice: .left) } == 409)
        let png = try await c.image(a, trial: ta, side: .right)
        #expect(png.prefix(4) == Data([137, 80, 78, 71]))
        #expect(
            await status {
                let bad = #"{"token":"\#(a)","trial":\#(ta),"size":"<b>"}"#
                _ = try await c.raw("POST", "api/shown", body: Data(bad.utf8))
            } == 400)
        _ = try await c.shown(a, trial: ta)
        let (outcome, next) = try await c.answer(a, trial: ta, choice: .left)
        #expect(outcome == .chosen && next.trial!.trial != ta && next.done == 1)
        // A replay.
        #expect(await status { _ = try await c.answer(a, trial: ta, choice: .right) } == 409)

        // Late: the server's clock decides.
        let t2 = next.trial!.trial
        _ = try await c.shown(a, trial: t2)
        try await Task.sleep(nanoseconds: 600_000_000)
        #expect(try await c.answer(a, trial: t2, choice: .right).0 == .timeout)

        // Bounded bodies and malformed requests.
        let big = Data(("{\"token\":\"" + String(repeating: "x", count: 10_000) + "\"}").utf8)
        #expect(await status { _ = try await c.raw("POST", "api/answer", body: big) } == 413)
        #expect(
            await status { _ = try await c.raw("POST", "api/answer", body: Data("[1,2".utf8)) }
                == 400)
        #expect(
            await status { _ = try await c.raw("GET", "api/image?token=\(a)&trial=x&side=left") }
                == 400)

        // Results need the admin token.
        #expect(await status { _ = try await c.raw("GET", "api/admin/report") } == 401)
        #expect(
            await status {
                _ = try await c.raw(
                    "GET", "api/admin/trials.csv", headers: ["Authorization": "Bearer wrong"])
            } == 401)
        let auth = ["Authorization": "Bearer \(SurveyFixtures.admin)"]
        let (csv, _) = try await c.raw("GET", "api/admin/trials.csv", headers: auth)
        // a: chosen, timeout, and the open third pair; b: its open first pair.
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1 + 4 && lines[0].hasPrefix("participant,mode"))
        let (report, _) = try await c.raw("GET", "api/admin/report", headers: auth)
        #expect(String(decoding: report, as: UTF8.self).contains("(1) timed"))
        let (trial, _) = try await c.raw("GET", "api/admin/trial?id=\(ta)", headers: auth)
        #expect(String(decoding: trial, as: UTF8.self).contains("\"left\""))
    }

    @Test func portInUseIsNamed() async throws {
        let images = try fx.imageFolder(scenes: 1, width: 32, height: 16)
        let (study, set) = try await fx.study(images: images)
        let (first, _) = try await SurveyFixtures.server(study, set)
        defer { Task { await first.stop() } }
        var o = ServerOptions(adminToken: "x")
        o.port = first.port
        await #expect {
            _ = try await SurveyServer.start(
                study: study, images: set, page: try SurveyPage.load(), options: o)
        } throws: { e in
            "\(e)".contains("port \(first.port) on 127.0.0.1 is already in use")
        }
    }
}
