/// The system a sandbox runs: its services, each a command the sandbox starts or the address of
/// something already running, and the dependency edges between them, each behind a fault proxy
/// of its own. LabDomain builds it from a system file (`SystemDescription`); the sandbox knows
/// nothing of the demo shop.
public struct SandboxSystem: Sendable {
    public var name: String
    /// In start-up order.
    public var services: [Service]
    public var edges: [Edge]
    /// What `{dir}` stands for in commands (the system file's folder), and where commands run
    /// unless they name a folder of their own.
    public var directory: String
    /// The service people and journeys come in through (the demo shop's storefront): the one a
    /// page links to and a team's shop passage leads to.
    public var entryService: String

    public init(name: String, services: [Service], edges: [Edge], directory: String, entryService: String? = nil) {
        self.name = name
        self.services = services
        self.edges = edges
        self.directory = directory
        self.entryService = entryService ?? services.first { service in !edges.contains { $0.to == service.name } }?.name
            ?? services.first?.name ?? ""
    }

    /// One service.
    public struct Service: Sendable {
        public var name: String
        public var launch: Launch
        /// The path whose `200` says the service is healthy.
        public var healthPath: String
        /// The path of its Prometheus metrics; nil: it has none, and is not scraped.
        public var metricsPath: String?

        public init(name: String, launch: Launch, healthPath: String = "/healthz", metricsPath: String? = nil) {
            self.name = name
            self.launch = launch
            self.healthPath = healthPath
            self.metricsPath = metricsPath
        }

        /// True when the sandbox starts (and so may kill or pause) its process.
        public var isStarted: Bool {
            if case .command = launch { return true }
            return false
        }
    }

    /// How a service comes to run.
    public enum Launch: Sendable {
        /// The program and its arguments, with placeholders (`{port}`, `{url.NAME}`, …), the folder
        /// to run in (relative to `directory`; nil: `directory`) and extra environment.
        case command(arguments: [String], directory: String?, environment: [String: String])
        /// Already running there; the sandbox only checks its health and points proxies at it.
        case address(host: String, port: Int)
    }

    /// One dependency edge.
    public struct Edge: Sendable, Hashable {
        public let from: String
        public let to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }

        /// The proxy's name, as the fault API knows it: `storefront-ads`.
        public var name: String { "\(from)-\(to)" }
        /// The edge as labs write it: `storefront->ads`.
        public var key: String { "\(from)->\(to)" }
    }

    public var serviceNames: [String] { services.map(\.name) }

    /// The edges a service calls through.
    public func dependencies(of service: String) -> [Edge] {
        edges.filter { $0.from == service }
    }

    public func service(_ name: String) -> Service? {
        services.first { $0.name == name }
    }
}
