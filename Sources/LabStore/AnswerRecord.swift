import Foundation
import GRDB

/// AnswerKind is what a learner answered; the database CHECKs these values.
public enum AnswerKind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// A prediction made before an exercise's attack.
    case hypothesis
    /// The corrected architecture diagram, once per run.
    case diagram
    /// The fix chosen for an exercise.
    case fix
}

/// AnswerRecord is a learner's latest answer of one kind for one exercise
/// (or for the whole run, when `exerciseID` is nil). Recording again replaces
/// it: the caller decides while replacing is still allowed.
public struct AnswerRecord: Codable, Equatable, Sendable {
    public var runID: String
    public var exerciseID: String?
    public var kind: AnswerKind
    /// JSON encoded by the caller.
    public var value: Data
    public var recordedAt: Date

    public init(runID: String, exerciseID: String?, kind: AnswerKind, value: Data, recordedAt: Date) {
        self.runID = runID
        self.exerciseID = exerciseID
        self.kind = kind
        self.value = value
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case kind, value
        case runID = "run_id"
        case exerciseID = "exercise_id"
        case recordedAt = "recorded_at"
    }
}

extension AnswerRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "answers"

    public static func databaseDataEncodingStrategy(for column: String) -> DatabaseDataEncodingStrategy {
        .text
    }
}
