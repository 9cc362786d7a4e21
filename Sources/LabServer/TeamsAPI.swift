import Foundation
import LabEngine
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import Sandbox

/// The teams of a group server under `/api/teams` and `/api/team`:
/// - the facilitator creates (`POST /api/teams {"name": ...}`), lists and removes teams;
/// - a team's token reads its own team and adds, lists and removes faults in its own
///   sandbox (`/api/teams/{name}/faults`, the same JSON as `/api/faults`);
/// - each team's Toxiproxy API lives at its capability URL, `/t/SECRET/...`.
struct TeamsAPI {
    let access: GroupAccess
    let address: ServerAddress
    let allowNonLoopback: Bool
    let seed: UInt64?
    let catalog: LabCatalog
    let templates: PageTemplates

    var teams: TeamRegistry { access.teams }

    func addRoutes(to router: Router<BasicRequestContext>) {
        let api = router.group("api")
        // Creates a team and its sandbox. With `Accept: application/x-ndjson` the answer is
        // streamed: `{"progress": …}` for each step of the start, then `{"team": …}` or
        // `{"error": …, "status": …}`; refusals known before the start are plain errors.
        api.post("teams") { request, context -> Response in
            try await access.requireFacilitator(request)
            let input = try await api.decodeBody(API.NewTeam.self, from: request)
            guard request.headers[.accept]?.contains("application/x-ndjson") == true else {
                let team = await created(try await teams.create(input.name))
                return try EditedResponse(status: .created, response: team).response(from: request, context: context)
            }
            try await teams.checkCreatable(input.name)
            return creationStream(input.name)
        }
        // The facilitator's emergency stop for the whole room.
        api.post("teams/halt") { request, _ -> API.HaltedAll in
            try await access.requireFacilitator(request)
            let body = try await request.body.collect(upTo: 1 << 16)
            let lock = body.readableBytes > 0 ? try await api.decodeBody(HaltAllRequest.self, from: body).lock ?? false : false
            return await teams.haltAll(lock: lock)
        }
        api.post("teams/unlock") { request, _ -> API.HaltedAll in
            try await access.requireFacilitator(request)
            return await teams.unlockAll()
        }
        api.get("teams") { request, _ -> [API.TeamInfo] in
            try await access.requireFacilitator(request)
            var infos: [API.TeamInfo] = []
            for team in await teams.all { infos.append(await info(team, credentials: true)) }
            return infos
        }
        api.get("team") { request, _ -> API.TeamInfo in
            switch try await access.principal(of: request) {
            case .team(let team), .member(let team, _):
                return await info(team)
            case .facilitator:
                throw APIError.badRequest("GET /api/team shows the team of a team token; the facilitator lists every team with GET /api/teams")
            }
        }
        // A person joins with the team's code, a display name and a role; the answer carries
        // their session token, and a browser keeps it in an HttpOnly, SameSite=Strict cookie.
        api.post("join") { request, _ -> EditedResponse<API.JoinedTeam> in
            let input = try await api.decodeBody(API.Join.self, from: request)
            guard let role = TeamRole(rawValue: input.role) else {
                throw APIError.badRequest("role must be one of \(TeamRole.list), got '\(input.role)'")
            }
            let member = try await teams.join(code: input.code, name: input.name, role: role)
            return EditedResponse(status: .created, headers: [.setCookie: GroupAccess.sessionCookieHeader(member.token)],
                                  response: API.JoinedTeam(team: member.team, name: member.name, role: role.rawValue, token: member.token))
        }
        addTimelineRoutes(to: api)
        // The team's lab runs: the same routes as /api/runs, on the team's own sandbox and store.
        LabAPI.addRunRoutes(to: api.group("teams/:team"), catalog: catalog) { request, context, action in
            try await access.requireTeam(try context.parameters.require("team"), request, for: action).workspace.coordinator
        }
        // The facilitator sees the join code and the token again (a `team create` that was interrupted).
        api.get("teams/:team") { request, context in
            let who = try await access.requireTeamPrincipal(try context.parameters.require("team"), request, for: .read)
            return await info(who.team, credentials: who.role == "facilitator")
        }
        api.delete("teams/:team") { request, context -> Response in
            try await access.requireFacilitator(request)
            try await teams.remove(try context.parameters.require("team"))
            return Response(status: .noContent)
        }
        addFaultRoutes(to: api)
        api.get("teams/:team/state") { request, context in
            await liveState(try await team(request, context))
        }
        api.get("teams/:team/live") { request, context in
            liveStream(try await team(request, context))
        }
        api.get("teams/:team/services") { request, context in
            await serviceViews(try await team(request, context), logLines: 15)
        }
        ToxiproxyRoutes { context in
            let secret = context.parameters.get("secret") ?? ""
            guard let team = await teams.team(withSecret: secret) else {
                throw APIError.notFound("no team's API at this address: the secret in the path is wrong, or the team was removed; ask the facilitator for your api_base")
            }
            return ToxiproxyAPI(board: team.workspace.board, allowNonLoopback: allowNonLoopback, seed: seed)
        }.addRoutes(to: router.group("t/:secret"))
    }

    /// What the facilitator is shown when the team is created: its credentials and addresses.
    private func created(_ team: Team) async -> API.CreatedTeam {
        API.CreatedTeam(
            team: team.name, joinCode: team.joinCode, token: team.token,
            storefrontURL: await team.workspace.sandbox.url(of: "storefront") ?? "", apiBase: address.apiBase(secret: team.secret))
    }

    /// Creates the team on a task of its own (a client that goes away does not stop it halfway)
    /// and streams its progress as newline-delimited JSON.
    private func creationStream(_ name: String) -> Response {
        let (lines, sink) = AsyncStream.makeStream(of: API.CreationLine.self)
        let started = ContinuousClock.now
        let work = Task {
            sink.yield(API.CreationLine(progress: "starting team \(name)'s sandbox: \(ShopTopology.edges.count) fault proxies, then \(ShopTopology.services.count) services, each until healthy"))
            do {
                let team = try await teams.create(name) { sink.yield(API.CreationLine(progress: $0)) }
                let elapsed = ContinuousClock.now - started
                sink.yield(API.CreationLine(progress: "team \(name) is ready in \(Int(elapsed / .milliseconds(1))) ms"))
                sink.yield(API.CreationLine(team: await created(team)))
            } catch let error as APIError {
                sink.yield(API.CreationLine(error: error.message, status: Int(error.status.code)))
            } catch {
                sink.yield(API.CreationLine(error: "\(error)", status: 500))
            }
            sink.finish()
        }
        return ndjsonResponse(lines, after: work)
    }

    private func addFaultRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("teams/:team/faults") { request, context in
            try await team(request, context).workspace.board.list()
        }
        api.post("teams/:team/faults") { request, context -> EditedResponse<API.TargetFault> in
            let board = try await access.requireTeam(try context.parameters.require("team"), request, for: .attack).workspace.board
            let fault = try await api.decodeBody(API.NewFault.self, from: request)
            return EditedResponse(status: .created, response: try await board.add(fault))
        }
        api.delete("teams/:team/faults/:target/:id") { request, context -> Response in
            let board = try await team(request, context).workspace.board
            let target = try context.parameters.require("target")
            let id = try context.parameters.require("id")
            guard try await board.remove(target: target, id: id) else {
                throw APIError.notFound("no fault '\(id)' on '\(target)'")
            }
            return Response(status: .noContent)
        }
        api.delete("teams/:team/faults/:target") { request, context -> API.Removed in
            let board = try await team(request, context).workspace.board
            return API.Removed(removed: try await board.removeAll(target: try context.parameters.require("target")))
        }
        // Anyone in the team halts: every fault removed, the running experiment stopped.
        let halt: @Sendable (Request, BasicRequestContext) async throws -> API.Halted = { request, context in
            let workspace = try await access.requireTeam(try context.parameters.require("team"), request, for: .halt).workspace
            let inForce = await workspace.board.list().count
            let cancelled = await workspace.coordinator.haltAll()
            return API.Halted(removed: inForce, cancelledExperiments: cancelled, locked: await workspace.board.locked)
        }
        api.delete("teams/:team/faults", use: halt)
        api.post("teams/:team/halt", use: halt)
    }

    private func team(_ request: Request, _ context: BasicRequestContext) async throws -> Team {
        try await access.requireTeam(try context.parameters.require("team"), request)
    }

    /// The team's report in Markdown (HTML-escaped learner text with `forHTML`): its runs, oldest first.
    private func report(_ request: Request, _ context: BasicRequestContext, forHTML: Bool) async throws -> (String, String) {
        let team = try await team(request, context)
        let workspace = team.workspace
        let pages = WebPages(templates: templates, coordinator: workspace.coordinator, sandbox: workspace.sandbox,
                             catalog: catalog, board: workspace.board)
        var runs: [SummaryPage] = []
        for run in try await workspace.coordinator.store.runs(limit: 100).reversed() {
            runs.append(try await pages.summaryPage(run.id))
        }
        let text = TeamReport.markdown(team: team.name, members: await teams.members(of: team.name), timeline: await teams.timeline(of: team.name),
                                       runs: runs, generatedAt: Date(), forHTML: forHTML)
        return (team.name, text)
    }

    private func download(_ text: String, type: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "inline; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The team's timeline: the scribe's notes and the user's reports, stamped with time and author.
    private func addTimelineRoutes(to api: RouterGroup<BasicRequestContext>) {
        func add(_ kind: TimelineEntry.Kind, _ action: TeamAction) -> @Sendable (Request, BasicRequestContext) async throws -> EditedResponse<API.TimelineLine> {
            { request, context in
                let who = try await access.requireTeamPrincipal(try context.parameters.require("team"), request, for: action)
                let text = try await api.decodeBody(API.TimelineText.self, from: request).text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard (1...2000).contains(text.count) else { throw APIError.badRequest("text must be 1 to 2000 characters") }
                let entry = TimelineEntry(at: Date(), kind: kind, author: who.author, role: who.role, text: text)
                try await teams.append(entry, to: who.team)
                return EditedResponse(status: .created, response: API.TimelineLine(entry))
            }
        }
        api.post("teams/:team/notes", use: add(.note, .note))
        api.post("teams/:team/reports", use: add(.userReport, .userReport))
        api.post("teams/:team/action-items", use: add(.actionItem, .note))
        // The game-day report: Markdown and HTML, one file each, for anyone in the team.
        api.get("teams/:team/report.md") { request, context -> Response in
            let (name, text) = try await report(request, context, forHTML: false)
            return download(text, type: "text/markdown; charset=utf-8", name: "chaoslab-team-\(name).md")
        }
        api.get("teams/:team/report.html") { request, context -> Response in
            let (name, text) = try await report(request, context, forHTML: true)
            let html = templates.render("report", ReportRenderer.Report(title: "Game-day report: team \(name)", bodyHTML: Markdown.html(text)))
            return download(html, type: "text/html; charset=utf-8", name: "chaoslab-team-\(name).html")
        }
        api.get("teams/:team/timeline") { request, context -> [API.TimelineLine] in
            let team = try await team(request, context)
            return await teams.timeline(of: team.name).map(API.TimelineLine.init)
        }
    }

    private func info(_ team: Team, credentials: Bool = false) async -> API.TeamInfo {
        let status = await team.workspace.sandbox.status()
        let services = Dictionary(uniqueKeysWithValues: status.services.map { ($0.name, $0.healthy) })
        return API.TeamInfo(
            name: team.name, storefrontURL: await team.workspace.sandbox.url(of: "storefront") ?? "",
            apiBase: address.apiBase(secret: team.secret), createdAt: team.createdAt,
            servicesHealthy: !services.isEmpty && services.values.allSatisfy { $0 }, services: services,
            members: await teams.members(of: team.name).map(API.Member.init),
            joinCode: credentials ? team.joinCode : nil, token: credentials ? team.token : nil)
    }
}

/// Where clients reach the lab server: the host to put in URLs and the port it bound
/// (known once it listens; port 0 picks a free one).
final class ServerAddress: Sendable {
    let host: String
    private let boundPort: NIOLockedValueBox<Int>

    init(host: String, port: Int) {
        self.host = host
        boundPort = NIOLockedValueBox(port)
    }

    var port: Int {
        get { boundPort.withLockedValue { $0 } }
    }

    func setPort(_ port: Int) { boundPort.withLockedValue { $0 = port } }

    var baseURL: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return "http://\(name):\(port)"
    }

    func apiBase(secret: String) -> String { "\(baseURL)/t/\(secret)" }
}

private struct HaltAllRequest: Decodable {
    var lock: Bool?
}

extension API.CreatedTeam: ResponseEncodable {}
extension API.HaltedAll: ResponseEncodable {}
extension API.JoinedTeam: ResponseEncodable {}
extension API.TimelineLine: ResponseEncodable {}

extension API.TimelineLine {
    init(_ entry: TimelineEntry) {
        self.init(at: entry.at, kind: entry.kind.rawValue, author: entry.author, role: entry.role, text: entry.text)
    }
}
extension API.TeamInfo: ResponseEncodable {}
