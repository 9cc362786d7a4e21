import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a child's reader thread, or the wait for its first healthy answer, reports to the sandbox.
enum ChildEvent: Sendable {
    /// The service answered its health path: it is up on `port`.
    case listening(service: String, generation: Int, port: Int)
    case exited(service: String, generation: Int, status: Int32)
}

extension Sandbox {
    /// Starts a service on `port` (0: a free one the sandbox picks) with its command's placeholders
    /// filled in; it counts as running once it answers its health path. A service reached at an
    /// address is not started: it counts as running once it answers.
    func launch(_ name: String, port requested: Int) throws(SandboxError) {
        guard let service = services[name], let description = configuration.system.service(name) else { throw .unknownService(name, known: serviceNames) }
        service.generation += 1
        service.state = .starting
        service.port = nil
        let generation = service.generation
        guard case .command(let template, let directory, let extraEnvironment) = description.launch else {
            if let address = service.address { awaitFirstHealth(of: name, generation: generation, host: address.host, port: address.port) }
            return
        }
        let port = requested == 0 ? try freeLoopbackPort() : requested
        service.assignedPort = port
        let arguments = template.map { expand($0, for: name, port: port) }
        let folder = workingDirectory(directory)
        guard let program = executablePath(of: arguments[0], in: folder) else {
            throw .serviceExecutablesMissing([arguments[0]], servicesDirectory: configuration.servicesDirectory)
        }
        var environment = ProcessInfo.processInfo.environment.merging(configuration.environment) { $1 }
        for (key, value) in extraEnvironment { environment[key] = expand(value, for: name, port: port) }
        environment["CHAOSLAB_PARENT_PID"] = String(getpid())
        let sink = eventSink
        let log = service.log
        service.child = try ChildProcess.launch(
            executable: program,
            arguments: Array(arguments.dropFirst()),
            environment: environment,
            directory: folder,
            onLine: { line in log.append(line) },
            onExit: { status in sink.yield(.exited(service: name, generation: generation, status: status)) }
        )
        service.startedAt = .now
        awaitFirstHealth(of: name, generation: generation, host: "127.0.0.1", port: port)
    }

    /// Asks the service's health path every 10 ms until it answers 200, then reports it up; on
    /// loopback, only once the port accepts a connection (an HTTP request to a port nobody listens
    /// on yet waits out the HTTP client's reconnection back-off instead of failing); gives
    /// up when this process has gone (exited, restarted) or after the start timeout (it then stays
    /// `starting`, and `start` says which service did not come up).
    private func awaitFirstHealth(of name: String, generation: Int, host: String, port: Int) {
        let sink = eventSink
        let path = services[name]?.healthPath ?? "/healthz"
        let deadline = ContinuousClock.now + configuration.startTimeout
        Task { [weak self] in
            while ContinuousClock.now < deadline, !Task.isCancelled {
                guard let self, await self.isCurrent(name, generation: generation) else { return }
                let listening = host != "127.0.0.1" || acceptsConnections(port: port)
                if listening, await Self.isHealthy(host: host, port: port, path: path) {
                    sink.yield(.listening(service: name, generation: generation, port: port))
                    return
                }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// True while `generation` is the service's current process, still alive (or, for a service
    /// reached at an address, still being waited for).
    private func isCurrent(_ name: String, generation: Int) -> Bool {
        guard !stopping, let service = services[name], service.generation == generation else { return false }
        return service.child != nil || service.address != nil
    }

    /// Fills in a command's placeholders: `{port}`, `{url.NAME}`, `{address.NAME}`, `{port.NAME}`
    /// (of the proxy on the edge from `service` to NAME), `{dir}` and `{bin}`.
    func expand(_ text: String, for service: String, port: Int) -> String {
        guard text.contains("{") else { return text }
        var values = ["{port}": String(port), "{dir}": configuration.system.directory, "{bin}": configuration.servicesDirectory]
        for edge in configuration.system.dependencies(of: service) {
            let proxyPort = proxies[edge.name]?.listenPort ?? 0
            values["{url.\(edge.to)}"] = "http://127.0.0.1:\(proxyPort)"
            values["{address.\(edge.to)}"] = "127.0.0.1:\(proxyPort)"
            values["{port.\(edge.to)}"] = String(proxyPort)
        }
        var result = text
        for (placeholder, value) in values { result = result.replacingOccurrences(of: placeholder, with: value) }
        return result
    }

    /// The folder a command runs in: its own (relative to the system file's folder) or that folder.
    func workingDirectory(_ directory: String?) -> String {
        let base = URL(fileURLWithPath: configuration.system.directory)
        guard let directory else { return base.path }
        let expanded = directory.replacingOccurrences(of: "{dir}", with: base.path)
        return expanded.hasPrefix("/") ? expanded : base.appendingPathComponent(expanded).standardizedFileURL.path
    }

    func handle(_ event: ChildEvent) async {
        switch event {
        case .listening(let name, let generation, let port):
            guard let service = services[name], service.generation == generation else { return }
            service.port = port
            service.state = .running
            for edge in configuration.system.edges where edge.to == name {
                proxies[edge.name]?.setUpstream(host: service.host, port: port)
            }
            resumeReadyWaiters(name, port: port)
        case .exited(let name, let generation, let status):
            guard let service = services[name], service.generation == generation else { return }
            service.child = nil
            resumeReadyWaiters(name, port: nil)
            for waiter in exitWaiters.removeValue(forKey: name) ?? [] { waiter.resume() }
            if stopping || !started {
                service.state = stopping ? .stopped : .failed
                return
            }
            if service.heldDown {  // killed by a fault: it comes back when the fault ends
                service.state = .killed
                service.paused = false
                return
            }
            let neverListened = service.state == .starting
            service.state = .restarting
            service.restarts += 1
            logger.warning("service exited unexpectedly; restarting", metadata: [
                "service": "\(name)", "status": "\(describeWaitStatus(status))",
            ])
            // On its own task: the backoff must not hold up the events of the other services.
            restartTasks[name] = Task { await self.restart(service, generation: generation, freshPort: neverListened) }
        }
    }

    /// Restarts a dead service on its previous port (on a free one if it died before it
    /// listened: the port may be taken), waiting longer each time it keeps dying, and
    /// giving up after `maxCrashStreak` deaths in a row.
    private func restart(_ service: ManagedService, generation: Int, freshPort: Bool) async {
        let upFor = service.startedAt.map { ContinuousClock.now - $0 } ?? .zero
        service.crashStreak = upFor > .seconds(10) ? 1 : service.crashStreak + 1
        guard service.crashStreak <= Self.maxCrashStreak else {
            logger.error("service keeps dying; not restarting it again", metadata: ["service": "\(service.name)"])
            service.state = .failed
            return
        }
        let delay = min(configuration.restartDelay * (1 << min(service.crashStreak - 1, 10)), configuration.maxRestartDelay)
        try? await Task.sleep(for: delay)
        guard !stopping, !Task.isCancelled, !service.heldDown, service.generation == generation, service.child == nil else { return }
        do {
            try launch(service.name, port: freshPort ? 0 : service.lastPort ?? 0)
        } catch {
            logger.error("restart failed", metadata: ["service": "\(service.name)", "error": "\(error)"])
            service.state = .failed
        }
    }

    static let maxCrashStreak = 10
}

/// The program a command names: a path (relative to `folder` unless absolute) when it has a
/// slash, else the first match on PATH; nil when there is no such executable.
func executablePath(of program: String, in folder: String) -> String? {
    let manager = FileManager.default
    if program.contains("/") {
        let path = program.hasPrefix("/") ? program : URL(fileURLWithPath: folder).appendingPathComponent(program).standardizedFileURL.path
        return manager.isExecutableFile(atPath: path) ? path : nil
    }
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in searchPath.split(separator: ":") {
        let path = "\(directory)/\(program)"
        if manager.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// True when something accepts a TCP connection on 127.0.0.1:`port` (a refusal on loopback is immediate).
func acceptsConnections(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = loopbackAddress(port: port)
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

/// A port no one listens on at this moment, from the kernel (bind to port 0). The service binds
/// it a moment later; should another process take it first, the service dies at start-up and
/// is restarted on a fresh one.
func freeLoopbackPort() throws(SandboxError) -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw .launchFailed(executable: "a port for a service", reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    guard bound else { throw .launchFailed(executable: "a port for a service", reason: String(cString: strerror(errno))) }
    return Int(UInt16(bigEndian: address.sin_port))
}

func describeWaitStatus(_ status: Int32) -> String {
    let signal = status & 0x7f
    return signal == 0 ? "exit code \((status >> 8) & 0xff)" : "killed by signal \(signal)"
}

/// 127.0.0.1:`port` as the socket calls take it.
private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}
