import Foundation
import Hummingbird

/// ServiceKnobs is a service's set of resilience knobs; `init()` gives the defaults (the flawed shop).
package protocol ServiceKnobs: Codable, Sendable, Equatable {
    init()
}

/// NoKnobs is the empty knob set of services that have none yet (cache, ads).
package struct NoKnobs: ServiceKnobs {
    package init() {}
}

/// KnobStore holds a service's knobs; the admin endpoint merges partial updates into it.
package actor KnobStore<Knobs: ServiceKnobs> {
    let service: ShopService
    package private(set) var current = Knobs()

    init(service: ShopService, initial: Knobs = Knobs()) {
        self.service = service
        self.current = initial
    }

    /// Merges a partial JSON object into the knobs and returns the result.
    /// Unknown keys, wrong types and negative numbers are rejected whole, naming the knob.
    func merge(_ body: ByteBuffer) throws -> Knobs {
        let plain = JSONDecoder()
        guard let patch = try? plain.decode([String: KnobValue].self, from: Data(body.readableBytesView)) else {
            throw ShopHTTPError.badRequest("config must be a JSON object of knobs for \(service.rawValue)")
        }
        var knobs = try plain.decode([String: KnobValue].self, from: ShopJSON.encoder().encode(current))
        for (key, value) in patch.sorted(by: { $0.key < $1.key }) {
            guard let old = knobs[key] else {
                throw ShopHTTPError.badRequest("unknown knob '\(key)' for \(service.rawValue)")
            }
            guard old.kind == value.kind else {
                throw ShopHTTPError.badRequest("knob '\(key)' for \(service.rawValue) expects \(old.kind)")
            }
            if case .int(let number) = value, number < 0 {
                throw ShopHTTPError.badRequest("knob '\(key)' for \(service.rawValue) must be 0 or more")
            }
            knobs[key] = value
        }
        current = try ShopJSON.decoder().decode(Knobs.self, from: JSONEncoder().encode(knobs))
        return current
    }

    /// Puts every knob back to its default and returns the defaults.
    func reset() -> Knobs {
        current = Knobs()
        return current
    }
}

/// KnobValue is one knob's JSON value: knobs are booleans or whole numbers.
enum KnobValue: Codable, Equatable {
    case bool(Bool)
    case int(Int)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .int(number)
        } else {
            self = .other
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .other: try container.encodeNil()
        }
    }

    /// What the knob holds, as said in an error message.
    var kind: String {
        switch self {
        case .bool: "a boolean"
        case .int: "a whole number"
        case .other: "a boolean or a whole number"
        }
    }
}
