import Foundation
import GRDB

/// LabStore keeps learners, runs, their event journal, answers, observations
/// and scores in SQLite through GRDB.
///
/// It knows no lab logic types: callers pass plain values and JSON they
/// encoded themselves (`Data`), and get back plain `Codable` records. Every
/// write is named by intent and runs in one transaction; the database's
/// constraints (foreign keys, NOT NULL, CHECK, UNIQUE, append-only triggers)
/// are the source of truth, and their failures come back as `LabStoreError`.
public final class LabStore: Sendable {
    /// The connection: a `DatabasePool` (WAL mode) for a file, a
    /// `DatabaseQueue` in memory. Internal so that tests can run raw SQL.
    let writer: any DatabaseWriter
    /// Where timestamps come from; tests pass a clock that steps.
    let now: @Sendable () -> Date

    /// Opens (or creates) the store at `path`, creating its parent folder if
    /// missing, in WAL mode, and applies pending migrations.
    ///
    /// - Throws: `LabStoreError.cannotOpen` naming the path when the folder
    ///   cannot be created or the file cannot be opened as a database.
    public init(path: String, now: @escaping @Sendable () -> Date = { Date() }) throws {
        let url = URL(fileURLWithPath: path)
        let pool: DatabasePool
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            pool = try DatabasePool(path: url.path, configuration: Self.configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw LabStoreError.cannotOpen(path: path, reason: Self.describe(error))
        }
        self.writer = pool
        self.now = now
    }

    /// A fresh, migrated store that lives in memory only: for tests.
    public static func inMemory(now: @escaping @Sendable () -> Date = { Date() }) throws -> LabStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration)
            try migrator.migrate(queue)
        } catch {
            throw LabStoreError.cannotOpen(path: ":memory:", reason: describe(error))
        }
        return LabStore(writer: queue, now: now)
    }

    private init(writer: any DatabaseWriter, now: @escaping @Sendable () -> Date) {
        self.writer = writer
        self.now = now
    }

    /// Closes the database (checkpointing the WAL of a file store). Any call
    /// after this fails; deinit closes a store that was not closed.
    public func close() throws {
        do {
            try writer.close()
        } catch {
            throw LabStoreError(translating: error)
        }
    }

    private static var configuration: Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "LabStore"
        // Another process (the CLI's `summary` while the server runs) may hold
        // the write lock for a moment: wait for it rather than fail at once.
        config.busyMode = .timeout(5)
        return config
    }

    private static func describe(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? error.localizedDescription
    }

    // MARK: - Access that turns database failures into LabStoreError

    /// Runs `updates` in one write transaction; any thrown error rolls it back.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch {
            throw LabStoreError(translating: error)
        }
    }

    /// Runs `value` in a read-only access that sees one consistent snapshot.
    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(value)
        } catch {
            throw LabStoreError(translating: error)
        }
    }

    /// Throws `LabStoreError.unknownRun` unless a run with this id exists.
    static func requireRun(_ db: Database, _ runID: String) throws -> RunRecord {
        guard let run = try RunRecord.fetchOne(db, key: runID) else {
            throw LabStoreError.unknownRun(id: runID)
        }
        return run
    }
}
