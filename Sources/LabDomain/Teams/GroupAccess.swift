/// Who may do what on a group server. A caller shows a token: the facilitator's (every team,
/// the default workspace), a team's API token (that team only, every action), or a member's
/// session (that team only, what the member's role allows). Tokens are compared in constant
/// time and never logged. How a request carries its token is the web layer's business.
package struct GroupAccess: Sendable {
    package let facilitatorToken: String
    package let teams: TeamRegistry

    package init(facilitatorToken: String, teams: TeamRegistry) {
        self.facilitatorToken = facilitatorToken
        self.teams = teams
    }

    /// Whoever showed a valid token.
    package enum Principal: Sendable {
        case facilitator
        case team(Team)
        case member(Team, TeamMember)
    }

    /// Whoever a token names; `forbidden` when it names nobody.
    package func principal(ofToken token: String) async throws(LabError) -> Principal {
        if Secret.equal(token, facilitatorToken) { return .facilitator }
        if let team = await teams.team(withToken: token) { return .team(team) }
        if let member = await teams.member(withToken: token), let team = try? await teams.team(named: member.team) {
            return .member(team, member)
        }
        throw .forbidden("this token is not valid on this lab server: use the facilitator token (printed by chaoslab start --facilitator, and in DATA/facilitator-token), your team's token, or join with your team's code")
    }

    /// Only the facilitator.
    package static func requireFacilitator(_ principal: Principal) throws(LabError) {
        guard case .facilitator = principal else {
            throw .forbidden("only the facilitator may do this; a team token acts on its own team only (/api/team)")
        }
    }

    /// Who acts on team `name`, when `principal` may do `action` there: the facilitator, the
    /// team's token, or a member whose role allows it. Another team's token is refused whether
    /// or not `name` exists, so that tokens reveal nothing of other teams.
    package func actor(_ principal: Principal, onTeam name: String, for action: TeamAction) async throws(LabError) -> TeamActor {
        switch principal {
        case .facilitator:
            return TeamActor(team: try await teams.team(named: name), author: "facilitator", role: "facilitator")
        case .team(let team):
            guard team.name == name else { throw Self.otherTeam(team.name, name) }
            return TeamActor(team: team, author: "team \(team.name)", role: "team")
        case .member(let team, let member):
            guard team.name == name else { throw Self.otherTeam(team.name, name) }
            if let refusal = action.refusal(for: member.role) { throw .forbidden(refusal) }
            return TeamActor(team: team, author: member.name, role: member.role.rawValue)
        }
    }

    private static func otherTeam(_ own: String, _ asked: String) -> LabError {
        .forbidden("your token belongs to team '\(own)': it cannot read or change team '\(asked)'")
    }
}

/// Who acts on a team: the team, and the author and role its timeline names them by.
package struct TeamActor: Sendable {
    package let team: Team
    /// A member's display name, "team NAME" for the team's token, or "facilitator".
    package let author: String
    /// The member's role, "team", or "facilitator".
    package let role: String
}
