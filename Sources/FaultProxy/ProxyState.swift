import NIOCore
import NIOConcurrencyHelpers

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

/// A proxied connection wherever it is forwarded: on the fast path (a `FastConnection` on
/// its lane's thread), on the toxic chain (a `ProxyConnection` on its event loop), or on its
/// way from one to the other. Thread-safe: the proxy keeps these to notify and close its
/// connections.
final class ConnectionHandle: Sendable {
    enum Place: Sendable {
        case moving
        case fast(FastConnection)
        case chain(NIOLoopBound<ProxyConnection>)
    }

    private struct Location {
        var place = Place.moving
        /// Asked to close while moving: the next owner closes it at once.
        var closeRequested = false
        var isFinished = false
        /// `refreshed()` calls waiting for the connection to arrive on its new path.
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let location = NIOLockedValueBox(Location())
    private let closed: EventLoopPromise<Void>
    /// Runs once when the connection ends (the proxy forgets it).
    private let onFinished: @Sendable () -> Void

    init(eventLoop: EventLoop, onFinished: @escaping @Sendable () -> Void) {
        self.closed = eventLoop.makePromise()
        self.onFinished = onFinished
    }

    /// Completes when the connection has ended (on whichever path).
    var closeFuture: EventLoopFuture<Void> { self.closed.futureResult }

    var isOnFastPath: Bool {
        if case .fast = self.location.withLockedValue({ $0.place }) { return true }
        return false
    }

    /// The connection leaves its path; until `settle`, notifications wait for the new owner,
    /// which reads the newest toxics itself.
    func startMoving() {
        self.location.withLockedValue { $0.place = .moving }
    }

    /// The new owner took the connection. False if a close was asked meanwhile: the owner
    /// closes it now.
    func settle(_ place: Place) -> Bool {
        let (waiters, keep) = self.location.withLockedValue { location in
            location.place = place
            defer { location.waiters.removeAll() }
            return (location.waiters, !location.closeRequested)
        }
        waiters.forEach { $0.resume() }
        return keep
    }

    /// Makes the connection catch up with the proxy's published toxics (on a connection
    /// of the toxic chain with none left, that may take it back to the fast path).
    func refresh() {
        switch self.location.withLockedValue({ $0.place }) {
        case .moving:
            break
        case .fast(let connection):
            connection.lane.execute { connection.refresh() }
        case .chain(let connection):
            connection.eventLoop.execute {
                connection.value.refresh()
                connection.value.handBackIfIdle()
            }
        }
    }

    /// The connection of the toxic chain, if it is on it now.
    var chainConnection: NIOLoopBound<ProxyConnection>? {
        if case .chain(let connection) = self.location.withLockedValue({ $0.place }) { return connection }
        return nil
    }

    /// Like `refresh`, and returns once the connection has caught up (a barrier on its
    /// thread), wherever it is; a connection on its way between paths is waited for.
    func refreshed() async {
        while true {
            let current = self.location.withLockedValue { ($0.place, $0.isFinished) }
            if current.1 { return }
            switch current.0 {
            case .moving:
                await withCheckedContinuation { (arrived: CheckedContinuation<Void, Never>) in
                    let now = self.location.withLockedValue { location -> Bool in
                        guard case .moving = location.place, !location.isFinished else { return true }
                        location.waiters.append(arrived)
                        return false
                    }
                    if now { arrived.resume() }
                }
                continue
            case .fast(let connection):
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    connection.lane.execute {
                        connection.refresh()
                        done.resume()
                    }
                }
            case .chain(let connection):
                try? await connection.eventLoop.submit { connection.value.refresh() }.get()
            }
            // The refresh may have sent it on to the other path: catch up there too.
            if case .moving = self.location.withLockedValue({ $0.place }) { continue }
            return
        }
    }

    /// Closes the connection; completes when it has ended.
    func close() -> EventLoopFuture<Void> {
        let place = self.location.withLockedValue { location -> Place? in
            guard !location.isFinished else { return nil }
            if case .moving = location.place { location.closeRequested = true }
            return location.place
        }
        switch place {
        case .none, .moving:
            break
        case .fast(let connection):
            connection.lane.execute { connection.close() }
        case .chain(let connection):
            connection.eventLoop.execute { connection.value.close() }
        }
        return self.closed.futureResult
    }

    /// The connection ended: both sockets are closed.
    func finished() {
        let (first, waiters) = self.location.withLockedValue { location in
            defer {
                location.isFinished = true
                location.waiters.removeAll()
            }
            return (!location.isFinished, location.waiters)
        }
        waiters.forEach { $0.resume() }
        guard first else { return }
        self.onFinished()
        self.closed.succeed(())
    }
}
