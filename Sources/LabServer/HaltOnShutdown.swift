import ServiceLifecycle

/// Halts a running experiment the moment shutdown begins (SIGINT, SIGTERM), so that
/// the server does not wait for an attack to run out before it stops. It must come
/// after the HTTP application in its service group, which shuts down last to first.
struct HaltOnShutdown: Service {
    let coordinator: RunCoordinator

    func run() async throws {
        try? await gracefulShutdown()
        _ = await coordinator.haltAll()
    }
}
