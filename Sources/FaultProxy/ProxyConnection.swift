import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One proxied TCP connection: the client channel, its upstream channel and the two
/// `GlueHandler`s between them, each running the toxic chain of its direction. Applies
/// what concerns the whole connection (the proxy going down, a removed timeout, a close
/// or a reset let out by a toxic). Confined to its event loop.
final class ProxyConnection {
    /// Reads from the client, writes upstream: the `upstream` toxics.
    let clientSide: GlueHandler
    /// Reads from the upstream, writes to the client: the `downstream` toxics.
    let upstreamSide: GlueHandler
    let clientChannel: Channel
    let upstreamChannel: Channel
    /// Where the proxy publishes its toxics.
    private let policySource: PolicySource
    /// The snapshot this connection last applied.
    private var applied: PolicySnapshot
    /// The client's end of stream reached the upstream, or the upstream channel is gone.
    private var intoUpstreamDone = false
    /// The upstream's end of stream reached the client, or the client channel is gone.
    private var intoClientDone = false
    private(set) var isClosed = false
    /// A reset is under way: the sockets close as soon as SO_LINGER is set.
    private var resetting = false
    /// How the proxy knows the connection, and where it goes once no toxic is left (the fast
    /// path); nil for a connection that stays on the toxic chain (tests of the chain alone).
    private let handle: ConnectionHandle?
    private let handBack: (@Sendable (Handover, ConnectionHandle) -> Void)?
    /// What the fast path passed on: bytes to write first, directions already ended.
    private var carried: Handover?
    /// The sockets went back to the fast path: the channels closed, the connection did not.
    private var handedBack = false

    /// Starts with the toxics currently published in `policySource`. Both channels must
    /// live on the same event loop: the two handlers call each other directly.
    init(
        client: Channel, upstream: Channel, policySource: PolicySource, stats: ProxyStats, rng: inout SplitMix64,
        handle: ConnectionHandle? = nil, carried: Handover? = nil,
        handBack: (@Sendable (Handover, ConnectionHandle) -> Void)? = nil
    ) {
        precondition(client.eventLoop === upstream.eventLoop, "a proxied connection's channels must share one event loop")
        self.handle = handle
        self.carried = carried
        self.handBack = handBack
        self.clientChannel = client
        self.upstreamChannel = upstream
        self.policySource = policySource
        self.applied = PolicySnapshot()
        self.clientSide = GlueHandler(chain: ToxicChain(rng: rng.split()), stats: stats, direction: .upstream)
        self.upstreamSide = GlueHandler(chain: ToxicChain(rng: rng.split()), stats: stats, direction: .downstream)
        self.clientSide.partner = self.upstreamSide
        self.upstreamSide.partner = self.clientSide
        self.clientSide.connection = self
        self.upstreamSide.connection = self
        let snapshot = policySource.current
        self.applied.generation = snapshot.generation
        self.applied.downs = snapshot.downs
        let now = client.eventLoop.now
        _ = self.clientSide.chain.reconfigure(to: snapshot.settings(for: .upstream), now: now)
        _ = self.upstreamSide.chain.reconfigure(to: snapshot.settings(for: .downstream), now: now)
    }

    /// Adds the handlers to both pipelines. Must run on the event loop.
    func install() throws {
        try self.upstreamChannel.pipeline.syncOperations.addHandler(self.upstreamSide)
        try self.clientChannel.pipeline.syncOperations.addHandler(self.clientSide)
        self.clientSide.rearm()
        self.upstreamSide.rearm()
        // The connection and its handlers hold each other strongly while it lives; once both
        // channels are closed no event reaches the handlers any more, and the cycle is broken.
        self.closeFuture.assumeIsolated().whenComplete { _ in
            for side in [self.clientSide, self.upstreamSide] {
                side.partner = nil
                side.connection = nil
            }
            if !self.handedBack { self.handle?.finished() }
        }
        if let carried = self.carried {
            self.carried = nil
            self.takeOver(carried.upstreamFlow, from: self.clientSide, into: self.upstreamSide)
            self.takeOver(carried.downstreamFlow, from: self.upstreamSide, into: self.clientSide)
        }
        if self.clientChannel.isActive { self.channelBecameActive() }
    }

    /// One direction as the fast path left it: what it read but had not written goes out
    /// first, before anything the chain lets through; an end it read stays read.
    private func takeOver(_ flow: FlowState, from source: GlueHandler, into target: GlueHandler) {
        if !flow.pending.isEmpty {
            target.write(ByteBuffer(bytes: flow.pending))
            target.flush()
        }
        guard flow.ended else { return }
        source.inputClosed = true
        if flow.shut {
            target.outputShutDown = true
            self.directionFinished(into: target)
        } else {
            target.shutDownOutput()
        }
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

    /// Catches up with the toxics the proxy published last. Each side calls this before it
    /// handles data, an end of stream or a wake-up, and the proxy's notification calls it
    /// too: whichever runs first applies the change, the others find nothing new.
    func refresh() {
        guard self.policySource.hasNews(since: self.applied.generation) else { return }
        self.apply(self.policySource.current)
    }

    /// Switches to a newer snapshot; older or equal generations are ignored.
    func apply(_ snapshot: PolicySnapshot) {
        guard snapshot.generation > self.applied.generation, !self.isClosed else { return }
        let previous = self.applied
        self.applied = snapshot
        // The proxy went down since the last snapshot (even if it is up again).
        if snapshot.downs > previous.downs {
            self.close()
            return
        }
        let closeUp = self.clientSide.reconfigure(to: snapshot.settings(for: .upstream))
        let closeDown = self.upstreamSide.reconfigure(to: snapshot.settings(for: .downstream))
        if closeUp || closeDown { self.close() }
    }

    /// Nothing more will be written into `side`'s channel: its output was shut after
    /// every byte went out. When both directions are done, close.
    func directionFinished(into side: GlueHandler) {
        if side === self.clientSide { self.intoClientDone = true } else { self.intoUpstreamDone = true }
        if self.intoClientDone && self.intoUpstreamDone { self.close() }
    }

    /// `side`'s channel closed: nothing more can be written into it. What it read before
    /// still drains to its partner (the handler feeds its chain an end).
    func sideBecameInactive(_ side: GlueHandler) {
        self.directionFinished(into: side)
    }

    /// A toxic let out a close: write out what `side` was given, then close both channels.
    func close(afterFlushing side: GlueHandler) {
        guard !self.isClosed else { return }
        guard let flushed = side.flushAll() else { return self.close() }
        flushed.assumeIsolated().whenComplete { _ in self.close() }
    }

    /// A toxic let out a reset: close both sockets with an RST (SO_LINGER 0), so each peer
    /// reads "connection reset by peer" and unsent data is dropped.
    func reset() {
        guard !self.isClosed, !self.resetting else { return }
        self.resetting = true
        let noLinger = linger(l_onoff: 1, l_linger: 0)
        let set = [self.clientChannel, self.upstreamChannel].map { channel in
            (channel as? SocketOptionProvider)?.setSoLinger(noLinger) ?? channel.eventLoop.makeSucceededVoidFuture()
        }
        EventLoopFuture.andAllComplete(set, on: self.clientChannel.eventLoop).assumeIsolated().whenComplete { _ in
            self.close()
        }
    }

    /// With no toxic left that can act (none, or only `toxicity: 0`) and nothing held, gives
    /// both sockets back to the fast path: NIO closes its descriptors, duplicates keep the
    /// sockets open. Runs as an event-loop task (never inside a read, whose bytes would be
    /// dropped). Directions already ended stay on the chain until the connection closes.
    func handBackIfIdle() {
        guard let handBack = self.handBack, let handle = self.handle, !self.isClosed, !self.resetting,
            !self.applied.needsChain, self.clientSide.isIdleOpen, self.upstreamSide.isIdleOpen
        else { return }
        for (channel, side) in [(self.clientChannel, self.clientSide), (self.upstreamChannel, self.upstreamSide)]
        where ((try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 1) > 0 {
            // NIO still holds writes for this channel: once they are out, try again.
            side.flushAll()?.assumeIsolated().whenComplete { _ in
                self.clientChannel.eventLoop.assumeIsolated().execute { self.handBackIfIdle() }
            }
            return
        }
        guard let client = duplicateSocket(of: self.clientChannel) else { return }
        guard let upstream = duplicateSocket(of: self.upstreamChannel) else {
            _ = closeDescriptor(client)
            return
        }
        self.handedBack = true
        handle.startMoving()
        self.close()
        handBack(Handover(client: client, upstream: upstream), handle)
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
