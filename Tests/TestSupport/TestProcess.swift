import Foundation
import Sandbox

#if canImport(Glibc)
import Glibc
#endif

/// A real child process for tests: its output lines, and waits on them and on its exit.
public final class TestProcess: @unchecked Sendable {
    private let condition = NSCondition()
    private var output: [String] = []
    private var exitStatus: Int32?
    private var child: ChildProcess!

    /// Starts the chaoslab binary built next to the test bundle with `arguments`.
    public convenience init(_ arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(executable: try chaoslabBinary(), arguments, environment: environment)
    }

    /// Starts any program, given by its absolute path, with `arguments`. Unlike chaoslab and the demo
    /// services (which link CSpawn), another program does not die with the test process by itself:
    /// wrap it in `setpriv --pdeathsig KILL --`.
    public init(executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged["CHAOSLAB_PARENT_PID"] = String(getpid())
        child = try ChildProcess.launch(
            executable: executable, arguments: arguments, environment: merged,
            onLine: { [weak self] line in self?.record { $0.output.append(line) } },
            onExit: { [weak self] status in self?.record { $0.exitStatus = status } })
    }

    public var pid: Int32 { child.pid }
    public var lines: [String] { condition.withLock { output } }

    fileprivate func locked<T>(_ body: (TestProcess) -> T) -> T { condition.withLock { body(self) } }

    private func record(_ change: (TestProcess) -> Void) {
        condition.withLock {
            change(self)
            condition.broadcast()
        }
    }

    /// The first output line containing `text`, waiting up to `timeout`.
    /// Async, so that a waiting test does not hold one of the few threads of Swift's concurrency pool.
    public func waitForLine(containing text: String, timeout: Duration) async -> String? {
        await poll(timeout: timeout) {
            if let line = $0.output.first(where: { $0.contains(text) }) { return .some(line) }
            return $0.exitStatus != nil ? .some(nil) : nil
        } ?? nil
    }

    /// The exit code (or 128 + signal), waiting up to `timeout`; nil if still running.
    public func waitForExit(timeout: Duration) async -> Int32? {
        await poll(timeout: timeout) { process in
            process.exitStatus.map { $0 & 0x7f == 0 ? ($0 >> 8) & 0xff : 128 + ($0 & 0x7f) }
        }
    }

    /// Checks `condition` every 20 ms until it answers or time is up.
    private func poll<T>(timeout: Duration, _ condition: (TestProcess) -> T?) async -> T? {
        await TestSupport.poll(for: timeout) { locked(condition) }
    }

    public func signal(_ signal: Int32) { child.send(signal) }
}

/// The chaoslab executable built next to the test bundle.
public func chaoslabBinary() throws -> String {
    try builtBinary("chaoslab")
}

/// A demo service's executable (storefront, checkout, cache, ads) built next to the test bundle.
public func serviceBinary(_ name: String) throws -> String {
    try builtBinary(name)
}

/// The product `name` that `swift build` (and `swift test`) put beside the test bundle.
private func builtBinary(_ name: String) throws -> String {
    let binary = URL(fileURLWithPath: SandboxConfiguration.currentExecutableDirectory).appendingPathComponent(name).path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        throw TestFailure("no \(name) binary at \(binary); run `swift build --product \(name)` first")
    }
    return binary
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// True while `pid` exists and is not a zombie.
public func isAlive(_ pid: Int32) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
    return !status.contains("State:\tZ")
}

public func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("chaoslab-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The repository's folder.
public let repositoryFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The repository's Labs folder.
public let labsFolder = repositoryFolder.appendingPathComponent("Labs").path

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
public func waitFor(timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
