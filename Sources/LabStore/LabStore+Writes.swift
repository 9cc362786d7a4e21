import Foundation
import GRDB

/// Writes, named by intent. Each is one transaction.
extension LabStore {
    /// The learner with this name, created on first use.
    public func learner(named name: String) async throws -> Learner {
        let now = now()
        return try await write { db in try Self.findOrCreateLearner(db, name: name, at: now) }
    }

    /// Starts a running run of `labID` for the named learner (created if new).
    public func startRun(labID: String, learnerName: String, quick: Bool) async throws -> RunRecord {
        let now = now()
        return try await write { db in
            let learner = try Self.findOrCreateLearner(db, name: learnerName, at: now)
            let run = RunRecord(
                id: UUID().uuidString, labID: labID, learnerID: learner.id,
                quick: quick, status: .running, startedAt: now)
            try run.insert(db)
            return run
        }
    }

    /// Appends one event to the run's journal and returns it with its id.
    @discardableResult
    public func appendEvent(
        runID: String, kind: String, exerciseID: String?, payload: Data
    ) async throws -> EventRecord {
        try LabStoreError.requireText(payload, column: "payload")
        let now = now()
        return try await write { db in
            _ = try Self.requireRun(db, runID)
            let inserted = try EventRecord.fetchOne(db, sql: """
                INSERT INTO events (run_id, at, kind, exercise_id, payload)
                VALUES (?, ?, ?, ?, ?) RETURNING *
                """, arguments: [runID, now, kind, exerciseID, String(decoding: payload, as: UTF8.self)])
            guard let inserted else { throw LabStoreError.database(message: "INSERT INTO events returned no row") }
            return inserted
        }
    }

    /// Records the learner's prediction for an exercise, replacing an earlier one.
    public func recordHypothesis(runID: String, exerciseID: String, value: Data) async throws {
        try await recordAnswer(runID: runID, exerciseID: exerciseID, kind: .hypothesis, value: value)
    }

    /// Records the learner's corrected diagram for the run, replacing an earlier one.
    public func recordDiagramAnswer(runID: String, value: Data) async throws {
        try await recordAnswer(runID: runID, exerciseID: nil, kind: .diagram, value: value)
    }

    /// Records the fix the learner chose for an exercise, replacing an earlier one.
    public func recordFix(runID: String, exerciseID: String, value: Data) async throws {
        try await recordAnswer(runID: runID, exerciseID: exerciseID, kind: .fix, value: value)
    }

    /// Records what an exercise's attack showed, replacing an earlier observation.
    public func recordObservation(runID: String, exerciseID: String, status: String, payload: Data) async throws {
        try LabStoreError.requireText(payload, column: "payload")
        let observation = ObservationRecord(
            runID: runID, exerciseID: exerciseID, status: status, payload: payload, recordedAt: now())
        try await write { db in
            _ = try Self.requireRun(db, runID)
            try observation.upsert(db)
        }
    }

    /// Ends the run with `status` (`.finished` or `.errored`) and its score,
    /// in one transaction. Calling it again re-grades: the status and score
    /// are replaced, the first `finishedAt` is kept.
    @discardableResult
    public func finishRun(runID: String, status: RunStatus, score: Int, breakdown: Data) async throws -> RunRecord {
        guard status != .running else { throw LabStoreError.finishStatusNotFinal(id: runID) }
        try LabStoreError.requireText(breakdown, column: "breakdown")
        let now = now()
        return try await write { db in
            var run = try Self.requireRun(db, runID)
            run.status = status
            run.finishedAt = run.finishedAt ?? now
            try run.update(db)
            do {
                try ScoreRecord(runID: runID, score: score, breakdown: breakdown, computedAt: now).upsert(db)
            } catch let error as DatabaseError where error.isCheck("score_range") {
                throw LabStoreError.scoreOutOfRange(score)
            }
            return run
        }
    }

    // MARK: - Helpers

    private func recordAnswer(runID: String, exerciseID: String?, kind: AnswerKind, value: Data) async throws {
        try LabStoreError.requireText(value, column: "value")
        let now = now()
        try await write { db in
            _ = try Self.requireRun(db, runID)
            try db.execute(sql: """
                INSERT INTO answers (run_id, exercise_id, kind, value, recorded_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (run_id, ifnull(exercise_id, ''), kind)
                DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at
                """, arguments: [runID, exerciseID, kind, String(decoding: value, as: UTF8.self), now])
        }
    }

    private static func findOrCreateLearner(_ db: Database, name: String, at: Date) throws -> Learner {
        if let learner = try Learner.fetchOne(db, key: ["name": name]) { return learner }
        let created = try Learner.fetchOne(
            db, sql: "INSERT INTO learners (name, created_at) VALUES (?, ?) RETURNING *",
            arguments: [name, at])
        guard let created else { throw LabStoreError.database(message: "INSERT INTO learners returned no row") }
        return created
    }
}
