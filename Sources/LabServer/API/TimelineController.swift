import Foundation
import Hummingbird
import LabDomain
import LabEngine
import NIOCore

/// A team's timeline and its game-day report, under `/api/teams/{team}`:
/// - the scribe's notes and action items and the user's reports (`POST notes`, `action-items`,
///   `reports` `{"text": ...}`), stamped with time and author; `GET timeline`;
/// - the report, one file each in Markdown and HTML (`GET report.md`, `report.html`).
struct TimelineController {
    let access: GroupAccess
    let catalog: LabCatalog
    let templates: PageTemplates

    func addRoutes(to team: RouterGroup<LabRequestContext>) {
        team.post("notes", use: add(.note, by: .note))
        team.post("reports", use: add(.userReport, by: .userReport))
        team.post("action-items", use: add(.actionItem, by: .note))
        team.get("timeline") { _, context -> [API.TimelineLine] in
            let who = try await actor(context, for: .read)
            return await access.teams.timeline(of: who.team.name).map(API.TimelineLine.init)
        }
        team.get("report.md") { _, context -> Response in
            let (name, text) = try await report(context, forHTML: false)
            return download(text, type: "text/markdown; charset=utf-8", name: "chaoslab-team-\(name).md")
        }
        team.get("report.html") { _, context -> Response in
            let (name, text) = try await report(context, forHTML: true)
            let html = templates.render("report", ReportRenderer.Report(title: "Game-day report: team \(name)", bodyHTML: Markdown.html(text)))
            return download(html, type: "text/html; charset=utf-8", name: "chaoslab-team-\(name).html")
        }
    }

    private func actor(_ context: LabRequestContext, for action: TeamAction) async throws -> TeamActor {
        try await context.actor(onTeam: try context.parameters.require("team"), for: action, access: access)
    }

    private func add(_ kind: TimelineEntry.Kind, by action: TeamAction)
        -> @Sendable (Request, LabRequestContext) async throws -> EditedResponse<API.TimelineLine> {
        { request, context in
            let who = try await actor(context, for: action)
            let text = try await request.decodeJSON(API.TimelineText.self).text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...2000).contains(text.count) else { throw LabError.invalid("text must be 1 to 2000 characters") }
            let entry = TimelineEntry(at: Date(), kind: kind, author: who.author, role: who.role, text: text)
            try await access.teams.append(entry, to: who.team)
            return EditedResponse(status: .created, response: API.TimelineLine(entry))
        }
    }

    /// The team's report in Markdown (HTML-escaped learner text with `forHTML`): its runs, oldest first.
    private func report(_ context: LabRequestContext, forHTML: Bool) async throws -> (String, String) {
        let team = try await actor(context, for: .read).team
        let pages = WebPages(templates: templates, workspace: team.workspace, catalog: catalog)
        var runs: [SummaryPage] = []
        for run in try await team.workspace.coordinator.store.runs(limit: 100).reversed() {
            runs.append(try await pages.summaryPage(run.id))
        }
        let teams = access.teams
        let text = TeamReport.markdown(team: team.name, members: await teams.members(of: team.name), timeline: await teams.timeline(of: team.name),
                                       runs: runs, generatedAt: Date(), forHTML: forHTML)
        return (team.name, text)
    }
}

/// A text file answered inline, with the name a browser saves it under.
func download(_ text: String, type: String, name: String) -> Response {
    Response(status: .ok, headers: [.contentType: type, .contentDisposition: "inline; filename=\"\(name)\""],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

extension API.TimelineLine: ResponseEncodable {}

extension API.TimelineLine {
    init(_ entry: TimelineEntry) {
        self.init(at: entry.at, kind: entry.kind.rawValue, author: entry.author, role: entry.role, text: entry.text)
    }
}
