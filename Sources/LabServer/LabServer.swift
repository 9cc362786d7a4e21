import AsyncHTTPClient
import Foundation
import Hummingbird
import LabEngine
import LabStore
import Logging
import NIOCore
import NIOPosix
import Sandbox
import ServiceLifecycle

/// The lab server: the sandbox (demo shop and fault proxies), the store, the
/// labs, and the HTTP API, run in the foreground until SIGINT or SIGTERM. On
/// the way out every fault is removed and every service stopped, also when
/// start-up fails halfway.
public enum LabServer {
    public static func run(_ configuration: LabServerConfiguration, progress: @escaping @Sendable (String) -> Void) async throws {
        var logger = Logger(label: "chaoslab")
        logger.logLevel = .warning
        try await ensurePortIsFree(host: configuration.host, port: configuration.port)
        guard FileManager.default.fileExists(atPath: configuration.labsDirectory.path) else {
            throw LabServerError.labsFolderMissing(configuration.labsDirectory.path)
        }
        let catalog = LabLoader.load(directory: configuration.labsDirectory)
        progress("loaded \(catalog.labs.count) labs from \(configuration.labsDirectory.path)")
        for problem in catalog.problems { progress("lab problem: \(problem)") }
        let templates = try await PageTemplates.load()  // before any child starts: a failure leaves nothing behind
        let store = try LabStore(path: configuration.dataDirectory.appendingPathComponent("chaoslab.sqlite").path)
        progress("data in \(configuration.dataDirectory.path)")
        // Group mode's token, written before any child starts: a failure leaves nothing behind.
        let facilitatorToken = configuration.facilitator ? try FacilitatorToken.create(in: configuration.dataDirectory) : nil
        // Group mode's teams, their people and timelines, kept for a restart (readable by the owner only).
        let teamBook = configuration.facilitator
            ? try TeamBook(path: configuration.dataDirectory.appendingPathComponent("teams.sqlite").path) : nil

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: probeClientConfiguration())
        let workspace: Workspace
        do {
            workspace = try await Workspace.start(
                sandbox: configuration.sandbox, client: client, catalog: catalog, store: store,
                maxFaultTTL: configuration.maxFaultTTL, logger: logger, progress: progress)
        } catch {
            try? await client.shutdown()
            throw error
        }
        let sandbox = workspace.sandbox
        let board = workspace.board
        let coordinator = workspace.coordinator
        let address = ServerAddress(host: configuration.advertisedHost, port: configuration.port)

        let router = Router()
        var teams: TeamRegistry?
        var access: GroupAccess?
        // The team shops' passage hands the shop's redirects to the browser, so it follows none.
        let shopClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        if configuration.facilitator {
            let teamLogger = logger
            let teamsFolder = configuration.dataDirectory.appendingPathComponent("teams")
            let admit: @Sendable () throws -> Void = {
                // A new team is refused before anything starts when the machine is short of memory.
                if let available = MemoryInfo.availableMiB(), available < configuration.minFreeMemoryMiB {
                    throw LabServerError.lowMemory(availableMiB: available, neededMiB: configuration.minFreeMemoryMiB)
                }
            }
            let registry = TeamRegistry(maxTeams: configuration.maxTeams, book: teamBook, admit: admit) { name, storeFile, progress in
                // Each team's runs in a store of its own, so that no team reaches another's runs.
                let teamStore = try LabStore(path: teamsFolder.appendingPathComponent(storeFile).path)
                return try await Workspace.start(
                    sandbox: configuration.sandbox, client: client, catalog: catalog, store: teamStore,
                    maxFaultTTL: configuration.maxFaultTTL, logger: teamLogger, progress: progress)
            }
            await registry.restore(progress: progress)
            teams = registry
            access = GroupAccess(facilitatorToken: facilitatorToken ?? "", teams: registry)
            progress("group mode: facilitator token \(facilitatorToken ?? "")")
            progress("             (also in \(FacilitatorToken.path(in: configuration.dataDirectory).path), readable only by you)")
        }
        // Middleware applies to the routes added after it: the lab API adds the error, same-origin
        // and (group mode) facilitator-only middleware, before every other route.
        LabAPI(coordinator: coordinator, sandbox: sandbox, catalog: catalog, board: board, boundHost: configuration.advertisedHost, access: access)
            .addRoutes(to: router)
        if let access {
            TeamsAPI(access: access, address: address, allowNonLoopback: configuration.allowNonLoopbackProxies, seed: configuration.seed,
                     catalog: catalog, templates: templates)
                .addRoutes(to: router)
            FacilitatorView(access: access, catalog: catalog, templates: templates).addRoutes(to: router)
            TeamPages(access: access, catalog: catalog, templates: templates).addRoutes(to: router)
            TeamShop(access: access, client: shopClient).addRoutes(to: router)
        }
        ToxiproxyAPI(board: board, allowNonLoopback: configuration.allowNonLoopbackProxies, seed: configuration.seed)
            .addRoutes(to: router)
        LabMetrics(board: board, sandbox: sandbox).addRoutes(to: router)
        WebPages(templates: templates, coordinator: coordinator, sandbox: sandbox, catalog: catalog, board: board)
            .addRoutes(to: router)
        let storefront = await sandbox.url(of: "storefront") ?? "?"
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "chaoslab"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                address.setPort(port)
                progress("lab server:  http://\(configuration.host):\(port)")
                progress("storefront:  \(storefront)")
                if configuration.facilitator {
                    progress("teams:       CHAOSLAB_TOKEN=… chaoslab team create NAME\(port == 8474 ? "" : " --port \(port)")")
                    progress("people join: \(address.baseURL)/join   (the facilitator's view: \(address.baseURL)/facilitator)")
                } else {
                    progress("take a lab:  chaoslab run is-ads-optional\(port == 8474 ? "" : " --port \(port)")")
                }
                progress("stop:        Ctrl-C (removes every fault, stops every service)")
            },
            logger: logger)
        do {
            // A group shuts its services down last to first: the halt comes before the HTTP
            // server waits for its open requests, among them a streaming attack.
            let group = ServiceGroup(
                services: [app, HaltOnShutdown(coordinator: coordinator, teams: teams)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            try await group.run()
        } catch {
            await shutdown(workspace: workspace, teams: teams, clients: [client, shopClient], progress: progress)
            throw error
        }
        await shutdown(workspace: workspace, teams: teams, clients: [client, shopClient], progress: progress)
    }

    private static func shutdown(workspace: Workspace, teams: TeamRegistry?, clients: [HTTPClient], progress: @Sendable (String) -> Void) async {
        progress("stopping: removing faults and stopping services")
        await teams?.shutdownAll()
        await workspace.shutdown()
        for client in clients { try? await client.shutdown() }
        progress("stopped")
    }

    static func probeClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.timeout.connect = .seconds(2)
        // A refused connection is an answer (the service is down), not something to retry until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// Fails fast, before any child starts, when the lab server's port is taken.
    static func ensurePortIsFree(host: String, port: Int) async throws {
        guard port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try await channel.close().get()
        } catch {
            throw LabServerError.portInUse(host: host, port: port)
        }
    }
}
