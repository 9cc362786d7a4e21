/// A snapshot of the sandbox: its services and its edges.
public struct SandboxStatus: Codable, Sendable {
    public var services: [ServiceStatus]
    public var edges: [EdgeStatus]
    /// New faults are refused (an emergency stop is on); filled in by the lab server.
    public var locked: Bool?
    /// The lab's Prometheus and Alertmanager, or why there are none; filled in by the lab server.
    public var monitoring: MonitoringStatus?
}

/// Where the lab's monitoring runs, or why it does not.
public struct MonitoringStatus: Codable, Sendable {
    public var prometheus: String?
    public var alertmanager: String?
    /// Why there is no monitoring, when there is none.
    public var note: String?

    public init(prometheus: String?, alertmanager: String?, note: String?) {
        self.prometheus = prometheus
        self.alertmanager = alertmanager
        self.note = note
    }
}

/// One demo service as the supervisor sees it.
public struct ServiceStatus: Codable, Sendable {
    public var name: String
    public var pid: Int32?
    public var port: Int?
    public var url: String?
    public var state: String
    /// From the supervisor's last health check of the current process; false while it is not running.
    public var healthy: Bool
    public var restarts: Int
    /// How long ago that health check answered; nil before the first of this process.
    public var healthCheckedMsAgo: Int?
    /// Service faults in force (kill, pause, cpu, ...); filled in by the lab server.
    public var faults: [FaultStatus]?

    enum CodingKeys: String, CodingKey {
        case name, pid, port, url, state, healthy, restarts, faults
        case healthCheckedMsAgo = "health_checked_ms_ago"
    }
}

/// One dependency edge and the faults active on it.
public struct EdgeStatus: Codable, Sendable {
    public var name: String
    public var from: String
    public var to: String
    public var listen: String
    public var upstream: String
    public var faults: [FaultStatus]

    public init(name: String, from: String, to: String, listen: String, upstream: String, faults: [FaultStatus]) {
        self.name = name
        self.from = from
        self.to = to
        self.listen = listen
        self.upstream = upstream
        self.faults = faults
    }
}

/// One active fault, on an edge or on a service.
public struct FaultStatus: Codable, Sendable {
    public var id: String
    public var type: String
    /// For toxics: the stream they act on.
    public var stream: String?
    /// In Toxiproxy's names and units for network faults.
    public var attributes: [String: Double]
    /// A phrase for people: "latency 800 ms ± 100 ms".
    public var description: String
    /// nil: stays until removed (a toxic added through the Toxiproxy API).
    public var expiresInMs: Int?

    public init(id: String, type: String, stream: String? = nil, attributes: [String: Double], description: String, expiresInMs: Int?) {
        self.id = id
        self.type = type
        self.stream = stream
        self.attributes = attributes
        self.description = description
        self.expiresInMs = expiresInMs
    }

    enum CodingKeys: String, CodingKey {
        case id, type, stream, attributes, description
        case expiresInMs = "expires_in_ms"
    }
}
