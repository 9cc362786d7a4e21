import NIOCore

/// One toxic of the proxy as a connection sees it: the toxic and the version it was at,
/// so that a connection can tell an updated toxic from one it already runs.
struct ToxicSetting: Equatable, Sendable {
    var toxic: Toxic
    /// Bumped by the proxy on every update of the toxic.
    var version: UInt64
    /// Where the connections count what the toxic met (nil in tests of the chain alone).
    var tally: ToxicTally? = nil

    static func == (a: ToxicSetting, b: ToxicSetting) -> Bool {
        a.toxic == b.toxic && a.version == b.version && a.tally === b.tally
    }
}

/// The toxics acting on one direction of one connection, in the order they were added
/// (Toxiproxy's chain): what the socket reads goes through the first toxic, whatever
/// that lets out goes through the second, and so on; what the last lets out is written.
///
/// Each toxic holds what it let out but is not due yet in its own queue, ordered by due
/// time. With no toxic the chain is idle and the handler forwards directly.
/// Free of I/O and confined to the connection's event loop.
struct ToxicChain {
    struct Stage {
        let name: String
        let version: UInt64
        var behavior: any ToxicBehavior
        /// Whether the toxicity draw put the real toxic here (else a noop stands in).
        let active: Bool
        /// Counts the bytes that go into an active toxic, and the connection at its first byte.
        let tally: ToxicTally?
        /// Whether this connection's bytes met the toxic yet (kept across updates of the toxic).
        var metTraffic = false
        var pending = CircularBuffer<Emission>()
    }

    /// Above this many held bytes the handler stops reading (backpressure).
    static let highWaterMark = 1 << 20

    private(set) var stages: [Stage] = []
    /// Bytes held in the stages' queues.
    private(set) var queuedBytes = 0
    private var rng: SplitMix64

    init(rng: SplitMix64) {
        self.rng = rng
    }

    /// Nothing acts: no toxic, or only toxics that their toxicity draw left out (all of them
    /// with `toxicity: 0`), holding nothing; data can go straight through.
    private(set) var isIdle = true

    /// The handler may read more (the queues are not full).
    var acceptsMore: Bool { self.queuedBytes < Self.highWaterMark }

    /// When the earliest held item is due, if any is held.
    var nextDue: NIODeadline? {
        self.stages.compactMap { $0.pending.first?.at }.min()
    }

    /// An item arrived from the socket; returns what must be written now.
    mutating func receive(_ item: ChainItem, now: NIODeadline) -> [ChainItem] {
        var output: [ChainItem] = []
        self.feed(item, into: 0, now: now, output: &output)
        return output
    }

    /// Lets out, through the rest of the chain, every held item that is due at `now`.
    mutating func takeDue(now: NIODeadline) -> [ChainItem] {
        var output: [ChainItem] = []
        for index in self.stages.indices {
            while let head = self.stages[index].pending.first, head.at <= now {
                self.stages[index].pending.removeFirst()
                self.queuedBytes -= head.item.byteCount
                self.feed(head.item, into: index + 1, now: now, output: &output)
            }
        }
        return output
    }

    /// Switches to the proxy's current toxics for this direction. Removed and updated
    /// toxics let what they hold go on at once (Toxiproxy drops no data on the floor),
    /// except a reset_peer and a timeout, whose pending reset or close is dropped; new toxics draw their toxicity
    /// and join at the end. Returns what must be written now, and whether the connection
    /// must close because a toxic that closes on removal (timeout) was removed.
    mutating func reconfigure(to settings: [ToxicSetting], now: NIODeadline) -> (output: [ChainItem], close: Bool) {
        var output: [ChainItem] = []
        var close = false
        var index = 0
        while index < self.stages.count {
            let stage = self.stages[index]
            guard let setting = settings.first(where: { $0.toxic.name == stage.name }) else {
                // Removed.
                if stage.active && stage.behavior.closesOnRemoval { close = true }
                self.release(stageAt: index, now: now, output: &output)
                self.stages.remove(at: index)
                continue
            }
            if setting.version != stage.version {
                // Updated: what the old settings hold goes on; the new ones start afresh.
                self.release(stageAt: index, now: now, output: &output)
                self.stages[index] = self.makeStage(setting, previous: stage.behavior, now: now)
                self.stages[index].metTraffic = stage.metTraffic  // an update restarts the toxic, not the count
            }
            index += 1
        }
        for setting in settings where !self.stages.contains(where: { $0.name == setting.toxic.name }) {
            self.stages.append(self.makeStage(setting, previous: nil, now: now))
        }
        self.isIdle = self.stages.allSatisfy { !$0.active && $0.pending.isEmpty }
        return (output, close)
    }

    // MARK: Moving items

    /// Gives `item` to the stage at `index` (past the last stage: to the output) and
    /// queues what it lets out, in order.
    private mutating func feed(_ item: ChainItem, into index: Int, now: NIODeadline, output: inout [ChainItem]) {
        guard index < self.stages.count else {
            output.append(item)
            return
        }
        if self.stages[index].active, let tally = self.stages[index].tally, case .data(let buffer) = item {
            tally.bytes.add(buffer.readableBytes, ordering: .relaxed)
            // A connection counts once traffic meets the toxic: an idle pooled one it joined did not.
            if !self.stages[index].metTraffic {
                self.stages[index].metTraffic = true
                tally.connections.add(1, ordering: .relaxed)
            }
        }
        let emissions = self.stages[index].behavior.receive(item, now: now)
        if self.stages[index].behavior.replacesPending {
            for held in self.stages[index].pending { self.queuedBytes -= held.item.byteCount }
            self.stages[index].pending.removeAll()
        }
        self.enqueue(emissions, from: index, now: now, output: &output)
    }

    private mutating func enqueue(_ emissions: [Emission], from index: Int, now: NIODeadline, output: inout [ChainItem]) {
        for emission in emissions {
            if self.stages[index].pending.isEmpty && emission.at <= now {
                self.feed(emission.item, into: index + 1, now: now, output: &output)
            } else {
                // Never due before the item ahead of it: order is kept under jitter.
                let due = max(emission.at, self.stages[index].pending.last?.at ?? emission.at)
                self.stages[index].pending.append(Emission(item: emission.item, at: due))
                self.queuedBytes += emission.item.byteCount
            }
        }
    }

    /// Empties a stage's queue into the stage after it (or drops it for a reset_peer).
    private mutating func release(stageAt index: Int, now: NIODeadline, output: inout [ChainItem]) {
        let held = self.stages[index].pending
        self.stages[index].pending.removeAll()
        for emission in held {
            self.queuedBytes -= emission.item.byteCount
        }
        guard !self.stages[index].behavior.discardsOnRemoval else { return }
        for emission in held {
            self.feed(emission.item, into: index + 1, now: now, output: &output)
        }
    }

    /// A stage for a toxic that starts acting now: it draws its toxicity (a noop stands in
    /// when the draw leaves this connection out) and schedules what its start lets out.
    private mutating func makeStage(_ setting: ToxicSetting, previous: (any ToxicBehavior)?, now: NIODeadline) -> Stage {
        let draw = Double(self.rng.next() >> 11) / Double(1 << 53)
        let active = draw < setting.toxic.toxicity
        let behavior = active ? setting.toxic.kind.makeBehavior(rng: self.rng.split(), previous: previous) : NoopToxic()
        var stage = Stage(name: setting.toxic.name, version: setting.version, behavior: behavior, active: active, tally: setting.tally)
        // Only a timeout lets something out at its start: its close, in the future.
        for emission in behavior.start(now: now) {
            let due = max(emission.at, stage.pending.last?.at ?? emission.at)
            stage.pending.append(Emission(item: emission.item, at: due))
        }
        return stage
    }
}
