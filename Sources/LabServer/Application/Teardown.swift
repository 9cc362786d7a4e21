import AsyncHTTPClient
import LabDomain
import ServiceLifecycle

/// The first service of the lab server's group, so the last to be told to stop: on a graceful
/// shutdown it runs once every service after it (the HTTP server, the halt) has stopped; when
/// the group is cancelled (a service failed) it runs at once. Either way it removes every
/// fault and stops every sandbox, the teams' first, and the HTTP clients.
struct Teardown: Service {
    let workspace: Workspace
    let teams: TeamRegistry?
    let clients: [HTTPClient]
    let progress: @Sendable (String) -> Void

    func run() async throws {
        // Returns on graceful shutdown, and throws when the group is cancelled: either way, tear down.
        try? await gracefulShutdown()
        // On a task of its own, which a cancelled group does not cancel: the children must be
        // stopped and waited for, whatever made the group end.
        let (workspace, teams, clients, progress) = (workspace, teams, clients, progress)
        await Task {
            progress("stopping: removing faults and stopping services")
            await teams?.shutdownAll()
            await workspace.shutdown()
            for client in clients { try? await client.shutdown() }
            progress("stopped")
        }.value
    }
}
