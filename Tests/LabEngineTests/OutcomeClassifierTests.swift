import Testing
@testable import LabEngine

@Suite("Classifying outcomes")
struct OutcomeClassifierTests {
    let slo = SLO(successRate: 0.99, p95Ms: 500)

    func measured(_ requests: Int, succeeded successes: Int, p95: Double = 100) -> JourneyMeasurement {
        JourneyMeasurement(journey: "checkout", requests: requests, successes: successes, p95Ms: p95)
    }

    func classify(_ measurement: JourneyMeasurement) -> Outcome {
        OutcomeClassifier.classify(measurement, slo: slo, failureThreshold: 0.5)
    }

    @Test func fewerThanMinRequestsIsInconclusive() {
        #expect(classify(measured(0, succeeded: 0)) == .inconclusive)
        #expect(classify(measured(2, succeeded: 0)) == .inconclusive)
        #expect(classify(measured(3, succeeded: 0)) == .broken)
        #expect(OutcomeClassifier.classify(measured(4, succeeded: 4), slo: slo, failureThreshold: 0.5, minRequests: 5)
            == .inconclusive)
    }

    @Test func successRateBelowTheFailureThresholdIsBroken() {
        #expect(classify(measured(100, succeeded: 49)) == .broken)
        #expect(classify(measured(100, succeeded: 50)) == .degraded)  // exactly at the threshold: not broken
    }

    @Test func meetingBothObjectivesWorks() {
        #expect(classify(measured(100, succeeded: 99, p95: 500)) == .works)  // both exactly at the SLO
        #expect(classify(measured(100, succeeded: 100, p95: 3)) == .works)
    }

    @Test func missingEitherObjectiveIsDegraded() {
        #expect(classify(measured(100, succeeded: 98, p95: 100)) == .degraded)  // success just under the SLO
        #expect(classify(measured(100, succeeded: 100, p95: 500.1)) == .degraded)  // latency just over the SLO
        #expect(classify(measured(100, succeeded: 60, p95: 900)) == .degraded)
    }

    @Test func aJourneyCarriesItsOwnThreshold() {
        let journey = Journey(name: "checkout", steps: [], slo: slo, failureThreshold: 0.9)
        #expect(OutcomeClassifier.classify(measured(10, succeeded: 8), journey: journey) == .broken)
    }
}
