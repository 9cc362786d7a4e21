import Foundation

/// ExperimentRunner runs one exercise of a lab against the sandbox, through the ports:
///
/// 1. refuse without a recorded hypothesis;
/// 2. apply the exercise's fix, if any;
/// 3. status check: judge the named checks, then probe steady state; if either does not hold,
///    stop here (`inconclusive`);
/// 4. inject the fault, with the guardrails' max duration as its time to live;
/// 5. observe every expected journey for the attack's duration, halting early when `abort_when`
///    trips or a continuous status check fails;
/// 6. always roll back — remove the fault, reset the fixed services — also on errors and cancellation;
/// 7. classify each journey.
///
/// In `quick` mode every probe window (status check, attack) lasts at most 3 s; the measurements
/// stay real. Probe windows, timeouts and guardrail ticks run on `clock`; `now` stamps the
/// result's start and finish: both are the wall clock in a lab, and a manual clock in tests.
public struct ExperimentRunner: Sendable {
    /// The longest probe window in quick mode.
    public static let quickWindow: Duration = .seconds(3)
    /// Fewer completed journey iterations than this cannot be judged.
    public static let minRequests = 3
    /// `haltedBy` of a run whose status check failed: no fault was injected.
    public static let statusCheckGuardrail = "guardrail: status check"

    public let lab: Lab
    public let quick: Bool
    let faults: any FaultInjector
    let config: any ServiceConfigurator
    let client: any JourneyStepClient
    let clock: any Clock<Duration>
    let now: @Sendable () -> Date
    /// What the named status checks reach: an HTTP client, the workspace's addresses, monitoring.
    let checks: StatusCheckPorts

    public init(lab: Lab, faults: any FaultInjector, config: any ServiceConfigurator, client: any JourneyStepClient,
                quick: Bool = false, clock: any Clock<Duration> = ContinuousClock(),
                now: @escaping @Sendable () -> Date = { Date() },
                checks: StatusCheckPorts = StatusCheckPorts(client: NoCheckClient(), environment: CheckEnvironment())) {
        self.checks = checks
        self.lab = lab
        self.faults = faults
        self.config = config
        self.client = client
        self.quick = quick
        self.clock = clock
        self.now = now
    }

    /// What the run changed in the sandbox, so that rollback undoes exactly that.
    struct Changes: Sendable {
        var fixedServices: [String] = []
        var injectionAttempted = false
        var faultID: String?
        var weatherAttempted = false
        var weatherFaultID: String?
    }

    /// Runs the exercise `id`. Never throws: every ending is a status of the result, which is also
    /// the payload of the final `exercise_finished` event. For a fix exercise, `fix` is the
    /// learner's choice of settings (the knobs the lab's fix names); nil applies the lab's.
    /// `recentStatusCheck`, a status check of this exercise that passed a moment ago, stands for
    /// the pre-flight probe (not on a fix exercise, whose check runs with the fix applied).
    public func run(exercise id: String, hypothesis: Outcome?, fix: [String: [String: KnobValue]]? = nil,
                    recentStatusCheck: JourneyMeasurement? = nil,
                    events: @escaping @Sendable (RunEvent) -> Void) async -> ExerciseResult {
        guard let exercise = lab.exercise(id) else {
            let known = lab.exercises.map(\.id).joined(separator: ", ")
            let result = ExerciseResult(exerciseID: id, kind: .experiment, hypothesis: hypothesis, expected: [:],
                                        status: .errored, reason: "unknown exercise '\(id)'; exercises: \(known)",
                                        startedAt: now(), finishedAt: now())
            events(.exerciseFinished(result: result))
            return result
        }
        var result = ExerciseResult(exerciseID: id, kind: exercise.kind, hypothesis: hypothesis,
                                    expected: exercise.expect, status: .errored, startedAt: now(), finishedAt: now())
        events(.exerciseStarted(exerciseID: id, kind: exercise.kind, hypothesis: hypothesis))
        if let hypothesis, exercise.predictions.contains(hypothesis) {
            var changes = Changes()
            await perform(exercise, fix: fix, recentStatusCheck: recentStatusCheck, result: &result, changes: &changes, events: events)
            if let problem = await rollBack(changes, exercise: exercise, events: events) {
                result.reason = [result.reason, problem].compactMap { $0 }.joined(separator: "; ")
            }
            if let weather = exercise.weather, changes.weatherAttempted, !(await weatherClears(weather)) {
                result.reason = [result.reason, "the weather has not cleared yet: status check \(weather.showsIn) still fails "
                                 + "\(DurationParser.format(weather.within)) after it was taken out"].compactMap { $0 }.joined(separator: "; ")
            }
        } else {
            result.status = .refused
            result.reason = "record a hypothesis first: " + exercise.predictions.map(\.rawValue).joined(separator: ", ")
        }
        result.finishedAt = now()
        result.observedPrediction = exercise.observedPrediction(result)
        events(.exerciseFinished(result: result))
        return result
    }

    /// The status check of exercise `id` on its own, as a learner runs it before deciding to
    /// attack: it probes steady state and changes nothing in the sandbox. Emits the status
    /// check's events (started, samples, passed or failed). Nil if there is no such exercise.
    public func statusCheck(exercise id: String, events: @escaping @Sendable (RunEvent) -> Void) async -> StatusCheckResult? {
        guard let exercise = lab.exercise(id) else { return nil }
        var result = ExerciseResult(exerciseID: id, kind: exercise.kind, hypothesis: nil,
                                    expected: exercise.expect, status: .completed, startedAt: now(), finishedAt: now())
        var passed = await namedChecksHold(exercise, result: &result, events: events)
        if passed { passed = await steadyStateHolds(exercise, result: &result, events: events) }
        return StatusCheckResult(exerciseID: id, passed: passed, measurement: result.statusCheck, reason: passed ? nil : result.reason,
                                 checks: result.checks)
    }

    /// Undoes `changes` in a task of its own: the run's task may be cancelled, and a cancelled
    /// task must still take the fault off the sandbox. Returns a note when a reset failed.
    func rollBack(_ changes: Changes, exercise: Exercise, events: @escaping @Sendable (RunEvent) -> Void) async -> String? {
        let faults = faults, config = config, attack = exercise.attack, weather = exercise.weather
        return await Task {
            if let weather, let faultID = changes.weatherFaultID {
                await faults.remove(faultID: faultID, on: weather.target)
                events(.weatherCleared(target: weather.target))
            } else if let weather, changes.weatherAttempted {
                await faults.removeAll()
                events(.weatherCleared(target: weather.target))
            }
            if let faultID = changes.faultID {
                await faults.remove(faultID: faultID, on: attack.target)
                events(.faultRemoved(target: attack.target, faultID: faultID))
            } else if changes.injectionAttempted {
                await faults.removeAll()
                events(.faultRemoved(target: attack.target, faultID: nil))
            }
            var failures: [String] = []
            for service in changes.fixedServices.reversed() {
                do {
                    try await config.reset(service)
                } catch {
                    failures.append("could not reset \(service) (\(error)); reset its knobs by hand")
                }
            }
            return failures.isEmpty ? nil : "rollback: " + failures.joined(separator: "; ")
        }.value
    }

    /// A probe window, capped in quick mode.
    func window(_ duration: Duration) -> Duration {
        quick ? min(duration, Self.quickWindow) : duration
    }
}
