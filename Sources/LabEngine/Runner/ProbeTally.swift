import Histogram

/// ProbeTally counts a probe's iterations as they complete: totals for the window and a running
/// second that `takeSample` hands out and starts afresh. Latencies are kept in microseconds.
final class ProbeTally: @unchecked Sendable {
    private struct Counts {
        var requests = 0
        var successes = 0
        var latencies = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }

    private let state = Locked((window: Counts(), second: Counts(), errors: [String: Int]()))
    let journey: String

    init(journey: String) {
        self.journey = journey
    }

    func recordSuccess(latency: Duration) {
        let micros = UInt64(max(1, latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000))
        state.withLock { state in
            for keyPath in [\(window: Counts, second: Counts, errors: [String: Int]).window, \.second] {
                state[keyPath: keyPath].requests += 1
                state[keyPath: keyPath].successes += 1
                _ = state[keyPath: keyPath].latencies.record(micros)
            }
        }
    }

    func recordFailure(reason: String) {
        state.withLock { state in
            state.window.requests += 1
            state.second.requests += 1
            state.errors[reason, default: 0] += 1
        }
    }

    /// The second that just ended; the next one starts empty.
    func takeSample(second: Int) -> ProbeSample {
        state.withLock { state in
            let counts = state.second
            state.second = Counts()
            return ProbeSample(second: second, requests: counts.requests, successes: counts.successes,
                               p50Ms: Self.millis(counts.latencies, 50), p95Ms: Self.millis(counts.latencies, 95))
        }
    }

    /// Whether iterations completed since the last sample.
    var hasUnsampled: Bool { state.withLock { $0.second.requests > 0 } }

    /// The window so far.
    var measurement: JourneyMeasurement {
        state.withLock { state in
            let counts = state.window
            return JourneyMeasurement(
                journey: journey, requests: counts.requests, successes: counts.successes,
                p50Ms: Self.millis(counts.latencies, 50), p95Ms: Self.millis(counts.latencies, 95),
                p99Ms: Self.millis(counts.latencies, 99),
                maxMs: counts.latencies.totalCount == 0 ? 0 : Double(counts.latencies.max) / 1000,
                errors: state.errors)
        }
    }

    private static func millis(_ histogram: Histogram<UInt64>, _ percentile: Double) -> Double {
        histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
    }
}
