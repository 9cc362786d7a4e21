import Foundation
import GRDB

/// The teams of a group server, kept in SQLite so that a restarted server finds them again:
/// each team with its credentials and the file of its own lab store, the people who joined it
/// (with their session tokens), and its timeline (notes, user reports, action items).
///
/// It holds secrets, so the file is readable by its owner only, like the facilitator token.
public final class TeamBook: Sendable {
    let writer: any DatabaseWriter

    public struct Team: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
        public static let databaseTableName = "teams"
        public var name: String
        public var joinCode: String
        public var token: String
        public var secret: String
        public var createdAt: Date
        /// The file name of the team's lab store, in the teams folder.
        public var storeFile: String

        public init(name: String, joinCode: String, token: String, secret: String, createdAt: Date, storeFile: String) {
            self.name = name
            self.joinCode = joinCode
            self.token = token
            self.secret = secret
            self.createdAt = createdAt
            self.storeFile = storeFile
        }

        enum CodingKeys: String, CodingKey {
            case name, token, secret
            case joinCode = "join_code", createdAt = "created_at", storeFile = "store_file"
        }
    }

    public struct Member: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
        public static let databaseTableName = "members"
        public var token: String
        public var team: String
        public var name: String
        public var role: String
        public var joinedAt: Date

        public init(token: String, team: String, name: String, role: String, joinedAt: Date) {
            self.token = token
            self.team = team
            self.name = name
            self.role = role
            self.joinedAt = joinedAt
        }

        enum CodingKeys: String, CodingKey {
            case token, team, name, role
            case joinedAt = "joined_at"
        }
    }

    public struct Entry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
        public static let databaseTableName = "timeline"
        public var team: String
        public var at: Date
        public var kind: String
        public var author: String
        public var role: String
        public var text: String

        public init(team: String, at: Date, kind: String, author: String, role: String, text: String) {
            self.team = team
            self.at = at
            self.kind = kind
            self.author = author
            self.role = role
            self.text = text
        }
    }

    /// Opens (or creates) the book at `path`, readable by its owner only.
    ///
    /// - Throws: `LabStoreError.cannotOpen` naming the path.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) {
                // A failure shows in setAttributes below, which names the path.
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(5)
            // One connection, no WAL: no -wal or -shm files beside it with other permissions.
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
            writer = queue
        } catch {
            throw LabStoreError.cannotOpen(path: path, reason: (error as? DatabaseError)?.message ?? "\(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-teams-members-timeline") { db in
            try db.execute(sql: """
                CREATE TABLE teams (
                    name TEXT PRIMARY KEY NOT NULL,
                    join_code TEXT NOT NULL UNIQUE,
                    token TEXT NOT NULL UNIQUE,
                    secret TEXT NOT NULL UNIQUE,
                    created_at DATETIME NOT NULL,
                    store_file TEXT NOT NULL
                );
                CREATE TABLE members (
                    token TEXT PRIMARY KEY NOT NULL,
                    team TEXT NOT NULL REFERENCES teams(name) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    joined_at DATETIME NOT NULL
                );
                CREATE TABLE timeline (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    team TEXT NOT NULL REFERENCES teams(name) ON DELETE CASCADE,
                    at DATETIME NOT NULL,
                    kind TEXT NOT NULL,
                    author TEXT NOT NULL,
                    role TEXT NOT NULL,
                    text TEXT NOT NULL
                );
                CREATE INDEX timeline_by_team ON timeline(team, id);
                """)
        }
        return migrator
    }

    public func add(_ team: Team) async throws {
        try await write { db in try team.insert(db) }
    }

    /// Removes a team with its members and timeline (its lab store file stays).
    public func remove(team name: String) async throws {
        try await write { db in _ = try Team.deleteOne(db, key: name) }
    }

    public func add(_ member: Member) async throws {
        try await write { db in try member.insert(db) }
    }

    public func append(_ entry: Entry) async throws {
        try await write { db in try entry.insert(db) }
    }

    /// Every team, oldest first.
    public func teams() async throws -> [Team] {
        try await read { db in try Team.order(Column("created_at"), Column.rowID).fetchAll(db) }
    }

    /// Every member of every team, in the order they joined.
    public func members() async throws -> [Member] {
        try await read { db in try Member.order(Column("joined_at"), Column.rowID).fetchAll(db) }
    }

    /// Every team's timeline entries, oldest first.
    public func timeline() async throws -> [Entry] {
        try await read { db in try Entry.order(Column("id")).fetchAll(db) }
    }

    private func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch {
            throw LabStoreError(translating: error)
        }
    }

    private func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(value)
        } catch {
            throw LabStoreError(translating: error)
        }
    }
}
