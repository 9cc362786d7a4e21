import FaultProxy
import Foundation

extension Sandbox {
    /// Services with their last known health and edges with their faults. Answers at once,
    /// never waiting on a service: the health comes from `runHealthChecks`, and a service
    /// that is not running (killed, paused, restarting), or whose current process has not
    /// been seen healthy in the last 5 s, is unhealthy.
    public func status() -> SandboxStatus {
        let now = ContinuousClock.now
        let serviceStatuses = serviceNames.compactMap { name -> ServiceStatus? in
            guard let service = services[name] else { return nil }
            // A reading of an earlier process, or too old to stand for now (no checks running), is none.
            let reading = service.lastHealth.flatMap {
                $0.generation == service.generation && now - $0.at < Self.healthReadingLifetime ? $0 : nil
            }
            return ServiceStatus(
                name: name, pid: service.child?.pid, port: service.port, url: service.url,
                state: service.state.rawValue, healthy: service.state == .running && reading?.healthy == true,
                restarts: service.restarts, healthCheckedMsAgo: reading.map { Self.milliseconds(now - $0.at) })
        }
        return SandboxStatus(services: serviceStatuses, edges: edgeStatuses())
    }

    /// How long a health reading stands: a check runs every second and takes at most one.
    static let healthReadingLifetime: Duration = .seconds(5)

    /// Checks each service's `GET /healthz` (1 s timeout) every `interval` until cancelled, each
    /// service on its own child task so that a frozen one delays none of the others. `status`
    /// reads the results.
    public func runHealthChecks(every interval: Duration = .seconds(1)) async {
        await withDiscardingTaskGroup { group in
            for name in serviceNames {
                group.addTask { [self] in
                    while !Task.isCancelled {
                        await checkHealth(of: name)
                        try? await Task.sleep(for: interval)
                    }
                }
            }
        }
    }

    private func checkHealth(of name: String) async {
        guard let service = services[name], let port = service.port, service.child != nil || service.address != nil else { return }
        let generation = service.generation
        let healthy = await isHealthy(service, port: port)
        recordHealth(of: name, healthy: healthy, generation: generation)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    func recordHealth(of name: String, healthy: Bool, generation: Int) {
        guard let service = services[name], service.generation == generation else { return }
        service.lastHealth = HealthReading(healthy: healthy, generation: generation, at: .now)
    }

    /// The edges and their active faults, without touching the services.
    public nonisolated func edgeStatuses() -> [EdgeStatus] {
        configuration.system.edges.map { edge in
            let proxy = proxies[edge.name]!
            return EdgeStatus(
                name: edge.name, from: edge.from, to: edge.to,
                listen: proxy.listenAddress, upstream: proxy.upstream,
                faults: proxy.activeFaults.map(FaultStatus.init))
        }
    }
}

extension FaultStatus {
    public init(_ fault: ActiveFault) {
        self.init(
            id: fault.id, type: fault.kind.name, stream: fault.kind.stream?.rawValue,
            attributes: fault.kind.attributes.mapValues(Double.init), description: fault.kind.summary,
            expiresInMs: fault.expiresAt.map { max(0, Int($0.timeIntervalSinceNow * 1000)) })
    }
}
