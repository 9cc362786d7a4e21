import NIOCore
import Synchronization

/// GlueHandler sits in one channel of a proxied connection and moves what that channel
/// reads to its partner, through the `ToxicChain` of that direction.
///
/// With no toxic, a chunk is written to the partner as it is: the proxy pays nothing for
/// the toxic machinery. Backpressure: the channel runs with autoRead off and reads only
/// while the partner is writable and the chain has room. Half-close is passed through
/// after every queued byte has been written. Confined to its event loop.
final class GlueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Strong, not weak: read on every chunk, where a weak load costs an atomic operation and a
    /// retain. `ProxyConnection` breaks these cycles once both channels are closed.
    var partner: GlueHandler?
    var connection: ProxyConnection?
    var chain: ToxicChain
    /// The proxy's counters, and which direction this side's reads count for.
    let stats: ProxyStats
    let direction: ToxicStream
    var context: ChannelHandlerContext?
    /// Kept after removal: queued data still drains to the partner once this channel closed.
    var eventLoop: EventLoop?
    var started = false
    var inputClosed = false
    var wakeUp: Scheduled<Void>?
    /// When `wakeUp` fires.
    var armedFor: NIODeadline?
    var outputShutDown = false

    init(chain: ToxicChain, stats: ProxyStats, direction: ToxicStream) {
        self.chain = chain
        self.stats = stats
        self.direction = direction
    }

    // MARK: Driven by the connection

    /// Begins reading; called once both channels are ready.
    func start() {
        self.started = true
        self.readIfAllowed()
    }

    /// Switches this direction to the proxy's current toxics. True if the connection
    /// must close (a timeout toxic was removed).
    func reconfigure(to settings: [ToxicSetting]) -> Bool {
        let (output, close) = self.chain.reconfigure(to: settings, now: self.now)
        self.deliver(output)
        self.rearm()
        self.readIfAllowed()
        return close
    }

    /// No toxic acts or holds anything, both ways are open, the handler is in place: the
    /// socket may go back to the fast path.
    var isIdleOpen: Bool {
        self.chain.isIdle && self.wakeUp == nil && !self.inputClosed && !self.outputShutDown && self.context != nil
    }

    func cancelWakeUp() {
        self.wakeUp?.cancel()
        self.wakeUp = nil
        self.armedFor = nil
    }

    // MARK: Inbound events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.eventLoop = context.eventLoop
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.connection?.channelBecameActive()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        guard self.catchUpWithFaults() else { return }  // closed: the proxy went down
        switch self.direction {
        case .upstream: self.stats.bytesUpstream.add(buffer.readableBytes, ordering: .relaxed)
        case .downstream: self.stats.bytesDownstream.add(buffer.readableBytes, ordering: .relaxed)
        }
        if self.chain.isIdle {
            self.partner?.write(buffer)
            return
        }
        self.deliver(self.chain.receive(.data(buffer), now: self.now), flush: false)
        self.rearm()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.flush()
        self.readIfAllowed()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent {
            // Already ended when the connection came from the fast path.
            guard !self.inputClosed, self.catchUpWithFaults() else { return }
            self.receiveEnd()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.partner?.readIfAllowed()
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        self.connection?.close()
    }

    /// NIO closes a channel fully, without an `inputClosed` event, when EOF arrives after
    /// its output was shut. Treat that as the end of this side's stream: what was read still
    /// goes to the partner, then the end.
    func channelInactive(context: ChannelHandlerContext) {
        self.connection?.refresh()
        guard let connection = self.connection, !connection.isClosed else {
            context.fireChannelInactive()
            return
        }
        if !self.inputClosed {
            self.receiveEnd()
        }
        connection.sideBecameInactive(self)
        context.fireChannelInactive()
    }

    /// The source half-closed: the end goes through the chain after what came before.
    private func receiveEnd() {
        self.inputClosed = true
        self.deliver(self.chain.receive(.end, now: self.now))
        self.rearm()
    }
}
