import Foundation

/// EdgeID names one dependency edge of the demo shop, such as storefront->ads.
///
/// In labs and events it is written as its `key` ("storefront->ads"); the fault proxy knows the
/// same edge by its `proxyName` ("storefront-ads").
public struct EdgeID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The calling service.
    public let from: String
    /// The service being called.
    public let to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// Parses "from->to"; nil when the text has no arrow or an empty side.
    public init?(key: String) {
        let sides = key.split(separator: "->", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else { return nil }
        self.init(from: sides[0], to: sides[1])
    }

    /// "storefront->ads": the name used in lab files, events and the summary.
    public var key: String { "\(from)->\(to)" }
    /// "storefront-ads": the name of the proxy that carries this edge.
    public var proxyName: String { "\(from)-\(to)" }
    public var description: String { key }

    public static func < (lhs: EdgeID, rhs: EdgeID) -> Bool { lhs.key < rhs.key }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let edge = EdgeID(key: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an edge like storefront->ads"))
        }
        self = edge
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}
