import Foundation
import NIOHTTP1

/// Browser is one WebDriver session: a headless Chromium that a test drives like a person would,
/// by loading pages, finding elements, typing and clicking.
///
/// Start one with `withBrowser { browser in … }`, which always quits it. Every method sends one
/// or a few WebDriver commands and throws `WebDriverError` with the driver's `error` and `message`.
final class Browser: Sendable {
    let sessionID: String
    let connection: WebDriverConnection
    /// The session's own Chromium profile folder (`--user-data-dir`); removed by `quit()`.
    let profile: URL
    /// The Chromium browser process, as chromedriver reports it, and chromedriver's.
    let browserPID: Int32?
    let driverPID: Int32

    struct State: Sendable {
        /// Every console entry read so far: chromedriver hands each out only once.
        var console: [ConsoleEntry] = []
        var hasQuit = false
    }
    let state = Locked(State())

    init(sessionID: String, connection: WebDriverConnection, profile: URL, browserPID: Int32?, driverPID: Int32) {
        self.sessionID = sessionID
        self.connection = connection
        self.profile = profile
        self.browserPID = browserPID
        self.driverPID = driverPID
    }

    /// Sends a command for this session; `path` is relative to /session/ID ("/url", "/title").
    @discardableResult
    func command(_ method: HTTPMethod, _ path: String, _ body: JSONValue = [:], timeout: Duration? = nil) async throws -> JSONValue {
        try await connection.send(method, "/session/\(sessionID)\(path)", body, timeout: timeout)
    }

    /// Loads `url` and returns once the page has loaded (its `load` event), or throws after the command timeout.
    func navigate(to url: String) async throws {
        try await command(.POST, "/url", ["url": .string(url)])
    }

    var currentURL: String {
        get async throws { try await string(.GET, "/url") }
    }

    var title: String {
        get async throws { try await string(.GET, "/title") }
    }

    /// The first element that matches the CSS `selector`; throws "no such element" if none does.
    func find(css selector: String) async throws -> Element {
        try Element(try await command(.POST, "/element", Element.query(css: selector)), selector: selector, browser: self)
    }

    /// Every element that matches the CSS `selector`, in document order; empty if none does.
    func findAll(css selector: String) async throws -> [Element] {
        let answer = try await command(.POST, "/elements", Element.query(css: selector))
        return try (answer.array ?? []).map { try Element($0, selector: selector, browser: self) }
    }

    /// Runs `script` in the page as the body of a function: `arguments[0]`… are `args` (an
    /// element's `json` passes the element) and `return` gives the result. A thrown exception
    /// comes back as a "javascript error".
    @discardableResult
    func executeScript(_ script: String, args: [JSONValue] = []) async throws -> JSONValue {
        try await command(.POST, "/execute/sync", ["script": .string(script), "args": .array(args)])
    }

    /// Resizes the window (the outer window, as WebDriver defines it), in CSS pixels.
    /// Even headless, Chromium keeps room for a toolbar: the page sees less; see `setViewportSize`.
    func setWindowSize(width: Int, height: Int) async throws {
        try await command(.POST, "/window/rect", ["width": .number(Double(width)), "height": .number(Double(height))])
    }

    /// The outer window's size, in CSS pixels.
    func windowSize() async throws -> PixelSize {
        let rect = try await command(.GET, "/window/rect")
        return PixelSize(width: rect["width"]?.int ?? 0, height: rect["height"]?.int ?? 0)
    }

    /// The part of the window the page is drawn in (`innerWidth` × `innerHeight`): the size of a screenshot.
    func viewportSize() async throws -> PixelSize {
        let size = try await executeScript("return [window.innerWidth, window.innerHeight]")
        guard let width = size.array?.first?.int, let height = size.array?.last?.int else {
            throw WebDriverError.unexpectedAnswer(method: "POST", path: "/execute/sync", answer: size.description)
        }
        return PixelSize(width: width, height: height)
    }

    /// Resizes the window so that the page gets exactly `width` × `height` CSS pixels.
    func setViewportSize(width: Int, height: Int) async throws {
        let window = try await windowSize()
        let viewport = try await viewportSize()
        try await setWindowSize(width: width + window.width - viewport.width, height: height + window.height - viewport.height)
    }

    /// Ends the session, waits (up to 10 seconds) until every Chromium process of it has ended,
    /// and removes its profile folder. Processes still running then are killed, and reported by
    /// throwing `browserLeftRunning`. A second call does nothing.
    func quit() async throws {
        let first = state.withLock { state in
            defer { state.hasQuit = true }
            return !state.hasQuit
        }
        guard first else { return }
        var quitError: (any Error)?
        do { try await command(.DELETE, "") } catch { quitError = error }
        let left = await BrowserProcesses.waitUntilGone(mentioning: profile, timeout: .seconds(10))
        try? FileManager.default.removeItem(at: profile)
        if !left.isEmpty { throw WebDriverError.browserLeftRunning(pids: left) }
        if let quitError { throw quitError }
    }

    /// The pids of this session's Chromium processes that are still running.
    func runningProcesses() -> [Int32] {
        BrowserProcesses.running(mentioning: profile)
    }

    func string(_ method: HTTPMethod, _ path: String, timeout: Duration? = nil) async throws -> String {
        let value = try await command(method, path, timeout: timeout)
        guard let text = value.string else {
            throw WebDriverError.unexpectedAnswer(method: method.rawValue, path: path, answer: value.description)
        }
        return text
    }
}
