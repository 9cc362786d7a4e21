import GRDB
import Testing
@testable import LabStore

@Suite("Migrations")
struct MigrationTests {
    @Test("a fresh database gets every migration, in order, and every table")
    func freshDatabaseIsMigrated() async throws {
        // Given a brand-new in-memory store
        let store = try inMemoryStore()

        // When we ask the database what it has
        let (applied, tables) = try await store.writer.read { db in
            (try LabStore.migrator.appliedMigrations(db),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        }

        // Then all named migrations ran, in registration order
        #expect(applied == [
            "v1-create-learners-runs-events",
            "v2-make-events-append-only",
            "v3-create-answers-observations-scores",
            "v4-allow-abandoned-runs",
        ])
        // And each table the store needs exists
        for table in ["learners", "runs", "events", "answers", "observations", "scores"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
    }

    @Test("foreign keys are enforced")
    func foreignKeysAreOn() async throws {
        // Given a fresh store
        let store = try inMemoryStore()

        // When a run names a learner that does not exist, through raw SQL
        // Then the database refuses it
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO runs (id, lab_id, learner_id, quick, status, started_at)
                    VALUES ('r1', 'lab', 999, 0, 'running', '2027-01-01 00:00:00.000')
                    """)
            }
        }
    }

    @Test("a database of the third migration keeps its runs, their answers and its foreign keys through the fourth")
    func abandonedRunsMigrationKeepsData() async throws {
        // Given a database migrated up to v3, with a finished run and an open one that has an answer
        let queue = try DatabaseQueue()
        try LabStore.migrator.migrate(queue, upTo: "v3-create-answers-observations-scores")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO learners (id, name, created_at) VALUES (1, 'Ada', '2027-01-01 00:00:00.000');
                INSERT INTO runs (id, lab_id, learner_id, quick, status, started_at, finished_at)
                    VALUES ('r1', 'lab', 1, 0, 'finished', '2027-01-01 00:00:00.000', '2027-01-01 00:10:00.000'),
                           ('r2', 'lab', 1, 1, 'running', '2027-01-02 00:00:00.000', NULL);
                INSERT INTO answers (run_id, exercise_id, kind, value, recorded_at)
                    VALUES ('r2', 'block-ads', 'hypothesis', '"broken"', '2027-01-02 00:01:00.000');
                """)
        }

        // When the fourth migration runs
        try LabStore.migrator.migrate(queue)

        // Then the runs are all there, an abandoned one may be written, and a run that
        // names no learner is still refused
        try await queue.write { db in
            #expect(try String.fetchAll(db, sql: "SELECT id || ':' || status FROM runs ORDER BY id") == ["r1:finished", "r2:running"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM answers WHERE run_id = 'r2'") == 1)
            try db.execute(sql: "UPDATE runs SET status = 'abandoned', finished_at = '2027-01-02 00:05:00.000' WHERE id = 'r2'")
            #expect(Set(try db.indexes(on: "runs").map(\.name)).isSuperset(of: ["runs_by_learner", "runs_by_start"]))
        }
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO runs (id, lab_id, learner_id, quick, status, started_at)
                    VALUES ('r3', 'lab', 999, 0, 'running', '2027-01-03 00:00:00.000')
                    """)
            }
        }
    }

    @Test("a run status outside running/finished/errored/abandoned is refused by the database")
    func runStatusIsChecked() async throws {
        // Given a store with one run
        let (store, run) = try await storeWithStartedRun()

        // When raw SQL sets a status the schema does not know
        // Then the CHECK constraint refuses it
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in
                try db.execute(sql: "UPDATE runs SET status = 'paused' WHERE id = ?", arguments: [run.id])
            }
        }
    }
}
