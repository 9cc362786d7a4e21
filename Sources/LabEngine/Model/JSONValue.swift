import Foundation

/// JSONValue is a JSON document built in code: the lab format's JSON Schema, the bodies of an
/// exported Chaos Toolkit experiment's requests.
///
/// Literals build it: `["type": "object", "minProperties": 1]`. Whole numbers stay whole
/// (`.int`) so that the printed schema says `3600000`, not `3600000.0`.
enum JSONValue: Hashable, Sendable, Encodable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    /// A number: whole when it has no fraction.
    static func number(_ value: Double) -> JSONValue {
        value.rounded() == value && abs(value) < 1e18 ? .int(Int(value)) : .double(value)
    }

    /// A knob's value in a request body.
    init(_ knob: KnobValue) {
        switch knob {
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        }
    }

    /// This object with `other`'s members added (and replacing its own).
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.merging(other) { $1 })
    }

    /// Pretty, with sorted keys and unescaped slashes: the same text for the same document.
    func prettyPrinted() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers, booleans, arrays and objects cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let members): try container.encode(members)
        case .array(let elements): try container.encode(elements)
        case .string(let text): try container.encode(text)
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        }
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements) { $1 })
    }

    init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    init(stringLiteral value: String) {
        self = .string(value)
    }

    init(integerLiteral value: Int) {
        self = .int(value)
    }

    init(floatLiteral value: Double) {
        self = .number(value)
    }

    init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}
