import Foundation
import LabEngine
import Sandbox

extension API {
    /// A lab as a guided run needs it: texts, choices and edges, without engine internals.
    public struct LabDetail: Codable, Sendable {
        public var id: String
        public var title: String
        public var summary: String?
        public var edges: [EdgeClaim]
        public var diagramQuestion: String
        public var exercises: [ExerciseDetail]
        /// How a run is scored, from the grader: "Scoring: 10 points for each right prediction …".
        public var scoring: String?
        /// The lab's journeys by name, for the prediction of the map.
        public var journeys: [String]?

        enum CodingKeys: String, CodingKey {
            case id, title, summary, edges, exercises, scoring, journeys
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
        /// A debrief per observed outcome, where the lab gives them (`observed_prediction` picks one).
        public var debriefs: [String: String]?
        /// The lab's fix settings, per service and knob: the learner may choose other values.
        public var fixSettings: [String: [String: KnobValue]]?
        public var hints: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, kind, brief, question, choices, attack, fix, debrief, debriefs, hints
            case fixSettings = "fix_settings"
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

extension API.LabDetail {
    /// What a guided run shows of a lab.
    package init(_ lab: Lab) {
        self.init(
            id: lab.id, title: lab.title, summary: lab.summary.isEmpty ? nil : lab.summary,
            edges: lab.architecture.map { API.EdgeClaim(edge: $0.edge.key, critical: $0.critical) },
            diagramQuestion: lab.diagramQuestion ?? "For each edge of the diagram: is it critical for the user?",
            exercises: lab.exercises.map(API.ExerciseDetail.init))
        scoring = Grader.scoringText(for: lab)
        journeys = lab.journeys.keys.sorted()
    }
}

extension API.ExerciseDetail {
    package init(_ exercise: Exercise) {
        var choices: [String: String] = [:]
        for (outcome, text) in exercise.hypothesis.choices { choices[outcome.rawValue] = text }
        let driven = exercise.expect.isEmpty ? [exercise.statusCheck.journey] : exercise.expect.keys.sorted()
        let attack = "\(exercise.attack.fault.summary) on \(exercise.attack.target.key) for \(DurationParser.format(exercise.attack.duration)), "
            + "while driving the \(driven.joined(separator: " and ")) journey\(driven.count > 1 ? "s" : "")"
        self.init(
            id: exercise.id, title: exercise.title, kind: exercise.kind.rawValue, brief: exercise.brief,
            question: exercise.hypothesis.question, choices: choices, primaryJourney: exercise.primaryJourney, attack: attack,
            attackSeconds: Int(exercise.attack.duration.components.seconds),
            fix: exercise.fix.map(describeFix), debrief: exercise.debrief, hints: exercise.hints)
        fixSettings = exercise.fix
        if !exercise.debriefs.isEmpty {
            debriefs = Dictionary(uniqueKeysWithValues: exercise.debriefs.map { ($0.key.rawValue, $0.value) })
        }
    }
}

package func describeFix(_ fix: [String: [String: KnobValue]]) -> String {
    fix.sorted { $0.key < $1.key }.map { service, knobs in
        "\(service): " + knobs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }.joined(separator: "; ")
}
