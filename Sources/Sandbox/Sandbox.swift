import AsyncHTTPClient
import FaultProxy
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Runs a system (`configuration.system`): one child process per service it starts, one fault
/// proxy per dependency edge. Restarts a service that dies unexpectedly, keeps the last 200 log
/// lines of each, and stops everything on `stop()`. The children also die with the lab server
/// when it is killed outright: each is started with a parent-death signal armed (CSpawn).
public actor Sandbox {
    public nonisolated let configuration: SandboxConfiguration
    /// The fault proxies, keyed by edge name (`storefront-ads`).
    public nonisolated let proxies: [String: FaultProxy]
    let logger: Logger
    var services: [String: ManagedService] = [:]
    var readyWaiters: [String: [Int: CheckedContinuation<Int?, Never>]] = [:]
    var exitWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    var nextWaiterID = 0
    var stopping = false
    /// True once `start()` has brought every service up; only then are dead services restarted.
    var started = false
    var monitor: Task<Void, Never>?
    var restartTasks: [String: Task<Void, Never>] = [:]
    let events: AsyncStream<ChildEvent>
    let eventSink: AsyncStream<ChildEvent>.Continuation

    public init(configuration: SandboxConfiguration, logger: Logger = Logger(label: "chaoslab.sandbox")) {
        self.configuration = configuration
        self.logger = logger
        var proxies: [String: FaultProxy] = [:]
        for (index, edge) in configuration.system.edges.enumerated() {
            let seed = configuration.seed.map { $0 &+ UInt64(index) }  // each edge its own sequence
            proxies[edge.name] = FaultProxy(name: edge.name, upstreamPort: nil, seed: seed)
        }
        self.proxies = proxies
        (events, eventSink) = AsyncStream.makeStream(of: ChildEvent.self)
        for service in configuration.system.services {
            services[service.name] = ManagedService(service)
        }
    }

    /// The system's service names, in start-up order.
    public nonisolated var serviceNames: [String] { configuration.system.serviceNames }

    /// Starts the proxies, then every service side by side, and waits until each answers its
    /// health path. On failure everything already started is stopped again and the error names
    /// the service and its last log lines.
    public func start(progress: @Sendable (String) -> Void = { _ in }) async throws(SandboxError) {
        let missing = configuration.system.services.compactMap { service -> String? in
            guard case .command(let arguments, let directory, _) = service.launch, let program = arguments.first else { return nil }
            let named = expand(program, for: service.name, port: 0)
            return executablePath(of: named, in: workingDirectory(directory)) == nil ? named : nil
        }
        guard missing.isEmpty else { throw .serviceExecutablesMissing(missing, servicesDirectory: configuration.servicesDirectory) }
        if monitor == nil {
            let events = self.events
            monitor = Task { [weak self] in
                for await event in events { await self?.handle(event) }
            }
        }
        do {
            for edge in configuration.system.edges {
                do {
                    try await proxies[edge.name]!.start()
                } catch {
                    throw SandboxError.proxyFailed(edge: edge.name, reason: "\(error)")
                }
            }
            progress("fault proxies listening on \(configuration.system.edges.count) edges")
            for name in serviceNames { try launch(name, port: 0) }
            let deadline = ContinuousClock.now + configuration.startTimeout
            for name in serviceNames {
                try await waitUntilHealthy(name, deadline: deadline)
                progress("\(name) is up on \(services[name]!.url ?? "?")")
            }
            if let dead = services.values.first(where: { ($0.child == nil && $0.address == nil) || $0.state != .running }) {
                throw SandboxError.serviceDidNotStart(service: dead.name, reason: "it exited during start-up", lastLines: dead.log.snapshot(last: 10))
            }
            started = true
        } catch let error as SandboxError {
            await stop()
            throw error
        } catch {
            await stop()
            throw SandboxError.launchFailed(executable: configuration.servicesDirectory, reason: "\(error)")
        }
    }

    /// Stops every service (SIGTERM, then SIGKILL after 3 s) and every proxy.
    public func stop() async {
        stopping = true
        for task in restartTasks.values { task.cancel() }
        restartTasks = [:]
        for service in services.values {
            service.heldDown = false
            service.child?.send(SIGTERM)
            if service.paused { service.child?.send(SIGCONT) }  // a stopped process acts on SIGTERM only once continued
        }
        for name in services.keys {
            if await !waitForExit(name, timeout: .seconds(3)) {
                services[name]?.child?.send(SIGKILL)
                _ = await waitForExit(name, timeout: .seconds(3))
            }
        }
        for proxy in proxies.values { await proxy.stop() }
        monitor?.cancel()
        monitor = nil
        eventSink.finish()
    }

    /// The services' base URLs, once up: `http://127.0.0.1:PORT`.
    public func url(of service: String) -> String? { services[service]?.url }

    /// The base URL of the service people come in through (the shop's storefront), once up.
    public func entryURL() -> String? { services[configuration.system.entryService]?.url }

    /// The last lines a service wrote (at most 200).
    public func logs(of service: String, last: Int? = nil) throws(SandboxError) -> [String] {
        guard let managed = services[service] else { throw .unknownService(service, known: serviceNames) }
        return managed.log.snapshot(last: last)
    }

    /// Process ids of the running children, for tests and benchmarks.
    public func pids() -> [String: Int32] {
        services.compactMapValues { $0.child?.pid }
    }
}
