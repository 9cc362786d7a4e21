import Foundation

// What status checks need from the world: an HTTP client and where things are. The composition
// root fills them with AsyncHTTPClient and the workspace's addresses.

/// CheckHTTPClient sends one request of a status check and reads the whole answer.
///
/// It must return within `timeout` (or promptly when its task is cancelled).
public protocol CheckHTTPClient: Sendable {
    func fetch(_ request: CheckHTTPRequest, timeout: Duration) async -> CheckHTTPResponse
}

public struct CheckHTTPRequest: Hashable, Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: String?

    public init(method: String = "GET", url: String, headers: [String: String] = [:], body: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public enum CheckHTTPResponse: Hashable, Sendable {
    /// An answer arrived after `elapsedMs`; the body as text (at most 1 MiB is read).
    case answered(status: Int, body: String, elapsedMs: Double)
    /// No answer: refused, reset, timed out.
    case failed(reason: String, elapsedMs: Double)
}

/// CheckEnvironment says where a status check's targets are, in this workspace.
public struct CheckEnvironment: Sendable {
    /// The lab server's own base URL (`{lab}` in a check's URL).
    public var labServerURL: String?
    /// The base URL of a service of the sandbox (`{storefront}`), nil when it is not up.
    public var serviceURL: @Sendable (String) async -> String?
    /// The lab's Prometheus and Alertmanager, or why there are none.
    public var monitoring: Monitoring
    /// What else is experimenting: another run in this sandbox (`anywhere: false`) or in any
    /// team's (`anywhere: true`), in words; nil when nothing is.
    public var otherActivity: @Sendable (_ anywhere: Bool) async -> String?
    /// True when the lab server was started with `--allow-remote-proxies`: a check may then
    /// reach addresses off this machine.
    public var allowRemote: Bool
    /// The `team` label of this workspace's series in Prometheus ("default" for the default
    /// workspace): `$team` in a query stands for it.
    public var team: String
    /// Asks Prometheus to read its rule files again; returns why it could not (Prometheus'
    /// own words for a broken rule file), nil when the rules are loaded.
    public var reloadRules: @Sendable () async -> String?

    public enum Monitoring: Sendable, Hashable {
        case running(prometheus: String, alertmanager: String)
        /// Why the checks that need it cannot be judged: "monitoring is off (--no-monitoring)".
        case absent(reason: String)

        /// Prometheus' and Alertmanager's base URLs while they run.
        public var urls: (prometheus: String, alertmanager: String)? {
            if case .running(let prometheus, let alertmanager) = self { return (prometheus, alertmanager) }
            return nil
        }
    }

    public init(labServerURL: String? = nil, serviceURL: @escaping @Sendable (String) async -> String? = { _ in nil },
                monitoring: Monitoring = .absent(reason: "this lab server runs no monitoring"),
                otherActivity: @escaping @Sendable (Bool) async -> String? = { _ in nil }, allowRemote: Bool = false,
                team: String = "default",
                reloadRules: @escaping @Sendable () async -> String? = { "this lab server runs no monitoring" }) {
        self.team = team
        self.reloadRules = reloadRules
        self.labServerURL = labServerURL
        self.serviceURL = serviceURL
        self.monitoring = monitoring
        self.otherActivity = otherActivity
        self.allowRemote = allowRemote
    }
}

/// StatusCheckPorts bundle what the checks of a run use.
public struct StatusCheckPorts: Sendable {
    public var client: any CheckHTTPClient
    public var environment: CheckEnvironment

    public init(client: any CheckHTTPClient, environment: CheckEnvironment) {
        self.client = client
        self.environment = environment
    }
}
