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
    /// What Alertmanager showed of the exercise's watched alert during the attack.
    public var alert: AlertObservation?
    /// What the prediction is compared with, in the exercise's terms (`Exercise.observedPrediction`).
    public var observedPrediction: Outcome?
    /// What the attack's fault touched while it was in force; nil where it cannot be counted.
    public var faultContact: FaultContact?
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

    /// True when a status check refused the attack: no fault went in.
    public var refusedByStatusCheck: Bool { haltedBy == ExperimentRunner.statusCheckGuardrail }

    private enum CodingKeys: String, CodingKey {
        case exerciseID = "exercise_id", kind, hypothesis, expected, observed, measurements
        case statusCheck = "status_check", checks, status, reason, haltedBy = "halted_by", alert
        case observedPrediction = "observed_prediction", faultContact = "fault_contact"
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
        alert = try c.decodeIfPresent(AlertObservation.self, forKey: .alert)
        observedPrediction = try c.decodeIfPresent(Outcome.self, forKey: .observedPrediction)
        faultContact = try c.decodeIfPresent(FaultContact.self, forKey: .faultContact)
    }
}

/// AlertObservation is what Alertmanager showed of a watched alert during an attack: when the
/// alert first appeared there, counted from the fault going in, or nil when it never did.
public struct AlertObservation: Hashable, Sendable, Codable {
    public var name: String
    /// Milliseconds from the fault going in to the alert firing in Alertmanager; nil: silent.
    public var firedAfterMs: Double?
    /// The alert's `startsAt` as Alertmanager recorded it.
    public var startsAt: String?
    /// How long the attack ran while the alert was watched, in milliseconds.
    public var watchedMs: Double
    /// Why the alert could not be watched (monitoring off, Alertmanager not answering).
    public var problem: String?

    public init(name: String, firedAfterMs: Double? = nil, startsAt: String? = nil, watchedMs: Double, problem: String? = nil) {
        self.name = name
        self.firedAfterMs = firedAfterMs
        self.startsAt = startsAt
        self.watchedMs = watchedMs
        self.problem = problem
    }

    private enum CodingKeys: String, CodingKey {
        case name, firedAfterMs = "fired_after_ms", startsAt = "starts_at", watchedMs = "watched_ms", problem
    }

    /// "CartSlow fired 6.2 s after the fault went in" or "CartSlow stayed silent for 20.0 s".
    public var summary: String {
        if let problem { return "\(name) could not be watched: \(problem)" }
        if let after = firedAfterMs { return "\(name) fired \(seconds(after)) after the fault went in" }
        return "\(name) stayed silent for \(seconds(watchedMs)) of attack"
    }

    private func seconds(_ ms: Double) -> String { String(format: "%.1f s", ms / 1000) }
}
