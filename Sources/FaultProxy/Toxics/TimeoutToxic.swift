import NIOCore

/// Toxiproxy's `timeout`: no data gets through, and the connection is closed once
/// `timeout` has passed without data arriving (each dropped chunk restarts the timer, as
/// Toxiproxy's loop does), or never when `timeout` is 0. An end of stream closes at once.
/// Removing the toxic closes the connection too (its byte stream has a hole a client
/// would wait on forever).
struct TimeoutToxic: ToxicBehavior {
    let timeout: TimeAmount

    func start(now: NIODeadline) -> [Emission] {
        self.closeAfterTimeout(now: now)
    }

    func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        switch item {
        case .data: self.closeAfterTimeout(now: now)  // the chunk is dropped on the floor
        case .end, .close, .reset: [Emission(item: item, at: now)]
        }
    }

    private func closeAfterTimeout(now: NIODeadline) -> [Emission] {
        self.timeout > .zero ? [Emission(item: .close, at: now + self.timeout)] : []
    }

    var closesOnRemoval: Bool { true }
    /// What it holds is its own scheduled close: an update restarts the timer (as in
    /// Toxiproxy) instead of letting the old close out at once; a removal closes anyway.
    var discardsOnRemoval: Bool { true }
    var replacesPending: Bool { true }
}
