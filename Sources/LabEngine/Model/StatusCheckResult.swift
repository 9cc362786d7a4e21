/// What a status check run on its own found: whether steady state holds, with the numbers.
public struct StatusCheckResult: Hashable, Sendable, Codable {
    public var exerciseID: String
    public var passed: Bool
    public var measurement: JourneyMeasurement?
    /// Why it did not pass, in words.
    public var reason: String?

    public init(exerciseID: String, passed: Bool, measurement: JourneyMeasurement?, reason: String?) {
        self.exerciseID = exerciseID
        self.passed = passed
        self.measurement = measurement
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case exerciseID = "exercise", passed, measurement, reason
    }
}
