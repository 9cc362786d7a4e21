#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fault in force on one proxy, as the lab API lists it: a lab fault (several toxics
/// may make one), a toxic added through the Toxiproxy API, or the proxy being down.
///
/// Encodes as `{"id", "type", "attributes", "stream", "applied_at", "expires_at"}`;
/// attributes are in Toxiproxy's units. `expires_at` is absent for faults that stay
/// until removed.
public struct ActiveFault: Sendable, Equatable, Codable {
    /// Unique per proxy: "blackhole-1", a toxic's name, or "down".
    public let id: String
    public let kind: FaultKind
    public let appliedAt: Date
    public let expiresAt: Date?

    public init(id: String, kind: FaultKind, appliedAt: Date, expiresAt: Date?) {
        self.id = id
        self.kind = kind
        self.appliedAt = appliedAt
        self.expiresAt = expiresAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, attributes, stream
        case appliedAt = "applied_at"
        case expiresAt = "expires_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let attributes = try container.decodeIfPresent([String: Int].self, forKey: .attributes) ?? [:]
        let stream = try container.decodeIfPresent(ToxicStream.self, forKey: .stream) ?? .downstream
        do {
            self.kind = try FaultKind(name: type, attributes: attributes, stream: stream)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: error.message)
        }
        self.id = try container.decode(String.self, forKey: .id)
        self.appliedAt = try container.decode(Date.self, forKey: .appliedAt)
        self.expiresAt = try container.decodeIfPresent(Date.self, forKey: .expiresAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.kind.name, forKey: .type)
        try container.encode(self.kind.attributes, forKey: .attributes)
        try container.encodeIfPresent(self.kind.stream, forKey: .stream)
        try container.encode(self.appliedAt, forKey: .appliedAt)
        try container.encodeIfPresent(self.expiresAt, forKey: .expiresAt)
    }
}
