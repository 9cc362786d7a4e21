import Foundation

// The attack window: probe every expected journey at once, under the guardrails.

extension ExperimentRunner {
    func observe(_ exercise: Exercise, injectedAt: Date, result: inout ExerciseResult,
                 events: @escaping @Sendable (RunEvent) -> Void, faultID: String? = nil) async {
        // What the fault touched, each second, where it can be counted: shown live.
        let counted = if let faultID { await faults.contact(faultID: faultID, on: exercise.attack.target) != nil } else { false }
        // An alert needs the real time its rule takes: a watched attack is not shortened in quick mode.
        let full = min(exercise.attack.duration, exercise.guardrails.maxDuration)
        let window = exercise.alert == nil ? window(full) : full
        let alertSeen = Locked<AlertObservation?>(nil)
        let halt = Locked<String?>(nil)
        let abort = exercise.guardrails.abortWhen
        let probed = exercise.expect.isEmpty ? [exercise.statusCheck.journey] : exercise.expect.keys.sorted()
        let journeys = probed.compactMap { lab.journeys[$0] }
        let continuous = exercise.statusCheck.continuous
        let failedCheck = Locked<CheckVerdict?>(nil)
        let runs = await withTaskGroup(of: JourneyProbe.Run?.self) { group in
            for journey in journeys {
                let probe = JourneyProbe(journey: journey, settings: lab.probe, client: client, clock: clock)
                group.addTask {
                    await probe.run(for: window, onSample: { sample in
                        events(.probeSample(journey: journey.name, phase: .attack, sample: sample))
                    }, stopWhen: { measurement in
                        if let reason = halt.current { return reason }
                        guard let abort, abort.journey == journey.name,
                              let reason = Self.tripped(abort, by: measurement) else { return nil }
                        return halt.withLock { current in
                            if current == nil {
                                current = reason
                                events(.guardrailTripped(reason: reason))
                            }
                            return current
                        }
                    })
                }
            }
            if let continuous {
                group.addTask {
                    guard let (reason, verdict) = await pollContinuously(continuous, events: events) else { return nil }
                    let first = halt.withLock { current in
                        guard current == nil else { return false }
                        current = reason
                        return true
                    }
                    if first {
                        failedCheck.withLock { $0 = verdict }
                        events(.guardrailTripped(reason: reason))
                    }
                    return nil
                }
            }
            if let alert = exercise.alert {
                group.addTask {
                    await watch(alert, since: injectedAt, into: alertSeen)
                    return nil
                }
            }
            if counted, let faultID {
                let target = exercise.attack.target
                group.addTask {
                    while true {
                        do { try await clock.sleep(for: .seconds(1)) } catch { return nil }
                        guard let contact = await faults.contact(faultID: faultID, on: target) else { return nil }
                        events(.faultContact(target: target, contact: contact))
                    }
                }
            }
            var runs: [JourneyProbe.Run] = []
            for await run in group {
                if let run {
                    runs.append(run)
                    if runs.count == journeys.count { group.cancelAll() }  // the attack is over: stop polling
                } else if halt.current != nil {
                    group.cancelAll()  // a continuous check failed: end the probes now, the fault comes off next
                }
            }
            return runs
        }
        if let verdict = failedCheck.current { result.checks.append(verdict) }
        if let alert = exercise.alert {
            result.alert = alertSeen.current
                ?? AlertObservation(name: alert.name, watchedMs: now().timeIntervalSince(injectedAt) * 1000)
        }
        result.haltedBy = halt.current
        for run in runs {
            let journey = run.measurement.journey
            result.measurements[journey] = run.measurement
            if let definition = lab.journeys[journey] {
                result.observed[journey] = OutcomeClassifier.classify(run.measurement, journey: definition,
                                                                      minRequests: Self.minRequests)
            }
        }
        if Task.isCancelled {
            result.status = .errored
            result.reason = "cancelled during the attack; the fault was removed"
        } else if let thin = result.observed.filter({ $0.value == .inconclusive }).keys.sorted().first {
            result.status = .inconclusive
            result.reason = "too few \(thin) journeys completed to judge (\(result.measurements[thin]?.requests ?? 0) "
                + "of at least \(Self.minRequests)); run again with a longer attack"
        } else {
            result.status = .completed
        }
    }

    /// The reason `abort` halts the attack, given the journey so far; nil while it holds.
    static func tripped(_ abort: AbortCondition, by measurement: JourneyMeasurement) -> String? {
        guard measurement.requests >= minRequests else { return nil }
        if let floor = abort.successRateBelow, measurement.successRate < floor {
            return "guardrail: success rate \(formatted(measurement.successRate)) < \(formatted(floor))"
        }
        if let ceiling = abort.p95AboveMs, measurement.p95Ms > ceiling {
            return "guardrail: p95 \(Int(measurement.p95Ms.rounded())) ms > \(Int(ceiling.rounded())) ms"
        }
        return nil
    }
}
