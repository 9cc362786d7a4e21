import AsyncHTTPClient
import Foundation
import Hummingbird
import LabDomain
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
        let catalog = LabLoader.load(directory: configuration.labsDirectory, system: configuration.system)
        progress("system \(configuration.system.name): \(configuration.system.title)")
        progress("loaded \(catalog.labs.count) lab\(catalog.labs.count == 1 ? "" : "s") from \(configuration.labsDirectory.path)")
        // Labs of another system are said in one line, not one problem each.
        let elsewhere = catalog.problems.filter { $0.message.hasPrefix("this lab is written for the system ") }
        if !elsewhere.isEmpty {
            progress("not loaded: \(elsewhere.count) lab\(elsewhere.count == 1 ? "" : "s") written for another system "
                     + "(\(elsewhere.map(\.file).joined(separator: ", "))); give this system labs of its own in a labs/ folder beside its file, or pass --labs")
        }
        for problem in catalog.problems where !elsewhere.contains(problem) { progress("lab problem: \(problem)") }
        let templates = try await PageTemplates.load()  // before any child starts: a failure leaves nothing behind
        let store = try LabStore(path: configuration.dataDirectory.appendingPathComponent("chaoslab.sqlite").path)
        progress("data in \(configuration.dataDirectory.path)")
        // Group mode's token, written before any child starts: a failure leaves nothing behind.
        let facilitatorToken = configuration.facilitator ? try FacilitatorToken.create(in: configuration.dataDirectory) : nil
        // Group mode's teams, their people and timelines, kept for a restart (readable by the owner only).
        let teamBook = configuration.facilitator
            ? try TeamBook(path: configuration.dataDirectory.appendingPathComponent("teams.sqlite").path) : nil

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .probes)
        // The team shops' passage hands the shop's redirects to the browser, so it follows none.
        let shopClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let clients = [client, shopClient]
        let checkSettings = CheckSettings()
        checkSettings.update { $0.allowRemote = configuration.allowNonLoopbackProxies }
        let workspace: Workspace
        do {
            workspace = try await Workspace.start(
                sandbox: configuration.sandbox, client: client, catalog: catalog, store: store,
                maxFaultTTL: configuration.maxFaultTTL, checkSettings: checkSettings, logger: logger, progress: progress)
        } catch {
            for client in clients { try? await client.shutdown() }
            throw error
        }
        let monitoring = await startMonitoring(configuration, settings: checkSettings, progress: progress)
        await monitoring?.setTargets("sandbox", await workspace.scrapeTargets(team: "default"))
        // From here on the sandbox runs: the workspace, a service of the group below, stops it,
        // also when the HTTP server cannot start.
        var access: GroupAccess?
        if configuration.facilitator {
            let registry = teamRegistry(configuration, client: client, catalog: catalog, book: teamBook,
                                        checkSettings: checkSettings, monitoring: monitoring, logger: logger)
            await registry.restore(progress: progress)
            access = GroupAccess(facilitatorToken: facilitatorToken ?? "", teams: registry)
            progress("group mode: facilitator token \(facilitatorToken ?? "")")
            progress("             (also in \(FacilitatorToken.path(in: configuration.dataDirectory).path), readable only by you)")
        }
        let address = ServerAddress(host: configuration.advertisedHost, port: configuration.port)
        let router = buildRouter(RouterDependencies(
            workspace: workspace, catalog: catalog, templates: templates, boundHost: configuration.advertisedHost,
            address: address, allowNonLoopbackProxies: configuration.allowNonLoopbackProxies, seed: configuration.seed,
            access: access, shopClient: shopClient))
        let entry = (name: configuration.sandbox.system.entryService, url: await workspace.sandbox.entryURL() ?? "?")
        let firstLab = catalog.labs.first { $0.id == "is-ads-optional" }?.id ?? catalog.labs.first?.id ?? "LAB"
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "chaoslab"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                address.setPort(port)
                checkSettings.update { $0.labServerURL = "http://\(configuration.advertisedHost):\(port)" }
                if let monitoring {
                    Task { await monitoring.setTargets("lab", [("\(configuration.advertisedHost):\(port)", ["service": "chaoslab"])]) }
                }
                progress("lab server:  http://\(configuration.host):\(port)")
                progress("\((entry.name + ":").padding(toLength: 12, withPad: " ", startingAt: 0)) \(entry.url)")
                if let urls = checkSettings.values.monitoring.urls {
                    progress("prometheus:  \(urls.prometheus)   alertmanager: \(urls.alertmanager)")
                }
                if configuration.facilitator {
                    progress("teams:       CHAOSLAB_TOKEN=… chaoslab team create NAME\(port == 8474 ? "" : " --port \(port)")")
                    progress("people join: \(address.baseURL)/join   (the facilitator's view: \(address.baseURL)/facilitator)")
                } else {
                    progress("take a lab:  chaoslab run \(firstLab)\(port == 8474 ? "" : " --port \(port)")")
                }
                progress("stop:        Ctrl-C (removes every fault, stops every service)")
            },
            logger: logger)
        // A group shuts its services down last to first: the halt comes before the HTTP server
        // waits for its open requests (among them a streaming attack); the workspaces (each
        // removes its faults and stops its sandbox, the teams' first) once nothing can reach
        // them; the HTTP clients last.
        var services: [any Service] = [ClientsShutdown(clients: clients, progress: progress)]
        if let monitoring { services.append(MonitoringService(stack: monitoring)) }
        services.append(workspace)
        let teams = access?.teams, coordinator = workspace.coordinator
        checkSettings.update { values in
            values.everywhere = {
                var all: [(coordinator: ObjectIdentifier, activity: String)] = []
                if let here = await coordinator.activity() { all.append((ObjectIdentifier(coordinator), here)) }
                for team in await teams?.all ?? [] {
                    if let there = await team.workspace.coordinator.activity() {
                        all.append((ObjectIdentifier(team.workspace.coordinator), "team \(team.name): \(there)"))
                    }
                }
                return all
            }
        }
        if let teams = access?.teams { services.append(teams) }
        services += [app, HaltOnShutdown(coordinator: workspace.coordinator, teams: access?.teams, progress: progress)]
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    /// Group mode's teams, each with a workspace of its own and its runs in a store of its own,
    /// so that no team reaches another's runs.
    private static func teamRegistry(
        _ configuration: LabServerConfiguration, client: HTTPClient, catalog: LabCatalog, book: TeamBook?,
        checkSettings: CheckSettings, monitoring: MonitoringStack?, logger: Logger
    ) -> TeamRegistry {
        let teamsFolder = configuration.dataDirectory.appendingPathComponent("teams")
        let admit: @Sendable () throws -> Void = {
            // A new team is refused before anything starts when the machine is short of memory.
            if let available = MemoryInfo.availableMiB(), available < configuration.minFreeMemoryMiB {
                throw LabServerError.lowMemory(availableMiB: available, neededMiB: configuration.minFreeMemoryMiB)
            }
        }
        return TeamRegistry(maxTeams: configuration.maxTeams, book: book, admit: admit) { name, storeFile, progress in
            let teamStore = try LabStore(path: teamsFolder.appendingPathComponent(storeFile).path)
            let workspace = try await Workspace.start(
                sandbox: configuration.sandbox, client: client, catalog: catalog, store: teamStore,
                maxFaultTTL: configuration.maxFaultTTL, checkSettings: checkSettings, team: name, logger: logger, progress: progress,
                onShutdown: { await monitoring?.removeTargets("team-\(name)") })
            await monitoring?.setTargets("team-\(name)", await workspace.scrapeTargets(team: name))
            return workspace
        }
    }

    /// Starts Prometheus and Alertmanager when configured; says once why not when they cannot run
    /// (the server goes on without them, and checks that need them are inconclusive).
    private static func startMonitoring(_ configuration: LabServerConfiguration, settings: CheckSettings,
                                        progress: @Sendable (String) -> Void) async -> MonitoringStack? {
        guard let monitoringConfiguration = configuration.monitoring else {
            settings.update { $0.monitoring = .absent(reason: "monitoring is off (the lab server was started with --no-monitoring)") }
            return nil
        }
        let stack = MonitoringStack(configuration: monitoringConfiguration)
        do {
            try await stack.start(progress: progress)
        } catch {
            progress("\(error)")
            settings.update { $0.monitoring = .absent(reason: "\(error)") }
            return nil
        }
        let (prometheus, alertmanager) = (await stack.prometheusURL ?? "", await stack.alertmanagerURL ?? "")
        settings.update { values in
            values.monitoring = .running(prometheus: prometheus, alertmanager: alertmanager)
            values.reloadRules = { await stack.reloadRules() }
        }
        return stack
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
