import AsyncHTTPClient
import LabEngine
import LabStore
import Logging
import NIOConcurrencyHelpers
import Sandbox
import ServiceLifecycle

/// Everything one sandbox is made of, created and shut down as a unit: the demo
/// services and their fault proxies (`Sandbox`), the proxies a Toxiproxy client may
/// add (`ProxyRegistry`), the service faults, the fault board, and the run coordinator
/// with the engine's ports. The single-user server has one (the default workspace);
/// a group server has one more per team.
///
/// `start` either returns a running workspace or throws with nothing left running:
/// the sandbox stops every child and proxy it started when its start-up fails. From
/// then on the workspace is a service: `run` keeps its timers and, when it ends, shuts
/// it down; the lab server's group runs the default one, the team registry the teams'.
package final class Workspace: Service, Sendable {
    package let sandbox: Sandbox
    package let proxies: ProxyRegistry
    package let board: FaultBoard
    package let coordinator: RunCoordinator
    /// The engine's ports on this sandbox: faults through the board, knobs, journeys.
    package let ports: EnginePorts
    /// What happens here, pushed to the pages watching it.
    package let feed = LiveFeed()
    /// The live state those pages are sent, built once for all of them.
    package let liveState = SharedState()
    /// The one shutdown, which every caller of `shutdown` awaits.
    private let stopping = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// Runs once the workspace has stopped (its scrape targets removed).
    private let onShutdown: @Sendable () async -> Void

    /// A workspace on `sandbox` as it is: `start` starts the sandbox first; the routes' tests use
    /// one whose sandbox never starts (no process, no port).
    package init(sandbox: Sandbox, client: HTTPClient, catalog: LabCatalog, store: LabStore, maxFaultTTL: Duration?,
                 checkSettings: CheckSettings = CheckSettings(), team: String = "default",
                 onShutdown: @escaping @Sendable () async -> Void = {}) {
        self.sandbox = sandbox
        self.onShutdown = onShutdown
        proxies = ProxyRegistry(edges: sandbox.proxies)
        board = FaultBoard(
            sandbox: sandbox, proxies: proxies, services: ServiceFaults(sandbox: sandbox, client: client),
            maxToxicTTL: maxFaultTTL)
        ports = EnginePorts(
            faults: ProxyFaultInjector(board: board),
            config: AdminConfigurator(sandbox: sandbox, client: client),
            client: HTTPJourneyClient(sandbox: sandbox, client: client),
            checkClient: HTTPCheckClient(client: client), checkSettings: checkSettings,
            serviceURL: { await sandbox.url(of: $0) }, team: team, meter: ProxyTrafficMeter(proxies: proxies, edges: sandbox.configuration.system.edges.map { EdgeID(from: $0.from, to: $0.to) }))
        let board = board
        coordinator = RunCoordinator(catalog: catalog, store: store, ports: ports, feed: feed,
                                     faultsInForce: { await !board.list().isEmpty })
    }

    /// Starts a sandbox (proxies, then every service, each healthy) and wires the rest to it.
    package static func start(
        sandbox configuration: SandboxConfiguration, client: HTTPClient, catalog: LabCatalog, store: LabStore,
        maxFaultTTL: Duration?, checkSettings: CheckSettings = CheckSettings(), team: String = "default", logger: Logger,
        progress: @Sendable (String) -> Void = { _ in }, onShutdown: @escaping @Sendable () async -> Void = {}
    ) async throws(SandboxError) -> Workspace {
        let sandbox = Sandbox(configuration: configuration, logger: logger)
        try await sandbox.start(progress: progress)
        return Workspace(sandbox: sandbox, client: client, catalog: catalog, store: store, maxFaultTTL: maxFaultTTL,
                         checkSettings: checkSettings, team: team, onShutdown: onShutdown)
    }

    /// Runs the service faults' times to live and the services' health checks until a graceful
    /// shutdown, a cancellation (the group failed) or `shutdown` (a team removed); then shuts
    /// the workspace down.
    package func run() async {
        let (services, sandbox) = (board.services, sandbox)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await sandbox.runHealthChecks() }
                await services.runTimers()  // until `shutdown`
                group.cancelAll()
            }
        }
        // `shutdown` stops on a task of its own, which a cancelled group does not cancel: the
        // children must be stopped and waited for, whatever ended the run.
        await shutdown()
    }

    /// Halts any experiment and every fault, stops the services and every proxy, the
    /// ones Toxiproxy clients added included, and ends `run`. Done once: a second call,
    /// also a concurrent one (a team removed while the server stops), waits for the first.
    package func shutdown() async {
        let task = stopping.withLockedValue { task in
            if task == nil { task = Task { await self.stopEverything() } }
            return task!
        }
        await task.value
    }

    private func stopEverything() async {
        board.services.stopTimers()
        feed.close()
        _ = await coordinator.haltAll()
        await sandbox.stop()
        for (name, proxy) in proxies.all where !proxies.edgeNames.contains(name) {
            await proxy.stop()
        }
        await onShutdown()
    }

    /// The address (`127.0.0.1:PORT`) of each service that has metrics, for Prometheus to scrape.
    package func scrapeTargets(team: String) async -> [(address: String, labels: [String: String])] {
        var targets: [(address: String, labels: [String: String])] = []
        for service in sandbox.configuration.system.services {
            guard let path = service.metricsPath, let url = await sandbox.url(of: service.name) else { continue }
            targets.append((String(url.dropFirst("http://".count)), ["service": service.name, "team": team, "__metrics_path__": path]))
        }
        return targets
    }
}
