// The phases of a run between the hypothesis and the rollback: fix, status check, attack.

extension ExperimentRunner {
    func perform(_ exercise: Exercise, fix chosen: [String: [String: KnobValue]]?, recentStatusCheck: JourneyMeasurement? = nil,
                 result: inout ExerciseResult, changes: inout Changes, events: @escaping @Sendable (RunEvent) -> Void) async {
        // A fix exercise applies the learner's chosen settings when there are some, else the lab's.
        let fix = exercise.fix.map { chosen ?? $0 } ?? [:]
        for (service, settings) in fix.sorted(by: { $0.key < $1.key }) {
            changes.fixedServices.append(service)
            do {
                try await config.apply(settings, to: service)
                events(.fixApplied(service: service, settings: settings))
            } catch {
                result.status = .errored
                result.reason = "could not apply the fix to \(service) (\(error)); is the sandbox running?"
                return
            }
        }
        guard await monitoringReady(for: exercise, result: &result) else { return }
        if let weather = exercise.weather {
            guard await bringWeather(weather, for: exercise, result: &result, changes: &changes, events: events) else { return }
        }
        guard await namedChecksHold(exercise, result: &result, events: events) else { return }
        if let recent = recentStatusCheck, exercise.kind == .experiment, exercise.weather == nil {
            result.statusCheck = recent  // the learner's own check, a moment ago: not probed twice
            events(.statusCheckPassed(measurement: recent))
        } else {
            guard await steadyStateHolds(exercise, result: &result, events: events) else { return }
        }
        changes.injectionAttempted = true
        let ttl = exercise.guardrails.maxDuration
        do {
            let faultID = try await faults.inject(exercise.attack.fault, on: exercise.attack.target, ttl: ttl)
            changes.faultID = faultID
            events(.faultInjected(target: exercise.attack.target, fault: exercise.attack.fault, ttl: ttl, faultID: faultID))
        } catch {
            result.status = .errored
            result.reason = "could not inject \(exercise.attack.fault.name) on \(exercise.attack.target) (\(error)); "
                + "is the sandbox running?"
            return
        }
        await observe(exercise, injectedAt: now(), result: &result, events: events, faultID: changes.faultID)
        await checkTheFaultLanded(exercise, faultID: changes.faultID, result: &result)
    }

    /// Reads what the fault touched before it comes off. A fault that touched nothing never
    /// met traffic: what the journeys did is the system without it, so nothing can be judged.
    func checkTheFaultLanded(_ exercise: Exercise, faultID: String?, result: inout ExerciseResult) async {
        guard let faultID, let contact = await faults.contact(faultID: faultID, on: exercise.attack.target) else { return }
        result.faultContact = contact
        guard result.status == .completed, contact.touchedNothing else { return }
        result.status = .inconclusive
        result.reason = "the fault never met traffic: nothing went through \(exercise.attack.target) while "
            + "\(exercise.attack.fault.name) was in force, so the journeys ran as if there were no fault; "
            + "not graded (do the journeys use that \(exercise.attack.target.noun)?)"
    }

    /// The pre-flight guardrail: probe the status-check journey and every journey the attack
    /// will judge, at once; only when each of them `works` may the attack start. The status
    /// check's own journey is the measurement shown (and the one the live chart follows).
    func steadyStateHolds(_ exercise: Exercise, result: inout ExerciseResult,
                                  events: @escaping @Sendable (RunEvent) -> Void) async -> Bool {
        let check = exercise.statusCheck
        guard let primary = lab.journeys[check.journey] else {
            result.status = .errored
            result.reason = "status check names unknown journey '\(check.journey)'"
            return false
        }
        let journeys = [primary] + exercise.expect.keys.sorted().filter { $0 != check.journey }.compactMap { lab.journeys[$0] }
        let window = window(check.window)
        events(.statusCheckStarted(journey: primary.name, window: window))
        let measurements = await withTaskGroup(of: JourneyMeasurement.self) { group in
            for journey in journeys {
                let probe = JourneyProbe(journey: journey, settings: lab.probe, client: client, clock: clock)
                group.addTask {
                    await probe.run(for: window) { sample in
                        events(.probeSample(journey: journey.name, phase: .statusCheck, sample: sample))
                    }.measurement
                }
            }
            var byJourney: [String: JourneyMeasurement] = [:]
            for await measurement in group { byJourney[measurement.journey] = measurement }
            return byJourney
        }
        guard let measurement = measurements[primary.name] else { return false }
        result.statusCheck = measurement
        if Task.isCancelled {
            result.status = .errored
            result.reason = "cancelled during the status check"
            return false
        }
        for journey in journeys {
            guard let seen = measurements[journey.name] else { continue }
            let outcome = OutcomeClassifier.classify(seen, journey: journey, minRequests: Self.minRequests)
            guard outcome == .works else {
                let reason = "steady state does not hold: \(journey.name) \(outcome.rawValue), \(seen.summary) "
                    + "(SLO: success \(formatted(journey.slo.successRate)), p95 \(Int(journey.slo.p95Ms)) ms); "
                    + "no fault was injected — wait for the sandbox to recover and run again"
                result.status = .inconclusive
                result.reason = reason
                result.haltedBy = Self.statusCheckGuardrail
                events(.statusCheckFailed(measurement: seen, reason: reason))
                events(.guardrailTripped(reason: reason))
                return false
            }
        }
        events(.statusCheckPassed(measurement: measurement))
        return true
    }
}
