import CFastLane
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread that forwards the fast-path connections given to it: an edge-triggered epoll
/// loop over raw sockets, `read` into one buffer and `send` out of it, no channel pipeline,
/// no allocation per chunk. The proxy puts a connection here while no toxic is in force on
/// it and moves it to the toxic chain (an event loop) as soon as one is (see `FastConnection`).
///
/// Lanes are shared by every proxy of the process, one per core, and live as long as it.
/// Everything but `execute` runs on the lane's own thread.
final class FastLane: @unchecked Sendable {
    /// The process's lanes, started on first use: one per core, or `CHAOSLAB_PROXY_LANES`.
    static let all: [FastLane] = (0..<FastLane.laneCount).map { FastLane(index: $0) }

    private static var laneCount: Int {
        guard let raw = getenv("CHAOSLAB_PROXY_LANES").map({ String(cString: $0) }) else { return System.coreCount }
        guard let asked = Int(raw), asked > 0 else {
            let warning = "chaoslab: CHAOSLAB_PROXY_LANES=\(raw) is not a positive whole number; using \(System.coreCount) (one per CPU)\n"
            _ = warning.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            return System.coreCount
        }
        return asked
    }
    private static let nextIndex = NIOLockedValueBox(0)

    /// The lane for a new connection (round robin).
    static func next() -> FastLane {
        let index = Self.nextIndex.withLockedValue { index in
            defer { index = (index + 1) % Self.all.count }
            return index
        }
        return Self.all[index]
    }

    /// Bytes one `read` takes at most; the buffer every connection of the lane reads into.
    static let chunkSize = 256 * 1024
    let buffer: UnsafeMutableRawBufferPointer

    private let epoll: CInt
    private let wakeUp: CInt
    private static let wakeToken = UInt64.max
    private let inbox = NIOLockedValueBox<[@Sendable () -> Void]>([])
    /// By connection id: token = id << 1 | side (0 client, 1 upstream).
    private var connections: [UInt64: FastConnection] = [:]
    private var nextID: UInt64 = 0
    /// Connections whose upstream socket is still connecting, by id: when they give up.
    private var dialDeadlines: [UInt64: NIODeadline] = [:]

    private init(index: Int) {
        self.epoll = chaoslab_lane_create()
        self.wakeUp = chaoslab_lane_eventfd()
        precondition(self.epoll >= 0 && self.wakeUp >= 0, "the fault proxy's fast path needs epoll and eventfd (errno \(errno))")
        precondition(chaoslab_lane_add(self.epoll, self.wakeUp, Self.wakeToken) == 0, "epoll_ctl failed (errno \(errno))")
        self.buffer = .allocate(byteCount: Self.chunkSize, alignment: 64)
        Self.startThread(self, name: "chaoslab-lane-\(index)")
    }

    /// Runs `work` on the lane's thread, after the events it is handling now.
    func execute(_ work: @escaping @Sendable () -> Void) {
        let wasEmpty = self.inbox.withLockedValue { inbox in
            inbox.append(work)
            return inbox.count == 1
        }
        // The lane drains the eventfd before it takes the inbox: a signal sent for an inbox
        // that was empty is never lost.
        if wasEmpty { chaoslab_lane_signal(self.wakeUp) }
    }

    // MARK: On the lane's thread

    /// Watches both sockets of `connection`; false (and nothing watched) if epoll refuses.
    func add(_ connection: FastConnection) -> Bool {
        let id = self.nextID
        self.nextID += 1
        connection.id = id
        guard chaoslab_lane_add(self.epoll, connection.sockets.0, id << 1) == 0 else { return false }
        guard chaoslab_lane_add(self.epoll, connection.sockets.1, id << 1 | 1) == 0 else {
            _ = chaoslab_lane_remove(self.epoll, connection.sockets.0)
            return false
        }
        self.connections[id] = connection
        return true
    }

    /// `connection`'s upstream is connecting: it gives up at `deadline` unless `dialed` comes first.
    func dialing(_ connection: FastConnection, until deadline: NIODeadline) {
        self.dialDeadlines[connection.id] = deadline
    }

    func dialed(_ connection: FastConnection) {
        self.dialDeadlines.removeValue(forKey: connection.id)
    }

    /// Stops watching both sockets of `connection` (they stay open).
    func remove(_ connection: FastConnection) {
        self.dialDeadlines.removeValue(forKey: connection.id)
        guard self.connections.removeValue(forKey: connection.id) != nil else { return }
        _ = chaoslab_lane_remove(self.epoll, connection.sockets.0)
        _ = chaoslab_lane_remove(self.epoll, connection.sockets.1)
    }

    private var threadName = ""

    private func run() -> Never {
        chaoslab_lane_name_thread(self.threadName)
        let capacity = 256
        let tokens = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        let events = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        while true {
            let count = chaoslab_lane_wait(self.epoll, tokens, events, CInt(capacity), self.waitTimeout())
            self.giveUpLateDials()
            guard count > 0 else { continue }  // a dial's deadline, or EINTR
            for index in 0..<Int(count) {
                let token = tokens[index]
                if token == Self.wakeToken {
                    chaoslab_lane_drain(self.wakeUp)
                    let work = self.inbox.withLockedValue { inbox in
                        defer { inbox.removeAll(keepingCapacity: true) }
                        return inbox
                    }
                    for item in work { item() }
                    continue
                }
                // An earlier event of this batch may have closed or moved the connection.
                guard let connection = self.connections[token >> 1] else { continue }
                connection.handle(side: Int(token & 1), events: events[index])
            }
        }
    }

    /// Milliseconds until the earliest dial deadline (rounded up), or -1 (none: forever).
    private func waitTimeout() -> CInt {
        guard let earliest = self.dialDeadlines.values.min() else { return -1 }
        let nanoseconds = max(0, (earliest - .now()).nanoseconds)
        return CInt(min((nanoseconds + 999_999) / 1_000_000, Int64(CInt.max)))
    }

    /// Closes the connections whose upstream did not connect in time.
    private func giveUpLateDials() {
        guard !self.dialDeadlines.isEmpty else { return }
        let now = NIODeadline.now()
        for (id, deadline) in self.dialDeadlines where deadline <= now {
            self.connections[id]?.dialTimedOut()
        }
    }

    private static func startThread(_ lane: FastLane, name: String) {
        lane.threadName = name
        var thread = pthread_t()
        let argument = Unmanaged.passRetained(lane).toOpaque()
        let result = pthread_create(&thread, nil, { argument in
            let lane = Unmanaged<FastLane>.fromOpaque(argument!).takeRetainedValue()
            lane.run()
        }, argument)
        precondition(result == 0, "cannot start the fault proxy's fast-path thread (error \(result))")
        pthread_detach(thread)
    }
}
