/// What a status check run on its own found: whether steady state holds, with the numbers.
public struct StatusCheckResult: Hashable, Sendable, Codable {
    public var exerciseID: String
    public var passed: Bool
    public var measurement: JourneyMeasurement?
    /// Why it did not pass, in words.
    public var reason: String?
    /// The verdicts of the exercise's named checks, with their evidence.
    public var checks: [CheckVerdict]

    public init(exerciseID: String, passed: Bool, measurement: JourneyMeasurement?, reason: String?, checks: [CheckVerdict] = []) {
        self.exerciseID = exerciseID
        self.passed = passed
        self.measurement = measurement
        self.reason = reason
        self.checks = checks
    }

    private enum CodingKeys: String, CodingKey {
        case exerciseID = "exercise", passed, measurement, reason, checks
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(exerciseID: try c.decode(String.self, forKey: .exerciseID), passed: try c.decode(Bool.self, forKey: .passed),
                  measurement: try c.decodeIfPresent(JourneyMeasurement.self, forKey: .measurement),
                  reason: try c.decodeIfPresent(String.self, forKey: .reason),
                  checks: try c.decodeIfPresent([CheckVerdict].self, forKey: .checks) ?? [])
    }
}
