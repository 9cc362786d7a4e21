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
    private var policy: FaultPolicy
    private var generation: UInt64
    /// The client's end of stream reached the upstream, or the upstream channel is gone.
    private var intoUpstreamDone = false
    /// The upstream's end of stream reached the client, or the client channel is gone.
    private var intoClientDone = false
    private(set) var isClosed = false

    init(
        client: Channel,
        upstream: Channel,
        policy: FaultPolicy,
        generation: UInt64,
        rng: inout SplitMix64
    ) {
        self.clientChannel = client
        self.upstreamChannel = upstream
        self.policy = policy
        self.generation = generation
        self.clientSide = GlueHandler(stream: StreamStateMachine(policy: policy.upstream, rng: rng.split()))
        self.upstreamSide = GlueHandler(stream: StreamStateMachine(policy: policy.downstream, rng: rng.split()))
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

    /// Switches to the policy of a newer fault set; stale generations are ignored.
    func apply(_ newPolicy: FaultPolicy, generation: UInt64) {
        guard generation > self.generation, !self.isClosed else { return }
        let old = self.policy
        self.policy = newPolicy
        self.generation = generation
        if newPolicy.refuse {
            self.close()
            return
        }
        let lostData = self.clientSide.stream.lostData || self.upstreamSide.stream.lostData
        if old.blackhole && !newPolicy.blackhole && lostData {
            // The byte stream has a hole: a client would wait forever for a swallowed answer.
            self.close()
            return
        }
        self.clientSide.apply(newPolicy.upstream)
        self.upstreamSide.apply(newPolicy.downstream)
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
