import Foundation
import GRDB

/// ObservationRecord is what the probes saw during one exercise's attack:
/// its outcome and the whole result as the caller encoded it. One per
/// exercise and run; recording again replaces it.
public struct ObservationRecord: Codable, Equatable, Sendable {
    public var runID: String
    public var exerciseID: String
    /// The caller's outcome word (for instance "works", "broken", "inconclusive").
    public var status: String
    /// The whole result, JSON encoded by the caller.
    public var payload: Data
    public var recordedAt: Date

    public init(runID: String, exerciseID: String, status: String, payload: Data, recordedAt: Date) {
        self.runID = runID
        self.exerciseID = exerciseID
        self.status = status
        self.payload = payload
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case status, payload
        case runID = "run_id"
        case exerciseID = "exercise_id"
        case recordedAt = "recorded_at"
    }
}

extension ObservationRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "observations"

    public static func databaseDataEncodingStrategy(for column: String) -> DatabaseDataEncodingStrategy {
        .text
    }
}
