import GRDB

extension LabStore {
    /// The schema, as named, append-only migrations in SQL terms.
    ///
    /// Never edit a migration that has shipped: add a new one. Constraints are
    /// named so that `LabStoreError` can say which rule a write broke.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-create-learners-runs-events") { db in
            try db.execute(sql: """
                CREATE TABLE learners (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE
                        CONSTRAINT learner_name_not_blank CHECK (length(trim(name)) > 0),
                    created_at DATETIME NOT NULL
                );
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    lab_id TEXT NOT NULL,
                    learner_id INTEGER NOT NULL REFERENCES learners(id),
                    quick BOOLEAN NOT NULL CONSTRAINT run_quick_is_bool CHECK (quick IN (0, 1)),
                    status TEXT NOT NULL
                        CONSTRAINT run_status CHECK (status IN ('running', 'finished', 'errored')),
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    CONSTRAINT run_finished_at_matches_status
                        CHECK ((status = 'running') = (finished_at IS NULL))
                );
                CREATE INDEX runs_by_start ON runs(started_at);
                CREATE INDEX runs_by_learner ON runs(learner_id, started_at);
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    at DATETIME NOT NULL,
                    kind TEXT NOT NULL,
                    exercise_id TEXT,
                    payload TEXT NOT NULL CONSTRAINT payload_is_json CHECK (json_valid(payload))
                );
                CREATE INDEX events_by_run ON events(run_id, id);
                """)
        }

        migrator.registerMigration("v2-make-events-append-only") { db in
            try db.execute(sql: """
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
                    SELECT RAISE(ABORT, 'events are append-only: append a new event instead of updating one');
                END;
                CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
                    SELECT RAISE(ABORT, 'events are append-only: events cannot be deleted');
                END;
                """)
        }

        migrator.registerMigration("v3-create-answers-observations-scores") { db in
            try db.execute(sql: """
                CREATE TABLE answers (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    exercise_id TEXT,
                    kind TEXT NOT NULL
                        CONSTRAINT answer_kind CHECK (kind IN ('hypothesis', 'diagram', 'fix')),
                    value TEXT NOT NULL CONSTRAINT value_is_json CHECK (json_valid(value)),
                    recorded_at DATETIME NOT NULL
                );
                -- One answer per run, exercise and kind. exercise_id is NULL for
                -- run-wide answers (the diagram), and NULLs never collide in a
                -- UNIQUE constraint, hence the expression.
                CREATE UNIQUE INDEX answers_one_per_kind
                    ON answers(run_id, ifnull(exercise_id, ''), kind);
                CREATE TABLE observations (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    exercise_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    payload TEXT NOT NULL CONSTRAINT payload_is_json CHECK (json_valid(payload)),
                    recorded_at DATETIME NOT NULL,
                    UNIQUE (run_id, exercise_id)
                );
                CREATE TABLE scores (
                    run_id TEXT PRIMARY KEY NOT NULL REFERENCES runs(id),
                    score INTEGER NOT NULL CONSTRAINT score_range CHECK (score BETWEEN 0 AND 100),
                    breakdown TEXT NOT NULL CONSTRAINT breakdown_is_json CHECK (json_valid(breakdown)),
                    computed_at DATETIME NOT NULL
                );
                """)
        }

        // SQLite cannot change a CHECK constraint in place: the runs table is rebuilt with the
        // new list of statuses, as SQLite's documentation describes (foreign keys are checked
        // once the migration's transaction ends).
        migrator.registerMigration("v4-allow-abandoned-runs") { db in
            try db.execute(sql: """
                CREATE TABLE new_runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    lab_id TEXT NOT NULL,
                    learner_id INTEGER NOT NULL REFERENCES learners(id),
                    quick BOOLEAN NOT NULL CONSTRAINT run_quick_is_bool CHECK (quick IN (0, 1)),
                    status TEXT NOT NULL
                        CONSTRAINT run_status CHECK (status IN ('running', 'finished', 'errored', 'abandoned')),
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    CONSTRAINT run_finished_at_matches_status
                        CHECK ((status = 'running') = (finished_at IS NULL))
                );
                INSERT INTO new_runs (id, lab_id, learner_id, quick, status, started_at, finished_at)
                    SELECT id, lab_id, learner_id, quick, status, started_at, finished_at FROM runs;
                DROP TABLE runs;
                ALTER TABLE new_runs RENAME TO runs;
                CREATE INDEX runs_by_start ON runs(started_at);
                CREATE INDEX runs_by_learner ON runs(learner_id, started_at);
                """)
        }

        return migrator
    }
}
