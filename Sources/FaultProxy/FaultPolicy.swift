/// The effective behaviour of one proxy, folded from all its active faults.
///
/// Precedence: refuse wins over blackhole, blackhole over latency; latencies add up.
/// Connections receive a new policy whenever the set of faults changes.
struct FaultPolicy: Equatable, Sendable {
    /// New connections are closed at once; open ones are closed when this turns on.
    var refuse = false
    /// Data is discarded both ways; connections stay open.
    var blackhole = false
    /// Delay for chunks travelling downstream (upstream to client), if any.
    var latency: LatencyToxic?

    /// A policy that forwards everything untouched.
    static let passThrough = FaultPolicy()

    init() {}

    init(faults: [ActiveFault]) {
        for fault in faults {
            switch fault.kind {
            case .refuse:
                self.refuse = true
            case .blackhole:
                self.blackhole = true
            case .latency(let latency, let jitter):
                let toxic = LatencyToxic(latency: latency, jitter: jitter)
                self.latency = self.latency.map { $0 + toxic } ?? toxic
            }
        }
    }

    /// What applies to bytes read from the client and written upstream.
    var upstream: StreamPolicy {
        StreamPolicy(blackhole: self.blackhole || self.refuse, latency: nil)
    }

    /// What applies to bytes read from the upstream and written to the client.
    var downstream: StreamPolicy {
        StreamPolicy(blackhole: self.blackhole || self.refuse, latency: self.latency)
    }
}

/// The part of a `FaultPolicy` that concerns one direction of a connection.
struct StreamPolicy: Equatable, Sendable {
    /// Discard every chunk (and the end of stream) that arrives.
    var blackhole = false
    /// Delay every chunk that arrives.
    var latency: LatencyToxic?
}
