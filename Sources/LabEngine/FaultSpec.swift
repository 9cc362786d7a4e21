/// FaultSpec is a network fault the lab asks the fault proxy to put on one edge.
public enum FaultSpec: Hashable, Sendable, Codable {
    /// Accept connections, swallow the bytes, never answer.
    case blackhole
    /// Refuse connections: the dependency looks down.
    case refuse
    /// Delay every response by `ms` milliseconds, give or take `jitterMs`.
    case latency(ms: Int, jitterMs: Int)

    /// The wire names a lab file may use for `fault:`.
    public static let names = ["blackhole", "refuse", "latency"]

    /// The wire name: "blackhole", "refuse" or "latency".
    public var name: String {
        switch self {
        case .blackhole: "blackhole"
        case .refuse: "refuse"
        case .latency: "latency"
        }
    }

    /// A phrase for people: "blackhole", "latency 800 ms ± 100 ms".
    public var summary: String {
        switch self {
        case .latency(let ms, let jitter) where jitter > 0: "latency \(ms) ms ± \(jitter) ms"
        case .latency(let ms, _): "latency \(ms) ms"
        default: name
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, latencyMs = "latency_ms", jitterMs = "jitter_ms"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .name) {
        case "blackhole": self = .blackhole
        case "refuse": self = .refuse
        case "latency":
            self = .latency(ms: try container.decode(Int.self, forKey: .latencyMs),
                            jitterMs: try container.decodeIfPresent(Int.self, forKey: .jitterMs) ?? 0)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .name, in: container, debugDescription: "unknown fault '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if case .latency(let ms, let jitter) = self {
            try container.encode(ms, forKey: .latencyMs)
            try container.encode(jitter, forKey: .jitterMs)
        }
    }
}
