/// The supervisor's record of one service; confined to the `Sandbox` actor.
final class ManagedService {
    enum State: String { case starting, running, restarting, stopped, failed }

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

    init(name: String) { self.name = name }

    var url: String? { port.map { "http://127.0.0.1:\($0)" } }
}
