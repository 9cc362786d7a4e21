import NIOCore

/// Moving data: delivery to the partner, the chain's wake-up, reads under backpressure,
/// and the flush-then-half-close that keeps queued bytes.
extension GlueHandler {
    /// Applies the proxy's newest toxics before this side handles anything, so what
    /// arrives after a toxic call returned meets the new toxics even when the
    /// connection's notification has not run yet. False if the connection closed.
    func catchUpWithFaults() -> Bool {
        guard let connection = self.connection else { return true }
        connection.refresh()
        return !connection.isClosed
    }

    /// The loop's clock (virtual on an `EmbeddedEventLoop`).
    var now: NIODeadline { self.eventLoop?.now ?? .now() }

    /// Hands what the chain let out to the partner, in order. A close or a reset ends
    /// the connection, after the data before it was written (close) or at once (reset).
    func deliver(_ items: [ChainItem], flush: Bool = true) {
        guard let partner = self.partner, !items.isEmpty else { return }
        for item in items {
            switch item {
            case .data(let buffer):
                partner.write(buffer)
            case .end:
                partner.shutDownOutput()
            case .close:
                self.connection?.close(afterFlushing: partner)
                return
            case .reset:
                self.connection?.reset()
                return
            }
        }
        if flush { partner.flush() }
    }

    /// Sets the wake-up for the chain's earliest held item (due times never go down
    /// within a toxic, but a new toxic may hold something due sooner: then re-arm).
    func rearm() {
        guard let due = self.chain.nextDue else {
            self.cancelWakeUp()
            return
        }
        guard let eventLoop = self.eventLoop else { return }
        if let wakeUp = self.wakeUp {
            guard self.armedFor.map({ due < $0 }) ?? true else { return }
            wakeUp.cancel()
        }
        self.armedFor = due
        self.wakeUp = eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.wakeUp = nil
            self.armedFor = nil
            // A newer toxic set may flush what is held, or close the connection.
            guard self.catchUpWithFaults() else { return }
            self.deliver(self.chain.takeDue(now: self.now))
            self.rearm()
            self.readIfAllowed()
        }
    }

    func readIfAllowed() {
        guard self.started, !self.inputClosed, let context = self.context, self.chain.acceptsMore,
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

    /// Flushes every pending write; the future completes once they are out. Nil if the
    /// channel is gone.
    func flushAll() -> EventLoopFuture<Void>? {
        guard let context = self.context else { return nil }
        return context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
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
