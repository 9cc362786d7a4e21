// Named status checks: judged before the attack, between scenario steps, and polled during it.

extension ExperimentRunner {
    /// Judges every criterion of `definition` in order (all of them, so that the evidence is
    /// complete) and emits the verdict.
    public func evaluate(_ definition: StatusCheckDefinition, phase: ProbePhase = .statusCheck,
                         events: @escaping @Sendable (RunEvent) -> Void) async -> CheckVerdict {
        var criteria: [CriterionVerdict] = []
        for criterion in definition.criteria {
            criteria.append(await evaluate(criterion, events: events))
        }
        let verdict = CheckVerdict(name: definition.name, criteria: criteria, at: now())
        events(.checkEvaluated(verdict: verdict, phase: phase))
        return verdict
    }

    /// The lab's named check `name`, judged now; nil when the lab has no such check.
    public func evaluate(check name: String, events: @escaping @Sendable (RunEvent) -> Void = { _ in }) async -> CheckVerdict? {
        guard let definition = lab.statusChecks[name] else { return nil }
        return await evaluate(definition, events: events)
    }

    private func evaluate(_ criterion: CheckCriterion, events: @escaping @Sendable (RunEvent) -> Void) async -> CriterionVerdict {
        let now = self.now
        switch criterion {
        case .http(let http): return await http.evaluate(checks, now: now)
        case .prometheus(let query): return await query.evaluate(checks, now: now)
        case .alerts(let alerts): return await alerts.evaluate(checks, now: now)
        case .calendar(let calendar): return await calendar.evaluate(checks, now: now)
        case .journey(let criterion): return await evaluate(criterion, events: events)
        }
    }

    private func evaluate(_ criterion: JourneyCriterion, events: @escaping @Sendable (RunEvent) -> Void) async -> CriterionVerdict {
        guard let journey = lab.journeys[criterion.journey] else {
            return CriterionVerdict(kind: "journey", criterion: criterion.summary, observed: nil, outcome: .inconclusive,
                                    reason: "unknown journey '\(criterion.journey)'", at: now())
        }
        let probe = JourneyProbe(journey: journey, settings: lab.probe, client: client, clock: clock)
        let measurement = await probe.run(for: window(criterion.window)) { sample in
            events(.probeSample(journey: journey.name, phase: .statusCheck, sample: sample))
        }.measurement
        let outcome = OutcomeClassifier.classify(measurement, journey: journey, minRequests: Self.minRequests)
        return CriterionVerdict(kind: "journey", criterion: criterion.summary, observed: "\(outcome.rawValue): \(measurement.summary)",
                                outcome: outcome == .works ? .passed : outcome == .inconclusive ? .inconclusive : .failed,
                                reason: outcome == .works ? nil : "the journey \(outcome.rawValue)", at: now())
    }

    /// The exercise's named pre-flight checks; false (with the result set to inconclusive, no
    /// fault injected) when one does not pass.
    func namedChecksHold(_ exercise: Exercise, result: inout ExerciseResult,
                         events: @escaping @Sendable (RunEvent) -> Void) async -> Bool {
        for name in exercise.statusCheck.checks {
            guard let definition = lab.statusChecks[name] else {
                result.status = .errored
                result.reason = "status check names unknown check '\(name)'"
                return false
            }
            let verdict = await evaluate(definition, events: events)
            result.checks.append(verdict)
            guard verdict.passed else {
                let reason = (verdict.reason ?? "status check '\(name)' did not pass")
                    + "; no fault was injected — an experiment on a system that is not in steady state teaches nothing"
                result.status = .inconclusive
                result.reason = reason
                result.haltedBy = Self.statusCheckGuardrail
                events(.guardrailTripped(reason: reason))
                return false
            }
        }
        return true
    }

    /// Polls the continuous checks every interval while the attack runs; returns the reason to
    /// halt at the first verdict that fails, or nil when the task is cancelled first.
    func pollContinuously(_ continuous: ContinuousCheck, events: @escaping @Sendable (RunEvent) -> Void) async -> (String, CheckVerdict)? {
        let definitions = continuous.checks.compactMap { lab.statusChecks[$0] }
        while !Task.isCancelled {
            for definition in definitions {
                let verdict = await evaluate(definition, phase: .attack, events: events)
                if Task.isCancelled { return nil }
                // Only a failure halts: a poll that cannot be judged (no data yet) is recorded and polled again.
                if verdict.outcome == .failed {
                    return ("guardrail: " + (verdict.reason ?? "status check '\(definition.name)' failed"), verdict)
                }
            }
            do {
                try await clock.sleep(for: continuous.interval)
            } catch {
                return nil
            }
        }
        return nil
    }
}

/// No HTTP client: every check that needs one is inconclusive (engine tests without checks).
public struct NoCheckClient: CheckHTTPClient {
    public init() {}

    public func fetch(_ request: CheckHTTPRequest, timeout: Duration) async -> CheckHTTPResponse {
        .failed(reason: "this runner has no HTTP client for status checks", elapsedMs: 0)
    }
}
