/// A network fault that a `FaultProxy` can apply to its edge.
public enum FaultKind: Sendable, Equatable {
    /// Accept and keep connections open, drop all data both ways, never answer.
    case blackhole
    /// Close new connections at once; close open ones when applied.
    case refuse
    /// Delay each chunk travelling downstream (upstream to client) by `latency` ± `jitter`.
    case latency(latency: Duration, jitter: Duration)

    /// The wire name: "blackhole", "refuse", "latency".
    public var name: String {
        switch self {
        case .blackhole: "blackhole"
        case .refuse: "refuse"
        case .latency: LatencyToxic.name
        }
    }

    /// Parameters in Toxiproxy's style: durations in whole milliseconds.
    public var attributes: [String: Int] {
        switch self {
        case .blackhole, .refuse:
            [:]
        case .latency(let latency, let jitter):
            ["latency": latency.wholeMilliseconds, "jitter": jitter.wholeMilliseconds]
        }
    }

    /// Builds a fault from its wire name and attributes (milliseconds); nil if the name is unknown.
    public init?(name: String, attributes: [String: Int] = [:]) {
        switch name {
        case "blackhole": self = .blackhole
        case "refuse": self = .refuse
        case LatencyToxic.name:
            self = .latency(
                latency: .milliseconds(attributes["latency"] ?? 0),
                jitter: .milliseconds(attributes["jitter"] ?? 0)
            )
        default: return nil
        }
    }
}

extension Duration {
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = self.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
