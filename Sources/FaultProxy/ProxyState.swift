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
    /// Bumped on every change of `faults`; connections ignore policies older than theirs.
    var generation: UInt64 = 0
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

    /// Records a change of the fault set; returns what open connections must be told.
    mutating func faultsChanged() -> PolicyUpdate {
        self.generation += 1
        return PolicyUpdate(policy: self.policy, generation: self.generation, connections: Array(self.connections.values))
    }
}

/// A new policy to hand to open connections, each on its own event loop.
struct PolicyUpdate: Sendable {
    let policy: FaultPolicy
    let generation: UInt64
    let connections: [ConnectionHandle]

    func send() {
        for connection in self.connections {
            connection.apply(self.policy, generation: self.generation)
        }
    }
}

/// A thread-safe reference to a `ProxyConnection` living on its event loop.
struct ConnectionHandle: Sendable {
    let connection: NIOLoopBound<ProxyConnection>

    func apply(_ policy: FaultPolicy, generation: UInt64) {
        let connection = self.connection
        connection.eventLoop.execute {
            connection.value.apply(policy, generation: generation)
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
