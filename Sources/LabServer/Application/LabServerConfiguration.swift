import Foundation
import LabDomain
import LabEngine
import Sandbox

/// Where the lab server listens, keeps its data and finds its labs.
public struct LabServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Folder of the SQLite store (`chaoslab.sqlite`).
    public var dataDirectory: URL
    /// Folder of the lab files (`*.yaml`).
    public var labsDirectory: URL
    /// The system under test; labs are checked against it, and every sandbox (each team's too) runs it.
    public var system: SystemDescription {
        didSet { sandbox.system = SandboxSystem(system) }
    }
    /// How sandboxes run; its `system` follows `system`.
    public var sandbox: SandboxConfiguration
    /// Toxics created through the Toxiproxy API are removed after this long; nil keeps
    /// them until removed, as Toxiproxy does.
    public var maxFaultTTL: Duration?
    /// Let Toxiproxy clients create proxies that listen on, or forward to, addresses
    /// other than loopback. Off by default: the lab server must not become an open relay.
    public var allowNonLoopbackProxies = false
    /// Seeds every proxy's random draws (toxicity, jitter, slice sizes); nil: random.
    public var seed: UInt64?
    /// Group mode (`chaoslab start --facilitator`): a facilitator token, teams, each with
    /// its own sandbox. Off: one learner, one sandbox, no tokens.
    public var facilitator = false
    /// The host put in the URLs handed to teams (`api_base`); nil: `host`, or 127.0.0.1
    /// when `host` is a wildcard (0.0.0.0, ::).
    public var publicHost: String?
    /// How many teams a group server holds at most.
    public var maxTeams = 50
    /// A team's sandbox is refused (503) when the machine has less memory available than
    /// this (MemAvailable, in MiB): the services would otherwise start and be killed later.
    public var minFreeMemoryMiB = 256
    /// The monitoring stack (Prometheus and Alertmanager) to start beside the shop; nil: none
    /// (`--no-monitoring`), and status checks that need it are inconclusive.
    public var monitoring: MonitoringStack.Configuration?

    /// The host clients use to reach this server.
    public var advertisedHost: String {
        if let publicHost { return publicHost }
        return host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
    }

    public init(host: String = "127.0.0.1", port: Int = 8474, dataDirectory: URL, labsDirectory: URL,
                system: SystemDescription = .demoShop, sandbox: SandboxConfiguration? = nil) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.labsDirectory = labsDirectory
        self.system = system
        var sandbox = sandbox ?? SandboxConfiguration(system: SandboxSystem(system))
        sandbox.system = SandboxSystem(system)
        self.sandbox = sandbox
    }

    /// `$XDG_DATA_HOME/chaoslab`, or `~/.local/share/chaoslab`.
    public static var defaultDataDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("chaoslab")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/chaoslab")
    }
}
