import Foundation

/// ExerciseResult is the journal of one exercise run: what was predicted, expected and observed,
/// the measurements behind it, and how the run ended. Grading reads only these.
public struct ExerciseResult: Hashable, Sendable, Codable {
    /// How a run ended.
    public enum Status: String, Hashable, Sendable, Codable {
        /// The attack ran (perhaps halted by a guardrail) and every journey was classified.
        case completed
        /// Nothing to judge: steady state did not hold, or too little was measured.
        case inconclusive
        /// Not started: no hypothesis was recorded.
        case refused
        /// The sandbox failed us (a port threw) or the run was cancelled.
        case errored
    }

    public var exerciseID: String
    public var kind: ExerciseKind
    public var hypothesis: Outcome?
    public var expected: [String: Outcome]
    public var observed: [String: Outcome]
    public var measurements: [String: JourneyMeasurement]
    public var statusCheck: JourneyMeasurement?
    /// The verdicts of the named status checks: before the attack, and a continuous check's failure.
    public var checks: [CheckVerdict] = []
    public var status: Status
    public var reason: String?
    /// "guardrail: success rate 0.00 < 0.10" when a guardrail ended the attack early.
    public var haltedBy: String?
    public var startedAt: Date
    public var finishedAt: Date

    public init(exerciseID: String, kind: ExerciseKind, hypothesis: Outcome?, expected: [String: Outcome],
                observed: [String: Outcome] = [:], measurements: [String: JourneyMeasurement] = [:],
                statusCheck: JourneyMeasurement? = nil, status: Status, reason: String? = nil,
                haltedBy: String? = nil, startedAt: Date, finishedAt: Date) {
        self.exerciseID = exerciseID
        self.kind = kind
        self.hypothesis = hypothesis
        self.expected = expected
        self.observed = observed
        self.measurements = measurements
        self.statusCheck = statusCheck
        self.status = status
        self.reason = reason
        self.haltedBy = haltedBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// True when the run completed and every journey did what the lab expects (lab self-tests).
    public var matchesExpectation: Bool { status == .completed && observed == expected }

    private enum CodingKeys: String, CodingKey {
        case exerciseID = "exercise_id", kind, hypothesis, expected, observed, measurements
        case statusCheck = "status_check", checks, status, reason, haltedBy = "halted_by"
        case startedAt = "started_at", finishedAt = "finished_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(exerciseID: try c.decode(String.self, forKey: .exerciseID), kind: try c.decode(ExerciseKind.self, forKey: .kind),
                  hypothesis: try c.decodeIfPresent(Outcome.self, forKey: .hypothesis),
                  expected: try c.decode([String: Outcome].self, forKey: .expected),
                  observed: try c.decode([String: Outcome].self, forKey: .observed),
                  measurements: try c.decode([String: JourneyMeasurement].self, forKey: .measurements),
                  statusCheck: try c.decodeIfPresent(JourneyMeasurement.self, forKey: .statusCheck),
                  status: try c.decode(Status.self, forKey: .status), reason: try c.decodeIfPresent(String.self, forKey: .reason),
                  haltedBy: try c.decodeIfPresent(String.self, forKey: .haltedBy),
                  startedAt: try c.decode(Date.self, forKey: .startedAt), finishedAt: try c.decode(Date.self, forKey: .finishedAt))
        // Runs stored before named status checks existed have none.
        checks = try c.decodeIfPresent([CheckVerdict].self, forKey: .checks) ?? []
    }
}
