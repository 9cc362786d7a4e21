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

    @Test("a run status outside running/finished/errored is refused by the database")
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
