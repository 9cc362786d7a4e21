import Foundation
import Hummingbird

/// ServiceFaultRequest is a checked body of `PUT /admin/faults/{kind}`: the fault and how long it lasts.
///
/// Every field is required and checked; all problems are reported at once, each naming its field, e.g.
/// `field 'rate' in PUT /admin/faults/errors must be a number from 0 to 1, got 1.5`.
struct ServiceFaultRequest: Equatable {
    let fault: ServiceFault
    let duration: Duration

    /// The longest a fault may last: one hour.
    static let maxDurationMS = 3_600_000

    init(kind: ServiceFaultKind, body: ByteBuffer) throws {
        let place = "PUT /admin/faults/\(kind.rawValue)"
        let fields = Self.fields(of: kind)
        let bytes = Data(body.readableBytesView)
        guard let object = try? JSONDecoder().decode([String: BodyValue].self, from: bytes) else {
            throw ShopHTTPError.badRequest("body of \(place) must be a JSON object, e.g. \(Self.example(of: kind))")
        }
        var problems = object.keys.sorted()
            .filter { key in !fields.contains { $0.name == key } }
            .map { "unknown field '\($0)' in \(place); expected \(fields.map(\.name).joined(separator: ", "))" }
        var values: [String: Double] = [:]
        for field in fields {
            switch field.check(object[field.name]) {
            case .success(let value): values[field.name] = value
            case .failure(let problem): problems.append(problem.message(field: field, place: place))
            }
        }
        guard problems.isEmpty else {
            throw ShopHTTPError.badRequest(problems.joined(separator: "; "))
        }
        // Every field of `kind` is in `values` now: a missing or bad one is a problem above.
        switch kind {
        case .errors: fault = .errors(rate: values["rate"]!)
        case .cpu: fault = .cpu(cores: Int(values["cores"]!))
        case .memory: fault = .memory(megabytes: Int(values["mb"]!))
        case .empty: fault = .empty
        }
        duration = .milliseconds(Int(values["duration_ms"]!))
    }

    /// The fields a kind's body must have, in the order they are checked.
    static func fields(of kind: ServiceFaultKind) -> [Field] {
        let duration = Field(name: "duration_ms", range: 1...Double(maxDurationMS), whole: true)
        switch kind {
        case .errors: return [Field(name: "rate", range: 0...1, whole: false), duration]
        case .cpu: return [Field(name: "cores", range: 1...8, whole: true), duration]
        case .memory: return [Field(name: "mb", range: 1...4096, whole: true), duration]
        case .empty: return [duration]
        }
    }

    /// A valid body for `kind`, quoted in error messages.
    static func example(of kind: ServiceFaultKind) -> String {
        switch kind {
        case .errors: #"{"rate": 0.5, "duration_ms": 30000}"#
        case .cpu: #"{"cores": 1, "duration_ms": 30000}"#
        case .memory: #"{"mb": 200, "duration_ms": 30000}"#
        case .empty: #"{"duration_ms": 30000}"#
        }
    }
}
