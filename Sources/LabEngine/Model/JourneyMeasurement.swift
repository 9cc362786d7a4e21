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
        case p99Ms = "p99_ms", maxMs = "max_ms", errors, timedOutShare = "timed_out_share", latencyNote = "latency_note"
    }

    /// The share of journeys that failed by timing out (their error says "timed out").
    public var timedOutShare: Double {
        guard requests > 0 else { return 0 }
        let timedOut = errors.filter { $0.key.localizedStandardContains("timed out") || $0.key.hasPrefix("timeout") }.values.reduce(0, +)
        return Double(timedOut) / Double(requests)
    }

    /// With no successful journey there is no latency to show: the JSON says `null` with a
    /// reason (`latency_note`), never 0 ms, so that a hang does not look fast.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(journey, forKey: .journey)
        try c.encode(requests, forKey: .requests)
        try c.encode(successes, forKey: .successes)
        try c.encode(successRate, forKey: .successRate)
        let latencies: [(CodingKeys, Double)] = [(.p50Ms, p50Ms), (.p95Ms, p95Ms), (.p99Ms, p99Ms), (.maxMs, maxMs)]
        for (key, value) in latencies {
            if successes > 0 { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        if successes == 0 { try c.encode(requests == 0 ? "no journey finished" : "no successful request", forKey: .latencyNote) }
        try c.encode(timedOutShare, forKey: .timedOutShare)
        try c.encode(errors, forKey: .errors)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            journey: try c.decode(String.self, forKey: .journey), requests: try c.decode(Int.self, forKey: .requests),
            successes: try c.decode(Int.self, forKey: .successes), successRate: try c.decode(Double.self, forKey: .successRate),
            p50Ms: try c.decodeIfPresent(Double.self, forKey: .p50Ms) ?? 0, p95Ms: try c.decodeIfPresent(Double.self, forKey: .p95Ms) ?? 0,
            p99Ms: try c.decodeIfPresent(Double.self, forKey: .p99Ms) ?? 0, maxMs: try c.decodeIfPresent(Double.self, forKey: .maxMs) ?? 0,
            errors: try c.decodeIfPresent([String: Int].self, forKey: .errors) ?? [:])
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

    /// Latencies are `null` in a second with no successful journey (a hang is not 0 ms).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(second, forKey: .second)
        try c.encode(requests, forKey: .requests)
        try c.encode(successes, forKey: .successes)
        if successes > 0 {
            try c.encode(p50Ms, forKey: .p50Ms)
            try c.encode(p95Ms, forKey: .p95Ms)
        } else {
            try c.encodeNil(forKey: .p50Ms)
            try c.encodeNil(forKey: .p95Ms)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            second: try c.decode(Int.self, forKey: .second), requests: try c.decode(Int.self, forKey: .requests),
            successes: try c.decode(Int.self, forKey: .successes),
            p50Ms: try c.decodeIfPresent(Double.self, forKey: .p50Ms) ?? 0, p95Ms: try c.decodeIfPresent(Double.self, forKey: .p95Ms) ?? 0)
    }
}

/// Two decimals, for messages: 0.4 -> "0.40".
func formatted(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = abs(hundredths % 100)
    return "\(hundredths < 0 ? "-" : "")\(abs(hundredths) / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
