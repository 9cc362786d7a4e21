// A game-day scenario: the lab's exercises in sequence, stopping at the first failed status check.

extension ExperimentRunner {
    /// Runs scenario `id`: each step is a whole exercise run (status check, attack, rollback)
    /// with the team's hypothesis for it. Stops before the next attack when a step's status
    /// check fails, when a step errors or is refused, or when the task is cancelled (a halt).
    ///
    /// `fixes` are the learner's settings for fix exercises (the lab's when absent); `stepFinished`
    /// hears each step's result as soon as it is known, before the next step starts, and gives
    /// back the result the scenario goes on with (the lab server stores it; a step whose store
    /// failed comes back errored, and the scenario stops there).
    public func run(scenario id: String, hypotheses: [String: Outcome], fixes: [String: [String: [String: KnobValue]]] = [:],
                    events: @escaping @Sendable (RunEvent) -> Void,
                    stepFinished: @Sendable (ExerciseResult) async -> ExerciseResult = { $0 }) async -> ScenarioResult {
        guard let scenario = lab.scenario(id) else {
            let known = lab.scenarios.map(\.id).joined(separator: ", ")
            return ScenarioResult(scenarioID: id, steps: [], stoppedAt: nil,
                                  reason: "unknown scenario '\(id)'; scenarios: \(known.isEmpty ? "none" : known)")
        }
        var result = ScenarioResult(scenarioID: id, steps: [])
        for step in scenario.sequence {
            switch step {
            case .check(let name):
                guard let definition = lab.statusChecks[name] else {
                    result.stoppedAt = "check \(name)"
                    result.reason = "scenario names unknown status check '\(name)'"
                    return result
                }
                let verdict = await evaluate(definition, phase: .statusCheck, events: events)
                result.checks.append(verdict)
                if !verdict.passed {
                    result.stoppedAt = "check \(name)"
                    result.reason = (verdict.reason ?? "status check '\(name)' did not pass") + "; no further attack ran"
                    return result
                }
            case .attack(let exercise):
                let outcome = await stepFinished(await run(exercise: exercise, hypothesis: hypotheses[exercise],
                                                           fix: fixes[exercise], events: events))
                result.steps.append(outcome)
                if let reason = Self.stopReason(after: outcome) {
                    result.stoppedAt = exercise
                    result.reason = reason
                    return result
                }
            }
            if Task.isCancelled {
                result.stoppedAt = result.steps.last?.exerciseID ?? id
                result.reason = "halted after \(result.stoppedAt!)"
                return result
            }
        }
        return result
    }

    /// Why a scenario must not go on after this step; nil when it may.
    static func stopReason(after step: ExerciseResult) -> String? {
        switch step.status {
        case .completed:
            return nil
        case .inconclusive where step.haltedBy == statusCheckGuardrail:
            return "the status check before \(step.exerciseID) failed, so no further attack ran: \(step.reason ?? "steady state does not hold")"
        case .inconclusive:
            return nil
        case .refused, .errored:
            return "\(step.exerciseID) \(step.status.rawValue): \(step.reason ?? "no reason given")"
        }
    }
}

extension ScenarioResult {
    init(scenarioID: String, steps: [ExerciseResult]) {
        self.init(scenarioID: scenarioID, steps: steps, checks: [], stoppedAt: nil, reason: nil)
    }
}
