import Foundation
import LabEngine
import Sandbox

// A run of a lab: start it, answer, stream its experiments.
extension API {
    public struct NewRun: Codable, Sendable {
        public var lab: String
        public var learner: String?
        public var quick: Bool?

        public init(lab: String, learner: String?, quick: Bool?) {
            self.lab = lab
            self.learner = learner
            self.quick = quick
        }
    }

    public struct RunInfo: Codable, Sendable {
        public var run: String
        public var lab: String
        public var learner: String
        public var quick: Bool
        /// The learner's earlier open runs of this lab, which this start ended as abandoned.
        public var abandoned: [String]?

        public init(run: String, lab: String, learner: String, quick: Bool, abandoned: [String]? = nil) {
            self.run = run
            self.lab = lab
            self.learner = learner
            self.quick = quick
            self.abandoned = abandoned
        }
    }

    /// A run that was started and not finished: where `--resume` and "continue" pick it up.
    public struct OpenRun: Codable, Sendable {
        public var run: String
        public var lab: String
        public var labTitle: String
        public var quick: Bool
        public var startedAt: Date
        /// Exercises judged so far, of `total`.
        public var done: Int
        public var total: Int
        /// The title of the step it continues with (an exercise, or "the diagram").
        public var next: String

        public init(run: String, lab: String, labTitle: String, quick: Bool, startedAt: Date, done: Int, total: Int, next: String) {
            self.run = run
            self.lab = lab
            self.labTitle = labTitle
            self.quick = quick
            self.startedAt = startedAt
            self.done = done
            self.total = total
            self.next = next
        }

        enum CodingKeys: String, CodingKey {
            case run, lab, quick, done, total, next
            case labTitle = "lab_title"
            case startedAt = "started_at"
        }
    }

    /// `POST /api/map`: which lab's journeys and claimed diagram, how many iterations of each.
    public struct MapRequest: Codable, Sendable {
        public var lab: String
        public var iterations: Int?

        public init(lab: String, iterations: Int? = nil) {
            self.lab = lab
            self.iterations = iterations
        }
    }

    /// `POST /api/runs/{run}/map`: how many iterations of each journey (default 5).
    public struct RunMapRequest: Codable, Sendable {
        public var iterations: Int?
        /// The learner's guess, before drawing, of the edges each journey uses: `{"browse": ["gateway->catalog"]}`.
        public var prediction: [String: [String]]?
        public init(iterations: Int? = nil, prediction: [String: [String]]? = nil) {
            self.iterations = iterations
            self.prediction = prediction
        }
    }

    public struct Hypothesis: Codable, Sendable {
        public var outcome: Outcome
        public init(outcome: Outcome) { self.outcome = outcome }
    }

    public struct DiagramAnswer: Codable, Sendable {
        /// Edge (`from->to`) to "is it critical?".
        public var edges: [String: Bool]
        public init(edges: [String: Bool]) { self.edges = edges }
    }

    /// One line of the streamed answer to an attack: an event, then the result (or an error).
    public struct AttackLine: Codable, Sendable {
        public var event: RunEvent?
        public var result: ExerciseResult?
        public var statusCheck: StatusCheckResult?
        /// The closing line of a game-day scenario.
        public var scenario: ScenarioResult?
        public var error: String?

        public init(event: RunEvent? = nil, result: ExerciseResult? = nil, statusCheck: StatusCheckResult? = nil,
                    scenario: ScenarioResult? = nil, error: String? = nil) {
            self.event = event
            self.result = result
            self.statusCheck = statusCheck
            self.scenario = scenario
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case event, result, error, scenario
            case statusCheck = "status_check"
        }
    }
}

extension API {
    /// The answer to `POST /api/checks/{lab}[/{name}]`: every check's verdict with its evidence.
    package struct CheckReport: Codable, Sendable {
        package var passed: Bool
        package var checks: [CheckVerdict]

        package init(_ checks: [CheckVerdict]) {
            self.checks = checks
            self.passed = checks.allSatisfy(\.passed)
        }
    }
}
