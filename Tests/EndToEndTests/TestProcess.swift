import Foundation
@testable import Sandbox

#if canImport(Glibc)
import Glibc
#endif

/// A real child process for tests: its output lines, and waits on them and on its exit.
final class TestProcess: @unchecked Sendable {
    private let condition = NSCondition()
    private var output: [String] = []
    private var exitStatus: Int32?
    private var child: ChildProcess!

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        child = try ChildProcess.launch(
            executable: try chaoslabBinary(), arguments: arguments, environment: merged,
            onLine: { [weak self] line in self?.record { $0.output.append(line) } },
            onExit: { [weak self] status in self?.record { $0.exitStatus = status } })
    }

    var pid: Int32 { child.pid }
    var lines: [String] { condition.withLock { output } }

    private func record(_ change: (TestProcess) -> Void) {
        condition.withLock {
            change(self)
            condition.broadcast()
        }
    }

    /// The first output line containing `text`, waiting up to `timeout`.
    func waitForLine(containing text: String, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        return condition.withLock {
            while true {
                if let line = output.first(where: { $0.contains(text) }) { return line }
                if exitStatus != nil || !condition.wait(until: deadline) { return output.first { $0.contains(text) } }
            }
        }
    }

    /// The exit code (or 128 + signal), waiting up to `timeout`; nil if still running.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        return condition.withLock {
            while exitStatus == nil {
                if !condition.wait(until: deadline) { break }
            }
            guard let status = exitStatus else { return nil }
            return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    func signal(_ signal: Int32) { child.send(signal) }
}

func chaoslabBinary() throws -> String {
    let folder = URL(fileURLWithPath: SandboxConfiguration.currentExecutable).deletingLastPathComponent()
    let binary = folder.appendingPathComponent("chaoslab").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        throw TestFailure("no chaoslab binary at \(binary); run `swift build` first")
    }
    return binary
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// True while `pid` exists and is not a zombie.
func isAlive(_ pid: Int32) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
    return !status.contains("State:\tZ")
}

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("chaoslab-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The repository's Labs folder.
let labsFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Labs").path
