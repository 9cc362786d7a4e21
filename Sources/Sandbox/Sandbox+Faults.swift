#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// State faults on the services' processes: kill (held down until released) and pause.
extension Sandbox {
    /// Kills a service with SIGKILL and keeps it down: the supervisor does not restart it
    /// until `release(_:)`. Returns once the process is gone.
    public func killAndHold(_ name: String) async throws(SandboxError) {
        guard let service = services[name] else { throw .unknownService(name, known: serviceNames) }
        guard service.address == nil else { throw .notStarted(name) }
        service.heldDown = true
        if let child = service.child {
            child.send(SIGKILL)
            _ = await waitForExit(name, timeout: .seconds(5))
        } else {
            service.state = .killed
        }
    }

    /// Ends a kill fault: the service starts again at once, on its previous port.
    public func release(_ name: String) throws(SandboxError) {
        guard let service = services[name] else { throw .unknownService(name, known: serviceNames) }
        guard service.heldDown else { return }
        service.heldDown = false
        guard !stopping, service.child == nil else { return }
        service.restarts += 1
        try launch(name, port: service.lastPort ?? 0)
    }

    /// Freezes a service with SIGSTOP: it keeps its connections but answers nothing.
    public func pause(_ name: String) throws(SandboxError) {
        guard let service = services[name] else { throw .unknownService(name, known: serviceNames) }
        guard service.address == nil else { throw .notStarted(name) }
        guard let child = service.child else { return }
        service.paused = true
        service.state = .paused
        child.send(SIGSTOP)
    }

    /// Ends a pause fault with SIGCONT.
    public func resume(_ name: String) throws(SandboxError) {
        guard let service = services[name] else { throw .unknownService(name, known: serviceNames) }
        guard service.paused else { return }
        service.paused = false
        service.child?.send(SIGCONT)
        if service.state == .paused { service.state = .running }
    }
}
