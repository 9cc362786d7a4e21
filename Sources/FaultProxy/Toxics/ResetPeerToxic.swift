import NIOCore

/// Toxiproxy's `reset_peer`: the first thing to arrive is dropped and, `timeout` later
/// (at once when 0), the connection is reset: both sockets close with a TCP RST
/// (SO_LINGER 0), so the peer reads "connection reset by peer". Nothing gets through.
struct ResetPeerToxic: ToxicBehavior {
    let timeout: TimeAmount
    private var triggered = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    mutating func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        guard !self.triggered else { return [] }
        self.triggered = true
        return [Emission(item: .reset, at: now + self.timeout)]
    }

    var discardsOnRemoval: Bool { true }
}
