/// The supervisor's record of one service; confined to the `Sandbox` actor.
final class ManagedService {
    enum State: String { case starting, running, restarting, stopped, failed, killed, paused }

    let name: String
    let log = LogTail(capacity: 200)
    var child: ChildProcess?
    var generation = 0
    var state: State = .stopped
    var port: Int? { didSet { if let port { lastPort = port } } }
    var lastPort: Int?
    var restarts = 0
    var crashStreak = 0
    var startedAt: ContinuousClock.Instant?
    /// A kill fault is in force: when the process dies it stays down until released.
    var heldDown = false
    /// A pause fault is in force: the process is stopped (SIGSTOP).
    var paused = false
    /// The last answer to `GET /healthz`, of which child (generation), and when it came.
    var lastHealth: HealthReading?

    init(name: String) { self.name = name }

    var url: String? { port.map { "http://127.0.0.1:\($0)" } }
}

/// One health check's result.
struct HealthReading {
    let healthy: Bool
    let generation: Int
    let at: ContinuousClock.Instant
}
