import Foundation
import Hummingbird
import LabDomain
import LabEngine

extension API {
    /// `GET /api/overview`: every team at a glance, for the facilitator.
    public struct Overview: Codable, Sendable {
        public var teams: [TeamGlance]
        /// Teams by their best finished score, highest first; teams without one last.
        public var leaderboard: [LeaderboardLine]
        /// New faults are refused for everyone (`chaoslab team halt --lock`).
        public var locked: Bool
    }

    public struct TeamGlance: Codable, Sendable {
        public var name: String
        public var members: [Member]
        public var servicesHealthy: Bool
        /// The faults in force in the team's sandbox, in words.
        public var activeFaults: [String]
        public var lab: String?
        /// The first exercise of the latest run without a completed result.
        public var currentExercise: String?
        public var predictionsMade: Int
        public var exercisesDone: Int
        public var exercises: Int
        /// The latest run's score so far.
        public var score: Int?
        public var bestScore: Int?

        enum CodingKeys: String, CodingKey {
            case name, members, lab, exercises, score
            case servicesHealthy = "services_healthy", activeFaults = "active_faults", currentExercise = "current_exercise"
            case predictionsMade = "predictions_made", exercisesDone = "exercises_done", bestScore = "best_score"
        }
    }

    public struct LeaderboardLine: Codable, Sendable {
        public var team: String
        public var score: Int?
    }
}

/// The facilitator's view of a group server: the overview in JSON (`GET /api/overview`) and the
/// same as a page (`/facilitator`), both the facilitator's; and, open to everyone, the session
/// endpoints: a token becomes the browser's HttpOnly cookie (`POST /api/session`), and the
/// browser asks who it is signed in as (`GET /api/session`).
struct FacilitatorController {
    let access: GroupAccess
    let catalog: LabCatalog
    let templates: PageTemplates

    var teams: TeamRegistry { access.teams }

    /// The facilitator's routes: the group carries `FacilitatorOnly`.
    func addFacilitatorRoutes(to router: RouterGroup<LabRequestContext>) {
        router.get("api/overview") { _, _ -> API.Overview in try await overview() }
        router.get("facilitator") { _, _ -> Response in
            try templates.page("facilitator", FacilitatorPage(try await overview()))
        }
    }

    func addSessionRoutes(to api: RouterGroup<LabRequestContext>) {
        let access = access
        // A browser signs in with a token (the facilitator's, a team's or a member's): the
        // answer sets it as an HttpOnly, SameSite=Strict cookie, so the pages need no header.
        api.post("session") { request, _ -> Response in
            struct Body: Decodable { var token: String }
            let token = try await request.decodeJSON(Body.self).token
            _ = try await access.principal(ofToken: token)
            return Response(status: .noContent, headers: [.setCookie: IdentifyCaller.sessionCookieHeader(token)])
        }
        // Who this browser's session is: the join page offers to go on as them.
        // Nobody (no token, or one no longer valid) is an answer too: `{"kind": "none"}`.
        api.get("session") { _, context -> API.SessionInfo in
            switch try? context.principal() {
            case .facilitator?: return API.SessionInfo(kind: "facilitator", team: nil, name: nil, role: nil)
            case .team(let team)?: return API.SessionInfo(kind: "team", team: team.name, name: nil, role: nil)
            case .member(let team, let member)?: return API.SessionInfo(kind: "member", team: team.name, name: member.name, role: member.role.rawValue)
            case nil: return API.SessionInfo(kind: "none", team: nil, name: nil, role: nil)
            }
        }
    }

    func overview() async throws -> API.Overview {
        var glances: [API.TeamGlance] = []
        for team in await teams.all {
            glances.append(try await glance(team))
        }
        let leaderboard = glances.map { API.LeaderboardLine(team: $0.name, score: $0.bestScore) }
            .sorted { ($0.score ?? -1, $1.team) > ($1.score ?? -1, $0.team) }
        return API.Overview(teams: glances, leaderboard: leaderboard, locked: await teams.lockedForAll)
    }

    private func glance(_ team: Team) async throws -> API.TeamGlance {
        let workspace = team.workspace
        let status = await workspace.sandbox.status()
        let faults = await workspace.board.list().map { "\($0.fault.description) on \($0.target)" }
        let store = workspace.coordinator.store
        let runs = try await store.runs(limit: 100)
        // The latest run in full; of the others only the stored scores, for the leaderboard.
        var latest: RunSummary?
        if let run = runs.first { latest = try await RunSummaryBuilder(store: store, catalog: catalog).summary(runID: run.id) }
        var best: Int?
        for run in runs where run.status != .running {
            if let score = try await store.score(runID: run.id)?.score { best = max(best ?? score, score) }
        }
        let done = latest?.exercises.filter(\.judged) ?? []
        return API.TeamGlance(
            name: team.name, members: await teams.members(of: team.name).map(API.Member.init),
            servicesHealthy: !status.services.isEmpty && status.services.allSatisfy(\.healthy), activeFaults: faults,
            lab: latest?.lab, currentExercise: latest?.exercises.first { $0.status != "completed" }?.id,
            predictionsMade: latest?.exercises.filter { $0.hypothesis != nil }.count ?? 0,
            exercisesDone: done.count, exercises: latest?.exercises.count ?? 0, score: latest?.score,
            bestScore: best)
    }
}

/// What the facilitator's page shows (Mustache sees stored properties only).
struct FacilitatorPage {
    struct Row {
        var name: String
        var members: String
        var health: String
        var faults: String
        var progress: String
        var score: String
    }

    struct Place {
        var rank: Int
        var team: String
        var score: String
    }

    var layout: Layout
    var rows: [Row]
    var leaderboard: [Place]
    var hasTeams: Bool
    var locked: Bool

    init(_ overview: API.Overview) {
        layout = Layout(title: "Facilitator", page: "facilitator", faultCount: 0, storefrontURL: nil)
        rows = overview.teams.map { team in
            Row(name: team.name,
                members: team.members.isEmpty ? "nobody joined yet" : team.members.map { "\($0.name) (\($0.role))" }.joined(separator: ", "),
                health: team.servicesHealthy ? "healthy" : "UNHEALTHY",
                faults: team.activeFaults.isEmpty ? "none" : team.activeFaults.joined(separator: "; "),
                progress: team.lab.map { lab in
                    "\(lab): \(team.exercisesDone) of \(team.exercises) done, \(team.predictionsMade) predictions"
                        + (team.currentExercise.map { ", now \($0)" } ?? ", finished")
                } ?? "no run yet",
                score: team.score.map(String.init) ?? "–")
        }
        leaderboard = overview.leaderboard.enumerated().map { Place(rank: $0.offset + 1, team: $0.element.team, score: $0.element.score.map(String.init) ?? "no finished run") }
        hasTeams = !overview.teams.isEmpty
        locked = overview.locked
    }
}

extension API.Overview: ResponseEncodable {}
extension API.SessionInfo: ResponseEncodable {}

extension API {
    /// `GET /api/session`: who the request's token or cookie is.
    public struct SessionInfo: Codable, Sendable {
        /// facilitator, team (a team's API token), member, or none.
        public var kind: String
        public var team: String?
        public var name: String?
        public var role: String?
    }
}
