import Foundation

/// `chaoslab start` on a free port with a fresh data folder, as a learner runs it.
public final class LabServerProcess {
    public let process: TestProcess
    public let port: Int
    public let data: URL

    public init(data: URL? = nil, arguments: [String] = []) async throws {
        let data = try data ?? temporaryFolder()
        self.data = data
        // Prometheus and Alertmanager start only for the tests that ask for them (`--monitoring`).
        let monitoring = arguments.contains("--monitoring") ? [] : ["--no-monitoring"]
        // The repository's labs unless the test names a system (whose labs sit beside its file) or labs of its own.
        let labs = arguments.contains("--labs") || arguments.contains("--system") ? [] : ["--labs", labsFolder]
        process = try TestProcess(["start", "--port", "0", "--data", data.path] + labs + monitoring + arguments)
        guard let line = await process.waitForLine(containing: "lab server: ", timeout: .seconds(60)),
              let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        else {
            process.signal(SIGKILL)
            throw TestFailure("the lab server did not start:\n" + process.lines.joined(separator: "\n"))
        }
        self.port = port
    }

    /// Runs a chaoslab command against this server and returns its exit code and output.
    public func command(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> (code: Int32?, output: String) {
        let command = try TestProcess(arguments + ["--port", String(port)])
        let code = await command.waitForExit(timeout: timeout)
        if code == nil { command.signal(SIGKILL) }
        return (code, command.lines.joined(separator: "\n"))
    }

    /// SIGTERM, as a service manager stops it; returns the exit code.
    public func stop() async -> Int32? {
        process.signal(SIGTERM)
        return await process.waitForExit(timeout: .seconds(30))
    }
}

/// Runs `body` with a fresh lab server and stops the server afterwards, also when `body` throws.
public func withLabServer<T>(data: URL? = nil, arguments: [String] = [], _ body: (LabServerProcess) async throws -> T) async throws -> T {
    let server = try await LabServerProcess(data: data, arguments: arguments)
    do {
        let result = try await body(server)
        _ = await server.stop()
        return result
    } catch {
        _ = await server.stop()
        throw error
    }
}
