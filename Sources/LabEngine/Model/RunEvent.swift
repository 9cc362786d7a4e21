/// RunEvent is one step of an exercise run, emitted as it happens. The engine knows no
/// subscribers: the terminal, the web page and the store each turn events into what they need.
///
/// JSON: `{"kind": "probe_sample", "journey": "checkout", "phase": "attack", "sample": {...}}`.
public enum RunEvent: Hashable, Sendable {
    case exerciseStarted(exerciseID: String, kind: ExerciseKind, hypothesis: Outcome?)
    case fixApplied(service: String, settings: [String: KnobValue])
    case statusCheckStarted(journey: String, window: Duration)
    case probeSample(journey: String, phase: ProbePhase, sample: ProbeSample)
    case statusCheckPassed(measurement: JourneyMeasurement)
    case statusCheckFailed(measurement: JourneyMeasurement, reason: String)
    /// A named status check was judged: before an attack, between scenario steps, or while polled during one.
    case checkEvaluated(verdict: CheckVerdict, phase: ProbePhase)
    case faultInjected(target: AttackTarget, fault: FaultSpec, ttl: Duration, faultID: String)
    /// The lab's weather went in before the status check: a fault the learner did not make.
    case weatherApplied(target: AttackTarget, fault: FaultSpec, faultID: String)
    case weatherCleared(target: AttackTarget)
    case guardrailTripped(reason: String)
    /// What the fault has touched so far (each second of the attack, where it can be counted).
    case faultContact(target: AttackTarget, contact: FaultContact)
    /// `faultID` is nil when the injection's outcome was unknown and every fault was removed.
    case faultRemoved(target: AttackTarget, faultID: String?)
    case exerciseFinished(result: ExerciseResult)

    /// A per-second reading (a probe sample, what the fault touched so far): for the live view,
    /// not for the timeline.
    public var isPerSecond: Bool {
        switch self {
        case .probeSample, .faultContact: true
        default: false
        }
    }

    /// The snake_case name of the event, as in the JSON `kind` field.
    public var kind: String {
        switch self {
        case .exerciseStarted: "exercise_started"
        case .fixApplied: "fix_applied"
        case .statusCheckStarted: "status_check_started"
        case .probeSample: "probe_sample"
        case .statusCheckPassed: "status_check_passed"
        case .statusCheckFailed: "status_check_failed"
        case .checkEvaluated: "check_evaluated"
        case .faultInjected: "fault_injected"
        case .weatherApplied: "weather_applied"
        case .weatherCleared: "weather_cleared"
        case .guardrailTripped: "guardrail_tripped"
        case .faultContact: "fault_contact"
        case .faultRemoved: "fault_removed"
        case .exerciseFinished: "exercise_finished"
        }
    }
}

/// ProbePhase says which window a probe sample belongs to.
public enum ProbePhase: String, Hashable, Sendable, Codable {
    case statusCheck = "status_check"
    case attack
}
