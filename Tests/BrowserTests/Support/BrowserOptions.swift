import Foundation

/// BrowserOptions says which programs to run and how the headless browser is set up.
struct BrowserOptions: Sendable {
    /// The browser window, in CSS pixels. The page gets less height (Chromium keeps room for a
    /// toolbar, even headless): `Browser.setViewportSize` sets what the page and screenshots get.
    var windowWidth = 1280
    var windowHeight = 800
    /// Absolute paths; nil finds the program (environment variable, then PATH, then /usr/bin).
    var chromiumPath: String? = nil
    var chromedriverPath: String? = nil
    /// More Chromium command-line switches.
    var extraArguments: [String] = []
    /// How long chromedriver may take to listen, and one WebDriver command (a page load included) to answer.
    var startupTimeout: Duration = .seconds(30)
    var commandTimeout: Duration = .seconds(30)

    init() {}

    /// The Chromium switches for one session in `profile`, a fresh user data folder.
    ///
    /// `--remote-debugging-pipe` makes chromedriver talk to Chromium over a pipe instead of a
    /// port, so that Chromium exits as soon as chromedriver does, even when chromedriver is
    /// killed. (Not `--disable-crashpad-for-testing`: it crash-loops the network service, and
    /// pages then never load.)
    func chromiumArguments(profile: URL) -> [String] {
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path)", "--window-size=\(windowWidth),\(windowHeight)",
        ] + extraArguments
    }

    /// The capabilities of a new session: headless Chromium, every console message kept for
    /// `consoleLog()`, and page loads and scripts bounded in time.
    func capabilities(chromium: String, profile: URL) -> JSONValue {
        let milliseconds = Int(commandTimeout.components.seconds) * 1000
        return ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": .string(chromium),
                "args": .array(chromiumArguments(profile: profile).map(JSONValue.string)),
            ],
            "goog:loggingPrefs": ["browser": "ALL"],
            "timeouts": ["pageLoad": .number(Double(milliseconds)), "script": .number(Double(milliseconds)), "implicit": 0],
        ]]]
    }

    func chromium() throws -> String {
        try Self.locate("Chromium", at: chromiumPath, names: ["chromium", "chromium-browser"], variable: "CHAOSLAB_CHROMIUM")
    }

    func chromedriver() throws -> String {
        try Self.locate("chromedriver", at: chromedriverPath, names: ["chromedriver"], variable: "CHAOSLAB_CHROMEDRIVER")
    }

    /// `path` if given; else the first executable among the path in `variable`, then each of
    /// `names` on PATH and in /usr/bin.
    static func locate(_ tool: String, at path: String?, names: [String], variable: String) throws -> String {
        let isExecutable = FileManager.default.isExecutableFile(atPath:)
        if let path {
            guard isExecutable(path) else { throw WebDriverError.toolMissing(name: tool, searched: [path]) }
            return path
        }
        let environment = ProcessInfo.processInfo.environment
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        let candidates = [environment[variable]].compactMap { $0 }
            + names.flatMap { name in folders.map { "\($0)/\(name)" } }
        guard let found = candidates.first(where: isExecutable) else {
            throw WebDriverError.toolMissing(name: tool, searched: ["$\(variable)"] + names.map { "\($0) on PATH and in /usr/bin" })
        }
        return found
    }
}
