import ArgumentParser
import Dispatch
import Foundation
import Survey
import SurveyServer
import Synchronization

/// `repro survey`: paper 2's 2AFC naturalness study (serve the page, simulate observers,
/// turn the store into Table 2).
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey", abstract: "Paper 2's naturalness study: serve, simulate, report.",
        subcommands: [Serve.self, Simulate.self, Report.self])

    /// Options shared by `serve` and the self-served `simulate`.
    struct StudyOptions: ParsableArguments {
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp(
                "An image folder, or paper 2 run folders (or folders of run folders).",
                discussion: """
                    An image folder holds <source>/<scene>.png for the sources real, L, L+I and \
                    L+I+P. Run folders of p2/L, p2/L+I and p2/L+I+P (one each) give their \
                    generated/ images and the real/ images at the same size.
                    """))
        var images: [String] = []
        @Option(help: "The study's SQLite file (created if missing; a restart continues it).")
        var db = "survey.sqlite"
        @Option(help: "timed (answer within --time-limit) or unlimited.")
        var mode: StudyMode = .timed
        @Option(help: "Seconds per pair in timed mode, from both images on screen.")
        var timeLimit = 5.0
        @Option(help: "Pairs per participant (catch trials come on top).")
        var trials = 100
        @Option(help: "Whether timed-out pairs count toward --trials (true or false).")
        var timeoutsCount = true
        @Option(
            help:
                "Catch trial (real image vs itself upside down) every N blocks of 6 pairs; 0: none"
        )
        var catchEvery = 4
        @Option(
            help: ArgumentHelp(
                "Kinds of the catch trials, in turn: flipped, identical (comma-separated).",
                discussion: """
                    flipped: the real image beside itself upside down (the upright one is right); \
                    identical: one image on both sides (no right answer; measures side bias).
                    """))
        var catchKinds = "flipped,identical"
        @Option(help: "Seed of the per-participant schedules (fixed when the database is created).")
        var seed: UInt64 = 0
        @OptionGroup var exclusionOptions: ExclusionOptions

        func open(pageVersion: String) async throws -> (Study, ImageSet) {
            guard !images.isEmpty else {
                throw ValidationError("--images <folder or run folders> is required")
            }
            let set = try ImageSet(paths: images)
            let rules = try StudyRules(
                mode: mode, timeLimit: timeLimit, trials: trials, timeoutsCount: timeoutsCount,
                pageVersion: pageVersion)
            let study = try await Study.open(
                images: set, db: db, seed: seed, catchEvery: catchEvery,
                catchKinds: try kinds(), rules: rules)
            return (study, set)
        }

        func kinds() throws -> [CatchKind] {
            try catchKinds.split(separator: ",").map { part in
                let name = part.trimmingCharacters(in: .whitespaces)
                guard let kind = CatchKind(rawValue: name) else {
                    throw ValidationError(
                        "--catch-kinds: '\(name)' is not flipped or identical")
                }
                return kind
            }
        }

        var exclusion: ExclusionRule { exclusionOptions.rule }

        func validate() throws { _ = try kinds() }
    }

    /// The report's exclusion rules.
    struct ExclusionOptions: ParsableArguments {
        @Option(
            help: "Report: exclude participants below this share of passed flipped catch trials.")
        var minCatchAccuracy: Double?
        @Option(
            help: "Report: exclude participants with more than this share of answers on one side.")
        var maxSameSide: Double?

        var rule: ExclusionRule {
            ExclusionRule(minCatchAccuracy: minCatchAccuracy, maxSameSide: maxSameSide)
        }

        func validate() throws {
            if let m = minCatchAccuracy, !(0...1).contains(m) {
                throw ValidationError("--min-catch-accuracy \(m): expected a share in 0...1")
            }
            if let m = maxSameSide, !(0.5...1).contains(m) {
                throw ValidationError("--max-same-side \(m): expected a share in 0.5...1")
            }
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Serve the study page on this machine (127.0.0.1 unless --host says otherwise).")
        @OptionGroup var study: StudyOptions
        @Option(help: "Port (0: any free port).")
        var port = 8080
        @Option(
            help:
                "Listen address. Anything but 127.0.0.1/localhost exposes the study to the network."
        )
        var host = "127.0.0.1"
        @Option(help: "Admin token for results and exports (default: a random one, printed).")
        var adminToken: String?

        func run() throws {
            let options = serverOptions(
                host: host, port: port, admin: adminToken, exclusion: study.exclusion)
            try blocking { [study] in
                let page = try SurveyPage.load()
                let (s, images) = try await study.open(pageVersion: page.version)
                let server = try await SurveyServer.start(
                    study: s, images: images, page: page, options: options, signals: true)
                print(
                    """
                    [survey] \(s.rules.mode.rawValue) study, \(images.scenes.count) scenes, \
                    store \(s.store.path)
                    \(images.origins.map { "[survey] images \($0)" }.joined(separator: "\n"))
                    [survey] participants: http://\(host):\(server.port)/
                    [survey] results: curl -H 'Authorization: Bearer \(options.adminToken)' \
                    http://\(host):\(server.port)/api/admin/report
                    [survey] stop with Ctrl-C (every acknowledged answer is already on disk)
                    """)
                if !["127.0.0.1", "localhost", "::1"].contains(host) {
                    print("[survey] warning: listening on \(host), reachable from the network")
                }
                fflush(nil)
                try await server.wait()
            }
        }
    }

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run seeded simulated observers against the study's HTTP API.",
            discussion: """
                With --url, against a running server on this machine (needs its --admin-token); \
                without, starts its own server on a free port for --images and --db, then reports.
                """)
        @OptionGroup var study: StudyOptions
        @Option(help: "A running server, e.g. http://127.0.0.1:8080 (loopback only).")
        var url: String?
        @Option(help: "The running server's admin token (with --url).")
        var adminToken: String?
        @Option(help: "Number of concurrent observers.")
        var observers = 16
        @Option(help: "Bradley-Terry log-strengths, e.g. real=0.9,L=-0.5,L+I=-0.1,L+I+P=0.3")
        var strengths = "real=0.9,L=-0.5,L+I=-0.1,L+I+P=0.3"
        @Option(help: "Speed-up over human response times (1 = human speed).")
        var speedup = 1.0
        @Option(help: "Probability of a random click.")
        var lapse = 0.02
        @Option(help: "Seed of the observers.")
        var observerSeed: UInt64 = 1
        @Option(help: "Write survey.md, survey.csv and survey.html here (self-served runs).")
        var out: String?

        func run() throws {
            let model = try observerModel()
            try blocking { [study, url, adminToken, observers, observerSeed, out] in
                if let url {
                    guard let base = URL(string: url),
                        ["127.0.0.1", "localhost", "::1"].contains(base.host ?? "")
                    else {
                        throw ValidationError(
                            "--url \(url): only a server on this machine (127.0.0.1) is allowed")
                    }
                    guard let token = adminToken else {
                        throw ValidationError("--url needs --admin-token")
                    }
                    let run = await SimulatedObservers.run(
                        base: base, count: observers, model: model, seed: observerSeed,
                        sources: adminSources(base, token))
                    print("[survey] \(run.summary)")
                    for e in run.errors.prefix(5) { print("[survey] error: \(e)") }
                    return
                }
                let page = try SurveyPage.load()
                let (s, images) = try await study.open(pageVersion: page.version)
                let options = serverOptions(
                    host: "127.0.0.1", port: 0, admin: nil, exclusion: study.exclusion)
                let server = try await SurveyServer.start(
                    study: s, images: images, page: page, options: options)
                let run = await SimulatedObservers.run(
                    base: URL(string: "http://127.0.0.1:\(server.port)/")!, count: observers,
                    model: model,
                    seed: observerSeed, sources: { try s.store.sources(of: $0) })
                await server.stop()
                print("[survey] \(run.summary)")
                for e in run.errors.prefix(5) { print("[survey] error: \(e)") }
                let report = try SurveyReport(store: s.store, rule: study.exclusion)
                print(report.markdown())
                if let out { for p in try report.write(to: out) { print("[survey] wrote \(p)") } }
            }
        }

        func observerModel() throws -> ObserverModel {
            var values: [SurveySource: Double] = [:]
            for part in strengths.split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard kv.count == 2, let s = SurveySource(rawValue: kv[0]), let v = Double(kv[1])
                else {
                    throw ValidationError(
                        "--strengths: '\(part)' is not source=number (sources real, L, L+I, L+I+P)")
                }
                values[s] = v
            }
            guard values.count == 4 else {
                throw ValidationError("--strengths: give all four sources")
            }
            var m = try ObserverModel(logStrength: SurveySource.allCases.map { values[$0]! })
            guard speedup > 0, (0...1).contains(lapse) else {
                throw ValidationError("--speedup must be > 0 and --lapse in 0...1")
            }
            (m.speedup, m.lapse) = (speedup, lapse)
            return m
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Table 2 from the store: shares, Wilson intervals, binomial tests, Bradley-Terry.")
        @Option(help: "The study's SQLite file.")
        var db = "survey.sqlite"
        @Option(help: "Write survey.md, survey.csv and survey.html into this folder.")
        var out: String?
        @OptionGroup var exclusion: ExclusionOptions
        @Option(help: "Also export every trial as CSV to this file.")
        var trialsCSV: String?

        func run() throws {
            let store = try SurveyStore(path: db, readOnly: true)
            let report = try SurveyReport(store: store, rule: exclusion.rule)
            print(report.markdown())
            if let out { for p in try report.write(to: out) { print("[survey] wrote \(p)") } }
            if let path = trialsCSV {
                let text = ([Judgment.csvHeader] + (try store.judgments().map(\.csvRow))).joined(
                    separator: "\n")
                do {
                    try Data((text + "\n").utf8).write(
                        to: URL(fileURLWithPath: path), options: .atomic)
                } catch {
                    throw SurveyError.output(path, error.localizedDescription)
                }
                print("[survey] wrote \(path)")
            }
        }
    }
}

extension StudyMode: ExpressibleByArgument {}

/// Server options with a random admin token unless one is given.
private func serverOptions(host: String, port: Int, admin: String?, exclusion: ExclusionRule)
    -> ServerOptions
{
    var g = SystemRandomNumberGenerator()
    var o = ServerOptions(
        adminToken: admin
            ?? (0..<2).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined())
    (o.host, o.port, o.exclusion) = (host, port, exclusion)
    return o
}

/// Which sources a trial showed, from a running server's admin API.
private func adminSources(_ base: URL, _ token: String)
    -> @Sendable (Int64) async throws -> (SurveySource, SurveySource)
{
    let client = SurveyClient(base: base)
    return { id in
        let (data, _) = try await client.raw(
            "GET", "api/admin/trial?id=\(id)", headers: ["Authorization": "Bearer \(token)"])
        let o = try JSONDecoder().decode([String: String].self, from: data)
        guard let l = o["left"].flatMap(SurveySource.init),
            let r = o["right"].flatMap(SurveySource.init)
        else {
            throw SurveyError.badRequest("admin API: unexpected trial answer")
        }
        return (l, r)
    }
}

/// Runs async work from the synchronous command tree (the root command is not async).
private func blocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    let result = Mutex<(any Error)??>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            try await body()
            result.withLock { $0 = .some(nil) }
        } catch { result.withLock { $0 = .some(error) } }
        done.signal()
    }
    done.wait()
    if let e = result.withLock({ $0 }) ?? nil { throw e }
}
