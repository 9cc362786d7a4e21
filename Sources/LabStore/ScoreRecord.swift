import Foundation
import GRDB

/// ScoreRecord is a finished run's grade: a total in 0...100 (the database
/// CHECKs the range) and the grader's breakdown.
public struct ScoreRecord: Codable, Equatable, Sendable {
    public var runID: String
    public var score: Int
    /// How the grader reached the score, JSON encoded by the caller.
    public var breakdown: Data
    public var computedAt: Date

    public init(runID: String, score: Int, breakdown: Data, computedAt: Date) {
        self.runID = runID
        self.score = score
        self.breakdown = breakdown
        self.computedAt = computedAt
    }

    enum CodingKeys: String, CodingKey {
        case score, breakdown
        case runID = "run_id"
        case computedAt = "computed_at"
    }
}

extension ScoreRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "scores"

    public static func databaseDataEncodingStrategy(for column: String) -> DatabaseDataEncodingStrategy {
        .text
    }
}
