import NIOCore

/// Moving data: delivery to the partner, the delay-queue wake-up, reads under
/// backpressure, and the flush-then-half-close that keeps queued bytes.
extension GlueHandler {
    /// Applies the proxy's newest fault policy before this side handles anything, so what
    /// arrives after `addFault`/`removeFault` returned meets the new policy even when the
    /// connection's notification has not run yet. False if the connection closed (refuse,
    /// or a blackhole lifted after data was lost): drop what arrived.
    func catchUpWithFaults() -> Bool {
        guard let connection = self.connection else { return true }
        connection.refresh()
        return !connection.isClosed
    }

    /// The loop's clock (virtual on an `EmbeddedEventLoop`).
    var now: NIODeadline { self.eventLoop?.now ?? .now() }

    func perform(_ action: StreamStateMachine.Action) {
        switch action {
        case .deliver(let item):
            self.deliver([item], flush: false)
        case .discard:
            break
        case .hold:
            self.rearm()
        }
    }

    func deliver(_ items: [StreamStateMachine.Item], flush: Bool = true) {
        guard let partner = self.partner, !items.isEmpty else { return }
        for item in items {
            switch item {
            case .data(let buffer): partner.write(buffer)
            case .end: partner.shutDownOutput()
            }
        }
        if flush { partner.flush() }
    }

    /// Sets the wake-up for the head of the delay queue (the queue's due times never go down).
    func rearm() {
        guard let due = self.stream.nextDue else {
            self.cancelWakeUp()
            return
        }
        guard self.wakeUp == nil, let eventLoop = self.eventLoop else { return }
        self.wakeUp = eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.wakeUp = nil
            // A newer policy may flush the queue (latency removed) or discard it (blackhole).
            guard self.catchUpWithFaults() else { return }
            self.deliver(self.stream.takeDue(now: self.now))
            self.rearm()
            self.readIfAllowed()
        }
    }

    func readIfAllowed() {
        guard self.started, let context = self.context, self.stream.acceptsMore,
            self.partner?.isWritable ?? false
        else { return }
        context.read()
    }

    // MARK: Called by the partner

    var isWritable: Bool { self.context?.channel.isWritable ?? false }

    func write(_ buffer: ByteBuffer) {
        self.context?.write(Self.wrapOutboundOut(buffer), promise: nil)
    }

    func flush() {
        self.context?.flush()
    }

    /// Half-closes this channel's output once every queued write has gone out: NIO fails
    /// writes still pending when the output closes (or when it escalates to a full close
    /// because the input is shut too), so flush first and close on completion.
    func shutDownOutput() {
        guard !self.outputShutDown, let context = self.context else { return }
        self.outputShutDown = true
        let flushed = context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
        flushed.assumeIsolated().flatMap {
            context.close(mode: .output)
        }.whenComplete { _ in
            // Delivered, or this channel is gone: either way nothing more goes into it.
            self.connection?.directionFinished(into: self)
        }
    }
}
