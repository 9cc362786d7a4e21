import Foundation
import Hummingbird
import LabDomain
import LabEngine

/// A group server's pages for the people in the teams:
/// - `/join`: join a team with its code, a display name and a role (or sign in with a token);
/// - `/team`: your own team's page (or `/join` when you have not joined);
/// - `/teams/{name}`: the team's page, shaped by your role, with the run state pushed live;
/// - `/teams/{name}/runs/{run}` and its summary and reports: the commander's run controls.
/// The team's page asked for without a valid session leads to `/join`; its run pages answer 401 or 403.
struct TeamPages {
    let access: GroupAccess
    let catalog: LabCatalog
    let templates: PageTemplates

    var teams: TeamRegistry { access.teams }

    func addRoutes(to router: RouterGroup<LabRequestContext>) {
        let access = access
        router.get("join") { request, _ in
            let code = request.uri.queryParameters.get("code") ?? ""
            return try templates.page("join", JoinPage(code: code))
        }
        router.get("team") { _, context -> Response in
            switch try? context.principal() {
            case .member(let team, _)?, .team(let team)?: return redirect("/teams/\(team.name)")
            case .facilitator?: return redirect("/facilitator")
            case nil: return redirect("/join")
            }
        }
        router.get("teams/:team") { _, context -> Response in
            let name = try context.parameters.require("team")
            do {
                let who = try await context.actor(onTeam: name, for: .read, access: access)
                return try templates.page("team", await teamPage(who.team, author: who.author, role: who.role))
            } catch LabError.unauthenticated, LabError.forbidden {
                return redirect("/join")  // no session, or not one of this team's
            }
        }
        WebPages.addRunPages(to: router.group("teams/:team/runs")) { [templates, catalog, access] _, context in
            let team = try await context.actor(onTeam: try context.parameters.require("team"), for: .read, access: access).team
            return WebPages(templates: templates, workspace: team.workspace, catalog: catalog, team: team.name)
        }
    }

    private func redirect(_ path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }

    func teamPage(_ team: Team, author: String, role: String) async -> TeamPage {
        let workspace = team.workspace
        let all = role == "facilitator" || role == "team"
        let latest = try? await workspace.coordinator.store.latestRun()
        let openRun = latest.flatMap { $0.status == .running ? $0 : nil }
        let lab = openRun.flatMap { run in catalog.labs.first { $0.id == run.labID } }
        let scenarios = (lab?.scenarios ?? []).map { scenario in
            TeamPage.ScenarioForm(id: scenario.id, title: scenario.title, steps: scenario.steps.map { step in
                TeamPage.ScenarioStep(scenario: scenario.id, id: step, title: lab?.exercise(step)?.title ?? step)
            })
        }
        return TeamPage(
            layout: Layout(title: "Team \(team.name)", page: "team", faultCount: await workspace.board.list().count,
                           storefrontURL: TeamPage.shopPath(team.name), team: team.name),
            team: team.name, you: all ? author : "\(author), \(role)", role: role,
            isCommander: all || role == TeamRole.commander.rawValue, isScribe: all || role == TeamRole.scribe.rawValue,
            isObserver: all || role == TeamRole.observer.rawValue, isUser: all || role == TeamRole.user.rawValue,
            roleHelp: TeamPage.help[role] ?? "",
            labs: catalog.labs.map { TeamPage.LabOption(id: $0.id, title: $0.title) },
            openRun: openRun?.id, scenarios: scenarios, storefrontURL: TeamPage.shopPath(team.name),
            monitoring: MonitoringLinks.of(workspace.ports.checkSettings.values.monitoring, team: team.name).links)
    }
}

/// The join page.
struct JoinPage {
    struct RoleOption {
        var value: String
        var text: String
    }

    var layout = Layout(title: "Join your team", page: "join", faultCount: 0, storefrontURL: nil, bare: true)
    var code: String
    var roles: [RoleOption] = [
        RoleOption(value: "commander", text: "Commander: runs the exercise, starts the attack, decides when to halt"),
        RoleOption(value: "scribe", text: "Scribe: keeps the timeline, writes notes and action items"),
        RoleOption(value: "observer", text: "Observer: watches the live charts, service health and logs"),
        RoleOption(value: "user", text: "User: uses the shop and reports what they experience"),
    ]

    init(code: String) { self.code = code }
}

/// A team's page: what every member sees, and the parts of their role.
struct TeamPage {
    struct LabOption {
        var id: String
        var title: String
    }

    /// A game-day scenario of the open run's lab: a hypothesis per step, then the run.
    struct ScenarioForm {
        var id: String
        var title: String
        var steps: [ScenarioStep]
    }

    struct ScenarioStep {
        var scenario: String
        var id: String
        var title: String
    }

    var layout: Layout
    var team: String
    /// "Ada, commander"; the facilitator's or the team token's name alone.
    var you: String
    var role: String
    var isCommander: Bool
    var isScribe: Bool
    var isObserver: Bool
    var isUser: Bool
    var roleHelp: String
    var labs: [LabOption]
    /// The team's run in progress, if any.
    var openRun: String?
    /// The scenarios of the open run's lab.
    var scenarios: [ScenarioForm]
    var storefrontURL: String
    /// The lab's monitoring, with Prometheus' graph of the team's SLI (links on this machine: Prometheus listens on loopback).
    var monitoring: MonitoringLinks?

    /// The team's storefront through the lab server (`TeamShop`), reachable wherever the lab server is.
    static func shopPath(_ team: String) -> String { "/teams/\(team)/shop/" }

    static let help = [
        "commander": "You run the exercise: start a lab, state the team's hypothesis, run the status check, start the attack. Halt whenever the team says so.",
        "scribe": "You keep the timeline: note what the team decides and sees, with the time. Write the action items at the end.",
        "observer": "You watch the dashboards: the journey's success and latency, the services' health and logs. Tell the team what changes.",
        "user": "You are the customer: use the shop while the experiment runs, and report what you experience.",
        "facilitator": "You see every part of the team's page.",
        "team": "Signed in with the team's token: every part of the page.",
    ]
}
