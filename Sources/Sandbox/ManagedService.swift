/// The supervisor's record of one service; confined to the `Sandbox` actor.
final class ManagedService {
    enum State: String { case starting, running, restarting, stopped, failed, killed, paused }

    let name: String
    /// The path whose 200 means healthy.
    let healthPath: String
    /// Where a service the sandbox does not start is reached; nil for one it starts.
    let address: (host: String, port: Int)?
    let log = LogTail(capacity: 200)
    var child: ChildProcess?
    var generation = 0
    var state: State = .stopped
    var port: Int? { didSet { if let port { lastPort = port } } }
    var lastPort: Int?
    /// The port the sandbox gave its current process (`{port}`), before it is seen up.
    var assignedPort: Int?
    var restarts = 0
    var crashStreak = 0
    var startedAt: ContinuousClock.Instant?
    /// A kill fault is in force: when the process dies it stays down until released.
    var heldDown = false
    /// A pause fault is in force: the process is stopped (SIGSTOP).
    var paused = false
    /// The last answer to `GET /healthz`, of which child (generation), and when it came.
    var lastHealth: HealthReading?

    init(_ service: SandboxSystem.Service) {
        name = service.name
        healthPath = service.healthPath
        if case .address(let host, let port) = service.launch {
            address = (host, port)
        } else {
            address = nil
        }
    }

    /// The host it listens on: loopback for the services the sandbox starts.
    var host: String { address?.host ?? "127.0.0.1" }

    var url: String? { port.map { "http://\(host):\($0)" } }
}

/// One health check's result.
struct HealthReading {
    let healthy: Bool
    let generation: Int
    let at: ContinuousClock.Instant
}
