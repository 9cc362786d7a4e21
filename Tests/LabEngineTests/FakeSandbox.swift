import Foundation
@testable import LabEngine

/// FakeSandbox is an in-memory demo shop behind the three ports. It behaves like the real shop's
/// default flaws: a blackhole on storefront->ads makes the home page hang (unless storefront's
/// ads fallback is on), a blackhole on checkout->cache makes cart steps hang. Its latencies and
/// hangs are sleeps on `clock`, the manual clock that the probes under test run on.
final class FakeSandbox: FaultInjector, ServiceConfigurator, JourneyStepClient, @unchecked Sendable {
    struct State {
        var faults: [String: (target: AttackTarget, fault: FaultSpec)] = [:]
        var knobs: [String: [String: KnobValue]] = [:]
        /// Every port call, in order: "inject blackhole storefront->ads", "remove f1", "apply storefront", …
        var calls: [String] = []
        var sessionsByStep: [(step: String, session: String)] = []
        var nextID = 1
        /// What every fault reports it touched; nil: not counted (the port's default).
        var contact: FaultContact?
    }

    enum Behaviour {
        /// Follows the faults and knobs, like the real shop.
        case realistic
        /// Every checkout POST answers 503: steady state does not hold.
        case checkoutDown
        /// Every step hangs until cancelled, whatever its timeout.
        case hangsIgnoringTimeouts
        /// Healthy until a fault is injected; then every step hangs until cancelled, whatever its timeout.
        case hangsUnderFaultIgnoringTimeouts
        /// Healthy until the first fault is injected; every checkout POST answers 503 from then
        /// on, even after the fault is removed: the first attack did lasting damage.
        case checkoutDownAfterFirstFault
    }

    let state = Locked(State())
    let behaviour: Behaviour
    let failInjection: Bool
    let clock: ManualClock

    init(_ behaviour: Behaviour = .realistic, failInjection: Bool = false, clock: ManualClock = ManualClock()) {
        self.behaviour = behaviour
        self.failInjection = failInjection
        self.clock = clock
    }

    var calls: [String] { state.current.calls }
    var activeFaults: Int { state.current.faults.count }

    // MARK: FaultInjector

    func inject(_ fault: FaultSpec, on target: AttackTarget, ttl: Duration) async throws -> String {
        try state.withLock { state in
            state.calls.append("inject \(fault.name) \(target.key)")
            if failInjection { throw FakeError.proxyDown }
            let id = "f\(state.nextID)"
            state.nextID += 1
            state.faults[id] = (target, fault)
            return id
        }
    }

    func remove(faultID: String, on target: AttackTarget) async {
        state.withLock { state in
            state.calls.append("remove \(faultID)")
            state.faults[faultID] = nil
        }
    }

    func contact(faultID: String, on target: AttackTarget) async -> FaultContact? {
        state.current.contact
    }

    func removeAll() async {
        state.withLock { state in
            state.calls.append("remove all")
            state.faults = [:]
        }
    }

    // MARK: ServiceConfigurator

    func apply(_ settings: [String: KnobValue], to service: String) async throws {
        state.withLock { state in
            state.calls.append("apply \(service)")
            state.knobs[service, default: [:]].merge(settings) { $1 }
        }
    }

    func reset(_ service: String) async throws {
        state.withLock { state in
            state.calls.append("reset \(service)")
            state.knobs[service] = nil
        }
    }

    // MARK: JourneyStepClient

    func perform(_ step: JourneyStep, session: String, timeout: Duration) async -> StepResult {
        let (faults, knobs, injected) = state.withLock { state in
            state.sessionsByStep.append((step.description, session))
            return (Set(state.faults.values.map { "\($0.fault.name) \($0.target.key)" }), state.knobs, state.nextID > 1)
        }
        switch behaviour {
        case .hangsIgnoringTimeouts:
            try? await clock.sleep(for: .seconds(3600))
            return .failure(reason: "cancelled")
        case .hangsUnderFaultIgnoringTimeouts where !faults.isEmpty:
            try? await clock.sleep(for: .seconds(3600))
            return .failure(reason: "cancelled")
        case .checkoutDown where step.method == .post:
            return .success(status: 503)
        case .checkoutDownAfterFirstFault where injected && step.method == .post:
            return .success(status: 503)
        default:
            break
        }
        if faults.contains("blackhole storefront->ads"), step.path == "/" {
            guard knobs["storefront"]?["ads_fallback"] == .bool(true) else { return await hang(for: timeout) }
            try? await clock.sleep(for: .milliseconds(50))
        }
        if faults.contains("blackhole checkout->cache"), step.path.hasPrefix("/api/") {
            return await hang(for: timeout)
        }
        return .success(status: 200)
    }

    /// A well-behaved client under a blackhole: waits out its timeout, then fails. Its timer starts
    /// after the probe's, so it fires a moment after the iteration's deadline, as a real one does.
    private func hang(for timeout: Duration) async -> StepResult {
        try? await clock.sleep(for: timeout + .milliseconds(1))
        return .failure(reason: "timed out")
    }

    enum FakeError: Error { case proxyDown }
}

/// EventLog keeps the events of a run and lets a test wait for one without sleeping.
final class EventLog: @unchecked Sendable {
    private let events = Locked<[RunEvent]>([])
    private let continuation: AsyncStream<RunEvent>.Continuation
    let stream: AsyncStream<RunEvent>

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self)
    }

    var all: [RunEvent] { events.current }
    var kinds: [String] { all.map(\.kind).filter { $0 != "probe_sample" } }

    var record: @Sendable (RunEvent) -> Void {
        { [events, continuation] event in
            events.withLock { $0.append(event) }
            continuation.yield(event)
        }
    }

    /// Waits until an event of this kind has been emitted.
    func waitFor(_ kind: String) async {
        for await event in stream where event.kind == kind { return }
    }

    func samples(_ phase: ProbePhase) -> [ProbeSample] {
        all.compactMap { event in
            if case .probeSample(_, phase, let sample) = event { return sample }
            return nil
        }
    }
}
