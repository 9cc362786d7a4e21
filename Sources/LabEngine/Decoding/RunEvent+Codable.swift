// RunEvent's JSON: a `kind` and the payload's fields side by side, in snake_case; durations in
// milliseconds (`window_ms`, `ttl_ms`). A fault's `target` is an edge ("storefront->ads") or a
// service ("checkout"); events stored before service attacks existed name it `edge`.

extension RunEvent: Codable {
    private enum Keys: String, CodingKey {
        case kind, exerciseID = "exercise_id", exerciseKind = "exercise_kind", hypothesis, service, settings
        case journey, windowMs = "window_ms", phase, sample, measurement, reason, target, edge, fault, ttlMs = "ttl_ms"
        case faultID = "fault_id", result, verdict, contact
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .exerciseStarted(let id, let kind, let hypothesis):
            try c.encode(id, forKey: .exerciseID)
            try c.encode(kind, forKey: .exerciseKind)
            try c.encodeIfPresent(hypothesis, forKey: .hypothesis)
        case .fixApplied(let service, let settings):
            try c.encode(service, forKey: .service)
            try c.encode(settings, forKey: .settings)
        case .statusCheckStarted(let journey, let window):
            try c.encode(journey, forKey: .journey)
            try c.encode(window.milliseconds, forKey: .windowMs)
        case .probeSample(let journey, let phase, let sample):
            try c.encode(journey, forKey: .journey)
            try c.encode(phase, forKey: .phase)
            try c.encode(sample, forKey: .sample)
        case .statusCheckPassed(let measurement):
            try c.encode(measurement, forKey: .measurement)
        case .statusCheckFailed(let measurement, let reason):
            try c.encode(measurement, forKey: .measurement)
            try c.encode(reason, forKey: .reason)
        case .faultInjected(let target, let fault, let ttl, let id):
            try c.encode(target, forKey: .target)
            try c.encode(fault, forKey: .fault)
            try c.encode(ttl.milliseconds, forKey: .ttlMs)
            try c.encode(id, forKey: .faultID)
        case .weatherApplied(let target, let fault, let id):
            try c.encode(target, forKey: .target)
            try c.encode(fault, forKey: .fault)
            try c.encode(id, forKey: .faultID)
        case .weatherCleared(let target):
            try c.encode(target, forKey: .target)
        case .checkEvaluated(let verdict, let phase):
            try c.encode(verdict, forKey: .verdict)
            try c.encode(phase, forKey: .phase)
        case .guardrailTripped(let reason):
            try c.encode(reason, forKey: .reason)
        case .faultContact(let target, let contact):
            try c.encode(target, forKey: .target)
            try c.encode(contact, forKey: .contact)
        case .faultRemoved(let target, let id):
            try c.encode(target, forKey: .target)
            try c.encodeIfPresent(id, forKey: .faultID)
        case .exerciseFinished(let result):
            try c.encode(result, forKey: .result)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "exercise_started":
            self = .exerciseStarted(exerciseID: try c.decode(String.self, forKey: .exerciseID),
                                    kind: try c.decode(ExerciseKind.self, forKey: .exerciseKind),
                                    hypothesis: try c.decodeIfPresent(Outcome.self, forKey: .hypothesis))
        case "fix_applied":
            self = .fixApplied(service: try c.decode(String.self, forKey: .service),
                               settings: try c.decode([String: KnobValue].self, forKey: .settings))
        case "status_check_started":
            self = .statusCheckStarted(journey: try c.decode(String.self, forKey: .journey),
                                       window: .milliseconds(try c.decode(Int64.self, forKey: .windowMs)))
        case "probe_sample":
            self = .probeSample(journey: try c.decode(String.self, forKey: .journey),
                                phase: try c.decode(ProbePhase.self, forKey: .phase),
                                sample: try c.decode(ProbeSample.self, forKey: .sample))
        case "status_check_passed":
            self = .statusCheckPassed(measurement: try c.decode(JourneyMeasurement.self, forKey: .measurement))
        case "status_check_failed":
            self = .statusCheckFailed(measurement: try c.decode(JourneyMeasurement.self, forKey: .measurement),
                                      reason: try c.decode(String.self, forKey: .reason))
        case "fault_injected":
            self = .faultInjected(target: try Self.target(in: c),
                                  fault: try c.decode(FaultSpec.self, forKey: .fault),
                                  ttl: .milliseconds(try c.decode(Int64.self, forKey: .ttlMs)),
                                  faultID: try c.decode(String.self, forKey: .faultID))
        case "weather_applied":
            self = .weatherApplied(target: try Self.target(in: c), fault: try c.decode(FaultSpec.self, forKey: .fault),
                                   faultID: try c.decode(String.self, forKey: .faultID))
        case "weather_cleared":
            self = .weatherCleared(target: try Self.target(in: c))
        case "check_evaluated":
            self = .checkEvaluated(verdict: try c.decode(CheckVerdict.self, forKey: .verdict),
                                   phase: try c.decode(ProbePhase.self, forKey: .phase))
        case "guardrail_tripped":
            self = .guardrailTripped(reason: try c.decode(String.self, forKey: .reason))
        case "fault_contact":
            self = .faultContact(target: try Self.target(in: c), contact: try c.decode(FaultContact.self, forKey: .contact))
        case "fault_removed":
            self = .faultRemoved(target: try Self.target(in: c),
                                 faultID: try c.decodeIfPresent(String.self, forKey: .faultID))
        case "exercise_finished":
            self = .exerciseFinished(result: try c.decode(ExerciseResult.self, forKey: .result))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown run event '\(other)'")
        }
    }

    private static func target(in c: KeyedDecodingContainer<Keys>) throws -> AttackTarget {
        try c.decodeIfPresent(AttackTarget.self, forKey: .target) ?? .edge(try c.decode(EdgeID.self, forKey: .edge))
    }
}
