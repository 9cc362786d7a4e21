/// A fault a lab (or a learner at the command line) puts on one edge: one of Toxiproxy's
/// toxics, or one of the two simpler names of the lab format, mapped onto the proxy:
/// `blackhole` is a `timeout` toxic of 0 on both streams, `refuse` takes the proxy down.
public enum FaultKind: Sendable, Equatable {
    /// Accept connections and keep them open, drop all data both ways, never answer.
    case blackhole
    /// Refuse connections: the proxy is down (listener closed, open connections closed).
    case refuse
    /// One toxic on one stream.
    case toxic(ToxicKind, stream: ToxicStream)

    /// Delay every chunk from the upstream by `latency` ± `jitter`.
    public static func latency(latency: Duration, jitter: Duration) -> FaultKind {
        .toxic(.latency(latency: latency.wholeMilliseconds, jitter: jitter.wholeMilliseconds), stream: .downstream)
    }

    /// Every name a fault may have: the two aliases, then Toxiproxy's toxic types.
    public static let names = ["blackhole", "refuse"] + ToxicKind.types

    /// The wire name: "blackhole", "refuse", or the toxic type ("latency").
    public var name: String {
        switch self {
        case .blackhole: "blackhole"
        case .refuse: "refuse"
        case .toxic(let kind, _): kind.type
        }
    }

    /// Parameters in Toxiproxy's names and units (milliseconds for durations).
    public var attributes: [String: Int] {
        if case .toxic(let kind, _) = self { return kind.attributes }
        return [:]
    }

    /// The stream a toxic acts on; nil for the aliases, which act on the whole connection.
    public var stream: ToxicStream? {
        if case .toxic(_, let stream) = self { return stream }
        return nil
    }

    /// Builds a fault from its wire name and attributes, checking the values.
    public init(name: String, attributes: [String: Int] = [:], stream: ToxicStream = .downstream) throws(ToxicError) {
        switch name {
        case "blackhole": self = .blackhole
        case "refuse": self = .refuse
        default:
            guard ToxicKind.attributeNames(of: name) != nil else {
                throw ToxicError("unknown fault '\(name)'; faults: \(Self.names.joined(separator: ", "))")
            }
            self = .toxic(try ToxicKind(type: name, attributes: attributes), stream: stream)
        }
    }

    /// A phrase for people: "blackhole", "latency 800 ms ± 100 ms", "bandwidth rate=10 (upstream)".
    public var summary: String {
        switch self {
        case .blackhole, .refuse:
            return self.name
        case .toxic(.latency(let latency, let jitter), let stream):
            let base = jitter > 0 ? "latency \(latency) ms ± \(jitter) ms" : "latency \(latency) ms"
            return stream == .downstream ? base : "\(base) (upstream)"
        case .toxic(let kind, let stream):
            let names = ToxicKind.attributeNames(of: kind.type) ?? []
            let values = names.map { "\($0)=\(kind.attributes[$0] ?? 0)" }.joined(separator: " ")
            let base = values.isEmpty ? kind.type : "\(kind.type) \(values)"
            return stream == .downstream ? base : "\(base) (upstream)"
        }
    }
}
