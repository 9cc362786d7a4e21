import Foundation
import GRDB

/// Learner is a person taking labs, known by a unique name.
public struct Learner: Codable, Equatable, Sendable {
    /// Assigned by the database.
    public var id: Int64
    public var name: String
    public var createdAt: Date

    public init(id: Int64, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case createdAt = "created_at"
    }
}

extension Learner: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "learners"
}
