import Foundation

/// The roles of a game-day team. Roles shape what a member may do:
/// - the commander runs the exercise: only the commander (or the facilitator) starts an attack;
/// - the scribe keeps the timeline: only the scribe writes notes into it;
/// - the observer watches the charts, health and logs;
/// - the user uses the shop and reports what they see: only the user writes user reports.
/// Anyone in the team may halt.
package enum TeamRole: String, Codable, Sendable, CaseIterable {
    case commander, scribe, observer, user

    package static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension API.Member {
    /// A member as the rest of the team and the facilitator see them: name and role.
    package init(_ member: TeamMember) {
        self.init(name: member.name, role: member.role.rawValue)
    }
}

/// A person who joined a team with its join code.
package struct TeamMember: Sendable {
    package let team: String
    package let name: String
    package let role: TeamRole
    /// The member's session: `Authorization: Bearer TOKEN`, or the browser's HttpOnly cookie.
    package let token: String
    package let joinedAt: Date

    package init(team: String, name: String, role: TeamRole, token: String, joinedAt: Date) {
        self.team = team
        self.name = name
        self.role = role
        self.token = token
        self.joinedAt = joinedAt
    }
}

/// One line of a team's timeline: a scribe's note or a user's report, with when and who.
package struct TimelineEntry: Codable, Sendable {
    package enum Kind: String, Codable, Sendable { case note, userReport = "user_report", actionItem = "action_item" }

    package let at: Date
    package let kind: Kind
    package let author: String
    /// "scribe", "user", or "facilitator" (who may write anything).
    package let role: String
    package let text: String

    package init(at: Date, kind: Kind, author: String, role: String, text: String) {
        self.at = at
        self.kind = kind
        self.author = author
        self.role = role
        self.text = text
    }
}

/// What a caller may do in a team, and why a role may not.
package enum TeamAction: Sendable {
    /// Start an attack: the commander.
    case attack
    /// Drive a run (start it, record hypotheses, fix and diagram, status checks, finish): the commander.
    case run
    case halt, read, note, userReport

    /// Why `role` may not do this; nil when it may.
    package func refusal(for role: TeamRole) -> String? {
        switch (self, role) {
        case (.attack, .commander), (.run, .commander), (.note, .scribe), (.userReport, .user), (.halt, _), (.read, _):
            return nil
        case (.attack, _):
            return "only the team's commander (or the facilitator) may start an attack; you joined as \(role.rawValue). Anyone in the team may halt"
        case (.run, _):
            return "only the team's commander (or the facilitator) runs the exercise; you joined as \(role.rawValue)"
        case (.note, _):
            return "only the team's scribe writes notes and action items; you joined as \(role.rawValue)"
        case (.userReport, _):
            return "only the team's user writes user reports; you joined as \(role.rawValue)"
        }
    }
}
