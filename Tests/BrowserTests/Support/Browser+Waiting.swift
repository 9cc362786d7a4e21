import TestSupport

extension Browser {
    /// How often a wait checks its condition.
    static let pollInterval: Duration = .milliseconds(50)

    /// Waits until an element matches the CSS `selector` and returns it.
    @discardableResult
    func waitFor(css selector: String, timeout: Duration = .seconds(10)) async throws -> Element {
        try await poll("an element matching \(selector)", timeout: timeout) {
            try await self.findAll(css: selector).first
        }
    }

    /// Waits until `condition` holds, checking it every 50 ms until `timeout` has passed, then
    /// throws `timedOut` naming `description`. A condition that throws "no such element" or
    /// "stale element reference" (the page is still changing) counts as not yet; any other
    /// error ends the wait.
    func waitUntil(
        _ description: String = "a condition", timeout: Duration = .seconds(10),
        condition: () async throws -> Bool
    ) async throws {
        _ = try await poll(description, timeout: timeout) { try await condition() ? true : nil }
    }

    /// Calls `attempt` until it returns a value or `timeout` has passed.
    func poll<T>(_ description: String, timeout: Duration, _ attempt: () async throws -> T?) async throws -> T {
        var lastError: WebDriverError?
        let value = try await TestSupport.poll(every: Self.pollInterval, for: timeout) { () async throws -> T? in
            do {
                return try await attempt()
            } catch let error as WebDriverError where ["no such element", "stale element reference"].contains(error.code) {
                lastError = error
                return nil
            }
        }
        guard let value else { throw WebDriverError.timedOut(waitingFor: description, after: timeout, lastError: lastError?.description) }
        return value
    }
}
