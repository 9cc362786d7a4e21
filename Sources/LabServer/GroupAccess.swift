import Foundation
import Hummingbird

/// Who may do what on a group server. Requests carry `Authorization: Bearer TOKEN`:
/// the facilitator's token (every team, the default workspace) or a team's (that team
/// only). No token: 401; a token that is not the one needed: 403. Tokens are compared
/// in constant time and never logged.
struct GroupAccess: Sendable {
    let facilitatorToken: String
    let teams: TeamRegistry

    enum Principal: Sendable {
        case facilitator
        case team(Team)
    }

    /// Whoever the request's token names.
    func principal(of request: Request) async throws -> Principal {
        let token = try Self.bearerToken(of: request)
        if Secret.equal(token, facilitatorToken) { return .facilitator }
        if let team = await teams.team(withToken: token) { return .team(team) }
        throw APIError(.forbidden, "this token is not valid on this lab server: use the facilitator token (printed by chaoslab start --facilitator, and in DATA/facilitator-token) or your team's token")
    }

    /// Only the facilitator.
    func requireFacilitator(_ request: Request) async throws {
        guard case .facilitator = try await principal(of: request) else {
            throw APIError(.forbidden, "only the facilitator may do this; a team token acts on its own team only (/api/team)")
        }
    }

    /// The facilitator, or a member of team `name`. Another team's token gets a 403 whether
    /// or not `name` exists, so that tokens reveal nothing of other teams.
    func requireTeam(_ name: String, _ request: Request) async throws -> Team {
        switch try await principal(of: request) {
        case .facilitator:
            return try await teams.team(named: name)
        case .team(let team):
            guard team.name == name else {
                throw APIError(.forbidden, "your token belongs to team '\(team.name)': it cannot read or change team '\(name)'")
            }
            return team
        }
    }

    /// The token of an `Authorization: Bearer TOKEN` header; 401 when there is none.
    static func bearerToken(of request: Request) throws -> String {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "missing token: send Authorization: Bearer TOKEN (the facilitator's or your team's; chaoslab commands take --token or CHAOSLAB_TOKEN)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError(.unauthorized, "the Authorization header must be 'Bearer TOKEN'")
        }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}

/// On a group server, the default workspace (its lab API, Toxiproxy API at the root, pages
/// and /metrics) is the facilitator's: every request to it needs the facilitator token.
/// The team routes check their own tokens; `/t/SECRET/...` carries its capability in the
/// path; `/api/health` stays open.
struct FacilitatorOnly<Context: RequestContext>: RouterMiddleware {
    let access: GroupAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let open = path == "/api/health" || path == "/api/team" || path == "/api/teams" || path.hasPrefix("/api/teams/") || path.hasPrefix("/t/")
        if !open {
            try await access.requireFacilitator(request)
        }
        return try await next(request, context)
    }
}
