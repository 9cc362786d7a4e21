import ServiceLifecycle

/// The service that ends faults on time: it runs in the application's service group, wakes at the next
/// deadline (and at least every ``expiryTick``, to notice faults started meanwhile), and ends every fault
/// still in force when the application shuts down.
extension ServiceFaults: Service {
    /// The longest the sweep sleeps; readers check deadlines themselves, so this only bounds how late a
    /// cpu or memory load is let go of and the gauge and log line follow.
    static let expiryTick: Duration = .milliseconds(100)

    package func run() async throws {
        try? await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                let next = await endExpired()
                let wake = ContinuousClock.now + Self.expiryTick
                try await Task.sleep(until: next.map { min($0, wake) } ?? wake, clock: .continuous)
            }
        }
        await endAll(reason: .shutdown)
    }
}
