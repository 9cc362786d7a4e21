import Foundation
import TestSupport
import Testing
@testable import Sandbox

#if canImport(Glibc)
import Glibc
#endif

/// Systems that are not the shop, on real processes: Python's standard library serves a folder
/// whose `healthz` file answers the health check.
@Suite(.serialized)
struct SystemSandboxTests {
    /// A folder with a `healthz` file, served by `python3 -m http.server`.
    private func servedFolder(healthy: Bool = true) throws -> URL {
        let folder = try temporaryFolder()
        if healthy { try "ok\n".write(to: folder.appendingPathComponent("healthz"), atomically: true, encoding: .utf8) }
        return folder
    }

    private func python(serving folder: URL) -> SandboxSystem.Launch {
        .command(arguments: ["python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1", "--directory", folder.path],
                 directory: nil, environment: [:])
    }

    /// Processes whose command line contains `marker`.
    private func processes(containing marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(marker)
        }
    }

    @Test("a command that does not exist is named before anything starts")
    func aMissingProgramIsNamed() async throws {
        let folder = try servedFolder()
        let system = SandboxSystem(name: "broken", services: [
            .init(name: "web", launch: python(serving: folder)),
            .init(name: "ghost", launch: .command(arguments: ["no-such-program-anywhere", "{port}"], directory: nil, environment: [:])),
        ], edges: [], directory: folder.path)
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: system))
        do {
            try await sandbox.start()
            Issue.record("start should fail")
        } catch {
            #expect(error.description.contains("no executable 'no-such-program-anywhere'"), "\(error)")
        }
        #expect(processes(containing: folder.path).isEmpty, "nothing was started")
    }

    @Test("a service whose health path never answers 200 is named with its log, and nothing stays running")
    func aServiceThatNeverTurnsHealthy() async throws {
        let folder = try servedFolder(healthy: false)  // no healthz: 404
        let system = SandboxSystem(name: "sick", services: [.init(name: "web", launch: python(serving: folder))],
                                   edges: [], directory: folder.path)
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: system, startTimeout: .seconds(2)))
        do {
            try await sandbox.start()
            Issue.record("start should fail")
        } catch {
            #expect(error.description.range(of: #"service web did not come up: GET /healthz on port [0-9]+ did not answer 200 before the deadline"#,
                                            options: .regularExpression) != nil, "the port it was given is named: \(error)")
            #expect(error.description.contains("404"), "its log shows the 404s: \(error)")
        }
        #expect(processes(containing: folder.path).isEmpty, "the service was stopped")
    }

    @Test("a service at an address is proxied, never started, killed or paused, and outlives the sandbox")
    func anAddressIsOnlyProxied() async throws {
        let outside = try servedFolder()
        let port = try freeLoopbackPort()
        let server = try TestProcess(executable: "/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", outside.path])
        defer { server.signal(SIGKILL) }
        let inside = try servedFolder()
        let system = SandboxSystem(name: "mixed", services: [
            .init(name: "outside", launch: .address(host: "127.0.0.1", port: port)),
            .init(name: "web", launch: python(serving: inside)),
        ], edges: [.init(from: "web", to: "outside")], directory: inside.path)
        let sandbox = Sandbox(configuration: SandboxConfiguration(system: system))
        try await sandbox.start()

        #expect(await sandbox.url(of: "outside") == "http://127.0.0.1:\(port)")
        #expect(await sandbox.pids()["outside"] == nil, "chaoslab started no process for it")
        let proxy = try #require(sandbox.proxies["web-outside"])
        #expect(await Sandbox.isHealthy(host: "127.0.0.1", port: proxy.listenPort, path: "/healthz"), "it answers through the proxy")
        await #expect(throws: SandboxError.self) { try await sandbox.killAndHold("outside") }
        await #expect(throws: SandboxError.self) { try await sandbox.pause("outside") }

        await sandbox.stop()
        #expect(processes(containing: inside.path).isEmpty, "the started service is gone")
        #expect(isAlive(server.pid), "the outside service was never touched")
    }
}
