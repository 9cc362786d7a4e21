/// OutcomeClassifier judges a journey's measurement against its SLO.
public enum OutcomeClassifier {
    /// - fewer than `minRequests` completed iterations: `inconclusive`;
    /// - success rate below `failureThreshold`: `broken`;
    /// - success rate at or above the SLO's and p95 at or below the SLO's: `works`;
    /// - anything between: `degraded`.
    public static func classify(_ measurement: JourneyMeasurement, slo: SLO, failureThreshold: Double,
                                minRequests: Int = 3) -> Outcome {
        if measurement.requests < minRequests { return .inconclusive }
        if measurement.successRate < failureThreshold { return .broken }
        if measurement.successRate >= slo.successRate && measurement.p95Ms <= slo.p95Ms { return .works }
        return .degraded
    }

    /// Classifies against the journey's own SLO and failure threshold.
    public static func classify(_ measurement: JourneyMeasurement, journey: Journey, minRequests: Int = 3) -> Outcome {
        classify(measurement, slo: journey.slo, failureThreshold: journey.failureThreshold, minRequests: minRequests)
    }
}
