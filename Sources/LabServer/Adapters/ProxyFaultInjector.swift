import FaultProxy
import LabEngine
import Sandbox

/// The engine's fault port, served by the sandbox's fault proxies.
struct ProxyFaultInjector: FaultInjector {
    let proxies: [String: FaultProxy]

    func inject(_ fault: FaultSpec, on edge: EdgeID, ttl: Duration) async throws -> String {
        guard let proxy = proxies[edge.proxyName] else {
            throw APIError.notFound("unknown edge '\(edge.key)'; edges: \(ShopTopology.edges.map(\.key).joined(separator: ", "))")
        }
        return proxy.addFault(FaultKind(fault), ttl: ttl).id
    }

    func remove(faultID: String, on edge: EdgeID) async {
        _ = proxies[edge.proxyName]?.removeFault(id: faultID)
    }

    func removeAll() async {
        for proxy in proxies.values { proxy.removeAllFaults() }
    }
}

extension FaultKind {
    /// The proxy's fault for a lab's fault.
    init(_ spec: FaultSpec) {
        switch spec {
        case .blackhole: self = .blackhole
        case .refuse: self = .refuse
        case .latency(let ms, let jitterMs): self = .latency(latency: .milliseconds(ms), jitter: .milliseconds(jitterMs))
        }
    }
}
