import FaultProxy
import Foundation

extension Sandbox {
    /// Services with a live health check (1 s timeout each, run side by side) and edges with their faults.
    public func status() async -> SandboxStatus {
        let ports = services.mapValues(\.port)
        let health = await withTaskGroup(of: (String, Bool).self) { group in
            for (name, port) in ports {
                group.addTask { [self] in (name, port == nil ? false : await isHealthy(port: port!)) }
            }
            var result: [String: Bool] = [:]
            for await (name, healthy) in group { result[name] = healthy }
            return result
        }
        let serviceStatuses = ShopTopology.services.compactMap { name -> ServiceStatus? in
            guard let service = services[name] else { return nil }
            return ServiceStatus(
                name: name, pid: service.child?.pid, port: service.port, url: service.url,
                state: service.state.rawValue, healthy: health[name] ?? false, restarts: service.restarts)
        }
        return SandboxStatus(services: serviceStatuses, edges: edgeStatuses())
    }

    /// The edges and their active faults, without touching the services.
    public nonisolated func edgeStatuses() -> [EdgeStatus] {
        ShopTopology.edges.map { edge in
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
