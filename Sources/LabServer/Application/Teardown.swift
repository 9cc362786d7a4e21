import AsyncHTTPClient
import LabDomain
import ServiceLifecycle

/// The last service of the lab server's group: when shutdown begins (or the group fails),
/// it waits until every service after it has stopped, then removes every fault and stops
/// every sandbox, the teams' first, and the HTTP clients.
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
