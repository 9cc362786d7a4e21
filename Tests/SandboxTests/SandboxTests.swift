import Foundation
import TestSupport
import Testing
@testable import Sandbox
import LabDomain

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor with the real demo services: real processes on real ports.
@Suite(.serialized)
struct SandboxTests {
    @Test("start brings up all four services healthy, behind proxies on every edge")
    func startsEveryService() async throws {
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: .demoShop))
        try await sandbox.start()
        let status = await sandbox.status()
        await sandbox.stop()

        #expect(status.services.map(\.name).sorted() == ["ads", "cache", "checkout", "storefront"])
        for service in status.services {
            #expect(service.healthy, "\(service.name) should be healthy")
            #expect(service.pid != nil)
        }
        #expect(status.edges.map(\.name).sorted() == ["checkout-cache", "storefront-ads", "storefront-cache", "storefront-checkout"])
        for edge in status.edges { #expect(!edge.upstream.isEmpty, "\(edge.name) has an upstream") }
    }

    @Test("a service that dies is restarted on its port, and stop leaves no process behind")
    func restartsAndStopsCleanly() async throws {
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: .demoShop, restartDelay: .milliseconds(50)))
        try await sandbox.start()
        let checks = Task { await sandbox.runHealthChecks(every: .milliseconds(100)) }
        defer { checks.cancel() }
        let before = await sandbox.pids()
        let port = await sandbox.url(of: "ads")

        kill(before["ads"]!, SIGKILL)
        let restarted = await waitFor(timeout: .seconds(10)) {
            let status = await sandbox.status()
            let ads = status.services.first { $0.name == "ads" }!
            return ads.healthy && ads.pid != before["ads"] && ads.restarts == 1
        }
        #expect(restarted, "ads should come back healthy with a new pid")
        #expect(await sandbox.url(of: "ads") == port, "ads keeps its port across a restart")
        let logs = try await sandbox.logs(of: "ads")
        #expect(logs.contains { $0.contains("listening") })

        let running = await sandbox.pids()
        await sandbox.stop()
        for pid in running.values { #expect(!isAlive(pid), "pid \(pid) should be gone after stop") }
    }

    @Test("status reads the background health checks: a service frozen behind the supervisor's back turns unhealthy, then healthy")
    func statusFollowsTheHealthChecks() async throws {
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: .demoShop))
        try await sandbox.start()
        let started = await sandbox.status().services
        #expect(started.allSatisfy { $0.healthy && $0.healthCheckedMsAgo != nil }, "start's own checks count: \(started)")
        let checks = Task { await sandbox.runHealthChecks(every: .milliseconds(100)) }
        func ads() async -> ServiceStatus { await sandbox.status().services.first { $0.name == "ads" }! }
        let pid = try #require(await ads().pid)

        // SIGSTOP by hand: the supervisor's state still says running; only a health check can tell.
        kill(pid, SIGSTOP)
        let frozen = await waitFor(timeout: .seconds(10)) { await ads().healthy == false }
        #expect(frozen, "the background check saw the frozen service")
        #expect(await ads().state == "running")
        kill(pid, SIGCONT)
        let back = await waitFor(timeout: .seconds(10)) { await ads().healthy }
        #expect(back, "healthy again after the next check")

        checks.cancel()
        await checks.value
        await sandbox.stop()
    }

    @Test("a service that cannot start is named with the last lines of its log")
    func reportsAServiceThatDoesNotStart() async throws {
        let folder = try servicesThatCannotBind()
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: .demoShop, servicesDirectory: folder.path, startTimeout: .seconds(10)))
        do {
            try await sandbox.start()
            Issue.record("start should fail")
        } catch {
            let message = error.description
            #expect(message.contains("did not come up"))
            #expect(message.contains("last lines of its log"))
            #expect(message.contains("cannot bind port"), "\(message)")
        }
    }

    @Test("a missing service executable is named with its path and how to build it")
    func namesAMissingServiceExecutable() async throws {
        let folder = try temporaryFolder()
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: .demoShop, servicesDirectory: folder.path))
        do {
            try await sandbox.start()
            Issue.record("start should fail")
        } catch {
            let message = error.description
            #expect(message.contains(folder.appendingPathComponent("storefront").path), "\(message)")
            #expect(message.contains(folder.appendingPathComponent("ads").path), "\(message)")
            #expect(message.contains("swift build --product storefront"), "\(message)")
        }
        #expect(await sandbox.pids().isEmpty, "nothing was started")
    }

    @Test("the log tail keeps the newest lines only")
    func logTailKeepsTheNewestLines() {
        let tail = LogTail(capacity: 3)
        for index in 1...5 { tail.append("line \(index)") }
        #expect(tail.snapshot() == ["line 3", "line 4", "line 5"])
        #expect(tail.snapshot(last: 2) == ["line 4", "line 5"])
    }
}

/// A services folder whose four "services" are shell scripts that fail as a service that cannot
/// bind its port would: a line on standard error, exit code 1.
private func servicesThatCannotBind() throws -> URL {
    let folder = try temporaryFolder()
    for name in ["storefront", "checkout", "cache", "ads"] {
        let script = folder.appendingPathComponent(name)
        try "#!/bin/sh\necho \"\(name): cannot bind port $2\" >&2\nexit 1\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    }
    return folder
}
