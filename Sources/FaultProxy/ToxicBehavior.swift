import NIOCore

/// What travels through one direction of a proxied connection, toxic to toxic.
enum ChainItem: Equatable {
    /// A chunk of bytes.
    case data(ByteBuffer)
    /// The source half-closed: half-close the destination once what came before is written.
    case end
    /// Close the whole connection once what came before is written.
    case close
    /// Reset the connection: close both sockets with an RST, dropping unsent data.
    case reset

    var byteCount: Int {
        if case .data(let buffer) = self { return buffer.readableBytes }
        return 0
    }
}

/// An item a toxic lets out, and when. The chain keeps each toxic's output in order:
/// an item is never let out before the one emitted ahead of it.
struct Emission: Equatable {
    var item: ChainItem
    var at: NIODeadline
}

/// One toxic acting on one direction of one connection: a state machine on the event
/// loop's clock, free of I/O, so that it can be tested exactly with virtual time.
///
/// Each toxic type has its own conforming type in `Toxics/`, with Toxiproxy's semantics.
protocol ToxicBehavior {
    /// The toxic starts acting on the connection (a timeout schedules its close here).
    func start(now: NIODeadline) -> [Emission]
    /// An item arrives from the toxic before this one (or from the socket).
    mutating func receive(_ item: ChainItem, now: NIODeadline) -> [Emission]
    /// Removing the toxic closes the connection (Toxiproxy's timeout does), instead of
    /// letting what it holds go on.
    var closesOnRemoval: Bool { get }
    /// Removing the toxic discards what it holds instead of letting it go on.
    var discardsOnRemoval: Bool { get }
    /// What it lets out replaces what it still holds (a timeout restarts its timer on
    /// every chunk, and an end of stream closes at once rather than behind the timer).
    var replacesPending: Bool { get }
}

extension ToxicBehavior {
    func start(now: NIODeadline) -> [Emission] { [] }
    var closesOnRemoval: Bool { false }
    var discardsOnRemoval: Bool { false }
    var replacesPending: Bool { false }
}

extension ToxicKind {
    /// The behaviour of this toxic on one direction of a new connection. `previous` is the
    /// behaviour it replaces when the toxic was updated, for toxics that keep state.
    func makeBehavior(rng: SplitMix64, previous: (any ToxicBehavior)?) -> any ToxicBehavior {
        switch self {
        case .latency(let latency, let jitter):
            LatencyToxic(latency: .milliseconds(Int64(latency)), jitter: .milliseconds(Int64(jitter)), rng: rng)
        case .bandwidth(let rate):
            BandwidthToxic(bytesPerSecond: rate * 1000)
        case .slowClose(let delay):
            SlowCloseToxic(delay: .milliseconds(Int64(delay)))
        case .timeout(let timeout):
            TimeoutToxic(timeout: .milliseconds(Int64(timeout)))
        case .resetPeer(let timeout):
            ResetPeerToxic(timeout: .milliseconds(Int64(timeout)))
        case .slicer(let averageSize, let sizeVariation, let delay):
            SlicerToxic(averageSize: averageSize, sizeVariation: sizeVariation, delay: .microseconds(Int64(delay)), rng: rng)
        case .limitData(let bytes):
            LimitDataToxic(limit: bytes, transmitted: (previous as? LimitDataToxic)?.transmitted ?? 0)
        case .noop:
            NoopToxic()
        }
    }
}
