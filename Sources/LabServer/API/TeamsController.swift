import Foundation
import Hummingbird
import LabDomain
import LabEngine
import Sandbox

/// The teams of a group server:
/// - the facilitator creates (`POST /api/teams {"name": ...}`), lists, reads and removes teams,
///   and halts or unlocks every team at once (`POST /api/teams/halt`, `/api/teams/unlock`);
/// - a team's token or a member's session reads its own team (`GET /api/team`);
/// - a person joins with the team's code (`POST /api/join`).
/// A team's workspace (runs, faults) is served by the same controllers as the default one,
/// under `/api/teams/{team}`; its Toxiproxy API lives at its capability URL, `/t/SECRET/...`.
struct TeamsController {
    let access: GroupAccess
    let address: ServerAddress

    var teams: TeamRegistry { access.teams }

    /// The facilitator's routes: the group carries `FacilitatorOnly`.
    func addFacilitatorRoutes(to api: RouterGroup<LabRequestContext>) {
        let teams = teams
        // Creates a team and its sandbox. With `Accept: application/x-ndjson` the answer is
        // streamed: `{"progress": …}` for each step of the start, then `{"team": …}` or
        // `{"error": …, "status": …}`; refusals known before the start are plain errors.
        api.post("teams") { request, context -> Response in
            let input = try await request.decodeJSON(API.NewTeam.self)
            guard request.headers[.accept]?.contains("application/x-ndjson") == true else {
                let team = await created(try await teams.create(input.name))
                return try EditedResponse(status: .created, response: team).response(from: request, context: context)
            }
            try await teams.checkCreatable(input.name)
            return creationStream(input.name)
        }
        // The facilitator's emergency stop for the whole room.
        api.post("teams/halt") { request, _ -> API.HaltedAll in
            await teams.haltAll(lock: try await request.decodeJSONIfAny(FaultsController.HaltRequest.self)?.lock ?? false)
        }
        api.post("teams/unlock") { _, _ -> API.HaltedAll in
            await teams.unlockAll()
        }
        api.get("teams") { _, _ -> [API.TeamInfo] in
            var infos: [API.TeamInfo] = []
            for team in await teams.all { infos.append(await info(team, credentials: true)) }
            return infos
        }
        api.delete("teams/:team") { _, context -> Response in
            try await teams.remove(try context.parameters.require("team"))
            return Response(status: .noContent)
        }
    }

    /// The routes of anyone with a token, or none (joining).
    func addRoutes(to api: RouterGroup<LabRequestContext>) {
        let teams = teams, access = access
        api.get("team") { _, context -> API.TeamInfo in
            switch try context.principal() {
            case .team(let team)?, .member(let team, _)?:
                return await info(team)
            case .facilitator?, nil:
                throw LabError.invalid("GET /api/team shows the team of a team token; the facilitator lists every team with GET /api/teams")
            }
        }
        // The facilitator sees the join code and the token again (a `team create` that was interrupted).
        api.get("teams/:team") { _, context in
            let who = try await context.actor(onTeam: try context.parameters.require("team"), for: .read, access: access)
            return await info(who.team, credentials: who.role == "facilitator")
        }
        // A person joins with the team's code, a display name and a role; the answer carries
        // their session token, and a browser keeps it in an HttpOnly, SameSite=Strict cookie.
        api.post("join") { request, _ -> EditedResponse<API.JoinedTeam> in
            let input = try await request.decodeJSON(API.Join.self)
            guard let role = TeamRole(rawValue: input.role) else {
                throw LabError.invalid("role must be one of \(TeamRole.list), got '\(input.role)'")
            }
            let member = try await teams.join(code: input.code, name: input.name, role: role)
            return EditedResponse(status: .created, headers: [.setCookie: IdentifyCaller.sessionCookieHeader(member.token)],
                                  response: API.JoinedTeam(team: member.team, name: member.name, role: role.rawValue, token: member.token))
        }
    }

    /// What the facilitator is shown when the team is created: its credentials and addresses.
    private func created(_ team: Team) async -> API.CreatedTeam {
        API.CreatedTeam(
            team: team.name, joinCode: team.joinCode, token: team.token,
            storefrontURL: await team.workspace.sandbox.entryURL() ?? "", apiBase: address.apiBase(secret: team.secret))
    }

    /// Creates the team on a task of its own (a client that goes away does not stop it halfway)
    /// and streams its progress as newline-delimited JSON.
    private func creationStream(_ name: String) -> Response {
        let (lines, sink) = AsyncStream.makeStream(of: API.CreationLine.self)
        let started = ContinuousClock.now
        let work = Task {
            sink.yield(API.CreationLine(progress: "starting team \(name)'s sandbox: its fault proxies, then its services, each until healthy"))
            do {
                let team = try await teams.create(name) { sink.yield(API.CreationLine(progress: $0)) }
                let elapsed = ContinuousClock.now - started
                sink.yield(API.CreationLine(progress: "team \(name) is ready in \(Int(elapsed / .milliseconds(1))) ms"))
                sink.yield(API.CreationLine(team: await created(team)))
            } catch {
                let failure = APIError(answering: error)
                sink.yield(API.CreationLine(error: failure.message, status: Int(failure.status.code)))
            }
            sink.finish()
        }
        return ndjsonResponse(lines, after: work)
    }

    private func info(_ team: Team, credentials: Bool = false) async -> API.TeamInfo {
        let status = await team.workspace.sandbox.status()
        let services = Dictionary(uniqueKeysWithValues: status.services.map { ($0.name, $0.healthy) })
        return API.TeamInfo(
            name: team.name, storefrontURL: await team.workspace.sandbox.entryURL() ?? "",
            apiBase: address.apiBase(secret: team.secret), createdAt: team.createdAt,
            servicesHealthy: !services.isEmpty && services.values.allSatisfy { $0 }, services: services,
            members: await teams.members(of: team.name).map(API.Member.init),
            joinCode: credentials ? team.joinCode : nil, token: credentials ? team.token : nil)
    }
}

extension API.CreatedTeam: ResponseEncodable {}
extension API.HaltedAll: ResponseEncodable {}
extension API.JoinedTeam: ResponseEncodable {}
extension API.TeamInfo: ResponseEncodable {}
