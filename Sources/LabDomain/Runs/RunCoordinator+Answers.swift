import Foundation
import LabEngine
import LabStore

// A run's life and the learner's answers: start, hypotheses, the chosen fix, the diagram, and
// the grade at the end. Every answer is checked against the lab before it is stored.
extension RunCoordinator {
    package func startRun(_ request: API.NewRun) async throws -> API.RunInfo {
        let lab = try lab(request.lab)
        let learner = (request.learner?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous"
        let quick = request.quick ?? false
        // One open run per learner and lab: a new start ends the earlier one as abandoned
        // (graded on what was done), so that no run stays "running" for ever.
        var abandoned: [String] = []
        for earlier in try await store.openRuns(learnerName: learner, labID: lab.id) {
            _ = try await abandon(run: earlier.id, reason: "replaced by a new run of the same lab")
            abandoned.append(earlier.id)
        }
        let run = try await store.startRun(labID: lab.id, learnerName: learner, quick: quick)
        try await store.appendEvent(runID: run.id, kind: "run_started", exerciseID: nil, payload: try encode(request))
        feed.publish(.changed("\(learner) started \(lab.title)"))
        return API.RunInfo(run: run.id, lab: lab.id, learner: learner, quick: quick, abandoned: abandoned.isEmpty ? nil : abandoned)
    }

    /// Ends an open run before its last step: halts its experiment if one runs (the runner
    /// rolls its fault back), grades what was done (the maximum stays that of a complete run)
    /// and closes it as `abandoned`.
    package func abandon(run runID: String, reason: String = "abandoned by the learner") async throws -> RunSummary {
        let (_, lab) = try await openRun(runID)
        if let running, running.run == runID {
            running.cancel()
            await running.done.value
        }
        let builder = RunSummaryBuilder(store: store, catalog: catalog)
        let (score, _) = try await builder.grade(runID: runID, lab: lab)
        try await store.appendEvent(runID: runID, kind: "run_abandoned", exerciseID: nil, payload: try encode(["reason": reason]))
        try await store.finishRun(runID: runID, status: .abandoned, score: score.score, breakdown: try encode(score))
        feed.publish(.changed("run abandoned: score \(score.score)"))
        return try await builder.summary(runID: runID)
    }

    /// The learner's open runs, newest first, each with how far it got: what `chaoslab run
    /// --resume` and the home page's "continue" offer.
    package func openRuns(learner name: String) async throws -> [API.OpenRun] {
        let builder = RunSummaryBuilder(store: store, catalog: catalog)
        var runs: [API.OpenRun] = []
        for run in try await store.openRuns(learnerName: name) {
            guard let summary = try? await builder.summary(runID: run.id) else { continue }  // its lab is gone
            let next = summary.exercises.first { !$0.judged }
            runs.append(API.OpenRun(
                run: run.id, lab: run.labID, labTitle: summary.labTitle, quick: run.quick, startedAt: run.startedAt,
                done: summary.exercises.filter(\.judged).count, total: summary.exercises.count,
                next: next?.title ?? "the diagram"))
        }
        return runs
    }

    package func recordHypothesis(run runID: String, exercise exerciseID: String, _ hypothesis: API.Hypothesis) async throws {
        let (_, lab) = try await openRun(runID)
        guard let exercise = lab.exercise(exerciseID) else {
            throw LabError.notFound("lab \(lab.id) has no exercise '\(exerciseID)'")
        }
        guard exercise.predictions.contains(hypothesis.outcome) else {
            throw LabError.invalid("the hypothesis of \(exerciseID) is one of "
                                   + exercise.predictions.map(\.rawValue).joined(separator: ", ") + ", not \(hypothesis.outcome.rawValue)")
        }
        let attacked = try await store.observations(runID: runID).contains { $0.exerciseID == exerciseID }
        if attacked || isAttacking(run: runID, exercise: exerciseID) {
            throw LabError.conflict("the attack of \(exerciseID) has started; its hypothesis is locked")
        }
        try await store.recordHypothesis(runID: runID, exerciseID: exerciseID, value: try encode(hypothesis.outcome))
        try await store.appendEvent(runID: runID, kind: "hypothesis_recorded", exerciseID: exerciseID, payload: try encode(hypothesis))
        feed.publish(.changed("hypothesis for \(exerciseID): \(hypothesis.outcome.rawValue)"))
    }

    package func recordDiagram(run runID: String, _ answer: API.DiagramAnswer) async throws {
        let (_, lab) = try await openRun(runID)
        let known = Set(lab.architecture.map(\.edge.key))
        if let unknown = answer.edges.keys.first(where: { !known.contains($0) }) {
            throw LabError.invalid("lab \(lab.id) has no edge '\(unknown)'; edges: \(known.sorted().joined(separator: ", "))")
        }
        try await store.recordDiagramAnswer(runID: runID, value: try encode(answer.edges))
        try await store.appendEvent(runID: runID, kind: "diagram_answered", exerciseID: nil, payload: try encode(answer))
        feed.publish(.changed("diagram answered"))
    }

    /// Grades the run from the stored observations and closes it.
    package func finish(run runID: String) async throws -> RunSummary {
        let (_, lab) = try await openRun(runID)
        if let running, running.run == runID {
            throw LabError.conflict("experiment \(running.label) of this run is still running; wait for it or halt it first")
        }
        let builder = RunSummaryBuilder(store: store, catalog: catalog)
        let (score, errored) = try await builder.grade(runID: runID, lab: lab)
        try await store.appendEvent(runID: runID, kind: "run_finished", exerciseID: nil, payload: try encode(score))
        try await store.finishRun(runID: runID, status: errored ? .errored : .finished, score: score.score, breakdown: try encode(score))
        feed.publish(.changed("run finished: score \(score.score)"))
        return try await builder.summary(runID: runID)
    }

    /// Records the settings the learner chose for a fix exercise: only the knobs the lab's
    /// fix names, each of the type the lab gives it; knobs left out keep the lab's value.
    /// Locked, like the hypothesis, once the attack has started.
    package func recordFix(run runID: String, exercise exerciseID: String, _ chosen: [String: [String: KnobValue]]) async throws {
        let (_, lab) = try await openRun(runID)
        guard let exercise = lab.exercises.first(where: { $0.id == exerciseID }) else {
            throw LabError.notFound("lab \(lab.id) has no exercise '\(exerciseID)'")
        }
        guard let labFix = exercise.fix else {
            throw LabError.invalid("exercise \(exerciseID) is an experiment, not a fix: there is no fix to choose")
        }
        var fix = labFix
        for (service, knobs) in chosen {
            guard let known = labFix[service] else {
                throw LabError.invalid("the fix of \(exerciseID) sets no knob of '\(service)'; services: \(labFix.keys.sorted().joined(separator: ", "))")
            }
            for (knob, value) in knobs {
                guard let labValue = known[knob] else {
                    throw LabError.invalid("the fix of \(exerciseID) has no knob '\(knob)' on \(service); knobs: \(known.keys.sorted().joined(separator: ", "))")
                }
                fix[service]?[knob] = try Self.checked(value, like: labValue, name: "\(service).\(knob)")
            }
        }
        // Locked once an attack completed (it is graded) or while one runs; after an
        // inconclusive attempt the learner may change the fix and try again.
        let completed = try await store.observations(runID: runID).contains { $0.exerciseID == exerciseID && $0.status == "completed" }
        if completed || isAttacking(run: runID, exercise: exerciseID) {
            throw LabError.conflict("the attack of \(exerciseID) has started; its fix is locked")
        }
        try await store.recordFix(runID: runID, exerciseID: exerciseID, value: try encode(fix))
        try await store.appendEvent(runID: runID, kind: "fix_chosen", exerciseID: exerciseID, payload: try encode(fix))
        feed.publish(.changed("fix chosen for \(exerciseID)"))
    }

    /// A knob value of the lab's type: whole milliseconds from 0 to 10 minutes, a true/false, text.
    private static func checked(_ value: KnobValue, like labValue: KnobValue, name: String) throws -> KnobValue {
        func inRange(_ number: Double) throws {
            guard (0...600_000).contains(number) else { throw LabError.invalid("\(name) must be between 0 and 600000, got \(number)") }
        }
        switch (labValue, value) {
        case (.bool, .bool), (.string, .string):
            return value
        case (.int, .int(let number)):
            try inRange(Double(number))
            return value
        case (.double, .int(let number)):
            try inRange(Double(number))
            return .double(Double(number))
        case (.double, .double(let number)):
            try inRange(number)
            return value
        default:
            throw LabError.invalid("\(name) must be \(Self.typeName(labValue)) like the lab's \(labValue), got \(value)")
        }
    }

    private static func typeName(_ value: KnobValue) -> String {
        switch value {
        case .bool: "true or false"
        case .int: "a whole number"
        case .double: "a number"
        case .string: "text"
        }
    }

    func storedFix(runID: String, exerciseID: String) async throws -> [String: [String: KnobValue]]? {
        let answers = try await store.answers(runID: runID)
        guard let answer = answers.first(where: { $0.kind == .fix && $0.exerciseID == exerciseID }) else { return nil }
        return try? JSONDecoder().decode([String: [String: KnobValue]].self, from: answer.value)
    }

    func storedHypothesis(runID: String, exerciseID: String) async throws -> Outcome? {
        let answers = try await store.answers(runID: runID)
        guard let answer = answers.first(where: { $0.kind == .hypothesis && $0.exerciseID == exerciseID }) else { return nil }
        return try? JSONDecoder().decode(Outcome.self, from: answer.value)
    }
}
