import NIOCore

/// The fault logic for one direction of a proxied connection, free of I/O.
///
/// `GlueHandler` feeds it what its channel reads and performs the actions it returns.
/// Delayed items wait in a queue ordered by due time; a later chunk is never due
/// before an earlier one, and the end of stream always comes after queued chunks.
struct StreamStateMachine {
    /// Something to deliver to the partner channel.
    enum Item: Equatable {
        /// A chunk of bytes.
        case data(ByteBuffer)
        /// The end of stream: half-close the partner's output.
        case end
    }

    /// What to do with a chunk or an end of stream that just arrived.
    enum Action: Equatable {
        /// Deliver it to the partner now.
        case deliver(Item)
        /// Drop it (blackhole); the stream has lost data.
        case discard
        /// It is queued; make sure a wake-up is set for `nextDue`.
        case hold
    }

    /// Queue size above which the handler stops reading (backpressure for delayed data).
    static let highWaterMark = 1 << 20

    private(set) var policy: StreamPolicy
    /// True once a chunk or the end of stream was discarded: the byte stream is no longer intact.
    private(set) var lostData = false
    /// True once the end of stream was read from the source.
    private(set) var inputClosed = false
    /// Bytes waiting in the delay queue.
    private(set) var queuedBytes = 0
    private var queue = CircularBuffer<(due: NIODeadline, item: Item)>()
    private var rng: SplitMix64

    init(policy: StreamPolicy, rng: SplitMix64) {
        self.policy = policy
        self.rng = rng
    }

    /// Whether the handler may read more from the source (the delay queue is not full).
    var acceptsMore: Bool { !self.inputClosed && self.queuedBytes < Self.highWaterMark }

    /// When the first queued item is due, if anything is queued.
    var nextDue: NIODeadline? { self.queue.first?.due }

    /// A chunk arrived from the source.
    mutating func receive(_ data: ByteBuffer, now: NIODeadline) -> Action {
        self.arrive(.data(data), delay: self.policy.latency.map { $0.delay(using: &self.rng) }, now: now)
    }

    /// The source half-closed its output. The end is delayed only behind queued chunks.
    mutating func receiveEnd(now: NIODeadline) -> Action {
        self.inputClosed = true
        return self.arrive(.end, delay: nil, now: now)
    }

    /// Takes every queued item that is due at `now`, in order.
    mutating func takeDue(now: NIODeadline) -> [Item] {
        var items: [Item] = []
        while let head = self.queue.first, head.due <= now {
            items.append(self.dequeue())
        }
        return items
    }

    /// Switches to a new policy. Returns what must be delivered at once: removing the
    /// latency flushes the queue. Turning the blackhole on discards the queue.
    mutating func apply(_ policy: StreamPolicy) -> [Item] {
        self.policy = policy
        if policy.blackhole {
            if !self.queue.isEmpty { self.lostData = true }
            self.queue.removeAll()
            self.queuedBytes = 0
            return []
        }
        if policy.latency == nil {
            var items: [Item] = []
            while !self.queue.isEmpty { items.append(self.dequeue()) }
            return items
        }
        return []
    }

    private mutating func arrive(_ item: Item, delay: TimeAmount?, now: NIODeadline) -> Action {
        if self.policy.blackhole {
            self.lostData = true
            return .discard
        }
        let last = self.queue.last?.due
        if delay == nil && last == nil {
            return .deliver(item)
        }
        // Never due before the item ahead of it: order is preserved under jitter.
        let due = max(now + (delay ?? .zero), last ?? now)
        self.queue.append((due, item))
        if case .data(let buffer) = item { self.queuedBytes += buffer.readableBytes }
        return .hold
    }

    private mutating func dequeue() -> Item {
        let (_, item) = self.queue.removeFirst()
        if case .data(let buffer) = item { self.queuedBytes -= buffer.readableBytes }
        return item
    }
}
