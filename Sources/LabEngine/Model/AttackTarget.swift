/// AttackTarget is what an attack hits: one proxied edge, or one service's process.
public enum AttackTarget: Hashable, Sendable, Comparable, CustomStringConvertible {
    case edge(EdgeID)
    case service(String)

    /// "edge" or "service", for sentences.
    public var noun: String {
        if case .service = self { return "service" }
        return "edge"
    }

    /// "storefront->ads" or "checkout": the name in lab files, events and the fault API.
    public var key: String {
        switch self {
        case .edge(let edge): edge.key
        case .service(let name): name
        }
    }

    public var description: String { key }

    /// Reads a key: an edge when it has an arrow, a service otherwise.
    public init(key: String) {
        self = EdgeID(key: key).map(AttackTarget.edge) ?? .service(key)
    }

    /// The dependency edges among `edges` that a fault on this target cuts or slows: the edge
    /// itself, or every edge into the service (a dead checkout is seen by its callers through their edges).
    public func edges(among edges: [EdgeID]) -> [EdgeID] {
        switch self {
        case .edge(let edge): [edge]
        case .service(let name): edges.filter { $0.to == name }
        }
    }

    public static func < (lhs: AttackTarget, rhs: AttackTarget) -> Bool { lhs.key < rhs.key }
}

extension AttackTarget: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(key: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}
