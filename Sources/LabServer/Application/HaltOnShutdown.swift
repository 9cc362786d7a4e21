import LabDomain
import ServiceLifecycle

/// Halts a running experiment the moment shutdown begins (SIGINT, SIGTERM), so that
/// the server does not wait for an attack to run out before it stops. It must come
/// after the HTTP application in its service group, which shuts down last to first.
/// It also ends the pages' live streams, which would otherwise hold the server open.
struct HaltOnShutdown: Service {
    let coordinator: RunCoordinator
    var teams: TeamRegistry?
    var progress: @Sendable (String) -> Void = { _ in }

    func run() async throws {
        try? await gracefulShutdown()
        progress("stopping: removing faults and stopping services")
        coordinator.feed.close()
        for team in await teams?.all ?? [] { team.workspace.feed.close() }
        _ = await coordinator.haltAll()
        _ = await teams?.haltAll(lock: false)  // a team's streaming attack too
    }
}
