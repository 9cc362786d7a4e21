import NIOCore

/// Toxiproxy's `slow_close`: data passes at once, but the end of stream (or a close)
/// is held back for `delay`: the peer sees the connection linger before it closes.
struct SlowCloseToxic: ToxicBehavior {
    let delay: TimeAmount

    func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        switch item {
        case .data, .reset: [Emission(item: item, at: now)]
        case .end, .close: [Emission(item: item, at: now + self.delay)]
        }
    }
}
