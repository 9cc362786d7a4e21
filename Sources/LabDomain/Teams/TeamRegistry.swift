import Foundation
import LabStore
import Sandbox
import ServiceLifecycle

/// The teams of a group server, each with its own sandbox. A name is reserved while its
/// workspace starts, so two creations of one name cannot race; a creation that fails
/// leaves neither a team nor a running process behind. With a book, the teams, their
/// people and their timelines are kept on disk, and `restore` brings them back after a restart.
///
/// The registry is a service of the lab server's group: `run` runs every team's workspace as a
/// child task (a team removed ends its child), and at shutdown stops every team's sandbox.
package actor TeamRegistry: Service {
    /// Starts a team's workspace, with its lab store in `storeFile` (a file name in the teams folder).
    package typealias WorkspaceFactory = @Sendable (
        _ team: String, _ storeFile: String, _ progress: @escaping @Sendable (String) -> Void
    ) async throws -> Workspace

    private let makeWorkspace: WorkspaceFactory
    /// Refuses a new team before anything starts (the machine is short of memory); not asked on restore.
    private let admit: @Sendable () throws -> Void
    let book: TeamBook?
    /// Saved teams whose sandbox could not start again: kept in the book for the next start,
    /// their names reserved until then or until the facilitator removes them.
    private var unrestored: Set<String> = []
    package nonisolated let maxTeams: Int
    var teams: [String: Team] = [:]
    private var starting: Set<String> = []
    /// Set by `shutdownAll`: a workspace that finishes starting afterwards is stopped at once.
    private var closed = false
    /// The facilitator's lock for everyone: every team's faults are refused, also a team created meanwhile.
    package private(set) var lockedForAll = false
    /// People who joined a team, by session token.
    var members: [String: TeamMember] = [:]
    /// Each team's notes and user reports, oldest first.
    var timelines: [String: [TimelineEntry]] = [:]
    /// Workspaces started (created or restored), for `run` to run.
    private nonisolated let started: AsyncStream<Workspace>
    private nonisolated let startedSink: AsyncStream<Workspace>.Continuation

    package init(maxTeams: Int, book: TeamBook? = nil, admit: @escaping @Sendable () throws -> Void = {}, makeWorkspace: @escaping WorkspaceFactory) {
        self.maxTeams = maxTeams
        self.book = book
        self.admit = admit
        self.makeWorkspace = makeWorkspace
        (started, startedSink) = AsyncStream.makeStream(of: Workspace.self)
    }

    /// Runs each team's workspace, those started before this call included, until a graceful
    /// shutdown or a cancellation, which end every workspace's run too (each stops its sandbox);
    /// returns once all have stopped.
    package func run() async {
        let started = self.started
        await withDiscardingTaskGroup { group in
            for await workspace in started.cancelOnGracefulShutdown() {
                group.addTask { await workspace.run() }
            }
            await shutdownAll()  // no team may start from now on; the workspaces' shutdowns run on tasks of their own
        }
    }

    /// Brings back the teams of the book, each with its sandbox started again, its people (their
    /// sessions still valid) and its timeline. A team whose sandbox cannot start is said, and
    /// stays in the book for the next start (or until the facilitator removes it).
    package func restore(progress: @Sendable (String) -> Void) async {
        guard let book else { return }
        let saved: [TeamBook.Team], people: [TeamBook.Member], entries: [TeamBook.Entry]
        do {
            (saved, people, entries) = (try await book.teams(), try await book.members(), try await book.timeline())
        } catch {
            return progress("could not read the saved teams: \(error)")
        }
        for record in saved {
            do {
                let workspace = try await makeWorkspace(record.name, record.storeFile) { _ in }
                teams[record.name] = Team(
                    name: record.name, joinCode: record.joinCode, token: record.token, secret: record.secret,
                    createdAt: record.createdAt, storeFile: record.storeFile, workspace: workspace)
                startedSink.yield(workspace)
            } catch {
                unrestored.insert(record.name)
                progress("could not start team \(record.name)'s sandbox again: \(error). It stays saved for the next start; remove it with chaoslab team remove \(record.name)")
            }
        }
        for person in people where teams[person.team] != nil {
            guard let role = TeamRole(rawValue: person.role) else { continue }
            members[person.token] = TeamMember(team: person.team, name: person.name, role: role, token: person.token, joinedAt: person.joinedAt)
        }
        for entry in entries where teams[entry.team] != nil {
            guard let kind = TimelineEntry.Kind(rawValue: entry.kind) else { continue }
            timelines[entry.team, default: []].append(TimelineEntry(at: entry.at, kind: kind, author: entry.author, role: entry.role, text: entry.text))
        }
        if !teams.isEmpty {
            progress("restored \(teams.count) team\(teams.count == 1 ? "" : "s") with their sandboxes, people and timelines: \(all.map(\.name).joined(separator: ", "))")
        }
    }

    /// Lower-case letters, digits and hyphens, 1 to 32 characters, starting with a letter or digit.
    package static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, (1...32).contains(name.count), first != "-" else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// Refuses, before anything starts, a bad name, a name taken, a full server, or a machine short of memory.
    package func checkCreatable(_ name: String) throws {
        guard Self.isValidName(name) else {
            throw LabError.invalid("bad team name '\(name)': use 1 to 32 lower-case letters, digits and hyphens, starting with a letter or digit (e.g. team-1)")
        }
        guard teams[name] == nil, !starting.contains(name), !unrestored.contains(name) else {
            throw LabError.conflict("a team named '\(name)' exists already; choose another name or remove it first (chaoslab team remove \(name))")
        }
        guard teams.count + starting.count < maxTeams else {
            throw LabError.unavailable("this lab server holds at most \(maxTeams) teams (start it with --max-teams N for more); remove a team first")
        }
        do {
            try admit()
        } catch {
            throw LabError.unavailable("could not create the sandbox of team '\(name)': \(error)")
        }
    }

    /// Creates a team and starts its sandbox, telling `progress` each step of the start.
    package func create(_ name: String, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Team {
        try checkCreatable(name)
        starting.insert(name)
        defer { starting.remove(name) }
        let storeFile = "\(name)-\(Int(Date().timeIntervalSince1970 * 1000)).sqlite"
        let workspace: Workspace
        do {
            workspace = try await makeWorkspace(name, storeFile, progress)
        } catch {
            let text = "\(error)"
            let hint = text.contains("Too many open files")
                ? "; the lab server is out of file descriptors: raise its limit (ulimit -n) or remove a team"
                : text.contains("Address already in use") || text.contains("Cannot assign requested address")
                ? "; the machine is out of free ports: remove a team" : ""
            throw LabError.unavailable("could not create the sandbox of team '\(name)' (nothing of it is left running): \(text)\(hint)")
        }
        let team = Team(
            name: name, joinCode: Secret.joinCode(), token: Secret.token(), secret: Secret.token(), createdAt: Date(),
            storeFile: storeFile, workspace: workspace)
        do {
            try await book?.add(TeamBook.Team(
                name: team.name, joinCode: team.joinCode, token: team.token, secret: team.secret, createdAt: team.createdAt, storeFile: storeFile))
        } catch {
            await workspace.shutdown()
            throw LabError.failed("could not save team '\(name)' (its sandbox is stopped again): \(error)")
        }
        // The server began to stop while the sandbox started: neither the team nor its record stays.
        guard !closed else {
            try? await book?.remove(team: name)
            await workspace.shutdown()
            throw LabError.unavailable("the lab server is stopping")
        }
        if lockedForAll { await workspace.board.lock() }
        teams[name] = team
        startedSink.yield(workspace)
        return team
    }

    /// Halts every team at once: stops each running experiment and removes every fault of every
    /// team's sandbox; with `lock`, also refuses new faults in all of them until `unlockAll`.
    package func haltAll(lock: Bool) async -> API.HaltedAll {
        if lock { lockedForAll = true }
        var removed = 0, cancelled = 0
        for team in all {
            let board = team.workspace.board
            if lock { await board.lock() }
            removed += await board.list().count
            cancelled += await team.workspace.coordinator.haltAll()
        }
        return API.HaltedAll(teams: teams.count, removed: removed, cancelledExperiments: cancelled, locked: lockedForAll)
    }

    /// Lifts the lock of every team (and the lock for everyone).
    package func unlockAll() async -> API.HaltedAll {
        lockedForAll = false
        for team in all { await team.workspace.board.unlock() }
        return API.HaltedAll(teams: teams.count, removed: 0, cancelledExperiments: 0, locked: false)
    }

    /// Whether `team` is still the registered team of its name (not removed, not replaced).
    func isCurrent(_ team: Team) -> Bool {
        teams[team.name]?.token == team.token
    }

    /// Removes a team (also one saved whose sandbox could not start again) and stops its
    /// sandbox; `notFound` when there is no such team. Its runs stay in their file.
    package func remove(_ name: String) async throws {
        guard teams[name] != nil || unrestored.contains(name) else { throw Self.unknown(name) }
        do {
            try await book?.remove(team: name)
        } catch {
            throw LabError.failed("could not remove team '\(name)' from the saved teams (it is still running): \(error)")
        }
        unrestored.remove(name)
        members = members.filter { $0.value.team != name }
        timelines[name] = nil
        guard let team = teams.removeValue(forKey: name) else { return }
        await team.workspace.shutdown()
    }

    package func team(named name: String) throws(LabError) -> Team {
        guard let team = teams[name] else { throw Self.unknown(name) }
        return team
    }

    /// Every team, by name.
    package var all: [Team] { teams.values.sorted { $0.name < $1.name } }

    /// The team whose API token this is. Every team's token is compared, each in constant time.
    package func team(withToken token: String) -> Team? {
        var found: Team?
        for team in teams.values where Secret.equal(token, team.token) { found = team }
        return found
    }

    /// The team whose capability secret this is, compared as tokens are.
    package func team(withSecret secret: String) -> Team? {
        var found: Team?
        for team in teams.values where Secret.equal(secret, team.secret) { found = team }
        return found
    }

    /// Stops every team's sandbox (server shutdown); `run` ends once each has stopped.
    package func shutdownAll() async {
        closed = true
        startedSink.finish()
        let all = teams.values
        teams = [:]
        for team in all { await team.workspace.shutdown() }
    }

    static func unknown(_ name: String) -> LabError {
        LabError.notFound("no team named '\(name)'; list them with chaoslab team list")
    }
}
