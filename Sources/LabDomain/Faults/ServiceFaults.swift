import AsyncHTTPClient
import Foundation
import LabEngine
import NIOCore
import NIOHTTP1
import Sandbox

/// The service faults in force, each with its time to live. Kill and pause go through
/// the supervisor; cpu, memory, errors and empty through the service's `/admin/faults`
/// endpoints, which also end them by themselves a little after the lab server would (a
/// safety net if the lab server is gone).
///
/// The times to live run in `runTimers`, which the workspace's service runs: a timer is a
/// child task of it, ended with it at shutdown, never a task of its own.
package actor ServiceFaults {
    package struct Entry {
        let id: String
        let service: String
        let kind: ServiceFaultKind
        let appliedAt: Date
        let expiresAt: Date
    }

    /// A fault's time to live, handed to `runTimers`.
    private struct Timer: Sendable {
        let id: String
        let lifetime: Duration
    }

    package nonisolated let sandbox: Sandbox
    package nonisolated let client: HTTPClient
    private var entries: [String: Entry] = [:]
    /// "service/type" of faults being applied: a second one of the same is refused meanwhile.
    private var applying: Set<String> = []
    private var counter = 0
    private nonisolated let timers: AsyncStream<Timer>
    private nonisolated let newTimer: AsyncStream<Timer>.Continuation

    package init(sandbox: Sandbox, client: HTTPClient) {
        self.sandbox = sandbox
        self.client = client
        (timers, newTimer) = AsyncStream.makeStream(of: Timer.self)
    }

    /// Ends each fault when its time to live runs out, until cancelled or `stopTimers`:
    /// each timer is a child task, so none outlives this call. A fault removed before its
    /// time finds nothing to end when its timer fires (ids are never reused).
    package nonisolated func runTimers() async {
        await withDiscardingTaskGroup { group in
            for await timer in timers {
                group.addTask { [weak self] in
                    try? await Task.sleep(for: timer.lifetime)
                    guard !Task.isCancelled else { return }
                    _ = await self?.remove(id: timer.id)
                }
            }
            group.cancelAll()
        }
    }

    /// Ends `runTimers` (the workspace shuts down); faults added afterwards have no timer.
    package nonisolated func stopTimers() {
        newTimer.finish()
    }

    /// Applies a fault to a service; it ends after `ttl` (a kill's restart comes sooner
    /// when it has a `restart_after`). One fault of each type per service at a time.
    package func add(_ kind: ServiceFaultKind, to service: String, ttl: Duration) async throws -> FaultStatus {
        if let existing = entries.values.first(where: { $0.service == service && $0.kind.type == kind.type }) {
            throw LabError.conflict("\(service) already has a \(kind.type) fault (\(existing.id)); remove it first or halt")
        }
        let slot = "\(service)/\(kind.type)"
        guard applying.insert(slot).inserted else {
            throw LabError.conflict("a \(kind.type) fault is being applied to \(service) already")
        }
        defer { applying.remove(slot) }
        var lifetime = ttl
        if case .kill(let after?) = kind { lifetime = min(after, ttl) }
        try await apply(kind, to: service, ttl: lifetime)
        counter += 1
        let id = "\(kind.type)-\(counter)"
        let now = Date()
        let entry = Entry(id: id, service: service, kind: kind, appliedAt: now, expiresAt: now.addingTimeInterval(lifetime.seconds))
        entries[id] = entry
        newTimer.yield(Timer(id: id, lifetime: lifetime))
        return status(of: entry)
    }

    /// Ends one fault; false if no fault has that id.
    package func remove(id: String) async -> Bool {
        guard let entry = entries.removeValue(forKey: id) else { return false }
        await revert(entry.kind, on: entry.service)
        return true
    }

    /// Ends every service fault; returns how many.
    package func removeAll() async -> Int {
        let ids = Array(entries.keys)
        for id in ids { _ = await remove(id: id) }
        return ids.count
    }

    package func list() -> [API.TargetFault] {
        entries.values.sorted { $0.appliedAt < $1.appliedAt }.map { API.TargetFault(target: $0.service, fault: status(of: $0)) }
    }

    /// The faults in force on one service.
    package func faults(of service: String) -> [FaultStatus] {
        entries.values.filter { $0.service == service }.sorted { $0.appliedAt < $1.appliedAt }.map(status(of:))
    }

    private func status(of entry: Entry) -> FaultStatus {
        FaultStatus(
            id: entry.id, type: entry.kind.type, attributes: entry.kind.attributes, description: entry.kind.summary,
            expiresInMs: max(0, Int(entry.expiresAt.timeIntervalSinceNow * 1000)))
    }

    // MARK: Making and undoing

    private func apply(_ kind: ServiceFaultKind, to service: String, ttl: Duration) async throws {
        // The service ends its own faults a little after the lab server would.
        let durationMs = Double(ttl.milliseconds + 2000)
        do {
            switch kind {
            case .kill: try await sandbox.killAndHold(service)
            case .pause: try await sandbox.pause(service)
            case .cpu(let cores): try await admin(.PUT, service, "cpu", body: ["cores": Double(cores), "duration_ms": durationMs])
            case .memory(let megabytes): try await admin(.PUT, service, "memory", body: ["mb": Double(megabytes), "duration_ms": durationMs])
            case .errors(let rate): try await admin(.PUT, service, "errors", body: ["rate": rate, "duration_ms": durationMs])
            case .empty: try await admin(.PUT, service, "empty", body: ["duration_ms": durationMs])
            }
        } catch let error as SandboxError {
            throw LabError.notFound(error.description)
        }
    }

    private func revert(_ kind: ServiceFaultKind, on service: String) async {
        switch kind {
        case .kill: try? await sandbox.release(service)
        case .pause: try? await sandbox.resume(service)
        default: try? await admin(.DELETE, service, kind.type, body: nil)
        }
    }

    private func admin(_ method: NIOHTTP1.HTTPMethod, _ service: String, _ kind: String, body: [String: Double]?) async throws {
        guard let base = await sandbox.url(of: service) else {
            throw LabError.unavailable("service \(service) is not running; check `chaoslab status`")
        }
        var request = HTTPClientRequest(url: "\(base)/admin/faults/\(kind)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        // A memory fault answers once every page is written: allow for gigabytes.
        let response = try await client.execute(request, timeout: .seconds(60))
        let answer = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw LabError.serviceRefused("\(service) refused the \(kind) fault (\(response.status.code)): \(String(buffer: answer))")
        }
    }
}
