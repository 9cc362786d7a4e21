import Foundation

// The parts of a run that meet the monitoring: weather the lab brings before the status check,
// the alert rules it reloads, and the alert it watches in Alertmanager during the attack.

extension ExperimentRunner {
    /// An exercise that watches an alert needs the lab's monitoring, with the rule files as they
    /// are now: reload Prometheus. False (the result says why, nothing injected) when it cannot.
    func monitoringReady(for exercise: Exercise, result: inout ExerciseResult) async -> Bool {
        guard let alert = exercise.alert else { return true }
        if case .absent(let reason) = checks.environment.monitoring {
            result.status = .inconclusive
            result.reason = "this exercise watches the alert \(alert.name) in Alertmanager, and \(reason); no fault was injected"
            return false
        }
        if let problem = await checks.environment.reloadRules() {
            let file = exercise.rulesFix.map { " monitoring/rules/\($0.file)" } ?? " the rule files"
            result.status = .errored
            result.reason = "Prometheus could not load the alert rules (\(problem)); fix\(file) and run again"
            return false
        }
        return true
    }

    /// Puts the weather in and waits, driving the status check's journey so that the monitoring
    /// has traffic to see, until the weather shows in its check (at most `within`). False when
    /// the weather could not be injected (the result says why).
    func bringWeather(_ weather: Weather, for exercise: Exercise, result: inout ExerciseResult,
                      changes: inout Changes, events: @escaping @Sendable (RunEvent) -> Void) async -> Bool {
        let ttl = weather.within + exercise.statusCheck.window + exercise.guardrails.maxDuration + .seconds(30)
        changes.weatherAttempted = true
        do {
            let faultID = try await faults.inject(weather.fault, on: weather.target, ttl: ttl)
            changes.weatherFaultID = faultID
            events(.weatherApplied(target: weather.target, fault: weather.fault, faultID: faultID))
        } catch {
            result.status = .errored
            result.reason = "could not bring the weather (\(weather.fault.name) on \(weather.target)): \(error); "
                + "is the sandbox running?"
            return false
        }
        guard let definition = lab.statusChecks[weather.showsIn],
              let journey = lab.journeys[exercise.statusCheck.journey] else { return true }
        // Without monitoring a check that needs it can never fail: nothing to wait for.
        if definition.needsMonitoring, case .absent = checks.environment.monitoring { return true }
        let shown = Locked(false)
        let probe = JourneyProbe(journey: journey, settings: lab.probe, client: client, clock: clock)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = await probe.run(for: weather.within, stopWhen: { _ in shown.current ? "the weather shows" : nil })
            }
            group.addTask {
                while !Task.isCancelled {
                    if await evaluate(definition, events: { _ in }).outcome == .failed {
                        shown.withLock { $0 = true }
                        return
                    }
                    do { try await clock.sleep(for: .seconds(1)) } catch { return }
                }
            }
            await group.next()
            group.cancelAll()
        }
        return true
    }

    /// After the weather is taken out, waits (at most `within`) until its check passes again, so
    /// that the next experiment meets a system in steady state. False when it still fails.
    func weatherClears(_ weather: Weather) async -> Bool {
        guard let definition = lab.statusChecks[weather.showsIn] else { return true }
        // One poll a second, as many as `within` has seconds (counted on the runner's clock).
        for _ in 0...max(1, Int(weather.within.components.seconds)) {
            if await evaluate(definition, events: { _ in }).outcome != .failed { return true }
            do { try await clock.sleep(for: .seconds(1)) } catch { return false }
        }
        return false
    }

    /// True when Prometheus holds the alert neither pending nor firing for this workspace: the
    /// window of an earlier attack has drained. False also when Prometheus cannot say.
    public func alertIsQuiet(_ alert: AlertWatch) async -> Bool {
        let query = "count(ALERTS{alertname=\"\(alert.name)\", team=\"$team\"}) or vector(0)"
        let criterion = PrometheusCriterion(query: query, expect: Comparison(.equal, 0))
        return await evaluate(StatusCheckDefinition(name: "\(alert.name) quiet", criteria: [.prometheus(criterion)]),
                              events: { _ in }).passed
    }

    /// Polls Alertmanager every second for the watched alert of this workspace's team, from the
    /// fault going in until it fires or the task is cancelled. An alert already firing at the
    /// first poll (a previous run's, not yet resolved) does not count.
    func watch(_ alert: AlertWatch, since injectedAt: Date, into seen: Locked<AlertObservation?>) async {
        guard let urls = checks.environment.monitoring.urls else { return }
        let matching = ["alertname": alert.name, "team": checks.environment.team]
        var before: Set<String>?
        while !Task.isCancelled {
            if case .success(let alerts) = await AlertsCriterion.firing(at: urls.alertmanager, matching: matching, client: checks.client) {
                let known = before ?? Set(alerts.map(\.startsAt))
                before = known
                if let fresh = alerts.first(where: { !known.contains($0.startsAt) }) {
                    let after = now().timeIntervalSince(injectedAt) * 1000
                    seen.withLock { $0 = AlertObservation(name: alert.name, firedAfterMs: after, startsAt: fresh.startsAt, watchedMs: after) }
                    return
                }
            }
            do { try await clock.sleep(for: .seconds(1)) } catch { return }
        }
    }
}
