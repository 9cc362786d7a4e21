import Foundation

/// VirtualTimeExecutor runs the jobs of the tasks that prefer it, one at a time and in order, on a
/// thread of its own; when it has no job left, every such task is asleep (or waits on another), so
/// it moves its `ManualClock` to the next deadline, like SwiftNIO's `EmbeddedEventLoop`.
///
/// Task groups and `async let` inherit the preference; an unstructured `Task {}` does not, and
/// work it does meanwhile is not waited for before the clock moves (the runner's rollback task
/// sleeps on no clock, so that is fine here).
final class VirtualTimeExecutor: TaskExecutor, @unchecked Sendable {
    private let clock: ManualClock
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init(clock: ManualClock) {
        self.clock = clock
        let thread = Thread { [self] in drive() }
        thread.name = "virtual time"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once its jobs are done; the executor's tasks must have finished.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func drive() {
        while let job = nextJob() {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// The next job to run: a queued one, else one that moving the clock wakes, else whatever
    /// arrives from outside; nil once stopped with nothing left to run. After moving the clock it
    /// waits for the woken tasks' jobs, so that time never moves twice without a job in between.
    private func nextJob() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if !jobs.isEmpty { return jobs.removeFirst() }
            if stopped { return nil }
            condition.unlock()
            clock.advanceToNextDeadline()
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
        }
    }
}
