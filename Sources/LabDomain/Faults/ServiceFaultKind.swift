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

    package static let services = ShopTopology.services
    package static let types = ["kill", "pause", "cpu", "memory", "errors", "empty"]

    /// Reads a service fault from the lab API's type and attributes; 400 on bad values.
    package init(type: String, attributes: [String: Double], service: String) throws {
        let known: [String: [String]] = [
            "kill": ["restart_after_ms"], "pause": [], "cpu": ["cores"], "memory": ["mb"], "errors": ["rate"], "empty": [],
        ]
        guard let names = known[type] else {
            throw LabError.invalid("unknown service fault '\(type)'; service faults: \(Self.types.joined(separator: ", "))")
        }
        for name in attributes.keys where !names.contains(name) {
            throw LabError.invalid("\(type) has no attribute '\(name)'; its attributes: \(names.isEmpty ? "none" : names.joined(separator: ", "))")
        }
        func whole(_ name: String, _ range: ClosedRange<Int>, default fallback: Int? = nil) throws -> Int {
            guard let value = attributes[name] ?? fallback.map(Double.init) else {
                throw LabError.invalid("a \(type) fault needs '\(name)' (\(range.lowerBound)...\(range.upperBound))")
            }
            guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
                throw LabError.invalid("\(type): '\(name)' must be a whole number between \(range.lowerBound) and \(range.upperBound), got \(value)")
            }
            return Int(value)
        }
        switch type {
        case "kill":
            let after = try attributes["restart_after_ms"].map { _ in try whole("restart_after_ms", 0...3_600_000) }
            self = .kill(restartAfter: after.map { .milliseconds($0) })
        case "pause":
            self = .pause
        case "cpu":
            self = .cpu(cores: try whole("cores", 1...8, default: 1))
        case "memory":
            self = .memory(megabytes: try whole("mb", 1...4096))
        case "errors":
            guard let rate = attributes["rate"], rate > 0, rate <= 1 else {
                throw LabError.invalid("an errors fault needs 'rate', the share of requests to fail, above 0 and at most 1")
            }
            self = .errors(rate: rate)
        default:
            guard service == "ads" else {
                throw LabError.invalid("'empty' is a fault of the ads service only (it answers with no ads), not of \(service)")
            }
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
