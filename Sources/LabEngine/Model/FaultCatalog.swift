/// FaultCatalog lists every fault a lab's attack may name: what it targets (an edge or a
/// service), its attributes with their units and ranges, and a sentence for people.
///
/// The lab loader checks attacks against it, `chaoslab schema` builds the JSON Schema from it,
/// and the authoring guide documents it. The fault proxy and the service faults check the
/// values again when a fault is injected; a test keeps the two lists in step.
public enum FaultCatalog {
    /// What a fault acts on.
    public enum Family: String, Sendable {
        /// A network fault on one proxied edge (`edge: storefront->ads`).
        case edge
        /// A fault on a service's process (`service: checkout`).
        case service
    }

    /// One attribute of a fault, in Toxiproxy's names and units for the edge faults.
    public struct Attribute: Sendable {
        public let name: String
        /// "ms", "KB/s", "bytes", "µs", "cores", "MB", or "share" (0...1).
        public let unit: String
        public let range: ClosedRange<Double>
        /// Whole numbers only (every attribute but a share).
        public let whole: Bool
        public let required: Bool
        public let about: String
    }

    /// One fault type.
    public struct Entry: Sendable {
        public let name: String
        public let family: Family
        public let attributes: [Attribute]
        /// The only services it applies to (service faults); nil when any target of its family will do.
        public let services: [String]?
        public let about: String

        /// Toxics act on one stream; the aliases and the service faults do not.
        public var hasStream: Bool { family == .edge && name != "blackhole" && name != "refuse" }

        public func attribute(_ name: String) -> Attribute? {
            attributes.first { $0.name == name }
        }
    }

    /// The longest a fault may live (and the largest delay any attribute may ask for): one hour.
    public static let maxTTLMilliseconds = 3_600_000
    private static let hour = Double(maxTTLMilliseconds)

    private static func ms(_ name: String, required: Bool = false, _ about: String) -> Attribute {
        Attribute(name: name, unit: "ms", range: 0...hour, whole: true, required: required, about: about)
    }

    public static let entries: [Entry] = [
        Entry(name: "blackhole", family: .edge, attributes: [], services: nil,
              about: "Accept connections and never answer: every byte is swallowed, both ways."),
        Entry(name: "refuse", family: .edge, attributes: [], services: nil,
              about: "Take the edge's proxy down: new connections are refused, open ones closed."),
        Entry(name: "latency", family: .edge, attributes: [
            ms("latency", required: true, "delay added to every chunk of data"),
            ms("jitter", "random spread around the delay, ±"),
        ], services: nil, about: "Delay the data on one stream (downstream: the answers)."),
        Entry(name: "bandwidth", family: .edge, attributes: [
            Attribute(name: "rate", unit: "KB/s", range: 1...10_000_000, whole: true, required: true,
                      about: "the most data per second, in kilobytes of 1000 bytes"),
        ], services: nil, about: "Limit the throughput of one stream."),
        Entry(name: "slow_close", family: .edge, attributes: [
            ms("delay", required: true, "how long a close waits"),
        ], services: nil, about: "Delay the closing of connections."),
        Entry(name: "timeout", family: .edge, attributes: [
            ms("timeout", "close the connection after this long; 0 keeps it open forever"),
        ], services: nil, about: "Swallow the data of one stream; close the connection after the timeout."),
        Entry(name: "reset_peer", family: .edge, attributes: [
            ms("timeout", "reset after this long; 0 resets at once"),
        ], services: nil, about: "Reset connections (TCP RST)."),
        Entry(name: "slicer", family: .edge, attributes: [
            Attribute(name: "average_size", unit: "bytes", range: 1...1_048_576, whole: true, required: true,
                      about: "mean size of a slice"),
            Attribute(name: "size_variation", unit: "bytes", range: 0...1_048_575, whole: true, required: false,
                      about: "spread of a slice's size, below average_size"),
            Attribute(name: "delay", unit: "µs", range: 0...1_000_000, whole: true, required: false,
                      about: "pause between slices"),
        ], services: nil, about: "Cut the data into small pieces, with a pause between them."),
        Entry(name: "limit_data", family: .edge, attributes: [
            Attribute(name: "bytes", unit: "bytes", range: 0...1e15, whole: true, required: true,
                      about: "close the connection after this many bytes"),
        ], services: nil, about: "Close connections after a number of bytes."),
        Entry(name: "noop", family: .edge, attributes: [], services: nil,
              about: "Do nothing: a control experiment."),
        Entry(name: "kill", family: .service, attributes: [
            ms("restart_after_ms", "bring the service back after this long; absent: only when the fault ends"),
        ], services: nil, about: "SIGKILL the service; the supervisor restarts it later."),
        Entry(name: "pause", family: .service, attributes: [], services: nil,
              about: "Freeze the service (SIGSTOP) for the fault's time, then continue it."),
        Entry(name: "cpu", family: .service, attributes: [
            Attribute(name: "cores", unit: "cores", range: 1...8, whole: true, required: false,
                      about: "how many cores to burn (default 1)"),
        ], services: nil, about: "Burn CPU inside the service."),
        Entry(name: "memory", family: .service, attributes: [
            Attribute(name: "mb", unit: "MB", range: 1...4096, whole: true, required: true, about: "how much memory to hold"),
        ], services: nil, about: "Hold memory inside the service."),
        Entry(name: "errors", family: .service, attributes: [
            Attribute(name: "rate", unit: "share", range: 0.001...1, whole: false, required: true,
                      about: "the share of requests answered with HTTP 500"),
        ], services: nil, about: "Answer a share of the service's requests with HTTP 500."),
        Entry(name: "empty", family: .service, attributes: [], services: ["ads"],
              about: "Answer 200 with an empty ad list: a gray failure, successful and wrong."),
    ]

    /// The entry for a fault type, if there is one.
    public static func entry(_ name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The fault names of one family, in catalogue order.
    public static func names(_ family: Family) -> [String] {
        entries.filter { $0.family == family }.map(\.name)
    }

    /// Why `attributes` do not fit `entry`, one message per problem; empty when they fit.
    public static func problems(_ attributes: [String: Double], for entry: Entry) -> [String] {
        var problems: [String] = []
        let known = entry.attributes.map(\.name)
        for name in attributes.keys.sorted() where !known.contains(name) {
            problems.append("\(entry.name) has no attribute '\(name)'; its attributes: "
                            + (known.isEmpty ? "none" : known.joined(separator: ", ")))
        }
        for attribute in entry.attributes {
            guard let value = attributes[attribute.name] else {
                if attribute.required {
                    problems.append("\(entry.name) needs the attribute '\(attribute.name)' (\(attribute.unit), \(attribute.about))")
                }
                continue
            }
            if !attribute.range.contains(value) || (attribute.whole && value.rounded() != value) {
                let kind = attribute.whole ? "a whole number" : "a number"
                problems.append("\(entry.name): '\(attribute.name)' must be \(kind) from \(format(attribute.range.lowerBound)) "
                                + "to \(format(attribute.range.upperBound)) \(attribute.unit), got \(format(value))")
            }
        }
        if entry.name == "slicer", let average = attributes["average_size"], let variation = attributes["size_variation"],
           variation >= average {
            problems.append("slicer: 'size_variation' must be less than 'average_size' (\(format(average))), got \(format(variation))")
        }
        return problems
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) <= 1e15 ? String(Int(value)) : String(value)
    }
}
