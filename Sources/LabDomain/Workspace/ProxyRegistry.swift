import FaultProxy
import NIOConcurrencyHelpers

/// The proxies the lab server runs: the sandbox's edges, and any a Toxiproxy client
/// created. Thread-safe.
package final class ProxyRegistry: Sendable {
    private let box: NIOLockedValueBox<[String: FaultProxy]>
    /// The sandbox's own edges: they can be disabled but not deleted.
    package let edgeNames: Set<String>

    package init(edges: [String: FaultProxy]) {
        self.box = NIOLockedValueBox(edges)
        self.edgeNames = Set(edges.keys)
    }

    package func proxy(named name: String) -> FaultProxy? {
        box.withLockedValue { $0[name] }
    }

    /// Every proxy, sorted by name.
    package var all: [(name: String, proxy: FaultProxy)] {
        box.withLockedValue { proxies in proxies.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    package var names: [String] { all.map(\.name) }

    /// Adds a proxy under its name; false if the name is taken.
    package func insert(_ proxy: FaultProxy) -> Bool {
        box.withLockedValue { proxies in
            guard proxies[proxy.name] == nil else { return false }
            proxies[proxy.name] = proxy
            return true
        }
    }

    /// Removes a proxy that is not one of the sandbox's edges.
    package func remove(named name: String) -> FaultProxy? {
        box.withLockedValue { $0.removeValue(forKey: name) }
    }
}
