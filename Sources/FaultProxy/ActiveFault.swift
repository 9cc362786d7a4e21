#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fault applied to one proxy, until `expiresAt` or until it is removed.
///
/// Encodes as `{"id", "type", "attributes", "applied_at", "expires_at"}`; attributes
/// are milliseconds, as in Toxiproxy.
public struct ActiveFault: Sendable, Equatable, Codable {
    /// Unique per proxy, e.g. "blackhole-1".
    public let id: String
    public let kind: FaultKind
    public let appliedAt: Date
    public let expiresAt: Date

    public init(id: String, kind: FaultKind, appliedAt: Date, expiresAt: Date) {
        self.id = id
        self.kind = kind
        self.appliedAt = appliedAt
        self.expiresAt = expiresAt
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case type
        case attributes
        case appliedAt = "applied_at"
        case expiresAt = "expires_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let attributes = try container.decodeIfPresent([String: Int].self, forKey: .attributes) ?? [:]
        guard let kind = FaultKind(name: type, attributes: attributes) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown fault type '\(type)'; expected blackhole, refuse or latency"
            )
        }
        self.id = try container.decode(String.self, forKey: .id)
        self.kind = kind
        self.appliedAt = try container.decode(Date.self, forKey: .appliedAt)
        self.expiresAt = try container.decode(Date.self, forKey: .expiresAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.kind.name, forKey: .type)
        try container.encode(self.kind.attributes, forKey: .attributes)
        try container.encode(self.appliedAt, forKey: .appliedAt)
        try container.encode(self.expiresAt, forKey: .expiresAt)
    }
}
