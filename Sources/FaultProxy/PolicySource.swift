import NIOConcurrencyHelpers
import Synchronization

/// The proxy's toxics as its connections see them, at one generation.
struct PolicySnapshot: Equatable, Sendable {
    /// Bumped on every change; a connection ignores snapshots not newer than its own.
    var generation: UInt64 = 0
    /// The toxics in force, in the order they were added.
    var toxics: [ToxicSetting] = []
    /// How many times the proxy went down: connections open at that moment close.
    var downs: UInt64 = 0

    /// Whether a connection needs the toxic chain: some toxic may act on it. A toxic with
    /// `toxicity: 0` never does (its draw always leaves it out), so it keeps connections on
    /// the fast path, as if it were not there.
    var needsChain: Bool {
        self.toxics.contains { $0.toxic.toxicity > 0 }
    }

    /// The toxics acting on one direction.
    func settings(for stream: ToxicStream) -> [ToxicSetting] {
        self.toxics.filter { $0.toxic.stream == stream }
    }
}

/// Where a proxy publishes its current `PolicySnapshot`, shared with all its connections.
///
/// `FaultProxy` publishes under its own lock before a toxic call returns (so generations
/// only go up); each connection checks it whenever it handles data, so bytes that arrive
/// after a change always meet the new toxics, even if the connection's notification (an
/// event-loop task, which NIO runs after pending I/O) has not run yet. The check is one
/// atomic load; the lock is taken only when something changed.
/// Lock order: the proxy's lock, then this one; connections take only this one.
final class PolicySource: Sendable {
    private let box = NIOLockedValueBox(PolicySnapshot())
    private let generation = Atomic<UInt64>(0)

    init() {}

    var current: PolicySnapshot {
        self.box.withLockedValue { $0 }
    }

    /// Whether a snapshot newer than `generation` was published.
    func hasNews(since generation: UInt64) -> Bool {
        self.generation.load(ordering: .acquiring) > generation
    }

    /// Publishes the next generation. Callers serialize (the proxy holds its lock).
    @discardableResult
    func publish(toxics: [ToxicSetting], wentDown: Bool = false) -> PolicySnapshot {
        self.box.withLockedValue { snapshot in
            snapshot.generation += 1
            snapshot.toxics = toxics
            if wentDown { snapshot.downs += 1 }
            self.generation.store(snapshot.generation, ordering: .releasing)
            return snapshot
        }
    }
}

/// Counters of one proxy's traffic, for `/metrics`. Updated without locks.
public final class ProxyStats: Sendable {
    let connectionsTotal = Atomic<Int>(0)
    /// Client connections accepted, before the upstream is connected (which may fail).
    let connectionsAccepted = Atomic<Int>(0)
    let bytesUpstream = Atomic<Int>(0)
    let bytesDownstream = Atomic<Int>(0)

    init() {}

    /// Connections accepted and proxied since the proxy was made.
    public var totalConnections: Int { self.connectionsTotal.load(ordering: .relaxed) }
    /// Bytes read from clients and sent towards the upstream.
    public var upstreamBytes: Int { self.bytesUpstream.load(ordering: .relaxed) }
    /// Bytes read from the upstream and sent towards clients.
    public var downstreamBytes: Int { self.bytesDownstream.load(ordering: .relaxed) }
}
