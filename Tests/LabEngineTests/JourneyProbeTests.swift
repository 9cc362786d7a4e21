import Foundation
import Testing
@testable import LabEngine

@Suite("Probing a journey")
struct JourneyProbeTests {
    func probe(_ sandbox: FakeSandbox, timeout: Duration = .milliseconds(300)) -> JourneyProbe {
        JourneyProbe(journey: TestLab.checkout, settings: ProbeSettings(rate: 20, timeout: timeout), client: sandbox,
                     clock: sandbox.clock)
    }

    @Test func aHealthyJourneyMeetsItsSLOAndReportsEachSecond() async {
        let sandbox = FakeSandbox()
        let samples = Locked<[ProbeSample]>([])

        let run = await sandbox.clock.run {
            await probe(sandbox).run(for: .seconds(1)) { sample in samples.withLock { $0.append(sample) } }
        }

        #expect(run.measurement.requests == 20, "20 a second for a second: \(run.measurement)")
        #expect(run.measurement.successRate == 1)
        #expect(run.measurement.errors.isEmpty)
        #expect(samples.current.first?.second == 0)
        #expect(samples.current.map(\.requests).reduce(0, +) == run.measurement.requests)
        #expect(OutcomeClassifier.classify(run.measurement, journey: TestLab.checkout) == .works)
    }

    @Test func eachIterationWalksTheStepsWithOneFreshSession() async {
        let sandbox = FakeSandbox()

        _ = await sandbox.clock.run { await probe(sandbox).run(for: .milliseconds(500)) }

        let visits = sandbox.state.current.sessionsByStep
        let sessions = Dictionary(grouping: visits, by: \.session)
        #expect(sessions.count >= 5)
        for (_, steps) in sessions {
            #expect(steps.map(\.step) == TestLab.checkout.steps.map(\.description))
        }
    }

    @Test func anIterationStopsAtItsFirstFailedStep() async {
        let sandbox = FakeSandbox(.checkoutDown)

        let run = await sandbox.clock.run { await probe(sandbox).run(for: .milliseconds(500)) }

        #expect(run.measurement.successes == 0)
        #expect(run.measurement.errors.keys.sorted() == ["POST storefront /api/cart/items: HTTP 503"])
        #expect(!sandbox.state.current.sessionsByStep.contains { $0.step == "POST storefront /api/checkout" })
    }

    @Test func hangingStepsAreBoundedByTheIterationTimeout() async throws {
        let sandbox = FakeSandbox(.hangsIgnoringTimeouts)
        let clock = sandbox.clock

        let started = clock.now
        let run = await clock.run { await probe(sandbox).run(for: .seconds(1)) }
        let elapsed = clock.now - started

        #expect(run.measurement.successes == 0)
        #expect(run.measurement.requests == 20, "hung iterations must not delay the schedule")
        #expect(run.measurement.errors["GET storefront /: timed out after 300ms"] == run.measurement.requests)
        #expect(elapsed <= .seconds(1) + .milliseconds(300), "in-flight iterations get at most the timeout after the window")
    }

    @Test func aStopCheckHaltsTheProbeEarly() async {
        let sandbox = FakeSandbox(.hangsIgnoringTimeouts)
        let clock = sandbox.clock

        let started = clock.now
        let run = await clock.run {
            await probe(sandbox).run(for: .seconds(20), stopWhen: { measurement in
                measurement.requests >= 3 ? "enough" : nil
            })
        }

        #expect(run.haltedBy == "enough")
        #expect(clock.now - started == .seconds(1), "halted at the first second's check, not after 20 s")
    }

    @Test func measurementsEncodeAsSnakeCase() throws {
        let measurement = JourneyMeasurement(journey: "checkout", requests: 4, successes: 3, p95Ms: 12)
        let json = String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self)
        #expect(json.contains("\"success_rate\":0.75"))
        #expect(json.contains("\"p95_ms\":12"))
    }
}
