import Foundation

/// ConsoleEntry is one message of the browser console: a `console.log`/`console.error` call, an
/// uncaught exception, or a resource that failed to load.
struct ConsoleEntry: Sendable, Equatable, CustomStringConvertible {
    /// "SEVERE" (console.error, exceptions, failed loads), "WARNING", "INFO" or "DEBUG".
    let level: String
    /// Chromium's text: the source URL and position, then the message ("http://…/ 12:8 \"boom\"").
    let message: String
    /// Where it came from: "console-api", "javascript" or "network".
    let source: String
    let timestamp: Date

    var isError: Bool { level == "SEVERE" }
    var description: String { "[\(level)] \(source): \(message)" }
}

extension Browser {
    /// Every console entry since the session began.
    ///
    /// chromedriver's `POST /session/ID/se/log` (a GET is "unknown command") hands each entry out
    /// once and then forgets it, so the browser keeps what it has read: a check for errors sees
    /// the whole session, whoever read the log before.
    func consoleLog() async throws -> [ConsoleEntry] {
        let answer = try await command(.POST, "/se/log", ["type": "browser"])
        let fresh = (answer.array ?? []).map { entry in
            ConsoleEntry(
                level: entry["level"]?.string ?? "",
                message: entry["message"]?.string ?? "",
                source: entry["source"]?.string ?? "",
                timestamp: Date(timeIntervalSince1970: (entry["timestamp"]?.number ?? 0) / 1000))
        }
        return state.withLock { state in
            state.console += fresh
            return state.console
        }
    }

    /// The console entries at level SEVERE since the session began: `console.error` calls,
    /// uncaught exceptions and failed loads (a missing favicon included).
    func consoleErrors() async throws -> [ConsoleEntry] {
        try await consoleLog().filter(\.isError)
    }
}
