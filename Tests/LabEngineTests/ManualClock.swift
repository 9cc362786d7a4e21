import Foundation
@testable import LabEngine

/// ManualClock is the probes' clock in tests: time stands still until `run(_:)` moves it, and it
/// moves only when every task of the run has reached its next sleep (or ended), straight to the
/// earliest deadline, waking sleepers in deadline order (ties in the order they fell asleep).
///
/// Why not pointfreeco/swift-clocks' `TestClock` (1.1.1 resolves here): its `advance(by:)` lets
/// sleepers register by yielding to the global executor a fixed number of times, which does not
/// promise that a probe's freshly added iterations have reached their sleep. In a trial of 80
/// probe runs on a `TestClock` under the parallel test run on two cores, two runs out of three
/// hung, most likely on a sleep that registered after `advance` had returned and so was never
/// woken. `VirtualTimeExecutor` instead knows when no task can run, so every run is the same run.
final class ManualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        /// Time since the clock was made.
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        static func - (lhs: Instant, rhs: Instant) -> Duration { rhs.duration(to: lhs) }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let state = Locked((now: Instant(offset: .zero), sleepers: [Sleeper](), nextID: 0))
    /// The wall-clock date the clock's zero stands for, so that result timestamps follow it.
    let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Instant { state.current.now }
    var minimumResolution: Duration { .zero }

    /// `now` as a date, for the runner's `now`.
    var date: Date {
        let (seconds, attoseconds) = now.offset.components
        return epoch.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// How many tasks are asleep on this clock.
    var sleepers: Int { state.current.sleepers.count }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let verdict: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let verdict { continuation.resume(with: verdict) }
            }
        } onCancel: {
            let woken = state.withLock { state in
                state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) }
            }
            woken?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time to the earliest deadline and wakes every sleeper due then; nothing if none sleeps.
    func advanceToNextDeadline() {
        let due: [Sleeper] = state.withLock { state in
            guard let next = state.sleepers.map(\.deadline).min() else { return [] }
            state.now = next
            let due = state.sleepers.filter { $0.deadline == next }
            state.sleepers.removeAll { $0.deadline == next }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Runs `body` and every child task it starts on one thread, moving this clock whenever none
    /// of them can run, until `body` returns. Sleeping on the clock outside `run` waits forever.
    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        let executor = VirtualTimeExecutor(clock: self)
        defer { executor.stop() }
        return await withTaskExecutorPreference(executor) { await body() }
    }
}
