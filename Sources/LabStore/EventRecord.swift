import Foundation
import GRDB

/// EventRecord is one entry of a run's journal. Events are append-only: the
/// database aborts any UPDATE or DELETE of them.
public struct EventRecord: Codable, Equatable, Sendable {
    /// Assigned by the database, increasing: the journal's order.
    public var id: Int64
    public var runID: String
    public var at: Date
    /// The caller's name for what happened (for instance "attack-started").
    public var kind: String
    /// Nil for events about the whole run.
    public var exerciseID: String?
    /// JSON encoded by the caller.
    public var payload: Data

    public init(id: Int64, runID: String, at: Date, kind: String, exerciseID: String?, payload: Data) {
        self.id = id
        self.runID = runID
        self.at = at
        self.kind = kind
        self.exerciseID = exerciseID
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case id, at, kind, payload
        case runID = "run_id"
        case exerciseID = "exercise_id"
    }
}

extension EventRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "events"

    /// JSON goes in as text, so that it reads as JSON in the database.
    public static func databaseDataEncodingStrategy(for column: String) -> DatabaseDataEncodingStrategy {
        .text
    }
}
