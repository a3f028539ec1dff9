import Foundation

/// A small W3C WebDriver client for Debian's chromedriver driving headless Chromium, over
/// plain HTTP on 127.0.0.1 (PlainHTTP). Only what the browser test needs.
final class WebDriver {
    static let driverPath = "/usr/bin/chromedriver"
    static let browserPath = "/usr/bin/chromium"
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    let driver = Process()
    let port: Int
    var session = ""
    /// Where the test puts its screenshots.
    var shots = NSTemporaryDirectory()

    struct Failure: Error, CustomStringConvertible { let description: String }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: driverPath)
            && FileManager.default.isExecutableFile(atPath: browserPath)
    }

    /// Starts chromedriver on a free port and opens a headless browser session.
    init(width: Int = 1280, height: Int = 820) async throws {
        let port = try PlainHTTP.freePort()
        driver.executableURL = URL(fileURLWithPath: Self.driverPath)
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        self.port = port
        var ready = false
        var last = ""
        for _ in 0..<100 where !ready {
            try await Task.sleep(nanoseconds: 100_000_000)
            do {
                ready = try await PlainHTTP.request(port: port, "GET", "status", body: nil).0 == 200
            } catch {
                last = "\(error)"
            }
        }
        guard ready else {
            await quit()
            throw Failure(description: "chromedriver did not start on port \(port): \(last)")
        }
        let caps: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": Self.browserPath,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--window-size=\(width),\(height)", "--hide-scrollbars",
                        ],
                    ],
                ]
            ]
        ]
        let value = try await command("POST", "session", caps)
        guard let id = (value as? [String: Any])?["sessionId"] as? String else {
            await quit()
            throw Failure(description: "no session: \(String(describing: value))")
        }
        session = id
    }

    /// Sends one command; returns its `value`.
    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws
        -> Any?
    {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (status, bytes) = try await PlainHTTP.request(port: port, method, path, body: data)
        guard status == 200 else {
            throw Failure(
                description:
                    "WebDriver \(method) \(path): HTTP \(status) "
                    + String(decoding: bytes.prefix(400), as: UTF8.self)
            )
        }
        return (try JSONSerialization.jsonObject(with: bytes) as? [String: Any])?["value"]
    }

    func go(_ url: String) async throws {
        try await command("POST", "session/\(session)/url", ["url": url])
    }
    func refresh() async throws { try await command("POST", "session/\(session)/refresh", [:]) }

    func find(_ css: String) async throws -> String {
        let v = try await command(
            "POST", "session/\(session)/element", ["using": "css selector", "value": css])
        guard let id = (v as? [String: Any])?[Self.elementKey] as? String else {
            throw Failure(description: "no element \(css): \(String(describing: v))")
        }
        return id
    }

    func click(_ css: String) async throws {
        try await command("POST", "session/\(session)/element/\(try await find(css))/click", [:])
    }

    /// Types `text` into the element (WebDriver key codes: "\u{E012}" left, "\u{E014}" right).
    func type(_ css: String, _ text: String) async throws {
        try await command(
            "POST", "session/\(session)/element/\(try await find(css))/value", ["text": text])
    }

    func script(_ js: String) async throws -> Any? {
        try await command(
            "POST", "session/\(session)/execute/sync", ["script": js, "args": [Any]()])
    }

    /// Polls `js` (which returns a string) until it returns a non-empty value (at most `seconds`).
    func wait(_ js: String, seconds: Double = 15) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let s = try await script(js) as? String, !s.isEmpty { return s }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw Failure(description: "timed out waiting for: \(js)")
    }

    func screenshot(to path: String) async throws {
        guard let b64 = try await command("GET", "session/\(session)/screenshot") as? String,
            let png = Data(base64Encoded: b64)
        else { throw Failure(description: "no screenshot") }
        try png.write(to: URL(fileURLWithPath: path))
    }

    /// Ends the session and stops the driver (and with it the browser).
    func quit() async {
        if !session.isEmpty {
            _ = try? await PlainHTTP.request(port: port, "DELETE", "session/\(session)", body: nil)
            session = ""
        }
        // chromedriver does not always stop on SIGTERM; it is our own child, so SIGKILL it.
        if driver.isRunning {
            kill(driver.processIdentifier, SIGKILL)
            driver.waitUntilExit()
        }
    }
}
