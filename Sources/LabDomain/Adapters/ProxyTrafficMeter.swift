import FaultProxy
import LabEngine

/// The traffic map's meter: each sandbox edge's proxy counters.
package struct ProxyTrafficMeter: TrafficMeter {
    package let proxies: ProxyRegistry
    /// The sandbox's edges.
    package let edges: [EdgeID]

    package init(proxies: ProxyRegistry, edges: [EdgeID]) {
        self.proxies = proxies
        self.edges = edges
    }

    package func carried() async -> [EdgeID: FaultContact] {
        var carried: [EdgeID: FaultContact] = [:]
        for edge in edges {
            guard let traffic = proxies.proxy(named: edge.proxyName)?.traffic else { continue }
            carried[edge] = FaultContact(connections: traffic.connections, bytes: traffic.bytes)
        }
        return carried
    }
}
