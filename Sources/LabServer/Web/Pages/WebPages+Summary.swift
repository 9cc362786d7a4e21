import Foundation
import Hummingbird
import LabDomain
import LabEngine
import LabStore
import Sandbox

// A run's summary: the score, each prediction beside its outcome, the three diagrams, the timeline.
extension WebPages {
    func summaryPage(_ runID: String) async throws -> SummaryPage {
        let builder = RunSummaryBuilder(store: coordinator.store, catalog: catalog)
        let summary = try await builder.summary(runID: runID)
        let lab = catalog.labs.first { $0.id == summary.lab }
        let exercises = summary.exercises.map { exercise in
            var observed = exercise.observed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", ")
            if exercise.observedPrediction == .refused { observed = "refused by the status check" }
            if let alert = exercise.alert { observed += (observed.isEmpty ? "" : "; ") + alert.summary }
            let correct = exercise.hypothesis != nil && exercise.observedPrediction == exercise.hypothesis
            let notReached = exercise.status == "not_run" && summary.finishedAt != nil
            return SummaryExercise(
                title: exercise.title, hypothesis: exercise.hypothesis?.rawValue ?? (notReached ? "not reached" : "none"),
                observed: notReached ? "not reached: the run ended before it" : observed.isEmpty ? "not observed" : observed,
                verdict: !exercise.judged ? "– not judged" : correct ? "✓ as predicted" : "✗ not as predicted",
                correct: correct,
                measurements: exercise.measurements.sorted { $0.key < $1.key }.map { name, m in
                    let latency = m.successRate > 0 ? "p50 \(Int(m.p50Ms)) ms, p95 \(Int(m.p95Ms)) ms" : "none succeeded"
                    return "\(name): \(Int((m.successRate * 100).rounded()))% success over \(m.requests), \(latency)"
                } + (exercise.checks ?? []).map(\.evidence)
                    + [exercise.faultContact.map { "the fault met \($0.summary)" }].compactMap { $0 },
                points: exercise.points, maxPoints: exercise.maxPoints, status: exercise.status, reason: exercise.reason)
        }
        let keys = (lab?.architecture.map(\.edge) ?? [])
        func edges(_ critical: (String) -> Bool?, wrong: Set<String> = []) -> [DiagramSVG.Edge] {
            keys.map { DiagramSVG.Edge(key: $0.key, from: $0.from, to: $0.to, critical: critical($0.key), claimWrong: wrong.contains($0.key)) }
        }
        let wrong = Set(summary.diagram.claimed.compactMap { key, claimed -> String? in
            guard let found = summary.diagram.discovered[key] ?? nil else { return nil }
            return found == claimed ? nil : key
        })
        let timeline = try await coordinator.store.events(runID: runID).compactMap { TimelineRow($0, start: summary.startedAt) }
        return SummaryPage(
            layout: await layout("Summary: \(summary.labTitle)", page: "summary"), summary: summary,
            finished: summary.finishedAt != nil,
            abandonedNote: summary.status == "abandoned"
                ? "This run was abandoned after \(summary.exercises.filter(\.judged).count) of \(summary.exercises.count) exercises: "
                    + "it is scored on what was done, and what was not reached counts with 0 (the maximum is that of a complete run)."
                : nil,
            exercises: exercises, breakdown: summary.breakdown,
            claimedSVG: DiagramSVG(edges: edges({ summary.diagram.claimed[$0] }, wrong: wrong), title: "Claimed by the team").render(),
            discoveredSVG: DiagramSVG(edges: edges({ summary.diagram.discovered[$0] ?? nil }, wrong: wrong), title: "Discovered by experiment").render(),
            answeredSVG: DiagramSVG(edges: edges({ summary.diagram.answered[$0] }), title: "Your answer").render(),
            wrongClaims: wrong.sorted(), hasWrongClaims: !wrong.isEmpty, timeline: timeline, map: summary.map.map { MapView($0, prediction: summary.mapPrediction) })
    }
}
