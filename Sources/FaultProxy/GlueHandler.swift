import NIOCore

/// GlueHandler sits in one channel of a proxied connection and moves what that channel
/// reads to its partner, through a `StreamStateMachine` that applies the faults.
///
/// Backpressure: the channel runs with autoRead off and reads only while the partner is
/// writable and the delay queue has room. Half-close is passed through after every
/// queued byte has been written. Confined to its event loop.
final class GlueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    weak var partner: GlueHandler?
    weak var connection: ProxyConnection?
    var stream: StreamStateMachine
    var context: ChannelHandlerContext?
    /// Kept after removal: queued data still drains to the partner once this channel closed.
    var eventLoop: EventLoop?
    var started = false
    var wakeUp: Scheduled<Void>?
    var outputShutDown = false

    init(stream: StreamStateMachine) {
        self.stream = stream
    }

    // MARK: Driven by the connection

    /// Begins reading; called once both channels are ready.
    func start() {
        self.started = true
        self.readIfAllowed()
    }

    /// Switches this direction to a new policy, delivering or discarding queued items.
    func apply(_ policy: StreamPolicy) {
        let items = self.stream.apply(policy)
        self.deliver(items)
        self.rearm()
        self.readIfAllowed()
    }

    func cancelWakeUp() {
        self.wakeUp?.cancel()
        self.wakeUp = nil
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
        guard self.catchUpWithFaults() else { return }  // closed by refuse or a lifted blackhole
        self.perform(self.stream.receive(buffer, now: self.now))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.flush()
        self.readIfAllowed()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent {
            guard self.catchUpWithFaults() else { return }
            self.perform(self.stream.receiveEnd(now: self.now))
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
        if !self.stream.inputClosed {
            self.perform(self.stream.receiveEnd(now: self.now))
        }
        connection.sideBecameInactive(self)
        context.fireChannelInactive()
    }
}
