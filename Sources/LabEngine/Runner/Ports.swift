// The ports of the lab engine: what it needs from the world, filled by the composition root
// with real adapters (the fault proxy, the services' admin endpoints, an HTTP client) and by the
// tests with in-memory fakes.

/// FaultInjector puts faults on the sandbox's edges and services and takes them off again.
public protocol FaultInjector: Sendable {
    /// Injects `fault` on `target`; the fault reverts by itself after `ttl`. Returns the fault's id.
    func inject(_ fault: FaultSpec, on target: AttackTarget, ttl: Duration) async throws -> String
    /// Removes one fault; removing a fault that is already gone is not an error.
    func remove(faultID: String, on target: AttackTarget) async
    /// Removes every fault on every edge.
    func removeAll() async
    /// What the fault `faultID` on `target` has touched since it went in; nil when that cannot
    /// be counted (a refused edge: the kernel refuses, nothing sees the connections).
    func contact(faultID: String, on target: AttackTarget) async -> FaultContact?
}

extension FaultInjector {
    public func contact(faultID: String, on target: AttackTarget) async -> FaultContact? { nil }
}

/// ServiceConfigurator sets the resilience knobs of a demo service at run time.
public protocol ServiceConfigurator: Sendable {
    /// Sets the given knobs of `service`, leaving the others as they are.
    func apply(_ settings: [String: KnobValue], to service: String) async throws
    /// Puts every knob of `service` back to its default.
    func reset(_ service: String) async throws
}

/// JourneyStepClient performs one HTTP step of a journey against a service of the sandbox.
///
/// It must answer within `timeout` (or return promptly when its task is cancelled); a step that
/// does not answer in time is a `.failure`, never a hang.
public protocol JourneyStepClient: Sendable {
    func perform(_ step: JourneyStep, session: String, timeout: Duration) async -> StepResult
}

/// StepResult is what one step got: a response with its HTTP status, or a failure.
public enum StepResult: Hashable, Sendable {
    /// A response arrived. Statuses of 400 and above count as failures of the journey.
    case success(status: Int)
    /// No usable response: a timeout, a refused connection, a reset.
    case failure(reason: String)
}
