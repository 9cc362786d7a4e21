/// WebDriverError is what the browser harness throws; each message says what failed and, where
/// it can, what to do next.
enum WebDriverError: Error, CustomStringConvertible {
    /// A program the harness needs is not installed.
    case toolMissing(name: String, searched: [String])
    /// chromedriver ended, or printed no port, before it was ready.
    case driverDidNotStart(output: [String])
    /// The driver answered a command with a WebDriver error: `error` is the W3C error code
    /// ("no such element", "javascript error", …), `message` the driver's explanation.
    case command(method: String, path: String, error: String, message: String)
    /// The command never got an answer: the driver is down, or it took longer than the timeout.
    case unreachable(method: String, path: String, reason: String)
    /// The driver answered something that is no WebDriver answer, or not the expected shape.
    case unexpectedAnswer(method: String, path: String, answer: String)
    /// A wait ran out of time.
    case timedOut(waitingFor: String, after: Duration, lastError: String?)
    /// Browser processes were still running after the session was quit.
    case browserLeftRunning(pids: [Int32])

    /// The W3C error code of a `command` error, nil for the others.
    var code: String? {
        if case .command(_, _, let error, _) = self { error } else { nil }
    }

    var description: String {
        switch self {
        case .toolMissing(let name, let searched):
            "\(name) is not installed (looked for \(searched.joined(separator: ", "))); "
                + "run scripts/setup.sh, which installs Debian's chromium and chromium-driver packages"
        case .driverDidNotStart(let output):
            "chromedriver did not start; its output:\n" + output.joined(separator: "\n")
        case .command(let method, let path, let error, let message):
            "WebDriver \(method) \(path) failed: \(error): \(message)"
        case .unreachable(let method, let path, let reason):
            "WebDriver \(method) \(path) got no answer: \(reason)"
        case .unexpectedAnswer(let method, let path, let answer):
            "WebDriver \(method) \(path) answered something unexpected: \(answer.prefix(500))"
        case .timedOut(let waitingFor, let after, let lastError):
            "timed out after \(after) waiting for \(waitingFor)" + (lastError.map { " (last error: \($0))" } ?? "")
        case .browserLeftRunning(let pids):
            "browser processes \(pids) were still running after quit; they have been killed"
        }
    }
}
