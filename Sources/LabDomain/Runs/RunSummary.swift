import Foundation
import LabEngine

/// A run as the learner sees it at the end: score, each prediction beside its
/// outcome with the numbers, and the claimed, discovered and answered diagrams.
public struct RunSummary: Codable, Sendable {
    public var run: String
    public var lab: String
    public var labTitle: String
    public var learner: String
    public var status: String
    public var quick: Bool
    public var score: Int
    public var earned: Int
    public var maxPoints: Int
    public var startedAt: Date
    public var finishedAt: Date?
    public var exercises: [ExerciseSummary]
    public var diagram: DiagramSummary
    public var breakdown: [String]
    /// The map that traffic drew in this run (the latest one), before its attacks.
    public var map: TrafficMap?
    /// What the learner predicted of the map before it was drawn, and how it met the map.
    public var mapPrediction: MapPrediction?
    public var mapComparison: MapPrediction.Comparison?

    package enum CodingKeys: String, CodingKey {
        case run, lab, learner, status, quick, score, earned, exercises, diagram, breakdown, map
        case mapPrediction = "map_prediction"
        case mapComparison = "map_comparison"
        case labTitle = "lab_title"
        case maxPoints = "max_points"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public init(run: String, lab: String, labTitle: String, learner: String, status: String, quick: Bool, score: Int, earned: Int, maxPoints: Int, startedAt: Date, finishedAt: Date? = nil, exercises: [ExerciseSummary], diagram: DiagramSummary, breakdown: [String]) {
        self.run = run
        self.lab = lab
        self.labTitle = labTitle
        self.learner = learner
        self.status = status
        self.quick = quick
        self.score = score
        self.earned = earned
        self.maxPoints = maxPoints
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exercises = exercises
        self.diagram = diagram
        self.breakdown = breakdown
    }
}

public struct ExerciseSummary: Codable, Sendable {
    public var id: String
    public var title: String
    public var kind: String
    public var hypothesis: Outcome?
    public var expected: [String: Outcome]
    public var observed: [String: Outcome]
    public var measurements: [String: MeasurementSummary]
    public var points: Int
    public var maxPoints: Int
    /// `not_run`, or the experiment's status: completed, inconclusive, errored.
    public var status: String
    public var reason: String?
    public var haltedBy: String?
    /// The named status checks judged for it (before the attack, and a continuous check's failure), with their evidence.
    public var checks: [CheckVerdict]?
    /// What the prediction was compared with: a journey's outcome, `refused`, `alerted` or `silent`.
    public var observedPrediction: Outcome?
    /// What Alertmanager showed of the exercise's watched alert.
    public var alert: AlertObservation?
    /// What the attack's fault touched while it was in force, where that can be counted.
    public var faultContact: FaultContact?

    /// True when the exercise has been judged: it completed, or the status check refused it
    /// where a refusal is one of the answers.
    public var judged: Bool { status == "completed" || (observedPrediction == .refused && maxPoints > 0) }

    package enum CodingKeys: String, CodingKey {
        case id, title, kind, hypothesis, expected, observed, measurements, points, status, reason, checks, alert
        case observedPrediction = "observed_prediction", faultContact = "fault_contact"
        case maxPoints = "max_points"
        case haltedBy = "halted_by"
    }

    public init(id: String, title: String, kind: String, hypothesis: Outcome? = nil, expected: [String: Outcome], observed: [String: Outcome], measurements: [String: MeasurementSummary], points: Int, maxPoints: Int, status: String, reason: String? = nil, haltedBy: String? = nil, checks: [CheckVerdict]? = nil) {
        self.checks = checks
        self.id = id
        self.title = title
        self.kind = kind
        self.hypothesis = hypothesis
        self.expected = expected
        self.observed = observed
        self.measurements = measurements
        self.points = points
        self.maxPoints = maxPoints
        self.status = status
        self.reason = reason
        self.haltedBy = haltedBy
    }
}

public struct MeasurementSummary: Codable, Sendable {
    public var requests: Int
    public var successRate: Double
    public var p50Ms: Double
    public var p95Ms: Double

    package enum CodingKeys: String, CodingKey {
        case requests
        case successRate = "success_rate"
        case p50Ms = "p50_ms"
        case p95Ms = "p95_ms"
    }

    public init(requests: Int, successRate: Double, p50Ms: Double, p95Ms: Double) {
        self.requests = requests
        self.successRate = successRate
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
    }

    /// No journey succeeded: latencies are `null`, not 0 ms (a hang does not look fast).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(requests, forKey: .requests)
        try c.encode(successRate, forKey: .successRate)
        try c.encode(successRate > 0 ? p50Ms : nil, forKey: .p50Ms)
        try c.encode(successRate > 0 ? p95Ms : nil, forKey: .p95Ms)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            requests: try c.decode(Int.self, forKey: .requests), successRate: try c.decode(Double.self, forKey: .successRate),
            p50Ms: try c.decodeIfPresent(Double.self, forKey: .p50Ms) ?? 0, p95Ms: try c.decodeIfPresent(Double.self, forKey: .p95Ms) ?? 0)
    }
}

/// Edge (`from->to`) to "critical?": as claimed by the lab, as the experiments
/// showed (null where no experiment tested it), and as the learner answered.
public struct DiagramSummary: Codable, Sendable {
    public var claimed: [String: Bool]
    public var discovered: [String: Bool?]
    public var answered: [String: Bool]

    public init(claimed: [String: Bool], discovered: [String: Bool?], answered: [String: Bool]) {
        self.claimed = claimed
        self.discovered = discovered
        self.answered = answered
    }
}
