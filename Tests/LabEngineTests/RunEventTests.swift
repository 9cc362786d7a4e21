import Foundation
import Testing
@testable import LabEngine

@Suite("Run events and results as JSON")
struct RunEventTests {
    func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func anEventCarriesItsKindBesideItsPayload() throws {
        let event = RunEvent.faultInjected(target: .edge(TestLab.ads), fault: .latency(ms: 800, jitterMs: 100), ttl: .seconds(60),
                                           faultID: "f1")

        #expect(try json(event) == #"{"fault":{"attributes":{"jitter":100,"latency":800},"name":"latency"},"#
            + #""fault_id":"f1","kind":"fault_injected","target":"storefront->ads","ttl_ms":60000}"#)
    }

    @Test func anEventStoredBeforeServiceAttacksStillReads() throws {
        let stored = #"{"edge":"storefront->ads","fault":{"jitter_ms":100,"latency_ms":800,"name":"latency"},"#
            + #""fault_id":"f1","kind":"fault_injected","ttl_ms":60000}"#
        let event = try JSONDecoder().decode(RunEvent.self, from: Data(stored.utf8))
        #expect(event == .faultInjected(target: .edge(TestLab.ads), fault: .latency(ms: 800, jitterMs: 100), ttl: .seconds(60),
                                        faultID: "f1"))
    }

    @Test(arguments: [
        RunEvent.exerciseStarted(exerciseID: "block-ads", kind: .experiment, hypothesis: .broken),
        .fixApplied(service: "storefront", settings: ["ads_fallback": .bool(true), "ads_timeout_ms": .int(300)]),
        .statusCheckStarted(journey: "checkout", window: .seconds(5)),
        .probeSample(journey: "checkout", phase: .statusCheck,
                     sample: ProbeSample(second: 2, requests: 5, successes: 4, p50Ms: 3, p95Ms: 9)),
        .statusCheckPassed(measurement: JourneyMeasurement(journey: "checkout", requests: 25, successes: 25)),
        .statusCheckFailed(measurement: JourneyMeasurement(journey: "checkout", requests: 5, successes: 0), reason: "x"),
        .guardrailTripped(reason: "guardrail: success rate 0.00 < 0.10"),
        .faultRemoved(target: .edge(TestLab.ads), faultID: nil),
        .faultInjected(target: .service("checkout"), fault: .kill(restartAfterMs: 5000), ttl: .seconds(20), faultID: "s1"),
        .exerciseFinished(result: ExerciseResult(exerciseID: "block-ads", kind: .experiment, hypothesis: .works,
                                                 expected: ["checkout": .broken], observed: ["checkout": .broken],
                                                 status: .completed, haltedBy: "guardrail: p95 900 ms > 500 ms",
                                                 startedAt: Date(timeIntervalSince1970: 0),
                                                 finishedAt: Date(timeIntervalSince1970: 30))),
    ])
    func everyEventSurvivesARoundTrip(_ event: RunEvent) throws {
        let data = try JSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(RunEvent.self, from: data) == event)
        #expect(String(decoding: data, as: UTF8.self).contains("\"kind\":\"\(event.kind)\""))
    }

    @Test func aResultUsesSnakeCaseKeys() throws {
        let result = ExerciseResult(exerciseID: "block-ads", kind: .fix, hypothesis: nil, expected: [:],
                                    status: .refused, reason: "record a hypothesis first",
                                    startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 0))
        let text = try json(result)
        #expect(text.contains("\"exercise_id\":\"block-ads\""))
        #expect(text.contains("\"started_at\""))
        #expect(text.contains("\"status\":\"refused\""))
    }
}
