/// The direction a toxic acts on, as in Toxiproxy: `upstream` is client to server,
/// `downstream` server to client.
public enum ToxicStream: String, Sendable, Codable, CaseIterable {
    case upstream
    case downstream
}

/// A toxic as Toxiproxy describes it: a named, typed effect on one direction of every
/// connection through a proxy, applied to a share (`toxicity`) of those connections.
public struct Toxic: Sendable, Equatable {
    /// Unique per proxy; Toxiproxy's default is `<type>_<stream>`.
    public var name: String
    public var kind: ToxicKind
    public var stream: ToxicStream
    /// The share of connections the toxic acts on, 0...1; each connection draws once.
    public var toxicity: Double

    public init(name: String? = nil, kind: ToxicKind, stream: ToxicStream = .downstream, toxicity: Double = 1) {
        self.name = name ?? "\(kind.type)_\(stream.rawValue)"
        self.kind = kind
        self.stream = stream
        self.toxicity = toxicity
    }

    /// The type name: "latency", "slow_close", ...
    public var type: String { self.kind.type }

    /// Checks what the attributes cannot: the name and the toxicity.
    public func validate() throws(ToxicError) {
        guard !self.name.isEmpty else { throw ToxicError("a toxic needs a non-empty name") }
        guard self.toxicity >= 0, self.toxicity <= 1 else {
            throw ToxicError("toxicity must be between 0 and 1, got \(self.toxicity)")
        }
    }
}

/// A toxic's type and its attributes, with Toxiproxy's names and units.
public enum ToxicKind: Sendable, Equatable {
    /// Delay every chunk by `latency` ± `jitter` milliseconds.
    case latency(latency: Int, jitter: Int)
    /// Pass data at `rate` KB/s (1 KB = 1000 bytes).
    case bandwidth(rate: Int)
    /// Delay the close (end of stream) by `delay` milliseconds.
    case slowClose(delay: Int)
    /// Drop all data; close the connection after `timeout` ms (0: never, until removed).
    case timeout(timeout: Int)
    /// Reset the connection (TCP RST) `timeout` ms after the first data arrives.
    case resetPeer(timeout: Int)
    /// Cut data into pieces of `averageSize` ± `sizeVariation` bytes, `delay` µs apart.
    case slicer(averageSize: Int, sizeVariation: Int, delay: Int)
    /// Close the connection once `bytes` bytes have passed.
    case limitData(bytes: Int)
    /// Do nothing (useful to test a client's toxic handling).
    case noop

    /// Every type, in Toxiproxy's names.
    public static let types = ["latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data", "noop"]

    /// The attribute names of a type, in the order Toxiproxy documents them; nil if the type is unknown.
    public static func attributeNames(of type: String) -> [String]? {
        switch type {
        case "latency": ["latency", "jitter"]
        case "bandwidth": ["rate"]
        case "slow_close": ["delay"]
        case "timeout", "reset_peer": ["timeout"]
        case "slicer": ["average_size", "size_variation", "delay"]
        case "limit_data": ["bytes"]
        case "noop": []
        default: nil
        }
    }

    /// Builds and checks a toxic kind from Toxiproxy's type name and attributes; missing
    /// attributes are 0. Throws a message fit for a 400 on unknown types and harmful values.
    public init(type: String, attributes: [String: Int]) throws(ToxicError) {
        func value(_ name: String) -> Int { attributes[name] ?? 0 }
        switch type {
        case "latency": self = .latency(latency: value("latency"), jitter: value("jitter"))
        case "bandwidth": self = .bandwidth(rate: value("rate"))
        case "slow_close": self = .slowClose(delay: value("delay"))
        case "timeout": self = .timeout(timeout: value("timeout"))
        case "reset_peer": self = .resetPeer(timeout: value("timeout"))
        case "slicer":
            self = .slicer(averageSize: value("average_size"), sizeVariation: value("size_variation"), delay: value("delay"))
        case "limit_data": self = .limitData(bytes: value("bytes"))
        case "noop": self = .noop
        default:
            throw ToxicError("invalid toxic type '\(type)'; types: \(Self.types.joined(separator: ", "))")
        }
        try self.validate()
    }

    public var type: String {
        switch self {
        case .latency: "latency"
        case .bandwidth: "bandwidth"
        case .slowClose: "slow_close"
        case .timeout: "timeout"
        case .resetPeer: "reset_peer"
        case .slicer: "slicer"
        case .limitData: "limit_data"
        case .noop: "noop"
        }
    }

    /// Every attribute of the type, by Toxiproxy's names.
    public var attributes: [String: Int] {
        switch self {
        case .latency(let latency, let jitter): ["latency": latency, "jitter": jitter]
        case .bandwidth(let rate): ["rate": rate]
        case .slowClose(let delay): ["delay": delay]
        case .timeout(let timeout), .resetPeer(let timeout): ["timeout": timeout]
        case .slicer(let averageSize, let sizeVariation, let delay):
            ["average_size": averageSize, "size_variation": sizeVariation, "delay": delay]
        case .limitData(let bytes): ["bytes": bytes]
        case .noop: [:]
        }
    }

    /// Longest delay any attribute may ask for: one hour, in milliseconds.
    static let maxMilliseconds = 3_600_000

    /// Rejects values that would hurt the proxy or make no sense: negative numbers,
    /// delays beyond an hour, a zero rate, slices of zero bytes.
    public func validate() throws(ToxicError) {
        func milliseconds(_ name: String, _ value: Int) throws(ToxicError) {
            guard value >= 0, value <= Self.maxMilliseconds else {
                throw ToxicError("\(self.type): '\(name)' must be between 0 and \(Self.maxMilliseconds) ms, got \(value)")
            }
        }
        switch self {
        case .latency(let latency, let jitter):
            try milliseconds("latency", latency)
            try milliseconds("jitter", jitter)
        case .bandwidth(let rate):
            guard rate >= 1, rate <= 10_000_000 else {
                throw ToxicError("bandwidth: 'rate' must be between 1 and 10000000 KB/s, got \(rate)")
            }
        case .slowClose(let delay):
            try milliseconds("delay", delay)
        case .timeout(let timeout), .resetPeer(let timeout):
            try milliseconds("timeout", timeout)
        case .slicer(let averageSize, let sizeVariation, let delay):
            guard averageSize >= 1, averageSize <= 1 << 20 else {
                throw ToxicError("slicer: 'average_size' must be between 1 and 1048576 bytes, got \(averageSize)")
            }
            guard sizeVariation >= 0, sizeVariation < averageSize else {
                throw ToxicError("slicer: 'size_variation' must be at least 0 and less than 'average_size' (\(averageSize)), got \(sizeVariation)")
            }
            guard delay >= 0, delay <= 1_000_000 else {
                throw ToxicError("slicer: 'delay' must be between 0 and 1000000 µs, got \(delay)")
            }
        case .limitData(let bytes):
            guard bytes >= 0 else { throw ToxicError("limit_data: 'bytes' must be at least 0, got \(bytes)") }
        case .noop:
            break
        }
    }
}

/// A toxic that cannot be applied, with a message that says why.
public struct ToxicError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { self.message }
}
