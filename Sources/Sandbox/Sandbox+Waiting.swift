import AsyncHTTPClient
import Foundation

/// Waiting for a service: until it listens, until it answers `/healthz`, until it has exited.
extension Sandbox {
    func waitUntilHealthy(_ name: String, deadline: ContinuousClock.Instant) async throws(SandboxError) {
        guard let port = await waitUntilListening(name, deadline: deadline) else {
            let reason = services[name]?.child == nil ? "it exited during start-up" : "no answer before the deadline"
            throw .serviceDidNotStart(service: name, reason: reason, lastLines: services[name]?.log.snapshot(last: 10) ?? [])
        }
        while ContinuousClock.now < deadline {
            let generation = services[name]?.generation ?? 0
            if await isHealthy(port: port) {
                recordHealth(of: name, healthy: true, generation: generation)
                return
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        throw .serviceDidNotStart(service: name, reason: "GET /healthz did not answer 200", lastLines: services[name]?.log.snapshot(last: 10) ?? [])
    }

    /// True if the service answers `GET /healthz` with 200 within a second.
    func isHealthy(port: Int) async -> Bool {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)) else { return false }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return response.status == .ok
    }

    private func waitUntilListening(_ name: String, deadline: ContinuousClock.Instant) async -> Int? {
        if let service = services[name], service.state == .running, let port = service.port { return port }
        if services[name]?.child == nil { return nil }
        nextWaiterID += 1
        let id = nextWaiterID
        let timeout = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            await self?.expireReadyWaiter(name, id: id)
        }
        defer { timeout.cancel() }
        return await withCheckedContinuation { continuation in
            readyWaiters[name, default: [:]][id] = continuation
        }
    }

    private func expireReadyWaiter(_ name: String, id: Int) {
        readyWaiters[name]?.removeValue(forKey: id)?.resume(returning: nil)
    }

    func resumeReadyWaiters(_ name: String, port: Int?) {
        for waiter in (readyWaiters.removeValue(forKey: name) ?? [:]).values { waiter.resume(returning: port) }
    }

    /// Waits until the service's current child has exited; false on timeout.
    func waitForExit(_ name: String, timeout: Duration) async -> Bool {
        guard services[name]?.child != nil else { return true }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expireExitWaiters(name)
        }
        defer { timer.cancel() }
        await withCheckedContinuation { exitWaiters[name, default: []].append($0) }
        return services[name]?.child == nil
    }

    private func expireExitWaiters(_ name: String) {
        for waiter in exitWaiters.removeValue(forKey: name) ?? [] { waiter.resume() }
    }
}
