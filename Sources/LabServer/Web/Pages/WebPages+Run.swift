import Foundation
import Hummingbird
import LabDomain
import LabEngine
import LabStore
import Sandbox

// A run's page: one exercise at a time (brief, diagram, hypothesis, fix, attack), then the diagram question.
extension WebPages {
    /// The run page, or nil when the run is closed (its summary is the page to show).
    func runPage(_ runID: String) async throws -> RunPage? {
        let summary = try await RunSummaryBuilder(store: coordinator.store, catalog: catalog).summary(runID: runID)
        guard summary.finishedAt == nil, let lab = catalog.labs.first(where: { $0.id == summary.lab }) else { return nil }
        let done = Set(summary.exercises.filter(\.judged).map(\.id))
        let current = lab.exercises.firstIndex { !done.contains($0.id) }
        var steps = lab.exercises.enumerated().map { index, exercise in
            StepItem(title: exercise.title, done: done.contains(exercise.id), current: index == current)
        }
        steps.append(StepItem(title: "The diagram", done: false, current: current == nil))
        var page = RunPage(
            layout: await layout(lab.title, page: "run"), run: runID, labID: lab.id, labTitle: lab.title,
            learner: summary.learner, quick: summary.quick, steps: steps, scoring: Grader.scoringText(for: lab))
        if let current {
            let exercise = lab.exercises[current]
            let state = summary.exercises.first { $0.id == exercise.id }
            let settings = try await chosenFix(exercise, runID: runID)
            var view = exerciseView(exercise, lab: lab, number: current + 1, state: state, quick: summary.quick, settings: settings)
            view.fixKnobs = settings.map(fixKnobs) ?? []
            view.isFirst = current == 0
            if current == 0 {
                view.mapPrediction = lab.journeys.keys.sorted().map { journey in
                    PredictionRow(journey: journey, boxes: lab.architecture.map {
                        PredictionRow.Box(edge: $0.edge.key, id: "predict-\(journey)-\($0.edge.proxyName)")
                    })
                }
            }
            page.exercise = view
        } else {
            page.diagram = diagramStep(lab, answered: summary.diagram.answered, discovered: summary.diagram.discovered)
        }
        return page
    }

    private func exerciseView(_ exercise: Exercise, lab: Lab, number: Int, state: ExerciseSummary?, quick: Bool,
                              settings: [String: [String: KnobValue]]?) -> ExerciseView {
        let detail = API.ExerciseDetail(exercise)
        let text = { (text: String, markdown: Bool) in LessonHTML.render(text, settings: settings, markdown: markdown) }
        let choices = exercise.predictions.compactMap { outcome in
            exercise.hypothesis.choices[outcome].map {
                Choice(value: outcome.rawValue, label: outcome.rawValue, textHTML: text($0, false), checked: state?.hypothesis == outcome)
            }
        }
        let edges = lab.architecture.map {
            DiagramSVG.Edge(key: $0.edge.key, from: $0.edge.from, to: $0.edge.to, critical: $0.critical, underAttack: lab.edges(cutBy: exercise.attack.target).contains($0.edge))
        }
        let slo = lab.journeys[exercise.primaryJourney]?.slo
        var previous: String?
        if let state, state.status == "inconclusive" || state.status == "errored" {
            previous = "The last attempt was \(state.status): \(state.reason ?? "no reason given"). Run the status check and try again."
        }
        return ExerciseView(
            id: exercise.id, number: number, total: lab.exercises.count, title: exercise.title,
            isFix: exercise.kind == .fix, fixText: detail.fix, fixKnobs: [], briefHTML: Markdown.html(exercise.brief),
            diagramSVG: DiagramSVG(edges: edges, title: "The claimed architecture; the attacked edge is marked").render(),
            questionHTML: text(exercise.hypothesis.question, false), choices: choices, hasHypothesis: state?.hypothesis != nil,
            attackText: quick ? detail.attack + " (at most 3 s in quick mode)" : detail.attack, attackSeconds: detail.attackSeconds, journey: exercise.primaryJourney,
            sloSuccessPercent: Int(((slo?.successRate ?? 0) * 100).rounded()), sloP95Ms: Int(slo?.p95Ms ?? 0),
            debriefHTML: text(exercise.debrief, true), hintsHTML: exercise.hints.map(Markdown.html), hasHints: !exercise.hints.isEmpty,
            previousAttempt: previous,
            debriefVariants: exercise.debriefs.sorted { $0.key < $1.key }.map { DebriefVariant(outcome: $0.key.rawValue, html: text($0.value, true)) })
    }

    /// A fix exercise's settings: the learner's stored choice, or the lab's; nil for an experiment.
    private func chosenFix(_ exercise: Exercise, runID: String) async throws -> [String: [String: KnobValue]]? {
        guard let labFix = exercise.fix else { return nil }
        let stored = try await coordinator.store.answers(runID: runID)
            .first { $0.kind == .fix && $0.exerciseID == exercise.id }
            .flatMap { try? JSONDecoder().decode([String: [String: KnobValue]].self, from: $0.value) }
        return labFix.merging(stored ?? [:]) { lab, chosen in lab.merging(chosen) { $1 } }
    }

    /// The knobs of a fix exercise as form fields, set to `settings`.
    private func fixKnobs(_ settings: [String: [String: KnobValue]]) -> [FixKnob] {
        settings.sorted { $0.key < $1.key }.flatMap { service, knobs in
            knobs.sorted { $0.key < $1.key }.map { knob, value in
                switch value {
                case .bool(let on): FixKnob(service: service, knob: knob, type: "bool", isBool: true, checked: on, value: "")
                case .int(let number): FixKnob(service: service, knob: knob, type: "int", isBool: false, checked: false, value: String(number))
                case .double(let number): FixKnob(service: service, knob: knob, type: "double", isBool: false, checked: false, value: String(number))
                case .string(let text): FixKnob(service: service, knob: knob, type: "string", isBool: false, checked: false, value: text)
                }
            }
        }
    }

    /// The closing question, starting from the team's claim (as the terminal does), with the
    /// evidence of this run beside each edge.
    private func diagramStep(_ lab: Lab, answered: [String: Bool], discovered: [String: Bool?]) -> DiagramStep {
        let start = { (claimed: ClaimedEdge) in answered[claimed.edge.key] ?? claimed.critical }
        let edges = lab.architecture.map {
            DiagramSVG.Edge(key: $0.edge.key, from: $0.edge.from, to: $0.edge.to, critical: start($0))
        }
        func word(_ critical: Bool) -> String { critical ? "critical" : "not critical" }
        return DiagramStep(
            question: lab.diagramQuestion ?? "For each edge of the diagram: is it critical for the user?",
            diagramSVG: DiagramSVG(edges: edges, title: "Your diagram: press an edge to mark it critical", interactive: true).render(),
            edges: lab.architecture.map {
                DiagramEdgeChoice(key: $0.edge.key, from: $0.edge.from, to: $0.edge.to, checked: start($0),
                                  evidence: "claimed \(word($0.critical)); your experiments: "
                                      + ((discovered[$0.edge.key] ?? nil).map(word) ?? "not tested"))
            })
    }
}
