import AsyncHTTPClient
import Hummingbird
import LabDomain
import LabEngine

/// What the routes are built from: the same value for the server and for the tests, which
/// call the router in process (`app.test(.router)`).
struct RouterDependencies: Sendable {
    /// The default workspace: the single user's sandbox, or the facilitator's on a group server.
    let workspace: Workspace
    let catalog: LabCatalog
    let templates: PageTemplates
    /// The host the server binds, accepted in `Host` headers besides loopback names.
    let boundHost: String
    let address: ServerAddress
    let allowNonLoopbackProxies: Bool
    let seed: UInt64?
    /// A group server's tokens and teams; nil on a single-user server.
    let access: GroupAccess?
    /// The client of the team shops' passage, which follows no redirect.
    let shopClient: HTTPClient
}

/// The lab server's route table: who may reach each route is the group it is in.
func buildRouter(_ dependencies: RouterDependencies) -> Router<LabRequestContext> {
    let router = Router(context: LabRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: SameOriginMiddleware(boundHost: dependencies.boundHost))
    if let access = dependencies.access { router.add(middleware: IdentifyCaller(access: access)) }
    let (workspace, catalog, templates) = (dependencies.workspace, dependencies.catalog, dependencies.templates)

    // Open to everyone.
    let open = router.group()
    LabController.addHealthRoute(to: open.group("api"))
    WebPages.addAssetRoutes(to: open, templates: templates)

    // The default workspace: everyone's on a single-user server, the facilitator's on a group server.
    let own = dependencies.access == nil ? router.group() : router.group().add(middleware: FacilitatorOnly())
    let resolver = WorkspaceResolver.fixed(workspace)
    LabController(workspace: workspace, catalog: catalog).addRoutes(to: own.group("api"))
    FaultsController(resolver: resolver, allowsLock: true).addRoutes(to: own.group("api"))
    RunsController(resolver: resolver, catalog: catalog).addRoutes(to: own.group("api"))
    ChecksController(resolver: resolver).addRoutes(to: own.group("api"))
    LabMetrics(workspace: workspace).addRoutes(to: own)
    WebPages(templates: templates, workspace: workspace, catalog: catalog).addRoutes(to: own)
    ToxiproxyRoutes { [board = workspace.board] _ in
        ToxiproxyAPI(board: board, allowNonLoopback: dependencies.allowNonLoopbackProxies, seed: dependencies.seed)
    }.addRoutes(to: own)

    guard let access = dependencies.access else { return router }
    // The facilitator's: teams, the overview, the room's halt.
    let facilitator = router.group().add(middleware: FacilitatorOnly())
    let teams = TeamsController(access: access, address: dependencies.address)
    teams.addFacilitatorRoutes(to: facilitator.group("api"))
    let view = FacilitatorController(access: access, catalog: catalog, templates: templates)
    view.addFacilitatorRoutes(to: facilitator)

    // Anyone with a token, or none: each route says which team and role it needs.
    teams.addRoutes(to: open.group("api"))
    view.addSessionRoutes(to: open.group("api"))
    TeamPages(access: access, catalog: catalog, templates: templates).addRoutes(to: open)
    TeamShop(access: access, client: dependencies.shopClient).addRoutes(to: open)

    // A team's workspace: the same controllers as the default one's, on the team's resolver.
    let team = open.group("api/teams/:team")
    let teamResolver = WorkspaceResolver.team(access)
    FaultsController(resolver: teamResolver, allowsLock: false).addRoutes(to: team)
    RunsController(resolver: teamResolver, catalog: catalog).addRoutes(to: team)
    ChecksController(resolver: teamResolver).addRoutes(to: team)
    TimelineController(access: access, catalog: catalog, templates: templates).addRoutes(to: team)
    LiveController(access: access, catalog: catalog).addRoutes(to: team)
    // A team's Toxiproxy API at its capability URL: the secret in the path is the credential.
    ToxiproxyRoutes { context in
        guard let team = await access.teams.team(withSecret: context.parameters.get("secret") ?? "") else {
            throw LabError.notFound("no team's API at this address: the secret in the path is wrong, or the team was removed; ask the facilitator for your api_base")
        }
        return ToxiproxyAPI(board: team.workspace.board, allowNonLoopback: dependencies.allowNonLoopbackProxies, seed: dependencies.seed)
    }.addRoutes(to: router.group("t/:secret"))
    return router
}
