import Foundation
import GRDB

/// Reads. Each sees one consistent snapshot of the database.
extension LabStore {
    /// The run with this id, or nil if there is none.
    public func run(id: String) async throws -> RunRecord? {
        try await read { db in try RunRecord.fetchOne(db, key: id) }
    }

    /// The most recently started run, of the named learner when a name is
    /// given; nil when there is none (an unknown learner has none).
    public func latestRun(learnerName: String? = nil) async throws -> RunRecord? {
        try await read { db in
            guard let learnerName else {
                return try RunRecord.fetchOne(db, sql: "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1")
            }
            return try RunRecord.fetchOne(db, sql: """
                SELECT runs.* FROM runs JOIN learners ON learners.id = runs.learner_id
                WHERE learners.name = ? ORDER BY runs.started_at DESC, runs.rowid DESC LIMIT 1
                """, arguments: [learnerName])
        }
    }

    /// The named learner's runs that are still open (`running`), newest first; of one lab
    /// when `labID` is given.
    public func openRuns(learnerName: String, labID: String? = nil) async throws -> [RunRecord] {
        try await read { db in
            try RunRecord.fetchAll(db, sql: """
                SELECT runs.* FROM runs JOIN learners ON learners.id = runs.learner_id
                WHERE learners.name = ? AND runs.status = 'running' AND (? IS NULL OR runs.lab_id = ?)
                ORDER BY runs.started_at DESC, runs.rowid DESC
                """, arguments: [learnerName, labID, labID])
        }
    }

    /// The name of the learner with this id, or nil if there is none.
    public func learnerName(id: Int64) async throws -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT name FROM learners WHERE id = ?", arguments: [id]) }
    }

    /// Up to `limit` runs, newest first.
    public func runs(limit: Int) async throws -> [RunRecord] {
        try await read { db in
            try RunRecord.fetchAll(
                db, sql: "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?",
                arguments: [max(limit, 0)])
        }
    }

    /// The run's journal, in the order the events were appended.
    public func events(runID: String) async throws -> [EventRecord] {
        try await read { db in
            _ = try Self.requireRun(db, runID)
            return try EventRecord.fetchAll(db, sql: "SELECT * FROM events WHERE run_id = ? ORDER BY id", arguments: [runID])
        }
    }

    /// The run's latest `limit` events other than `excluding` (e.g. the per-second probe samples), oldest first.
    public func latestEvents(runID: String, limit: Int, excluding kind: String) async throws -> [EventRecord] {
        try await read { db in
            _ = try Self.requireRun(db, runID)
            return try EventRecord.fetchAll(
                db, sql: "SELECT * FROM (SELECT * FROM events WHERE run_id = ? AND kind != ? ORDER BY id DESC LIMIT ?) ORDER BY id",
                arguments: [runID, kind, limit])
        }
    }

    /// The run's current answers, oldest first.
    public func answers(runID: String) async throws -> [AnswerRecord] {
        try await read { db in
            _ = try Self.requireRun(db, runID)
            return try AnswerRecord.fetchAll(
                db, sql: "SELECT * FROM answers WHERE run_id = ? ORDER BY recorded_at, rowid", arguments: [runID])
        }
    }

    /// The run's observations, oldest first.
    public func observations(runID: String) async throws -> [ObservationRecord] {
        try await read { db in
            _ = try Self.requireRun(db, runID)
            return try ObservationRecord.fetchAll(
                db, sql: "SELECT * FROM observations WHERE run_id = ? ORDER BY recorded_at, rowid",
                arguments: [runID])
        }
    }

    /// The run's score, or nil while it has none.
    public func score(runID: String) async throws -> ScoreRecord? {
        try await read { db in
            _ = try Self.requireRun(db, runID)
            return try ScoreRecord.fetchOne(db, key: runID)
        }
    }

    /// The learner's best score per lab id, over finished runs; empty for an
    /// unknown learner.
    public func bestScores(learnerName: String) async throws -> [String: Int] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT runs.lab_id AS lab_id, MAX(scores.score) AS best FROM scores
                JOIN runs ON runs.id = scores.run_id
                JOIN learners ON learners.id = runs.learner_id
                WHERE learners.name = ? AND runs.status = 'finished'
                GROUP BY runs.lab_id
                """, arguments: [learnerName])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["lab_id"] as String, $0["best"] as Int) })
        }
    }
}
