import Foundation

/// CPUBurner keeps `cores` threads of its own busy (not the Swift cooperative pool, not NIO's event loops)
/// until ``stop()`` is called or its deadline passes, whichever comes first.
///
/// On Linux the threads are named `shop-cpu-burn` (see `/proc/self/task/*/comm` or `top -H`). Each spins on
/// the monotonic clock and looks at the stop flag every millisecond, so it leaves within about a millisecond.
final class CPUBurner: Sendable {
    /// The name every burning thread carries (Linux allows 15 characters).
    static let threadName = "shop-cpu-burn"

    let cores: Int
    private let state: BurnerState

    /// Starts `cores` busy threads that stop by themselves at `deadline`.
    init(cores: Int, until deadline: ContinuousClock.Instant) {
        self.cores = cores
        self.state = BurnerState(threads: cores)
        for _ in 0..<cores {
            let thread = Thread { [state] in
                Self.burn(until: deadline, state: state)
                state.threadLeft()
            }
            thread.start()
        }
    }

    /// Asks every thread to stop and returns once all have left their loop.
    func stop() async {
        await withCheckedContinuation { continuation in
            state.stop(whenDone: continuation)
        }
    }

    /// Gives the calling thread its system name. Foundation's `Thread.name` is no use here: set before
    /// `start()` it never reaches the system, and set from inside it races with `start()` returning.
    private static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        guard let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm") else { return }
        try? comm.write(contentsOf: Data(name.utf8))
        try? comm.close()
        #endif
    }

    private static func burn(until deadline: ContinuousClock.Instant, state: BurnerState) {
        nameCurrentThread(threadName)
        let clock = ContinuousClock()
        while !state.isStopping, clock.now < deadline {
            let sliceEnd = clock.now + .milliseconds(1)
            while clock.now < sliceEnd {}
        }
    }
}

/// BurnerState is what a burner shares with its threads: the stop flag, how many threads still run,
/// and who waits for them to be gone. A lock guards it; threads take it once a millisecond.
private final class BurnerState: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private var running: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(threads: Int) {
        running = threads
    }

    var isStopping: Bool {
        lock.withLock { stopping }
    }

    /// Sets the stop flag; `continuation` resumes when no thread runs any more.
    func stop(whenDone continuation: CheckedContinuation<Void, Never>) {
        let done = lock.withLock {
            stopping = true
            if running > 0 { waiters.append(continuation) }
            return running == 0
        }
        if done { continuation.resume() }
    }

    /// Called by each thread as it leaves; the last one wakes the waiters.
    func threadLeft() {
        let waiting = lock.withLock {
            running -= 1
            guard running == 0 else { return [CheckedContinuation<Void, Never>]() }
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }
}
