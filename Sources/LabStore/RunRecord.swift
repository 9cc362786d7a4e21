import Foundation
import GRDB

/// RunStatus is where a run stands; the database CHECKs these values.
public enum RunStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Started and not yet finished.
    case running
    /// Ended normally, with a score.
    case finished
    /// Ended because something outside the learner's control failed.
    case errored
    /// Ended by the learner before its last step (or replaced by a new run of the same lab),
    /// graded on what was done, with the same maximum as a complete run.
    case abandoned
}

/// RunRecord is one learner's attempt at one lab.
public struct RunRecord: Codable, Equatable, Sendable {
    /// A UUID string, chosen by the store when the run starts.
    public var id: String
    public var labID: String
    public var learnerID: Int64
    /// Whether the learner chose the short version of the lab.
    public var quick: Bool
    public var status: RunStatus
    public var startedAt: Date
    /// Nil while the run is running.
    public var finishedAt: Date?

    public init(
        id: String, labID: String, learnerID: Int64, quick: Bool,
        status: RunStatus, startedAt: Date, finishedAt: Date? = nil
    ) {
        self.id = id
        self.labID = labID
        self.learnerID = learnerID
        self.quick = quick
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, quick, status
        case labID = "lab_id"
        case learnerID = "learner_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

extension RunRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "runs"
}
