import NIOCore

/// Toxiproxy's `timeout`: no data gets through; the connection is closed `timeout` after
/// the toxic began acting on it, or never when `timeout` is 0. Removing the toxic closes
/// the connection too (its byte stream has a hole a client would wait on forever).
struct TimeoutToxic: ToxicBehavior {
    let timeout: TimeAmount

    func start(now: NIODeadline) -> [Emission] {
        self.timeout > .zero ? [Emission(item: .close, at: now + self.timeout)] : []
    }

    func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        switch item {
        case .data: []  // dropped on the floor
        case .end, .close, .reset: [Emission(item: item, at: now)]
        }
    }

    var closesOnRemoval: Bool { true }
}
