import AsyncHTTPClient
import LabEngine
import LabStore
import Logging
import Sandbox

/// Everything one sandbox is made of, created and shut down as a unit: the demo
/// services and their fault proxies (`Sandbox`), the proxies a Toxiproxy client may
/// add (`ProxyRegistry`), the service faults, the fault board, and the run coordinator
/// with the engine's ports. The single-user server has one (the default workspace);
/// a group server has one more per team.
///
/// `start` either returns a running workspace or throws with nothing left running:
/// the sandbox stops every child and proxy it started when its start-up fails.
package final class Workspace: Sendable {
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

    /// A workspace on `sandbox` as it is: `start` starts the sandbox first; the routes' tests use
    /// one whose sandbox never starts (no process, no port).
    package init(sandbox: Sandbox, client: HTTPClient, catalog: LabCatalog, store: LabStore, maxFaultTTL: Duration?) {
        self.sandbox = sandbox
        proxies = ProxyRegistry(edges: sandbox.proxies)
        board = FaultBoard(
            sandbox: sandbox, proxies: proxies, services: ServiceFaults(sandbox: sandbox, client: client),
            maxToxicTTL: maxFaultTTL)
        ports = EnginePorts(
            faults: ProxyFaultInjector(board: board),
            config: AdminConfigurator(sandbox: sandbox, client: client),
            client: HTTPJourneyClient(sandbox: sandbox, client: client))
        coordinator = RunCoordinator(catalog: catalog, store: store, ports: ports, feed: feed)
    }

    /// Starts a sandbox (proxies, then the four services, each healthy) and wires the rest to it.
    package static func start(
        sandbox configuration: SandboxConfiguration, client: HTTPClient, catalog: LabCatalog, store: LabStore,
        maxFaultTTL: Duration?, logger: Logger, progress: @Sendable (String) -> Void = { _ in }
    ) async throws(SandboxError) -> Workspace {
        let sandbox = Sandbox(configuration: configuration, logger: logger)
        try await sandbox.start(progress: progress)
        return Workspace(sandbox: sandbox, client: client, catalog: catalog, store: store, maxFaultTTL: maxFaultTTL)
    }

    /// Halts any experiment and every fault, stops the services and every proxy, the
    /// ones Toxiproxy clients added included. Safe to call more than once.
    package func shutdown() async {
        feed.close()
        _ = await coordinator.haltAll()
        await sandbox.stop()
        for (name, proxy) in proxies.all where !proxies.edgeNames.contains(name) {
            await proxy.stop()
        }
    }
}
