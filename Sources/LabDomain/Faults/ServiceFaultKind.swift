import LabEngine
import Sandbox

/// A fault on a service's process rather than on an edge: a state fault (kill, pause)
/// made by the supervisor, or a resource or behaviour fault (cpu, memory, errors, empty)
/// made inside the service through its `/admin/faults` endpoints.
package enum ServiceFaultKind: Sendable, Equatable {
    /// SIGKILL; the supervisor brings the service back after `restartAfter`, or only when
    /// the fault ends (time to live or halt) when nil.
    case kill(restartAfter: Duration?)
    /// SIGSTOP for the fault's time to live, then SIGCONT.
    case pause
    /// Burn this many cores inside the service.
    case cpu(cores: Int)
    /// Hold this many megabytes inside the service.
    case memory(megabytes: Int)
    /// Answer this share of requests (0...1) with HTTP 500.
    case errors(rate: Double)
    /// Ads only: answer 200 with an empty ad list (a gray failure).
    case empty

    /// The service faults of the catalogue, in its order.
    package static let types = FaultCatalog.names(.service)

    /// Reads a lab's (or the lab API's) service fault, checked against the fault catalogue:
    /// its type, its attributes and their ranges, and the services it applies to.
    package init(_ fault: FaultSpec, service: String) throws(LabError) {
        let type = fault.type, attributes = fault.attributes
        guard let entry = FaultCatalog.entry(type), entry.family == .service else {
            throw .invalid("unknown service fault '\(type)'; service faults: \(Self.types.joined(separator: ", "))")
        }
        if let problem = FaultCatalog.problems(attributes, for: entry).first { throw .invalid(problem) }
        if let only = entry.services, !only.contains(service) {
            throw .invalid("'\(type)' is a fault of the \(only.joined(separator: ", ")) service only, not of \(service): \(entry.about)")
        }
        func whole(_ name: String) -> Int? { attributes[name].map { Int($0) } }
        switch type {
        case "kill":
            self = .kill(restartAfter: whole("restart_after_ms").map { .milliseconds($0) })
        case "pause":
            self = .pause
        case "cpu":
            self = .cpu(cores: whole("cores") ?? 1)
        case "memory":
            self = .memory(megabytes: whole("mb") ?? 1)
        case "errors":
            self = .errors(rate: attributes["rate"] ?? 1)
        default:
            self = .empty
        }
    }

    package var type: String {
        switch self {
        case .kill: "kill"
        case .pause: "pause"
        case .cpu: "cpu"
        case .memory: "memory"
        case .errors: "errors"
        case .empty: "empty"
        }
    }

    package var attributes: [String: Double] {
        switch self {
        case .kill(let after): after.map { ["restart_after_ms": Double($0.milliseconds)] } ?? [:]
        case .pause, .empty: [:]
        case .cpu(let cores): ["cores": Double(cores)]
        case .memory(let megabytes): ["mb": Double(megabytes)]
        case .errors(let rate): ["rate": rate]
        }
    }

    /// A phrase for people.
    package var summary: String {
        switch self {
        case .kill(let after): after.map { "kill, restart after \($0)" } ?? "kill, no restart until the fault ends"
        case .pause: "pause (SIGSTOP)"
        case .cpu(let cores): "cpu: burn \(cores) core\(cores == 1 ? "" : "s")"
        case .memory(let megabytes): "memory: hold \(megabytes) MB"
        case .errors(let rate): "errors: \(Int((rate * 100).rounded()))% of requests answer 500"
        case .empty: "empty: 200 with no ads"
        }
    }
}
