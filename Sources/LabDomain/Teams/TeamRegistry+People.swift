import Foundation
import LabStore

// The people of each team and the team's timeline, kept in the book when there is one.
extension TeamRegistry {
    /// A person joins the team whose join code this is, with a display name and a role.
    /// A wrong code is `forbidden`, with a message that says nothing of the teams.
    package func join(code: String, name: String, role: TeamRole) async throws -> TeamMember {
        var found: Team?
        for team in teams.values where Secret.equal(code.uppercased(), team.joinCode) { found = team }
        guard let team = found else {
            throw LabError.forbidden("this join code is not valid here; ask the facilitator for your team's code")
        }
        let display = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(display.count) else {
            throw LabError.invalid("give a display name of 1 to 40 characters")
        }
        let member = TeamMember(team: team.name, name: display, role: role, token: Secret.token(), joinedAt: Date())
        do {
            try await book?.add(TeamBook.Member(token: member.token, team: member.team, name: member.name, role: role.rawValue, joinedAt: member.joinedAt))
        } catch {
            throw LabError.failed("could not save your place in team '\(team.name)': \(error)")
        }
        // The team may have been removed (and a new one of its name created) while this was saved.
        guard isCurrent(team) else { throw Self.unknown(team.name) }
        members[member.token] = member
        team.workspace.feed.publish(.changed("\(display) joined as \(role.rawValue)"))
        return member
    }

    /// The member whose session token this is, compared in constant time.
    package func member(withToken token: String) -> TeamMember? {
        var found: TeamMember?
        for (candidate, member) in members where Secret.equal(token, candidate) { found = member }
        return found
    }

    /// The members of a team, in the order they joined.
    package func members(of team: String) -> [TeamMember] {
        members.values.filter { $0.team == team }.sorted { $0.joinedAt < $1.joinedAt }
    }

    package func append(_ entry: TimelineEntry, to team: Team) async throws {
        do {
            try await book?.append(TeamBook.Entry(team: team.name, at: entry.at, kind: entry.kind.rawValue, author: entry.author, role: entry.role, text: entry.text))
        } catch {
            throw LabError.failed("could not save the \(entry.kind.rawValue.replacingOccurrences(of: "_", with: " ")): \(error)")
        }
        guard isCurrent(team) else { throw Self.unknown(team.name) }
        timelines[team.name, default: []].append(entry)
        team.workspace.feed.publish(.changed("\(entry.author) wrote a \(entry.kind.rawValue.replacingOccurrences(of: "_", with: " "))"))
    }

    package func timeline(of team: String) -> [TimelineEntry] {
        timelines[team] ?? []
    }
}
