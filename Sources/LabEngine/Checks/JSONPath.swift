import Foundation

/// JSONPath is the part of JSONPath that a status check needs to point at one value of a
/// response: `$`, `.name`, `['name']` or `["name"]`, and `[index]` (negative counts from the end),
/// plus `.length` of an array or a string. Wildcards, filters and recursive descent are refused
/// when the lab is loaded, with this list in the message.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    enum Segment: Hashable, Sendable {
        case member(String)
        case index(Int)
    }

    public let description: String
    let segments: [Segment]

    static let supported = "$ then .name, ['name'] or [index] steps (like $.items[0].price)"

    /// Parses `text`; the error says what is wrong and where.
    public init(parsing text: String) throws(JSONPathError) {
        var chars = Array(text.trimmingCharacters(in: .whitespaces))
        guard chars.first == "$" else { throw JSONPathError("a JSONPath starts with '$', like $.status") }
        chars.removeFirst()
        var segments: [Segment] = []
        var i = 0
        func name(from start: Int) -> (String, Int) {
            var end = start
            while end < chars.count, chars[end] != ".", chars[end] != "[" { end += 1 }
            return (String(chars[start..<end]), end)
        }
        while i < chars.count {
            switch chars[i] {
            case ".":
                if i + 1 < chars.count, chars[i + 1] == "." {
                    throw JSONPathError("recursive descent '..' is not supported; use \(Self.supported)")
                }
                let (member, end) = name(from: i + 1)
                if member.isEmpty { throw JSONPathError("a '.' must be followed by a name (at character \(i + 2))") }
                if member == "*" { throw JSONPathError("wildcards are not supported; use \(Self.supported)") }
                segments.append(.member(member))
                i = end
            case "[":
                guard let close = chars[i...].firstIndex(of: "]") else {
                    throw JSONPathError("'[' at character \(i + 2) is never closed")
                }
                let inner = String(chars[(i + 1)..<close]).trimmingCharacters(in: .whitespaces)
                if let index = Int(inner) {
                    segments.append(.index(index))
                } else if inner.count >= 2, let quote = inner.first, quote == "'" || quote == "\"", inner.last == quote {
                    segments.append(.member(String(inner.dropFirst().dropLast())))
                } else {
                    throw JSONPathError("'[\(inner)]' is not supported (filters and wildcards are not); use \(Self.supported)")
                }
                i = close + 1
            default:
                throw JSONPathError("unexpected '\(chars[i])' at character \(i + 2); use \(Self.supported)")
            }
        }
        self.description = text
        self.segments = segments
    }

    /// The value at this path, or nil when the document has nothing there.
    func value(in document: JSONDocument) -> JSONDocument? {
        var current = document
        for segment in segments {
            switch (segment, current) {
            case (.member(let key), .object(let members)):
                guard let next = members[key] else { return nil }
                current = next
            case (.member("length"), .array(let elements)):
                current = .number(Double(elements.count))
            case (.member("length"), .string(let text)):
                current = .number(Double(text.count))
            case (.index(let index), .array(let elements)):
                let position = index < 0 ? elements.count + index : index
                guard elements.indices.contains(position) else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }
}

public struct JSONPathError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// JSONDocument is a parsed JSON response body.
public enum JSONDocument: Hashable, Sendable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let flag = try? c.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? c.decode(Double.self) { self = .number(number) }
        else if let text = try? c.decode(String.self) { self = .string(text) }
        else if let elements = try? c.decode([JSONDocument].self) { self = .array(elements) }
        else { self = .object(try c.decode([String: JSONDocument].self)) }
    }

    /// Parses a response body; nil when it is not JSON.
    static func parse(_ text: String) -> JSONDocument? {
        try? JSONDecoder().decode(JSONDocument.self, from: Data(text.utf8))
    }

    /// As a lab author would write it: "ok", 3, true, null, [1,2].
    public var description: String {
        let text: String
        switch self {
        case .null: text = "null"
        case .bool(let flag): text = flag ? "true" : "false"
        case .number(let number): text = formattedNumber(number)
        case .string(let string): text = "\"\(string)\""
        case .array(let elements): text = "[" + elements.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            text = "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        }
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    /// The number it holds (a number, or a string that reads as one, as Prometheus writes values).
    var number: Double? {
        switch self {
        case .number(let number): number
        case .string(let text): Double(text)
        default: nil
        }
    }
}
