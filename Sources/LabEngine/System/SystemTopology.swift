/// SystemTopology is what a running system offers a lab: its services, the proxied edges between
/// them and the resilience knobs a lab's fix may set. Labs are checked against it, so that a lab
/// naming an edge, a service or a knob the system lacks is refused before it runs.
public struct SystemTopology: Sendable, Hashable {
    /// The services, in the order the system file lists them.
    public var services: [String]
    /// The edges that have a fault proxy in front of them.
    public var edges: [EdgeID]
    /// The knobs a lab's fix may set, per service, and what each takes.
    public var knobs: [String: [String: KnobKind]]
    /// The services chaoslab starts, whose process a kill or pause fault can reach.
    public var processes: Set<String>
    /// The services that take chaoslab's in-process faults (cpu, memory, errors, empty) at `/admin/faults`.
    public var inProcessFaults: Set<String>

    public init(services: [String], edges: [EdgeID], knobs: [String: [String: KnobKind]] = [:],
                processes: Set<String>? = nil, inProcessFaults: Set<String>? = nil) {
        self.services = services
        self.edges = edges
        self.knobs = knobs
        self.processes = processes ?? Set(services)
        self.inProcessFaults = inProcessFaults ?? Set(services)
    }

    /// What a knob takes.
    public enum KnobKind: String, Sendable, Hashable, CaseIterable {
        /// true or false.
        case flag
        /// A whole number, 0 or more.
        case wholeNumber = "whole_number"

        func accepts(_ value: KnobValue) -> Bool {
            switch (self, value) {
            case (.flag, .bool): true
            case (.wholeNumber, .int(let number)): number >= 0
            default: false
            }
        }
    }

    /// The edges into `service`: a dead service is seen by its callers through them.
    public func edges(into service: String) -> [EdgeID] {
        edges.filter { $0.to == service }
    }

    var servicesList: String { services.joined(separator: ", ") }
    var edgesList: String { edges.map(\.key).joined(separator: ", ") }
}
