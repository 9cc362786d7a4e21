import NIOCore

/// One proxied TCP connection: the client channel, its upstream channel and the two
/// `GlueHandler`s between them. Applies fault policies at connection level (refuse,
/// the end of a blackhole) and passes the rest to each direction. Confined to its event loop.
final class ProxyConnection {
    /// Reads from the client, writes upstream.
    let clientSide: GlueHandler
    /// Reads from the upstream, writes to the client.
    let upstreamSide: GlueHandler
    let clientChannel: Channel
    let upstreamChannel: Channel
    /// Where the proxy publishes its fault policy.
    private let policySource: PolicySource
    /// The snapshot this connection last applied.
    private var applied: PolicySnapshot
    /// The client's end of stream reached the upstream, or the upstream channel is gone.
    private var intoUpstreamDone = false
    /// The upstream's end of stream reached the client, or the client channel is gone.
    private var intoClientDone = false
    private(set) var isClosed = false

    /// Starts from the policy currently published in `policySource`. Both channels must
    /// live on the same event loop: the two handlers call each other directly.
    init(
        client: Channel,
        upstream: Channel,
        policySource: PolicySource,
        rng: inout SplitMix64
    ) {
        precondition(client.eventLoop === upstream.eventLoop, "a proxied connection's channels must share one event loop")
        let snapshot = policySource.current
        self.clientChannel = client
        self.upstreamChannel = upstream
        self.policySource = policySource
        self.applied = snapshot
        self.clientSide = GlueHandler(stream: StreamStateMachine(policy: snapshot.policy.upstream, rng: rng.split()))
        self.upstreamSide = GlueHandler(stream: StreamStateMachine(policy: snapshot.policy.downstream, rng: rng.split()))
        self.clientSide.partner = self.upstreamSide
        self.upstreamSide.partner = self.clientSide
        self.clientSide.connection = self
        self.upstreamSide.connection = self
    }

    /// Adds the handlers to both pipelines. Must run on the event loop.
    func install() throws {
        try self.upstreamChannel.pipeline.syncOperations.addHandler(self.upstreamSide)
        try self.clientChannel.pipeline.syncOperations.addHandler(self.clientSide)
        if self.clientChannel.isActive { self.channelBecameActive() }
    }

    /// Completes when both channels are closed.
    var closeFuture: EventLoopFuture<Void> {
        self.clientChannel.closeFuture.and(self.upstreamChannel.closeFuture).map { _ in }
    }

    /// The client channel is active (the upstream one already was): start reading both.
    func channelBecameActive() {
        guard !self.isClosed else { return }
        self.clientSide.start()
        self.upstreamSide.start()
    }

    /// Catches up with the policy the proxy published last. Each side calls this before it
    /// handles data, an end of stream or a delay-queue wake-up, and the proxy's notification
    /// calls it too: whichever runs first applies the change, the others find nothing new.
    func refresh() {
        self.apply(self.policySource.current)
    }

    /// Switches to a newer snapshot of the fault set; older or equal generations are ignored.
    func apply(_ snapshot: PolicySnapshot) {
        guard snapshot.generation > self.applied.generation, !self.isClosed else { return }
        let previous = self.applied
        self.applied = snapshot
        // Refuse turned on since the last snapshot (even if it is already off again).
        if snapshot.policy.refuse || snapshot.refusals > previous.refusals {
            self.close()
            return
        }
        // A blackhole was lifted since the last snapshot (even if one is on again): the byte
        // stream has a hole, and a client would wait forever for a swallowed answer.
        let lostData = self.clientSide.stream.lostData || self.upstreamSide.stream.lostData
        if lostData && snapshot.blackholeLifts > previous.blackholeLifts {
            self.close()
            return
        }
        self.clientSide.apply(snapshot.policy.upstream)
        self.upstreamSide.apply(snapshot.policy.downstream)
    }

    /// Nothing more will be written into `side`'s channel: its output was shut after
    /// every byte went out. When both directions are done, close.
    func directionFinished(into side: GlueHandler) {
        if side === self.clientSide { self.intoClientDone = true } else { self.intoUpstreamDone = true }
        if self.intoClientDone && self.intoUpstreamDone { self.close() }
    }

    /// `side`'s channel closed: nothing more can be written into it. What it read before
    /// still drains to its partner (the handler feeds its stream an end).
    func sideBecameInactive(_ side: GlueHandler) {
        self.directionFinished(into: side)
    }

    /// Closes both channels (idempotent).
    func close() {
        guard !self.isClosed else { return }
        self.isClosed = true
        self.clientSide.cancelWakeUp()
        self.upstreamSide.cancelWakeUp()
        self.clientChannel.close(promise: nil)
        self.upstreamChannel.close(promise: nil)
    }
}
