import Foundation
import LabEngine
import LabStore

/// Builds a run's summary and grade from the store alone, so that both survive a restart of the lab server.
package struct RunSummaryBuilder {
    package let store: LabStore
    package let catalog: LabCatalog

    package func summary(runID: String) async throws -> RunSummary {
        guard let run = try await store.run(id: runID) else {
            throw LabError.notFound("unknown run '\(runID)'")
        }
        guard let lab = catalog.labs.first(where: { $0.id == run.labID }) else {
            throw LabError.notFound("run \(runID) belongs to lab '\(run.labID)', which is no longer in the labs folder")
        }
        let record = try await load(runID: runID)
        let errored = run.status == .errored || record.results.contains { $0.status == .errored }
        // A closed run keeps the grade it was given; an open one is graded as it stands.
        let stored = try await store.score(runID: runID).flatMap { try? JSONDecoder().decode(Score.self, from: $0.breakdown) }
        let score = stored ?? Grader.grade(lab: lab, results: record.results, diagramAnswer: record.diagram, runErrored: errored)
        var discovered: [String: Bool?] = [:]
        for edge in Grader.discoveredDiagram(lab: lab, results: record.results) { discovered[edge.edge.key] = .some(edge.critical) }
        let exercises = lab.exercises.map { exercise in
            exerciseSummary(exercise, result: record.results.first { $0.exerciseID == exercise.id },
                            hypothesis: record.hypotheses[exercise.id], score: score)
        }
        var claimed: [String: Bool] = [:]
        for claim in lab.architecture { claimed[claim.edge.key] = claim.critical }
        var summary = RunSummary(
            run: run.id, lab: lab.id, labTitle: lab.title, learner: try await learnerName(run),
            status: run.status.rawValue, quick: run.quick, score: score.score, earned: score.earned, maxPoints: score.max,
            startedAt: run.startedAt, finishedAt: run.finishedAt, exercises: exercises,
            diagram: DiagramSummary(claimed: claimed, discovered: discovered, answered: record.diagram ?? [:]),
            breakdown: score.breakdown.map { "\($0.category.rawValue) \($0.item): \($0.earned)/\($0.max) — \($0.note)" })
        let events = try await store.events(runID: runID)
        summary.map = events.last { $0.kind == Self.mapEvent }
            .flatMap { try? JSONDecoder().decode(TrafficMap.self, from: $0.payload) }
        summary.mapPrediction = events.last { $0.kind == Self.predictionEvent }
            .flatMap { try? JSONDecoder().decode(MapPrediction.self, from: $0.payload) }
        if let map = summary.map, let prediction = summary.mapPrediction { summary.mapComparison = prediction.compared(with: map) }
        return summary
    }

    /// The journal's event of a map drawn in the run; its payload is the `TrafficMap`.
    package static let mapEvent = "map_drawn"
    /// The learner's prediction of the map, kept before it is drawn; its payload is the `MapPrediction`.
    package static let predictionEvent = "map_predicted"

    /// Grades an open run from what the store holds; errored if any experiment errored.
    package func grade(runID: String, lab: Lab) async throws -> (score: Score, errored: Bool) {
        let record = try await load(runID: runID)
        let errored = record.results.contains { $0.status == .errored }
        return (Grader.grade(lab: lab, results: record.results, diagramAnswer: record.diagram, runErrored: errored), errored)
    }

    private struct Record {
        var results: [ExerciseResult]
        var hypotheses: [String: Outcome]
        var diagram: [String: Bool]?
    }

    private func load(runID: String) async throws -> Record {
        let decoder = JSONDecoder()
        let results = try await store.observations(runID: runID).compactMap {
            try? decoder.decode(ExerciseResult.self, from: $0.payload)
        }
        var hypotheses: [String: Outcome] = [:]
        var diagram: [String: Bool]?
        for answer in try await store.answers(runID: runID) {
            let value = answer.value
            if answer.kind == .hypothesis, let exercise = answer.exerciseID {
                hypotheses[exercise] = try? decoder.decode(Outcome.self, from: value)
            } else if answer.kind == .diagram {
                diagram = try? decoder.decode([String: Bool].self, from: value)
            }
        }
        return Record(results: results, hypotheses: hypotheses, diagram: diagram)
    }

    private func exerciseSummary(_ exercise: Exercise, result: ExerciseResult?, hypothesis: Outcome?, score: Score) -> ExerciseSummary {
        let lines = score.breakdown.filter { $0.category != .diagram && $0.item == exercise.id }
        var summary = ExerciseSummary(
            id: exercise.id, title: exercise.title,
            kind: exercise.kind.rawValue,
            hypothesis: result?.hypothesis ?? hypothesis,
            expected: exercise.expect, observed: result?.observed ?? [:],
            measurements: (result?.measurements ?? [:]).mapValues {
                MeasurementSummary(requests: $0.requests, successRate: $0.successRate, p50Ms: $0.p50Ms, p95Ms: $0.p95Ms)
            },
            points: lines.reduce(0) { $0 + $1.earned }, maxPoints: lines.reduce(0) { $0 + $1.max },
            status: result?.status.rawValue ?? "not_run", reason: result?.reason, haltedBy: result?.haltedBy,
            checks: result.map(\.checks).flatMap { $0.isEmpty ? nil : $0 })
        summary.observedPrediction = result.flatMap(exercise.observedPrediction)
        summary.alert = result?.alert
        summary.faultContact = result?.faultContact
        return summary
    }

    private func learnerName(_ run: RunRecord) async throws -> String {
        try await store.learnerName(id: run.learnerID) ?? "anonymous"
    }

    package init(store: LabStore, catalog: LabCatalog) {
        self.store = store
        self.catalog = catalog
    }
}
