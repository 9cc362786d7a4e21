import Foundation
import Hummingbird
import LabDomain
import LabEngine
import LabStore
import Sandbox

/// The lab in the browser: server-rendered pages (Mustache) over the same coordinator,
/// store and fault board as the lab API; the pages' script acts through the lab API
/// only, so grading and every check stay on the server.
///
/// - `/`: the labs, the learner's name and best scores, the sandbox at a glance;
/// - `/runs/{run}`: a run, one exercise at a time, then the diagram question;
/// - `/runs/{run}/summary` and its report as Markdown, HTML and JSON;
/// - `/sandbox`: services, logs, edges and a fault playground;
/// - `/map`: the map that traffic draws for a lab's journeys;
/// - `/assets/{file}`: the style sheet and the script.
struct WebPages {
    let templates: PageTemplates
    let coordinator: RunCoordinator
    let sandbox: Sandbox
    let catalog: LabCatalog
    let board: FaultBoard

    /// The team whose pages these are (under `/teams/NAME`, acting on its API); nil for the default workspace.
    var team: String? = nil

    init(templates: PageTemplates, workspace: Workspace, catalog: LabCatalog, team: String? = nil) {
        self.templates = templates
        coordinator = workspace.coordinator
        sandbox = workspace.sandbox
        self.catalog = catalog
        board = workspace.board
        self.team = team
    }

    /// The default workspace's pages: the group carries `FacilitatorOnly` on a group server.
    func addRoutes(to router: RouterGroup<LabRequestContext>) {
        router.get("/") { _, _ in try templates.page("home", await homePage()) }
        let pages = self
        Self.addRunPages(to: router.group("runs")) { _, _ in pages }
        router.get("sandbox") { _, _ in try templates.page("sandbox", await sandboxPage()) }
        router.get("map") { request, _ in
            try templates.page("map", await mapPage(lab: request.uri.queryParameters["lab"].map(String.init)))
        }
    }

    /// The pages' style sheet and scripts, open to everyone.
    static func addAssetRoutes(to router: RouterGroup<LabRequestContext>, templates: PageTemplates) {
        router.get("assets/:file") { _, context -> Response in
            let name = try context.parameters.require("file")
            guard let asset = templates.assets[name] else { throw LabError.notFound("no asset '\(name)'") }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "max-age=300"], body: .init(byteBuffer: asset.body))
        }
        router.get("favicon.ico") { _, _ in Response(status: .noContent) }
    }

    /// A run's pages under `group` (`runs/{run}`, its summary and reports), on the pages `resolve` finds per request.
    static func addRunPages(
        to group: RouterGroup<LabRequestContext>, resolve: @escaping @Sendable (Request, LabRequestContext) async throws -> WebPages
    ) {
        group.get(":run") { request, context -> Response in
            let pages = try await resolve(request, context)
            let run = try context.parameters.require("run")
            if let page = try await pages.runPage(run) { return try pages.templates.page("run", page) }
            return Response(status: .seeOther, headers: [.location: "\(pages.layoutBase)/runs/\(run)/summary"])
        }
        group.get(":run/summary") { request, context in
            let pages = try await resolve(request, context)
            return try pages.templates.page("summary", try await pages.summaryPage(try context.parameters.require("run")))
        }
        group.get(":run/report.md") { request, context in
            let pages = try await resolve(request, context)
            let summary = try await pages.summaryPage(try context.parameters.require("run"))
            return download(ReportRenderer.markdown(summary), type: "text/markdown; charset=utf-8", name: "chaoslab-\(summary.summary.run).md")
        }
        group.get(":run/report.html") { request, context in
            let pages = try await resolve(request, context)
            let summary = try await pages.summaryPage(try context.parameters.require("run"))
            let body = Markdown.html(ReportRenderer.markdown(summary, forHTML: true))
            let html = pages.templates.render("report", ReportRenderer.Report(title: "chaoslab report: \(summary.summary.labTitle)", bodyHTML: body))
            return download(html, type: "text/html; charset=utf-8", name: "chaoslab-\(summary.summary.run).html")
        }
        group.get(":run/report.json") { request, context in
            let pages = try await resolve(request, context)
            let summary = try await pages.summaryPage(try context.parameters.require("run")).summary
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            return download(String(decoding: try encoder.encode(summary), as: UTF8.self), type: "application/json", name: "chaoslab-\(summary.run).json")
        }
    }

    /// The prefix of these pages' links: empty, or `/teams/NAME`.
    var layoutBase: String { team.map { "/teams/\($0)" } ?? "" }

    // MARK: Pages

    func layout(_ title: String, page: String) async -> Layout {
        let storefront = if let team { TeamPage.shopPath(team) } else { await sandbox.url(of: "storefront") }
        return Layout(title: title, page: page, faultCount: await board.list().count, storefrontURL: storefront, team: team)
    }
}
