/// A snapshot of the sandbox: its services and its edges.
public struct SandboxStatus: Codable, Sendable {
    public var services: [ServiceStatus]
    public var edges: [EdgeStatus]
}

/// One demo service as the supervisor sees it.
public struct ServiceStatus: Codable, Sendable {
    public var name: String
    public var pid: Int32?
    public var port: Int?
    public var url: String?
    public var state: String
    public var healthy: Bool
    public var restarts: Int
}

/// One dependency edge and the faults active on it.
public struct EdgeStatus: Codable, Sendable {
    public var name: String
    public var from: String
    public var to: String
    public var listen: String
    public var upstream: String
    public var faults: [FaultStatus]
}

/// One active fault on an edge.
public struct FaultStatus: Codable, Sendable {
    public var id: String
    public var type: String
    public var attributes: [String: Int]
    public var expiresInMs: Int

    enum CodingKeys: String, CodingKey {
        case id, type, attributes
        case expiresInMs = "expires_in_ms"
    }
}
