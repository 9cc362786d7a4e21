import NIOCore

/// Everything a `FaultProxy` shares across threads; always accessed under its lock.
struct ProxyState {
    enum Phase {
        case idle
        case running(Channel)
        case stopped
    }

    var phase: Phase = .idle
    var boundPort: Int?
    var upstream: (host: String, port: Int)?
    /// Active faults in the order they were applied.
    var faults: [ActiveFault] = []
    /// TTL timers by fault id.
    var expiryTimers: [String: Scheduled<Void>] = [:]
    /// Last number used in ids, per fault name ("blackhole-3").
    var faultCounters: [String: Int] = [:]
    /// The policy of `faults`, published to connections on every change of `faults`.
    let policySource = PolicySource()
    var connections: [Int: ConnectionHandle] = [:]
    var nextConnectionID = 0
    var rng: SplitMix64

    init(upstream: (host: String, port: Int)?, seed: UInt64) {
        self.upstream = upstream
        self.rng = SplitMix64(seed: seed)
    }

    var policy: FaultPolicy { FaultPolicy(faults: self.faults) }

    var isStopped: Bool {
        if case .stopped = self.phase { return true }
        return false
    }

    /// Records a change of the fault set: publishes the new policy at once (connections read
    /// it whenever they handle data) and returns the notification for idle connections.
    mutating func faultsChanged() -> PolicyUpdate {
        self.policySource.publish(self.policy)
        return PolicyUpdate(connections: Array(self.connections.values))
    }
}

/// Tells open connections, each on its own event loop, to catch up with the published
/// policy: needed for connections that handle no data (refuse must close them, lifting a
/// blackhole must close those that lost data, removing a latency must flush its queue).
/// Idempotent and order-free: each connection reads the newest snapshot itself.
struct PolicyUpdate: Sendable {
    let connections: [ConnectionHandle]

    func send() {
        for connection in self.connections {
            connection.refresh()
        }
    }
}

/// A thread-safe reference to a `ProxyConnection` living on its event loop.
struct ConnectionHandle: Sendable {
    let connection: NIOLoopBound<ProxyConnection>

    /// Makes the connection catch up with the proxy's published policy.
    func refresh() {
        let connection = self.connection
        connection.eventLoop.execute {
            connection.value.refresh()
        }
    }

    /// Closes the connection; completes when both its channels are closed.
    func close() -> EventLoopFuture<Void> {
        let connection = self.connection
        return connection.eventLoop.flatSubmit {
            connection.value.close()
            return connection.value.closeFuture
        }
    }
}
