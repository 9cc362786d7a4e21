import NIOCore

/// Toxiproxy's `latency`: each chunk is let out `latency` ± `jitter` after it arrived
/// (uniform jitter, never below zero). Chunks keep their order; the end of stream and a
/// close follow the last chunk without delay of their own.
struct LatencyToxic: ToxicBehavior {
    let latency: TimeAmount
    let jitter: TimeAmount
    var rng: SplitMix64

    mutating func receive(_ item: ChainItem, now: NIODeadline) -> [Emission] {
        guard case .data = item else { return [Emission(item: item, at: now)] }
        return [Emission(item: item, at: now + self.delay())]
    }

    /// The delay for one chunk.
    mutating func delay() -> TimeAmount {
        let spread = self.jitter.nanoseconds
        guard spread > 0 else { return self.latency }
        let offset = Int64.random(in: -spread...spread, using: &self.rng)
        return .nanoseconds(max(0, self.latency.nanoseconds &+ offset))
    }
}
