/// JourneyMeasurement is what a probe measured of one journey over one window.
///
/// `requests` counts completed journey iterations; latencies are of successful iterations only.
public struct JourneyMeasurement: Hashable, Sendable, Codable {
    public var journey: String
    public var requests: Int
    public var successes: Int
    /// successes / requests; 0 when nothing completed.
    public var successRate: Double
    public var p50Ms: Double
    public var p95Ms: Double
    public var p99Ms: Double
    public var maxMs: Double
    /// Failure reasons ("GET storefront /: timed out after 2s") and how often each occurred.
    public var errors: [String: Int]

    public init(journey: String, requests: Int, successes: Int, successRate: Double? = nil,
                p50Ms: Double = 0, p95Ms: Double = 0, p99Ms: Double = 0, maxMs: Double = 0, errors: [String: Int] = [:]) {
        self.journey = journey
        self.requests = requests
        self.successes = successes
        self.successRate = successRate ?? (requests > 0 ? Double(successes) / Double(requests) : 0)
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
        self.p99Ms = p99Ms
        self.maxMs = maxMs
        self.errors = errors
    }

    private enum CodingKeys: String, CodingKey {
        case journey, requests, successes, successRate = "success_rate", p50Ms = "p50_ms", p95Ms = "p95_ms"
        case p99Ms = "p99_ms", maxMs = "max_ms", errors
    }

    /// "success 0.40 over 25 journeys, p95 812 ms", or "success 0 over 6 journeys; timeout ×6":
    /// the numbers a person needs, in one phrase.
    public var summary: String {
        let rate = (successRate * 100).rounded() / 100
        guard successes == 0, requests > 0 else {
            return "success \(formatted(rate)) over \(requests) journeys, p95 \(Int(p95Ms.rounded())) ms"
        }
        // No latency to speak of: say what went wrong instead.
        let causes = errors.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.prefix(2)
            .map { "\($0.key) ×\($0.value)" }
        return "success 0 over \(requests) journeys" + (causes.isEmpty ? "" : "; \(causes.joined(separator: ", "))")
    }
}

/// ProbeSample is one second of a probe, emitted live for terminals and web pages.
public struct ProbeSample: Hashable, Sendable, Codable {
    /// 0 for the first second of the window.
    public var second: Int
    /// Iterations that completed during this second.
    public var requests: Int
    public var successes: Int
    public var p50Ms: Double
    public var p95Ms: Double

    public init(second: Int, requests: Int, successes: Int, p50Ms: Double, p95Ms: Double) {
        self.second = second
        self.requests = requests
        self.successes = successes
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
    }

    private enum CodingKeys: String, CodingKey {
        case second, requests, successes, p50Ms = "p50_ms", p95Ms = "p95_ms"
    }
}

/// Two decimals, for messages: 0.4 -> "0.40".
func formatted(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = abs(hundredths % 100)
    return "\(hundredths < 0 ? "-" : "")\(abs(hundredths) / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
