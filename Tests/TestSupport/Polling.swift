/// Asks `attempt` every `interval` until it gives a value, or `timeout` has passed (then nil).
/// The one polling loop of the tests: for conditions that no event announces (a process gone,
/// a port closed, a page redrawn); anything that can be awaited is awaited instead.
public func poll<T>(
    every interval: Duration = .milliseconds(20), for timeout: Duration, _ attempt: () async throws -> T?
) async rethrows -> T? {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await attempt() { return value }
        if ContinuousClock.now >= deadline { return nil }
        try? await Task.sleep(for: interval)
    }
}

/// Whether `condition` holds within `timeout`, asked every `interval`.
public func eventually(
    within timeout: Duration = .seconds(3), every interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    try await poll(every: interval, for: timeout) { try await condition() ? true : nil } ?? false
}
