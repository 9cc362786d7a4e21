import AsyncHTTPClient
import ServiceLifecycle

/// The first service of the lab server's group, so the last to be told to stop: on a graceful
/// shutdown it runs once every service after it (the workspaces, the HTTP server, the halt) has
/// stopped, and shuts the HTTP clients down, which the workspaces use up to their last fault
/// removed. When the group is cancelled (a service failed) it runs at once.
struct ClientsShutdown: Service {
    let clients: [HTTPClient]
    let progress: @Sendable (String) -> Void

    func run() async throws {
        // Returns on graceful shutdown, and throws when the group is cancelled: either way, close.
        try? await gracefulShutdown()
        for client in clients { try? await client.shutdown() }
        progress("stopped")
    }
}
