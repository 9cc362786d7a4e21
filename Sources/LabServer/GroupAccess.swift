import Foundation
import Hummingbird

/// Who may do what on a group server. Requests carry `Authorization: Bearer TOKEN`, or a
/// browser's session cookie: the facilitator's token (every team, the default workspace), a
/// team's API token (that team only, every action), or a member's session (that team only,
/// what the member's role allows). No token: 401; a token that is not the one needed, or a
/// role that may not: 403 with the reason. Tokens are compared in constant time and never logged.
struct GroupAccess: Sendable {
    let facilitatorToken: String
    let teams: TeamRegistry

    enum Principal: Sendable {
        case facilitator
        case team(Team)
        case member(Team, TeamMember)
    }

    /// The browser's session cookie, set when a person joins a team.
    static let sessionCookie = "chaoslab_session"

    /// The `Set-Cookie` value that keeps `token` as the browser's session: HttpOnly, SameSite=Strict.
    static func sessionCookieHeader(_ token: String) -> String {
        Cookie(name: sessionCookie, value: token, path: "/", httpOnly: true, sameSite: .strict).description
    }

    /// Whoever the request's token names.
    func principal(of request: Request) async throws -> Principal {
        try await principal(ofToken: try Self.sessionToken(of: request))
    }

    /// Whoever a token names; 403 when it names nobody.
    func principal(ofToken token: String) async throws -> Principal {
        if Secret.equal(token, facilitatorToken) { return .facilitator }
        if let team = await teams.team(withToken: token) { return .team(team) }
        if let member = await teams.member(withToken: token), let team = try? await teams.team(named: member.team) {
            return .member(team, member)
        }
        throw APIError(.forbidden, "this token is not valid on this lab server: use the facilitator token (printed by chaoslab start --facilitator, and in DATA/facilitator-token), your team's token, or join with your team's code")
    }

    /// Only the facilitator.
    func requireFacilitator(_ request: Request) async throws {
        guard case .facilitator = try await principal(of: request) else {
            throw APIError(.forbidden, "only the facilitator may do this; a team token acts on its own team only (/api/team)")
        }
    }

    /// The facilitator, or a member of team `name` whose role allows `action`. Another team's
    /// token gets a 403 whether or not `name` exists, so that tokens reveal nothing of other teams.
    func requireTeam(_ name: String, _ request: Request, for action: TeamAction = .read) async throws -> Team {
        try await requireTeamPrincipal(name, request, for: action).team
    }

    /// As `requireTeam`, with who asked: the author of a note or a report.
    func requireTeamPrincipal(_ name: String, _ request: Request, for action: TeamAction) async throws -> (team: Team, author: String, role: String) {
        switch try await principal(of: request) {
        case .facilitator:
            return (try await teams.team(named: name), "facilitator", "facilitator")
        case .team(let team):
            guard team.name == name else { throw Self.otherTeam(team.name, name) }
            return (team, "team \(team.name)", "team")
        case .member(let team, let member):
            guard team.name == name else { throw Self.otherTeam(team.name, name) }
            if let refusal = action.refusal(for: member.role) { throw APIError(.forbidden, refusal) }
            return (team, member.name, member.role.rawValue)
        }
    }

    private static func otherTeam(_ own: String, _ asked: String) -> APIError {
        APIError(.forbidden, "your token belongs to team '\(own)': it cannot read or change team '\(asked)'")
    }

    /// The bearer token, or else the session cookie; 401 when there is neither.
    static func sessionToken(of request: Request) throws -> String {
        if request.headers[.authorization] != nil { return try bearerToken(of: request) }
        if let cookie = request.cookies[sessionCookie]?.value, !cookie.isEmpty { return cookie }
        return try bearerToken(of: request)
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
/// The team routes and pages check their own tokens; `/t/SECRET/...` carries its capability
/// in the path; `/api/health`, the join page and the pages' assets stay open.
struct FacilitatorOnly<Context: RequestContext>: RouterMiddleware {
    let access: GroupAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let open = ["/api/health", "/api/join", "/api/session", "/api/team", "/api/teams", "/join", "/team", "/favicon.ico"].contains(path)
            || ["/api/teams/", "/t/", "/teams/", "/assets/"].contains { path.hasPrefix($0) }
        if !open {
            try await access.requireFacilitator(request)
        }
        return try await next(request, context)
    }
}
