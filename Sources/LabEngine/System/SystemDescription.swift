import Foundation

/// SystemDescription is one system file (`chaoslab.yaml`): the services of a system under test,
/// how each is started or reached, the dependency edges between them (each gets a fault proxy),
/// the journeys a customer takes and the diagram the team believes in. The demo shop is one
/// (`demo-services/system/shop.yaml`); `chaoslab start --system FILE` runs any other the same way.
/// Build it with `SystemLoader`, which validates everything first.
public struct SystemDescription: Sendable, Equatable {
    /// Kebab-case: "shop", "bookshop". Labs name it in their `system:` field.
    public var name: String
    public var title: String
    public var summary: String
    /// The services, in file order.
    public var services: [Service]
    public var edges: [EdgeID]
    /// Journeys by name; a lab that declares none of its own uses these.
    public var journeys: [String: Journey]
    /// The claimed diagram; a lab that declares no architecture uses it.
    public var architecture: [ClaimedEdge]
    /// The folder of the system file: commands run there unless they say otherwise, and `{dir}` names it.
    public var directory: URL

    public init(name: String, title: String, summary: String = "", services: [Service], edges: [EdgeID],
                journeys: [String: Journey] = [:], architecture: [ClaimedEdge] = [], directory: URL) {
        self.name = name
        self.title = title
        self.summary = summary
        self.services = services
        self.edges = edges
        self.journeys = journeys
        self.architecture = architecture
        self.directory = directory
    }

    /// One service of the system.
    public struct Service: Sendable, Equatable {
        public var name: String
        public var launch: Launch
        /// The path chaoslab asks for `200` to call the service healthy ("/healthz").
        public var health: String
        /// The path of its Prometheus metrics, scraped by the lab's Prometheus; nil: it has none.
        public var metrics: String?
        /// The knobs a lab's fix may set (`PUT /admin/config` on the service, `DELETE` to reset), and what each takes.
        public var knobs: [String: SystemTopology.KnobKind]
        /// It serves chaoslab's in-process faults (`PUT`/`DELETE /admin/faults/KIND`: cpu, memory,
        /// errors, empty), as the demo services do; without them only kill and pause reach it.
        public var serviceFaults: Bool

        public init(name: String, launch: Launch, health: String = "/healthz", metrics: String? = nil,
                    knobs: [String: SystemTopology.KnobKind] = [:], serviceFaults: Bool = false) {
            self.name = name
            self.launch = launch
            self.health = health
            self.metrics = metrics
            self.knobs = knobs
            self.serviceFaults = serviceFaults
        }
    }

    /// How a service comes to run.
    public enum Launch: Sendable, Equatable {
        /// chaoslab starts it: the program and its arguments (placeholders still in them), the folder
        /// it runs in (relative to the system file's) and extra environment.
        case command(arguments: [String], directory: String?, environment: [String: String])
        /// Something already running at this address (`127.0.0.1:9000`): chaoslab puts proxies in
        /// front of it but cannot start, kill or pause it, nor tell it where its dependencies are.
        case address(host: String, port: Int)
    }

    /// What labs are checked against: the services, the edges and the knobs.
    public var topology: SystemTopology {
        SystemTopology(services: services.map(\.name), edges: edges,
                       knobs: Dictionary(uniqueKeysWithValues: services.filter { !$0.knobs.isEmpty }.map { ($0.name, $0.knobs) }),
                       processes: Set(services.filter { if case .command = $0.launch { true } else { false } }.map(\.name)),
                       inProcessFaults: Set(services.filter(\.serviceFaults).map(\.name)))
    }

    /// The service with this name, if the system has one.
    public func service(_ name: String) -> Service? {
        services.first { $0.name == name }
    }

    /// The placeholders a command may use, with what each stands for (for messages and the docs).
    public static let placeholders: [(name: String, meaning: String)] = [
        ("{port}", "the port chaoslab chose for this service: listen on it (127.0.0.1)"),
        ("{url.NAME}", "http://127.0.0.1:PORT of the fault proxy in front of dependency NAME"),
        ("{address.NAME}", "127.0.0.1:PORT of that proxy"),
        ("{port.NAME}", "PORT of that proxy"),
        ("{dir}", "the system file's folder"),
        ("{bin}", "the folder of chaoslab's own executables (the demo shop's services)"),
    ]
}
