import Foundation
import GRDB

/// LabStoreError says which store rule a call broke and what to do next.
public enum LabStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// No run has this id.
    case unknownRun(id: String)
    /// `finishRun` was called with `.running`, which is not an end state.
    case finishStatusNotFinal(id: String)
    /// A score outside 0...100 was rejected by the database.
    case scoreOutOfRange(Int)
    /// A learner name was empty or only whitespace.
    case blankLearnerName
    /// A JSON column was given bytes that are not valid UTF-8 JSON text.
    case invalidJSON(column: String)
    /// Any other database failure, with SQLite's own message.
    case database(message: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open the lab store at \(path): \(reason). "
                + "Check that the folder is writable and the file is a SQLite database, or pick another path."
        case let .unknownRun(id):
            "no run has id \(id). List runs (runs(limit:)) or start a new one with startRun."
        case let .finishStatusNotFinal(id):
            "run \(id) cannot finish as 'running': pass .finished or .errored."
        case let .scoreOutOfRange(score):
            "score \(score) is outside 0...100; fix the grader so that it clamps its total."
        case .blankLearnerName:
            "a learner needs a name that is not blank; ask the learner for one."
        case let .invalidJSON(column):
            "\(column) must be valid JSON text (UTF-8); encode it with JSONEncoder before storing it."
        case let .database(message):
            "the lab store failed: \(message)"
        }
    }

    /// Maps any error thrown inside a database access to a LabStoreError,
    /// naming the broken rule when a named constraint is the cause.
    init(translating error: any Error) {
        if let error = error as? LabStoreError {
            self = error
            return
        }
        guard let dbError = error as? DatabaseError else {
            self = .database(message: String(describing: error))
            return
        }
        let message = dbError.message ?? "\(dbError)"
        for column in ["payload", "value", "breakdown"] where message.contains("\(column)_is_json") {
            self = .invalidJSON(column: column)
            return
        }
        if message.contains("learner_name_not_blank") {
            self = .blankLearnerName
        } else {
            self = .database(message: message)
        }
    }
}

extension LabStoreError {
    /// Throws `.invalidJSON(column:)` unless `json` is UTF-8 text, which JSON
    /// columns need; whether it is valid JSON is the database's CHECK to say.
    static func requireText(_ json: Data, column: String) throws {
        guard String(data: json, encoding: .utf8) != nil else {
            throw LabStoreError.invalidJSON(column: column)
        }
    }
}

extension DatabaseError {
    /// Whether this error is the failure of the CHECK constraint named `name`.
    func isCheck(_ name: String) -> Bool {
        extendedResultCode == .SQLITE_CONSTRAINT_CHECK && (message ?? "").contains(name)
    }
}
