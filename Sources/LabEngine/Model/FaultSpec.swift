/// FaultSpec is the fault an attack injects: a type from the `FaultCatalog`, its attributes
/// (Toxiproxy's names and units for edge faults), and for toxics the stream it acts on.
///
/// JSON: `{"name": "latency", "attributes": {"latency": 800}, "stream": "downstream"}`.
public struct FaultSpec: Hashable, Sendable {
    /// The catalogue name: "blackhole", "latency", "kill", …
    public var type: String
    public var attributes: [String: Double]
    /// "upstream" or "downstream" for toxics; nil means downstream (and for other faults).
    public var stream: String?

    public init(type: String, attributes: [String: Double] = [:], stream: String? = nil) {
        self.type = type
        self.attributes = attributes
        self.stream = stream
    }

    /// Accept connections, swallow the bytes, never answer.
    public static let blackhole = FaultSpec(type: "blackhole")
    /// Refuse connections: the dependency looks down.
    public static let refuse = FaultSpec(type: "refuse")

    /// Delay every answer by `ms` milliseconds, give or take `jitterMs`.
    public static func latency(ms: Int, jitterMs: Int = 0) -> FaultSpec {
        FaultSpec(type: "latency", attributes: jitterMs > 0 ? ["latency": Double(ms), "jitter": Double(jitterMs)]
                                                          : ["latency": Double(ms)])
    }

    /// Kill a service; bring it back after `restartAfterMs`, or only when the fault ends.
    public static func kill(restartAfterMs: Int? = nil) -> FaultSpec {
        FaultSpec(type: "kill", attributes: restartAfterMs.map { ["restart_after_ms": Double($0)] } ?? [:])
    }

    /// The wire name, as in the lab file's `fault:`.
    public var name: String { type }

    /// A phrase for people: "blackhole", "latency 800 ms ± 100 ms", "bandwidth rate=10 KB/s (upstream)".
    public var summary: String {
        let base: String
        switch type {
        case "latency":
            let ms = FaultCatalog.format(attributes["latency"] ?? 0)
            let jitter = attributes["jitter"] ?? 0
            base = jitter > 0 ? "latency \(ms) ms ± \(FaultCatalog.format(jitter)) ms" : "latency \(ms) ms"
        case "kill":
            base = attributes["restart_after_ms"].map { "kill, restart after \(FaultCatalog.format($0)) ms" }
                ?? "kill, restart when the fault ends"
        case "errors":
            base = "errors: \(Int(((attributes["rate"] ?? 0) * 100).rounded()))% of requests answer 500"
        case "empty":
            base = "empty answers (200 with no ads)"
        default:
            let units = Dictionary(uniqueKeysWithValues: (FaultCatalog.entry(type)?.attributes ?? []).map { ($0.name, $0.unit) })
            let values = attributes.keys.sorted().map { "\($0)=\(FaultCatalog.format(attributes[$0] ?? 0))\(units[$0].map { " \($0)" } ?? "")" }
            base = values.isEmpty ? type : "\(type) \(values.joined(separator: " "))"
        }
        return stream == "upstream" ? "\(base) (upstream)" : base
    }
}

extension FaultSpec: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, attributes, stream
        // Events stored before the lab format knew every fault.
        case latencyMs = "latency_ms", jitterMs = "jitter_ms"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .name)
        attributes = try container.decodeIfPresent([String: Double].self, forKey: .attributes) ?? [:]
        stream = try container.decodeIfPresent(String.self, forKey: .stream)
        if let latency = try container.decodeIfPresent(Double.self, forKey: .latencyMs) {
            attributes["latency"] = latency
            if let jitter = try container.decodeIfPresent(Double.self, forKey: .jitterMs), jitter > 0 {
                attributes["jitter"] = jitter
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .name)
        if !attributes.isEmpty { try container.encode(attributes, forKey: .attributes) }
        try container.encodeIfPresent(stream, forKey: .stream)
    }
}
