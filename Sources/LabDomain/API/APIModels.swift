import Foundation
import LabEngine
import Sandbox

/// The JSON bodies of the lab API, shared by the server and the command line.
public enum API {
    public struct Health: Codable, Sendable {
        public var status: String
        public var version: String

        public init(status: String, version: String) {
            self.status = status
            self.version = version
        }
    }

    public struct LabList: Codable, Sendable {
        public var labs: [LabInfo]
        /// Lab files that did not load, as `FILE:LINE:COL: message`.
        public var problems: [String]

        public init(labs: [LabInfo], problems: [String]) {
            self.labs = labs
            self.problems = problems
        }
    }

    public struct LabInfo: Codable, Sendable {
        public var id: String
        public var title: String
        public var summary: String?
        public var estimatedMinutes: Int?
        public var exercises: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, summary, exercises
            case estimatedMinutes = "estimated_minutes"
        }

        public init(id: String, title: String, summary: String? = nil, estimatedMinutes: Int? = nil, exercises: [String]) {
            self.id = id
            self.title = title
            self.summary = summary
            self.estimatedMinutes = estimatedMinutes
            self.exercises = exercises
        }
    }

    /// A fault to add by hand: on an edge (a toxic, `blackhole` or `refuse`) or on a
    /// service (`kill`, `pause`, `cpu`, `memory`, `errors`, `empty`).
    public struct NewFault: Codable, Sendable {
        /// An edge ("storefront-ads", or "storefront->ads") or a service ("checkout").
        public var target: String
        public var type: String
        /// Toxiproxy's attribute names and units for toxics; see `chaoslab fault add --help`.
        public var attributes: [String: Double]
        /// For toxics: "upstream" or "downstream" (the default).
        public var stream: String?
        public var ttlMs: Int?

        public init(target: String, type: String, attributes: [String: Double] = [:], stream: String? = nil, ttlMs: Int? = nil) {
            self.target = target
            self.type = type
            self.attributes = attributes
            self.stream = stream
            self.ttlMs = ttlMs
        }

        enum CodingKeys: String, CodingKey {
            case target, type, attributes, stream
            case ttlMs = "ttl_ms"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.target = try container.decode(String.self, forKey: .target)
            self.type = try container.decode(String.self, forKey: .type)
            self.attributes = try container.decodeIfPresent([String: Double].self, forKey: .attributes) ?? [:]
            self.stream = try container.decodeIfPresent(String.self, forKey: .stream)
            self.ttlMs = try container.decodeIfPresent(Int.self, forKey: .ttlMs)
        }
    }

    /// A fault in force and where: an edge or a service.
    public struct TargetFault: Codable, Sendable {
        public var target: String
        public var fault: FaultStatus

        public init(target: String, fault: FaultStatus) {
            self.target = target
            self.fault = fault
        }
    }

    /// How many faults a removal ended.
    public struct Removed: Codable, Sendable {
        public var removed: Int

        public init(removed: Int) {
            self.removed = removed
        }
    }

    /// The state of the emergency stop.
    public struct LockState: Codable, Sendable {
        public var locked: Bool

        public init(locked: Bool) {
            self.locked = locked
        }
    }

    public struct Halted: Codable, Sendable {
        public var removed: Int
        public var cancelledExperiments: Int
        /// New faults are refused until `chaoslab unlock`.
        public var locked: Bool

        enum CodingKeys: String, CodingKey {
            case removed, locked
            case cancelledExperiments = "cancelled_experiments"
        }

        public init(removed: Int, cancelledExperiments: Int, locked: Bool) {
            self.removed = removed
            self.cancelledExperiments = cancelledExperiments
            self.locked = locked
        }
    }

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

        public init(run: String, lab: String, learner: String, quick: Bool) {
            self.run = run
            self.lab = lab
            self.learner = learner
            self.quick = quick
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
    /// A lab as a guided run needs it: texts, choices and edges, without engine internals.
    public struct LabDetail: Codable, Sendable {
        public var id: String
        public var title: String
        public var summary: String?
        public var edges: [EdgeClaim]
        public var diagramQuestion: String
        public var exercises: [ExerciseDetail]

        enum CodingKeys: String, CodingKey {
            case id, title, summary, edges, exercises
            case diagramQuestion = "diagram_question"
        }

        public init(id: String, title: String, summary: String? = nil, edges: [EdgeClaim], diagramQuestion: String, exercises: [ExerciseDetail]) {
            self.id = id
            self.title = title
            self.summary = summary
            self.edges = edges
            self.diagramQuestion = diagramQuestion
            self.exercises = exercises
        }
    }

    public struct EdgeClaim: Codable, Sendable {
        public var edge: String
        public var critical: Bool

        public init(edge: String, critical: Bool) {
            self.edge = edge
            self.critical = critical
        }
    }

    public struct ExerciseDetail: Codable, Sendable {
        public var id: String
        public var title: String
        public var kind: String
        public var brief: String
        public var question: String
        public var choices: [String: String]
        /// The journey whose outcome the hypothesis is graded against.
        public var primaryJourney: String
        /// What will be done, in words: "blackhole on storefront->ads for 20s".
        public var attack: String
        /// The attack window in whole seconds (quick mode caps it at 3).
        public var attackSeconds: Int
        public var fix: String?
        public var debrief: String
        public var hints: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, kind, brief, question, choices, attack, fix, debrief, hints
            case attackSeconds = "attack_seconds"
            case primaryJourney = "primary_journey"
        }

        public init(id: String, title: String, kind: String, brief: String, question: String, choices: [String: String], primaryJourney: String, attack: String, attackSeconds: Int, fix: String? = nil, debrief: String, hints: [String]) {
            self.id = id
            self.title = title
            self.kind = kind
            self.brief = brief
            self.question = question
            self.choices = choices
            self.primaryJourney = primaryJourney
            self.attack = attack
            self.attackSeconds = attackSeconds
            self.fix = fix
            self.debrief = debrief
            self.hints = hints
        }
    }
}
