import Foundation
import LabEngine
import LabStore
import NIOConcurrencyHelpers

// The experiments of a run, each in the sandbox's one slot: a status check on its own, an
// exercise's attack, a game-day scenario. Each refuses, before anything starts, an unknown run
// or exercise, a closed run, or a busy sandbox; each stores its events as they happen.
extension RunCoordinator {
    /// Starts one exercise's experiment; `events` sees every engine event as it happens. Refuses
    /// too a missing hypothesis and an experiment that was observed already.
    package func beginAttack(
        run runID: String, exercise exerciseID: String, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> Task<ExerciseResult, Never> {
        let runner = try await runner(run: runID, exercise: exerciseID)
        guard let hypothesis = try await storedHypothesis(runID: runID, exerciseID: exerciseID) else {
            throw LabError.conflict("record a hypothesis for \(exerciseID) before its attack (PUT .../exercises/\(exerciseID)/hypothesis)")
        }
        if try await store.observations(runID: runID).contains(where: { $0.exerciseID == exerciseID && $0.status == "completed" }) {
            throw LabError.conflict("\(exerciseID) has been observed already; an experiment is graded on its first complete observation")
        }
        let chosenFix = try await storedFix(runID: runID, exerciseID: exerciseID)
        let events = broadcasting(runID, events)
        let store = store, logger = logger
        // The learner's own status check a moment ago stands for this attack's (used once), unless
        // a fault is in force now: then steady state is probed again.
        let passed = passedChecks.removeValue(forKey: "\(runID)/\(exerciseID)")
        let recent = await faultsInForce() ? nil : passed.flatMap { ContinuousClock.now - $0.at < Self.freshCheck ? $0.measurement : nil }
        return try occupySlot(run: runID, label: exerciseID, kind: .attack) {
            let journal = EventJournal(store: store, runID: runID, exerciseID: exerciseID, logger: logger)
            var result = await runner.run(exercise: exerciseID, hypothesis: hypothesis, fix: chosenFix, recentStatusCheck: recent) { event in
                journal.record(event)
                events(event)
            }
            if let failure = await journal.close() { result.reason = [result.reason, failure].compactMap { $0 }.joined(separator: "; ") }
            return await self.storeObservation(result, run: runID)
        }
    }

    /// Runs a game-day scenario of the run's lab: its exercises one after another, each with
    /// the hypothesis (and fix) recorded for it, stopping at the first failed status check.
    /// Holds the slot for the whole scenario; each step's events and observation are stored as
    /// its own attack's would be.
    package func beginScenario(
        run runID: String, scenario scenarioID: String, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> Task<ScenarioResult, Never> {
        let (run, lab) = try await openRun(runID)
        guard let scenario = lab.scenario(scenarioID) else {
            let known = lab.scenarios.map(\.id)
            throw LabError.notFound("lab \(lab.id) has no scenario '\(scenarioID)'; scenarios: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        var hypotheses: [String: Outcome] = [:]
        var fixes: [String: [String: [String: KnobValue]]] = [:]
        for step in scenario.steps {
            guard let hypothesis = try await storedHypothesis(runID: runID, exerciseID: step) else {
                throw LabError.conflict("record a hypothesis for every step of the scenario first; \(step) has none (PUT .../exercises/\(step)/hypothesis)")
            }
            hypotheses[step] = hypothesis
            fixes[step] = try await storedFix(runID: runID, exerciseID: step)
        }
        let runner = ExperimentRunner(lab: lab, faults: ports.faults, config: ports.config, client: ports.client, quick: run.quick,
                                      checks: checkPorts(own: (runID, "scenario \(scenarioID)")))
        let events = broadcasting(runID, events)
        let store = store, logger = logger, recorded = (hypotheses: hypotheses, fixes: fixes)
        let journal = NIOLockedValueBox<EventJournal?>(nil)
        return try occupySlot(run: runID, label: "scenario \(scenarioID)", kind: .scenario) {
            await runner.run(scenario: scenarioID, hypotheses: recorded.hypotheses, fixes: recorded.fixes, events: { event in
                if case .exerciseStarted(let exerciseID, _, _) = event {
                    journal.withLockedValue { $0 = EventJournal(store: store, runID: runID, exerciseID: exerciseID, logger: logger) }
                }
                journal.withLockedValue { $0 }?.record(event)
                events(event)
            }, stepFinished: { step in
                var step = step
                if let failure = await journal.withLockedValue({ $0 })?.close() {
                    step.reason = [step.reason, failure].compactMap { $0 }.joined(separator: "; ")
                }
                return await self.storeObservation(step, run: runID)
            })
        }
    }

    /// Runs one exercise's status check on its own (before the learner starts the attack); it
    /// changes nothing in the sandbox, and its events are stored with the run.
    package func beginStatusCheck(
        run runID: String, exercise exerciseID: String, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> Task<StatusCheckResult, Never> {
        let runner = try await runner(run: runID, exercise: exerciseID)
        let events = broadcasting(runID, events)
        let store = store, logger = logger
        return try occupySlot(run: runID, label: exerciseID, kind: .statusCheck) {
            let journal = EventJournal(store: store, runID: runID, exerciseID: exerciseID, logger: logger)
            var result = await runner.statusCheck(exercise: exerciseID) { event in
                events(event)
                if event.isPerSecond { return }  // the per-second samples are not kept
                journal.record(event)
            } ?? StatusCheckResult(exerciseID: exerciseID, passed: false, measurement: nil, reason: "unknown exercise")
            if let failure = await journal.close() { result.reason = [result.reason, failure].compactMap { $0 }.joined(separator: "; ") }
            if result.passed, let measurement = result.measurement {
                await self.remember(passed: measurement, run: runID, exercise: exerciseID)
            }
            return result
        }
    }

    private func remember(passed measurement: JourneyMeasurement, run runID: String, exercise exerciseID: String) {
        passedChecks["\(runID)/\(exerciseID)"] = (measurement, ContinuousClock.now)
    }

    /// A runner for one exercise of an open run; `notFound` for an unknown run or exercise, `conflict` for a closed run.
    private func runner(run runID: String, exercise exerciseID: String, label: String? = nil) async throws -> ExperimentRunner {
        let (run, lab) = try await openRun(runID)
        guard lab.exercises.contains(where: { $0.id == exerciseID }) else {
            throw LabError.notFound("lab \(lab.id) has no exercise '\(exerciseID)'")
        }
        return ExperimentRunner(lab: lab, faults: ports.faults, config: ports.config, client: ports.client, quick: run.quick,
                                checks: checkPorts(own: (runID, label ?? exerciseID)))
    }
}
