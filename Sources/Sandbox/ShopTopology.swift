/// The demo shop as the sandbox runs it: four services and the dependency
/// edges between them, each edge behind a fault proxy of its own.
public enum ShopTopology {
    /// Service names, in the order they are listed.
    public static let services = ["storefront", "checkout", "cache", "ads"]

    /// Dependency edges; each becomes a proxy named `from-to`.
    public static let edges: [Edge] = [
        Edge(from: "storefront", to: "ads"),
        Edge(from: "storefront", to: "checkout"),
        Edge(from: "storefront", to: "cache"),
        Edge(from: "checkout", to: "cache"),
    ]

    /// The edges a service calls through.
    public static func dependencies(of service: String) -> [Edge] {
        edges.filter { $0.from == service }
    }

    /// One dependency edge of the shop.
    public struct Edge: Sendable, Hashable {
        public let from: String
        public let to: String
        /// The proxy's name, as the fault API knows it: `storefront-ads`.
        public var name: String { "\(from)-\(to)" }
        /// The edge as labs write it: `storefront->ads`.
        public var key: String { "\(from)->\(to)" }
    }
}
