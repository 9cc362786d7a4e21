import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a child's reader thread reports to the sandbox.
enum ChildEvent: Sendable {
    case listening(service: String, generation: Int, port: Int)
    case exited(service: String, generation: Int, status: Int32)
}

extension Sandbox {
    func launch(_ name: String, port: Int) throws(SandboxError) {
        guard let service = services[name] else { throw .unknownService(name) }
        service.generation += 1
        service.state = .starting
        service.port = nil
        let generation = service.generation
        var arguments = ["--port", String(port)]
        for edge in ShopTopology.dependencies(of: name) {
            arguments += ["--\(edge.to)-url", "http://127.0.0.1:\(proxies[edge.name]!.listenPort)"]
        }
        var environment = ProcessInfo.processInfo.environment.merging(configuration.environment) { $1 }
        environment["CHAOSLAB_PARENT_PID"] = String(getpid())
        let sink = eventSink
        let log = service.log
        service.child = try ChildProcess.launch(
            executable: configuration.executable(of: name),
            arguments: arguments,
            environment: environment,
            onLine: { line in
                log.append(line)
                if let port = listeningPort(in: line) {
                    sink.yield(.listening(service: name, generation: generation, port: port))
                }
            },
            onExit: { status in sink.yield(.exited(service: name, generation: generation, status: status)) }
        )
        service.startedAt = .now
    }

    func handle(_ event: ChildEvent) async {
        switch event {
        case .listening(let name, let generation, let port):
            guard let service = services[name], service.generation == generation else { return }
            service.port = port
            service.state = .running
            for edge in ShopTopology.edges where edge.to == name {
                proxies[edge.name]?.setUpstream(host: "127.0.0.1", port: port)
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

/// The port in a service's `"msg":"listening"` JSON log line, if this is that line.
func listeningPort(in line: String) -> Int? {
    guard line.contains("\"listening\""),
          let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          object["msg"] as? String == "listening"
    else { return nil }
    if let port = object["port"] as? Int { return port }
    return (object["port"] as? String).flatMap(Int.init)
}

func describeWaitStatus(_ status: Int32) -> String {
    let signal = status & 0x7f
    return signal == 0 ? "exit code \((status >> 8) & 0xff)" : "killed by signal \(signal)"
}
