import NIOCore

/// LatencyToxic delays each chunk by `latency` plus a uniform random offset in
/// `-jitter...+jitter`, clamped at zero, like Toxiproxy's `latency` toxic.
///
/// Several latency faults on one edge add up: latencies and jitters are summed.
struct LatencyToxic: Equatable, Sendable {
    /// Base delay added to every chunk.
    var latency: Duration
    /// Maximum random deviation from `latency`, either way.
    var jitter: Duration

    /// Wire name, as in Toxiproxy.
    static let name = "latency"

    /// The delay for one chunk.
    func delay(using rng: inout SplitMix64) -> TimeAmount {
        let base = TimeAmount(self.latency).nanoseconds
        let spread = TimeAmount(self.jitter).nanoseconds
        guard spread > 0 else { return .nanoseconds(max(0, base)) }
        let offset = Int64.random(in: -spread...spread, using: &rng)
        return .nanoseconds(max(0, base &+ offset))
    }

    /// The combined effect of two latency faults applied at once.
    static func + (lhs: LatencyToxic, rhs: LatencyToxic) -> LatencyToxic {
        LatencyToxic(latency: lhs.latency + rhs.latency, jitter: lhs.jitter + rhs.jitter)
    }
}
