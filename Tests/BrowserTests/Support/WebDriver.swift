import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// WebDriver is a running chromedriver: a child process on 127.0.0.1 that starts and drives a
/// headless Chromium for each session (W3C WebDriver over HTTP).
///
/// It runs as `setpriv --pdeathsig KILL -- chromedriver --port=0`. With port 0 the kernel picks a
/// free port, which chromedriver prints ("ChromeDriver was started successfully on port N."),
/// so no other process can take the port between choosing and binding it. The parent-death
/// signal kills chromedriver when the test process dies, even by SIGKILL; Chromium, which talks
/// to it over a pipe, then exits too.
///
/// Everything the browsers write goes into one fresh folder, `workspace`: a profile per
/// session, and the crash reports (`BREAKPAD_DUMP_LOCATION`), not ~/.config/chromium.
final class WebDriver: Sendable {
    let options: BrowserOptions
    let connection: WebDriverConnection
    /// The driver's own temporary folder, which `stop()` removes.
    let workspace: URL
    private let process: TestProcess

    /// chromedriver's process id.
    var pid: Int32 { process.pid }

    private init(options: BrowserOptions, process: TestProcess, port: Int, workspace: URL) {
        self.options = options
        self.process = process
        self.workspace = workspace
        connection = WebDriverConnection(port: port, timeout: options.commandTimeout)
    }

    /// Starts chromedriver and waits until it listens. Throws `toolMissing` (with the advice to
    /// run scripts/setup.sh) when chromedriver or Chromium is not installed.
    static func start(_ options: BrowserOptions = BrowserOptions()) async throws -> WebDriver {
        let chromedriver = try options.chromedriver()
        _ = try options.chromium()
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("chaoslab-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        let environment = ["BREAKPAD_DUMP_LOCATION": workspace.appendingPathComponent("crash-reports").path]
        let setpriv = "/usr/bin/setpriv"
        let process = FileManager.default.isExecutableFile(atPath: setpriv)
            ? try TestProcess(executable: setpriv, ["--pdeathsig", "KILL", "--", chromedriver, "--port=0"], environment: environment)
            : try TestProcess(executable: chromedriver, ["--port=0"], environment: environment)
        let ready = "was started successfully on port "
        guard let line = await process.waitForLine(containing: ready, timeout: options.startupTimeout),
              let port = Int(line.components(separatedBy: ready)[1].trimmingCharacters(in: .punctuationCharacters))
        else {
            await terminate(process)
            try? FileManager.default.removeItem(at: workspace)
            throw WebDriverError.driverDidNotStart(output: process.lines)
        }
        return WebDriver(options: options, process: process, port: port, workspace: workspace)
    }

    /// Opens a session: a headless Chromium with a fresh profile folder, which `Browser.quit()` removes.
    func newSession() async throws -> Browser {
        let profile = workspace.appendingPathComponent("profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        do {
            let capabilities = options.capabilities(chromium: try options.chromium(), profile: profile)
            let answer = try await connection.send(.POST, "/session", capabilities)
            guard let sessionID = answer["sessionId"]?.string else {
                throw WebDriverError.unexpectedAnswer(method: "POST", path: "/session", answer: answer.description)
            }
            let browserPID = answer["capabilities"]?["goog:processID"]?.int.map(Int32.init)
            return Browser(sessionID: sessionID, connection: connection, profile: profile, browserPID: browserPID, driverPID: pid)
        } catch {
            try? FileManager.default.removeItem(at: profile)
            throw error
        }
    }

    /// Stops chromedriver (SIGTERM, then SIGKILL if it has not ended within 5 seconds), waits
    /// up to 5 seconds for every browser process to end (the crash handlers end last), and
    /// removes `workspace`. Processes still running then are killed and reported by throwing
    /// `browserLeftRunning`.
    func stop() async throws {
        await Self.terminate(process)
        let left = await BrowserProcesses.waitUntilGone(mentioning: workspace, timeout: .seconds(5))
        try? FileManager.default.removeItem(at: workspace)
        if !left.isEmpty { throw WebDriverError.browserLeftRunning(pids: left) }
    }

    private static func terminate(_ process: TestProcess) async {
        process.signal(SIGTERM)
        if await process.waitForExit(timeout: .seconds(5)) == nil {
            process.signal(SIGKILL)
            _ = await process.waitForExit(timeout: .seconds(5))
        }
    }
}

/// Runs `body` with a headless Chromium, then quits it and stops chromedriver — also when `body`
/// throws, after saving a screenshot of the page as it was (named after the running test).
/// An error from `body` wins over one from cleaning up.
func withBrowser<T>(_ options: BrowserOptions = BrowserOptions(), _ body: (Browser) async throws -> T) async throws -> T {
    let driver = try await WebDriver.start(options)
    let browser: Browser
    do {
        browser = try await driver.newSession()
    } catch {
        try? await driver.stop()
        throw error
    }
    let outcome: Result<T, any Error>
    do {
        outcome = .success(try await body(browser))
    } catch {
        outcome = .failure(error)
        _ = try? await browser.saveScreenshot(named: "failed-" + (Test.current?.name ?? "test").replacingOccurrences(of: "()", with: ""), timeout: .seconds(5))
    }
    var cleanupError: (any Error)?
    do { try await browser.quit() } catch { cleanupError = error }
    do { try await driver.stop() } catch { cleanupError = cleanupError ?? error }
    let value = try outcome.get()
    if let cleanupError { throw cleanupError }
    return value
}
