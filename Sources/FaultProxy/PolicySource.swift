import NIOConcurrencyHelpers

/// The proxy's fault set as its connections see it, at one generation.
///
/// Besides the folded policy it counts the transitions a connection must not miss even
/// when it only catches up after several changes: refuse turning on (open connections
/// close) and the blackhole being lifted (connections that lost data close).
struct PolicySnapshot: Equatable, Sendable {
    var policy: FaultPolicy
    /// Bumped on every change of the fault set; a connection ignores snapshots older than its own.
    var generation: UInt64
    /// How many times refuse turned on.
    var refusals: UInt64
    /// How many times the blackhole was lifted.
    var blackholeLifts: UInt64

    init(policy: FaultPolicy = .passThrough, generation: UInt64 = 0, refusals: UInt64 = 0, blackholeLifts: UInt64 = 0) {
        self.policy = policy
        self.generation = generation
        self.refusals = refusals
        self.blackholeLifts = blackholeLifts
    }

    /// The snapshot after the fault set changed to one folding into `policy`.
    func next(_ policy: FaultPolicy) -> PolicySnapshot {
        var next = self
        next.generation += 1
        if policy.refuse && !self.policy.refuse { next.refusals += 1 }
        if self.policy.blackhole && !policy.blackhole { next.blackholeLifts += 1 }
        next.policy = policy
        return next
    }
}

/// Where a proxy publishes its current `PolicySnapshot`, shared with all its connections.
///
/// `FaultProxy` publishes under its own lock before `addFault`/`removeFault` return (so
/// generations only go up); each connection reads it whenever it handles data, so bytes
/// that arrive after a change always meet the new policy, even if the connection's
/// notification (an event-loop task, which NIO runs after pending I/O) has not run yet.
/// Lock order: the proxy's lock, then this one; connections take only this one.
final class PolicySource: Sendable {
    private let box: NIOLockedValueBox<PolicySnapshot>

    init(_ snapshot: PolicySnapshot = PolicySnapshot()) {
        self.box = NIOLockedValueBox(snapshot)
    }

    init(policy: FaultPolicy) {
        self.box = NIOLockedValueBox(PolicySnapshot(policy: policy))
    }

    var current: PolicySnapshot {
        self.box.withLockedValue { $0 }
    }

    /// Publishes the next generation. Callers serialize (the proxy holds its lock).
    @discardableResult
    func publish(_ policy: FaultPolicy) -> PolicySnapshot {
        self.box.withLockedValue { snapshot in
            snapshot = snapshot.next(policy)
            return snapshot
        }
    }
}
