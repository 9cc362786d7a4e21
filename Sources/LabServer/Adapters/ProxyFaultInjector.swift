import FaultProxy
import LabEngine
import Sandbox

/// The engine's fault port, served by the sandbox's fault proxies through the fault
/// board (so that the emergency lock and the counters see lab attacks too).
struct ProxyFaultInjector: FaultInjector {
    let board: FaultBoard

    func inject(_ fault: FaultSpec, on edge: EdgeID, ttl: Duration) async throws -> String {
        guard let proxy = board.proxies.proxy(named: edge.proxyName) else {
            throw APIError.notFound("unknown edge '\(edge.key)'; edges: \(ShopTopology.edges.map(\.key).joined(separator: ", "))")
        }
        return try await board.addNetworkFault(FaultKind(fault), to: proxy, ttl: ttl).id
    }

    func remove(faultID: String, on edge: EdgeID) async {
        _ = await board.proxies.proxy(named: edge.proxyName)?.removeFault(id: faultID)
    }

    /// A halt of every fault of every family: what an experiment's uncertain injection and
    /// the coordinator's halt both need.
    func removeAll() async {
        _ = await board.haltAll()
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
