import Foundation
import Testing

@testable import LabEngine

/// A hang must look like a hang: with no successful journey, the JSON has no latency (null,
/// with a reason and the share that timed out), never 0 ms.
@Suite("No success, no latency")
struct NoLatencyTests {
    func json(_ value: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
    }

    @Test("a window where every journey timed out: latencies null, the reason, 100 % timed out")
    func allTimedOut() throws {
        let hung = JourneyMeasurement(journey: "browse", requests: 4, successes: 0, errors: ["GET storefront /: timed out after 2s": 4])
        let object = try json(hung)
        for key in ["p50_ms", "p95_ms", "p99_ms", "max_ms"] { #expect(object[key] is NSNull, "\(key): \(object[key] ?? "missing")") }
        #expect(object["latency_note"] as? String == "no successful request")
        #expect(object["timed_out_share"] as? Double == 1)
        let back = try JSONDecoder().decode(JourneyMeasurement.self, from: JSONEncoder().encode(hung))
        #expect(back == hung, "null latencies read back")
    }

    @Test("a window with successes keeps its numbers; a second with none has null latencies")
    func withSuccesses() throws {
        let fine = JourneyMeasurement(journey: "checkout", requests: 10, successes: 9, p50Ms: 12, p95Ms: 40, p99Ms: 41, maxMs: 42,
                                      errors: ["POST checkout /orders: HTTP 500": 1])
        let object = try json(fine)
        #expect(object["p95_ms"] as? Double == 40 && object["latency_note"] == nil)
        #expect(object["timed_out_share"] as? Double == 0)

        let stalled = try json(ProbeSample(second: 3, requests: 2, successes: 0, p50Ms: 0, p95Ms: 0))
        #expect(stalled["p95_ms"] is NSNull && stalled["p50_ms"] is NSNull)
        let sample = ProbeSample(second: 1, requests: 5, successes: 5, p50Ms: 8, p95Ms: 11)
        #expect(try JSONDecoder().decode(ProbeSample.self, from: JSONEncoder().encode(sample)) == sample)
    }
}
