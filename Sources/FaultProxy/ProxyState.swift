import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything a `FaultProxy` shares across threads; always accessed under its lock.
struct ProxyState {
    enum Phase {
        /// Not started yet.
        case idle
        /// Listening.
        case running(Channel)
        /// Started, but down: no listener (connections are refused), none open.
        case down
        /// A listener is being bound (start, or coming back up).
        case binding
        /// Stopped for good.
        case stopped
    }

    var phase: Phase = .idle
    var listenHost: String
    var listenPort: Int
    var upstream: (host: String, port: Int)?
    /// Toxics in force in the order they were added.
    var toxics: [ActiveToxic] = []
    /// Version of each toxic, bumped on update, so connections see the change.
    var versions: [String: UInt64] = [:]
    var nextVersion: UInt64 = 1
    /// What each toxic met, by toxic name; kept after removal, so that an experiment can read
    /// what its fault touched once it is off (a name added again starts afresh).
    var tallies: [String: ToxicTally] = [:]
    /// TTL timers of toxics, by toxic name.
    var expiryTimers: [String: Scheduled<Void>] = [:]
    /// TTL timers of refuse faults, by fault id.
    var refusalTimers: [String: Scheduled<Void>] = [:]
    /// Lab `refuse` faults in force, by id: the proxy is down while any is.
    var refusals: [String: ActiveFault] = [:]
    /// Disabled through the Toxiproxy API (`enabled: false`), and since when.
    var disabled = false
    var disabledAt: Date?
    /// The kind of each lab fault made of toxics, by fault id ("blackhole-1": .blackhole).
    var faultKinds: [String: FaultKind] = [:]
    /// Last number used in lab fault ids, per type ("blackhole-3").
    var faultCounters: [String: Int] = [:]
    /// The toxics as published to connections on every change.
    let policySource = PolicySource()
    var connections: [Int: ConnectionHandle] = [:]
    var nextConnectionID = 0
    var rng: SplitMix64

    init(listenHost: String, listenPort: Int, upstream: (host: String, port: Int)?, seed: UInt64) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.upstream = upstream
        self.rng = SplitMix64(seed: seed)
    }

    /// Whether the proxy should be listening: not disabled, and no refuse fault in force.
    var wantsUp: Bool { !self.disabled && self.refusals.isEmpty }

    var isStopped: Bool {
        if case .stopped = self.phase { return true }
        return false
    }

    var isListening: Bool {
        if case .running = self.phase { return true }
        return false
    }

    var settings: [ToxicSetting] {
        self.toxics.map { ToxicSetting(toxic: $0.toxic, version: self.versions[$0.toxic.name] ?? 0, tally: self.tallies[$0.toxic.name]) }
    }

    /// Records a change of the toxics (or the proxy going down): publishes at once
    /// (connections check whenever they handle data) and returns the notification for
    /// idle connections.
    mutating func toxicsChanged(wentDown: Bool = false) -> PolicyUpdate {
        self.policySource.publish(toxics: self.settings, wentDown: wentDown)
        return PolicyUpdate(connections: Array(self.connections.values))
    }
}

/// Tells open connections, each on its own event loop, to catch up with the published
/// toxics: needed for connections that handle no data (going down closes them, removing
/// a latency flushes what it held, removing a timeout closes them).
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

    /// Makes the connection catch up with the proxy's published toxics.
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
