/// ServiceFaultKind names a fault a service can carry; the raw value is its name in `/admin/faults/{kind}`.
package enum ServiceFaultKind: String, CaseIterable, Sendable {
    /// Answers a share of the business requests with a 500.
    case errors
    /// Keeps some cores busy with threads of its own.
    case cpu
    /// Holds resident memory.
    case memory
    /// Ads answers with an empty ad list: a gray failure (ads only).
    case empty

    /// The kinds `service` offers: every service has errors, cpu and memory; only ads has empty.
    static func offered(by service: ShopService) -> [ServiceFaultKind] {
        allCases.filter { $0 != .empty || service == .ads }
    }

    /// The kind named in a path, or a 404 that says which kinds `service` knows.
    static func named(_ name: String, on service: ShopService) throws -> ServiceFaultKind {
        let known = offered(by: service)
        let list = known.map(\.rawValue).joined(separator: ", ")
        guard let kind = ServiceFaultKind(rawValue: name) else {
            throw ShopHTTPError(.notFound, "unknown fault '\(name)'; \(service.rawValue) knows \(list)")
        }
        guard known.contains(kind) else {
            throw ShopHTTPError(.notFound, "fault '\(name)' is only for ads; \(service.rawValue) knows \(list)")
        }
        return kind
    }
}

/// ServiceFault is one fault with its parameters, as the admin API asked for it.
enum ServiceFault: Equatable, Sendable {
    /// Fail `rate` (0...1) of the business requests with a 500, exactly and in a fixed pattern.
    case errors(rate: Double)
    /// Burn `cores` cores with busy threads.
    case cpu(cores: Int)
    /// Allocate, touch and hold `megabytes` MiB.
    case memory(megabytes: Int)
    /// Answer the ads endpoint with zero ads.
    case empty

    var kind: ServiceFaultKind {
        switch self {
        case .errors: .errors
        case .cpu: .cpu
        case .memory: .memory
        case .empty: .empty
        }
    }

    /// The parameters for a log line, e.g. `["rate": "0.25"]`.
    var logMetadata: [String: String] {
        switch self {
        case .errors(let rate): ["rate": "\(rate)"]
        case .cpu(let cores): ["cores": "\(cores)"]
        case .memory(let megabytes): ["mb": "\(megabytes)"]
        case .empty: [:]
        }
    }
}
