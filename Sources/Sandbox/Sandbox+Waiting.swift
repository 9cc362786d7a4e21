import AsyncHTTPClient
import Foundation

/// Waiting for a service: until it answers its health path, until it has exited.
extension Sandbox {
    func waitUntilHealthy(_ name: String, deadline: ContinuousClock.Instant) async throws(SandboxError) {
        guard await waitUntilListening(name, deadline: deadline) != nil, let service = services[name] else {
            let service = services[name]
            let reason: String
            if let address = service?.address {
                reason = "nothing answered GET \(service?.healthPath ?? "/healthz") with 200 at \(address.host):\(address.port) before the deadline; is it running?"
            } else if service?.child == nil {
                reason = "it exited during start-up"
            } else {
                let port = service?.assignedPort.map(String.init) ?? "?"
                reason = "GET \(service?.healthPath ?? "/healthz") on port \(port) did not answer 200 before the deadline; "
                    + "does it listen on the port its command is given ({port})?"
            }
            throw .serviceDidNotStart(service: name, reason: reason, lastLines: service?.log.snapshot(last: 10) ?? [])
        }
        recordHealth(of: name, healthy: true, generation: service.generation)
    }

    /// True if the service answers its health path with 200 within a second.
    func isHealthy(_ service: ManagedService, port: Int) async -> Bool {
        await Self.isHealthy(host: service.host, port: port, path: service.healthPath)
    }

    /// True if `GET http://HOST:PORT/PATH` answers 200 within a second.
    static func isHealthy(host: String, port: Int, path: String) async -> Bool {
        let request = HTTPClientRequest(url: "http://\(host):\(port)\(path)")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)) else { return false }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return response.status == .ok
    }

    private func waitUntilListening(_ name: String, deadline: ContinuousClock.Instant) async -> Int? {
        if let service = services[name], service.state == .running, let port = service.port { return port }
        if services[name]?.child == nil, services[name]?.address == nil { return nil }
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
