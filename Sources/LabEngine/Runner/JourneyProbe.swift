import Foundation

/// JourneyProbe drives one journey like a stream of users: `rate` iterations per second, each a
/// fresh session walking the steps in order and stopping at the first failure, each bounded by
/// the probe's timeout. Iterations overlap, so one that hangs never delays the schedule.
/// Every wait (schedule, seconds, timeouts) is on `clock`: the wall clock in a lab, a manual one in tests.
public struct JourneyProbe: Sendable {
    public let journey: Journey
    public let settings: ProbeSettings
    private let client: any JourneyStepClient
    private let clock: any Clock<Duration>

    public init(journey: Journey, settings: ProbeSettings, client: any JourneyStepClient,
                clock: any Clock<Duration> = ContinuousClock()) {
        self.journey = journey
        self.settings = settings
        self.client = client
        self.clock = clock
    }

    /// What a probe window gave: the measurement, and the reason it stopped early, if it did.
    public struct Run: Sendable {
        public var measurement: JourneyMeasurement
        public var haltedBy: String?
    }

    /// Probes for `window`. Each second, `onSample` gets that second's numbers and `stopWhen` sees
    /// the window so far: a non-nil answer halts the probe (in-flight iterations are abandoned).
    /// When the window ends, in-flight iterations get up to the timeout to finish. Cancelling the
    /// calling task ends the probe early with what was measured.
    public func run(for window: Duration,
                    onSample: @escaping @Sendable (ProbeSample) -> Void = { _ in },
                    stopWhen: @escaping @Sendable (JourneyMeasurement) -> String? = { _ in nil }) async -> Run {
        // `self.clock`, not `clock`: C's clock() function would keep the existential from opening.
        await run(for: window, on: self.clock, onSample: onSample, stopWhen: stopWhen)
    }

    /// `run(for:)` on the probe's clock, opened to its concrete type so that its instants add up.
    private func run<C: Clock<Duration>>(for window: Duration, on clock: C,
                                         onSample: @escaping @Sendable (ProbeSample) -> Void,
                                         stopWhen: @escaping @Sendable (JourneyMeasurement) -> String?) async -> Run {
        let tally = ProbeTally(journey: journey.name)
        let start = clock.now
        let end = start.advanced(by: window)
        let interval = Duration.seconds(1 / settings.rate)
        var haltedBy: String?
        var second = 0
        await withTaskGroup(of: Void.self) { group in
            var nextStart = start
            var nextTick = start.advanced(by: .seconds(1))
            while haltedBy == nil {
                let startDue = nextStart < end ? nextStart : nil
                let tickDue = nextTick <= end ? nextTick : nil
                guard let due = [startDue, tickDue].compactMap({ $0 }).min() else { break }
                do { try await Task.sleep(until: due, clock: clock) } catch { break }
                if due == tickDue {
                    onSample(tally.takeSample(second: second))
                    second += 1
                    nextTick = nextTick.advanced(by: .seconds(1))
                    haltedBy = stopWhen(tally.measurement)
                } else {
                    group.addTask { await iterate(into: tally, clock: clock) }
                    nextStart = nextStart.advanced(by: interval)
                }
            }
            if haltedBy != nil { group.cancelAll() }
            await group.waitForAll()
        }
        if tally.hasUnsampled { onSample(tally.takeSample(second: second)) }
        return Run(measurement: tally.measurement, haltedBy: haltedBy)
    }

    private enum IterationResult: Sendable {
        case success(Duration)
        case failure(String)
    }

    /// One user: the steps in order under one session id, raced against the iteration timeout.
    private func iterate<C: Clock<Duration>>(into tally: ProbeTally, clock: C) async {
        let began = clock.now
        let deadline = began.advanced(by: settings.timeout)
        let currentStep = Locked(0)
        let result = await withTaskGroup(of: IterationResult?.self) { group in
            group.addTask { await walk(from: began, until: deadline, clock: clock, currentStep: currentStep) }
            group.addTask {
                do { try await Task.sleep(until: deadline, clock: clock) } catch { return nil }
                let step = journey.steps[min(currentStep.current, journey.steps.count - 1)]
                return .failure("\(step): timed out after \(DurationParser.format(settings.timeout))")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard !Task.isCancelled, let result else { return }  // halted: not a measurement
        switch result {
        case .success(let latency): tally.recordSuccess(latency: latency)
        case .failure(let reason): tally.recordFailure(reason: reason)
        }
    }

    private func walk<C: Clock<Duration>>(from began: C.Instant, until deadline: C.Instant,
                                          clock: C, currentStep: Locked<Int>) async -> IterationResult? {
        let session = UUID().uuidString
        for (index, step) in journey.steps.enumerated() {
            currentStep.withLock { $0 = index }
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else {
                return .failure("\(step): timed out after \(DurationParser.format(settings.timeout))")
            }
            switch await client.perform(step, session: session, timeout: remaining) {
            case .success(let status) where status < 400:
                continue
            case .success(let status):
                return .failure("\(step): HTTP \(status)")
            case .failure(let reason):
                return Task.isCancelled ? nil : .failure("\(step): \(reason)")
            }
        }
        return .success(began.duration(to: clock.now))
    }
}
