import Foundation
import NIOConcurrencyHelpers
import LabEngine
import LabStore

/// Runs learners' labs on the one sandbox: records hypotheses, runs each
/// experiment, keeps every event and observation in the store, and grades a
/// run from what was observed. One experiment runs at a time: the sandbox is
/// shared, and two faults at once would spoil both measurements.
actor RunCoordinator {
    let catalog: LabCatalog
    let store: LabStore
    let ports: EnginePorts
    /// Everyone watching this workspace sees each event and change as it happens.
    let feed: LiveFeed
    /// The experiment or status check in the sandbox's one slot: how to stop it, and its end.
    private var running: (run: String, exercise: String, kind: Activity, cancel: @Sendable () -> Void, done: Task<Void, Never>)?
    /// Halts in progress: no new attack may start under their feet.
    private var halting = 0

    init(catalog: LabCatalog, store: LabStore, ports: EnginePorts, feed: LiveFeed = LiveFeed()) {
        self.catalog = catalog
        self.store = store
        self.ports = ports
        self.feed = feed
    }

    /// What may hold the sandbox's experiment slot, as the live state names it.
    enum Activity: String, Sendable {
        case statusCheck = "status_check", attack, scenario

        /// In words, put before the slot's label ("attack of block-ads"; a scenario's label is "scenario ID").
        var prefix: String {
            switch self {
            case .statusCheck: "status check of "
            case .attack: "attack of "
            case .scenario: ""
            }
        }
    }

    /// What holds the sandbox's experiment slot: the run, its label (the exercise id, or
    /// `scenario ID`) and what kind of work; nil when the sandbox is free.
    var activity: (run: String, label: String, kind: Activity)? {
        running.map { ($0.run, $0.exercise, $0.kind) }
    }

    /// Passes each engine event of `runID` on to `events` and to everyone watching.
    private func broadcasting(_ runID: String, _ events: @escaping @Sendable (RunEvent) -> Void) -> @Sendable (RunEvent) -> Void {
        let feed = feed
        return { event in
            feed.publish(.event(run: runID, event))
            events(event)
        }
    }

    func lab(_ id: String) throws -> Lab {
        guard let lab = catalog.labs.first(where: { $0.id == id }) else {
            let known = catalog.labs.map(\.id).joined(separator: ", ")
            throw APIError.notFound("unknown lab '\(id)'; labs: \(known)")
        }
        return lab
    }

    func startRun(_ request: API.NewRun) async throws -> API.RunInfo {
        let lab = try lab(request.lab)
        let learner = (request.learner?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous"
        let quick = request.quick ?? false
        let run = try await store.startRun(labID: lab.id, learnerName: learner, quick: quick)
        try await store.appendEvent(runID: run.id, kind: "run_started", exerciseID: nil, payload: try encode(request))
        feed.publish(.changed("\(learner) started \(lab.title)"))
        return API.RunInfo(run: run.id, lab: lab.id, learner: learner, quick: quick)
    }

    func recordHypothesis(run runID: String, exercise exerciseID: String, _ hypothesis: API.Hypothesis) async throws {
        let (_, lab) = try await openRun(runID)
        guard lab.exercises.contains(where: { $0.id == exerciseID }) else {
            throw APIError.notFound("lab \(lab.id) has no exercise '\(exerciseID)'")
        }
        guard hypothesis.outcome != .inconclusive else {
            throw APIError.badRequest("a hypothesis is works, degraded or broken")
        }
        let attacked = try await store.observations(runID: runID).contains { $0.exerciseID == exerciseID }
        if attacked || isAttacking(run: runID, exercise: exerciseID) {
            throw APIError.conflict("the attack of \(exerciseID) has started; its hypothesis is locked")
        }
        try await store.recordHypothesis(runID: runID, exerciseID: exerciseID, value: try encode(hypothesis.outcome))
        try await store.appendEvent(runID: runID, kind: "hypothesis_recorded", exerciseID: exerciseID, payload: try encode(hypothesis))
        feed.publish(.changed("hypothesis for \(exerciseID): \(hypothesis.outcome.rawValue)"))
    }

    /// Starts one exercise's experiment and returns it; `events` sees every engine event
    /// as it happens. Refuses, with the status the API answers, an unknown run or exercise,
    /// a closed run, a missing hypothesis, an experiment already observed, or a sandbox busy
    /// with another experiment or a halt. The experiment runs on its own task: a client
    /// that goes away does not stop it halfway.
    func beginAttack(
        run runID: String, exercise exerciseID: String, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> Task<ExerciseResult, Never> {
        let runner = try await runner(run: runID, exercise: exerciseID)
        guard let hypothesis = try await storedHypothesis(runID: runID, exerciseID: exerciseID) else {
            throw APIError.conflict("record a hypothesis for \(exerciseID) before its attack (PUT .../exercises/\(exerciseID)/hypothesis)")
        }
        if try await store.observations(runID: runID).contains(where: { $0.exerciseID == exerciseID && $0.status == "completed" }) {
            throw APIError.conflict("\(exerciseID) has been observed already; an experiment is graded on its first complete observation")
        }
        let chosenFix = try await storedFix(runID: runID, exerciseID: exerciseID)
        let events = broadcasting(runID, events)
        // No suspension from this check to taking the slot below: two requests cannot both pass.
        try ensureFree()
        let store = self.store
        let task = Task<ExerciseResult, Never> {
            let journal = EventJournal(store: store, runID: runID, exerciseID: exerciseID)
            let result = await runner.run(exercise: exerciseID, hypothesis: hypothesis, fix: chosenFix) { event in
                journal.record(event)
                events(event)
            }
            await journal.close()
            let payload = (try? JSONEncoder().encode(result)) ?? Data()
            _ = try? await store.recordObservation(runID: runID, exerciseID: exerciseID, status: result.status.rawValue, payload: payload)
            await self.release(run: runID, exercise: exerciseID)
            return result
        }
        running = (runID, exerciseID, .attack, { task.cancel() }, Task { _ = await task.value })
        return task
    }

    /// Runs a game-day scenario of the run's lab: its exercises one after another, each with
    /// the hypothesis (and fix) recorded for it, stopping at the first failed status check.
    /// Holds the experiment slot for the whole scenario; each step's events and observation
    /// are stored as its own attack's would be.
    func beginScenario(
        run runID: String, scenario scenarioID: String, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> Task<ScenarioResult, Never> {
        let (run, lab) = try await openRun(runID)
        guard let scenario = lab.scenario(scenarioID) else {
            let known = lab.scenarios.map(\.id)
            throw APIError.notFound("lab \(lab.id) has no scenario '\(scenarioID)'; scenarios: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        var hypotheses: [String: Outcome] = [:]
        var fixes: [String: [String: [String: KnobValue]]] = [:]
        for step in scenario.steps {
            guard let hypothesis = try await storedHypothesis(runID: runID, exerciseID: step) else {
                throw APIError.conflict("record a hypothesis for every step of the scenario first; \(step) has none (PUT .../exercises/\(step)/hypothesis)")
            }
            hypotheses[step] = hypothesis
            fixes[step] = try await storedFix(runID: runID, exerciseID: step)
        }
        let runner = ExperimentRunner(lab: lab, faults: ports.faults, config: ports.config, client: ports.client, quick: run.quick)
        let events = broadcasting(runID, events)
        try ensureFree()
        let store = self.store
        let journal = NIOLockedValueBox<EventJournal?>(nil)
        let task = Task<ScenarioResult, Never> {
            let result = await runner.run(scenario: scenarioID, hypotheses: hypotheses, fixes: fixes, events: { event in
                if case .exerciseStarted(let exerciseID, _, _) = event {
                    journal.withLockedValue { $0 = EventJournal(store: store, runID: runID, exerciseID: exerciseID) }
                }
                journal.withLockedValue { $0 }?.record(event)
                events(event)
            }, stepFinished: { step in
                await journal.withLockedValue { $0 }?.close()
                let payload = (try? JSONEncoder().encode(step)) ?? Data()
                _ = try? await store.recordObservation(runID: runID, exerciseID: step.exerciseID, status: step.status.rawValue, payload: payload)
            })
            await self.release(run: runID, exercise: "scenario \(scenarioID)")
            return result
        }
        running = (runID, "scenario \(scenarioID)", .scenario, { task.cancel() }, Task { _ = await task.value })
        return task
    }

    /// A runner for one exercise of an open run; 404 for an unknown run or exercise, 409 for a closed run.
    private func runner(run runID: String, exercise exerciseID: String) async throws -> ExperimentRunner {
        let (run, lab) = try await openRun(runID)
        guard lab.exercises.contains(where: { $0.id == exerciseID }) else {
            throw APIError.notFound("lab \(lab.id) has no exercise '\(exerciseID)'")
        }
        return ExperimentRunner(lab: lab, faults: ports.faults, config: ports.config, client: ports.client, quick: run.quick)
    }

    private func isAttacking(run runID: String, exercise exerciseID: String) -> Bool {
        guard let running else { return false }
        return running.kind == .attack && running.run == runID && running.exercise == exerciseID
    }

    /// Runs one exercise's status check on its own (before the learner starts the attack),
    /// in the sandbox's one experiment slot; the events are stored with the run.
    func beginStatusCheck(
        run runID: String, exercise exerciseID: String, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> Task<StatusCheckResult, Never> {
        let runner = try await runner(run: runID, exercise: exerciseID)
        let events = broadcasting(runID, events)
        try ensureFree()
        let store = self.store
        let task = Task<StatusCheckResult, Never> {
            let journal = EventJournal(store: store, runID: runID, exerciseID: exerciseID)
            let result = await runner.statusCheck(exercise: exerciseID) { event in
                events(event)
                if case .probeSample = event { return }  // the per-second samples are not kept
                journal.record(event)
            } ?? StatusCheckResult(exerciseID: exerciseID, passed: false, measurement: nil, reason: "unknown exercise")
            await journal.close()
            await self.release(run: runID, exercise: exerciseID)
            return result
        }
        running = (runID, exerciseID, .statusCheck, { task.cancel() }, Task { _ = await task.value })
        return task
    }

    private func release(run runID: String, exercise exerciseID: String) {
        if running?.run == runID && running?.exercise == exerciseID { running = nil }
        feed.publish(.changed("\(exerciseID) ended"))
    }

    func recordDiagram(run runID: String, _ answer: API.DiagramAnswer) async throws {
        let (_, lab) = try await openRun(runID)
        let known = Set(lab.architecture.map(\.edge.key))
        if let unknown = answer.edges.keys.first(where: { !known.contains($0) }) {
            throw APIError.badRequest("lab \(lab.id) has no edge '\(unknown)'; edges: \(known.sorted().joined(separator: ", "))")
        }
        try await store.recordDiagramAnswer(runID: runID, value: try encode(answer.edges))
        try await store.appendEvent(runID: runID, kind: "diagram_answered", exerciseID: nil, payload: try encode(answer))
        feed.publish(.changed("diagram answered"))
    }

    /// Grades the run from the stored observations and closes it.
    func finish(run runID: String) async throws -> RunSummary {
        let (_, lab) = try await openRun(runID)
        if let running, running.run == runID {
            throw APIError.conflict("experiment \(running.exercise) of this run is still running; wait for it or halt it first")
        }
        let builder = RunSummaryBuilder(store: store, catalog: catalog)
        let (score, errored) = try await builder.grade(runID: runID, lab: lab)
        try await store.appendEvent(runID: runID, kind: "run_finished", exerciseID: nil, payload: try encode(score))
        try await store.finishRun(runID: runID, status: errored ? .errored : .finished, score: score.score, breakdown: try encode(score))
        feed.publish(.changed("run finished: score \(score.score)"))
        return try await builder.summary(runID: runID)
    }

    /// Stops the running experiment (its runner rolls the fault back) and removes every fault.
    func haltAll() async -> Int {
        halting += 1
        defer { halting -= 1 }
        var cancelled = 0
        if let running {
            running.cancel()
            await running.done.value
            cancelled = 1
        }
        await ports.faults.removeAll()
        feed.publish(.changed("halted: every fault removed"))
        return cancelled
    }

    private func ensureFree() throws {
        if halting > 0 {
            throw APIError.conflict("a halt is in progress; start the attack again in a moment")
        }
        if let running {
            throw APIError.conflict("experiment \(running.exercise) of run \(running.run) is still running; wait for it or halt it (chaoslab halt)")
        }
    }

    private func openRun(_ runID: String) async throws -> (RunRecord, Lab) {
        guard let run = try await store.run(id: runID) else {
            throw APIError.notFound("unknown run '\(runID)'; list runs with chaoslab summary")
        }
        guard run.status == .running else {
            throw APIError.conflict("run \(runID) is \(run.status.rawValue); start a new one with chaoslab run \(run.labID)")
        }
        return (run, try lab(run.labID))
    }

    /// Records the settings the learner chose for a fix exercise: only the knobs the lab's
    /// fix names, each of the type the lab gives it; knobs left out keep the lab's value.
    /// Locked, like the hypothesis, once the attack has started.
    func recordFix(run runID: String, exercise exerciseID: String, _ chosen: [String: [String: KnobValue]]) async throws {
        let (_, lab) = try await openRun(runID)
        guard let exercise = lab.exercises.first(where: { $0.id == exerciseID }) else {
            throw APIError.notFound("lab \(lab.id) has no exercise '\(exerciseID)'")
        }
        guard let labFix = exercise.fix else {
            throw APIError.badRequest("exercise \(exerciseID) is an experiment, not a fix: there is no fix to choose")
        }
        var fix = labFix
        for (service, knobs) in chosen {
            guard let known = labFix[service] else {
                throw APIError.badRequest("the fix of \(exerciseID) sets no knob of '\(service)'; services: \(labFix.keys.sorted().joined(separator: ", "))")
            }
            for (knob, value) in knobs {
                guard let labValue = known[knob] else {
                    throw APIError.badRequest("the fix of \(exerciseID) has no knob '\(knob)' on \(service); knobs: \(known.keys.sorted().joined(separator: ", "))")
                }
                fix[service]?[knob] = try Self.checked(value, like: labValue, name: "\(service).\(knob)")
            }
        }
        // Locked once an attack completed (it is graded) or while one runs; after an
        // inconclusive attempt the learner may change the fix and try again.
        let completed = try await store.observations(runID: runID).contains { $0.exerciseID == exerciseID && $0.status == "completed" }
        if completed || isAttacking(run: runID, exercise: exerciseID) {
            throw APIError.conflict("the attack of \(exerciseID) has started; its fix is locked")
        }
        try await store.recordFix(runID: runID, exerciseID: exerciseID, value: try encode(fix))
        try await store.appendEvent(runID: runID, kind: "fix_chosen", exerciseID: exerciseID, payload: try encode(fix))
        feed.publish(.changed("fix chosen for \(exerciseID)"))
    }

    /// A knob value of the lab's type: whole milliseconds from 0 to 10 minutes, a true/false, text.
    private static func checked(_ value: KnobValue, like labValue: KnobValue, name: String) throws -> KnobValue {
        func inRange(_ number: Double) throws {
            guard (0...600_000).contains(number) else { throw APIError.badRequest("\(name) must be between 0 and 600000, got \(number)") }
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
            throw APIError.badRequest("\(name) must be \(Self.typeName(labValue)) like the lab's \(labValue), got \(value)")
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

    private func storedFix(runID: String, exerciseID: String) async throws -> [String: [String: KnobValue]]? {
        let answers = try await store.answers(runID: runID)
        guard let answer = answers.first(where: { $0.kind == .fix && $0.exerciseID == exerciseID }) else { return nil }
        return try? JSONDecoder().decode([String: [String: KnobValue]].self, from: answer.value)
    }

    private func storedHypothesis(runID: String, exerciseID: String) async throws -> Outcome? {
        let answers = try await store.answers(runID: runID)
        guard let answer = answers.first(where: { $0.kind == .hypothesis && $0.exerciseID == exerciseID }) else { return nil }
        return try? JSONDecoder().decode(Outcome.self, from: answer.value)
    }
}

/// The adapters the engine runs against.
struct EnginePorts: Sendable {
    let faults: any FaultInjector
    let config: any ServiceConfigurator
    let client: any JourneyStepClient
}

func encode<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}
